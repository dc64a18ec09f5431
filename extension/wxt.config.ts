import { defineConfig } from 'wxt';

/**
 * Manifest V3 for Chromium-based browsers. Local pages (the demo desk, tests) are covered from the
 * start; any other helpdesk is enabled per origin at run time (optional host permission + a
 * dynamically registered content script, see src/background/site-access.ts).
 */
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // Explicit imports everywhere: the code reads the same in tests, entrypoints and src/.
  imports: false,
  manifest: {
    name: 'Naparnik',
    description: 'Подсказки оператору поддержки прямо в окне хелпдеска / Agent-assist copilot for support',
    permissions: ['storage', 'scripting', 'sidePanel', 'activeTab', 'alarms'],
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    action: { default_title: 'Naparnik' },
    side_panel: { default_path: 'sidepanel.html' },
    storage: { managed_schema: 'managed-schema.json' },
    commands: {
      'toggle-panel': {
        suggested_key: { default: 'Alt+Shift+N' },
        description: 'Show or hide the Naparnik panel',
      },
    },
  },
  // Both are added to the Firefox manifest by the hook below, after WXT looks for them.
  suppressWarnings: { firefoxId: true, firefoxDataCollection: true },
  hooks: {
    'build:manifestGenerated': (wxt, manifest) => {
      if (wxt.config.browser === 'firefox') adaptForFirefox(manifest as unknown as Record<string, unknown>);
    },
  },
});

/** The Firefox add-on id (Gecko needs one for MV3). */
const GECKO_ID = 'naparnik@naparnik';

/**
 * Firefox (`pnpm build:firefox`, MV3): its sidebar stands in for Chrome's side panel (WXT writes
 * `sidebar_action` from the sidepanel entrypoint), so the Chrome-only side panel keys go, and so
 * does `storage.managed_schema` (Firefox takes managed storage from enterprise policy instead).
 * Gecko wants an id and the data the add-on sends out: the conversation on the page (website
 * content, personal communications) goes to the team's assist service.
 */
function adaptForFirefox(manifest: Record<string, unknown>): void {
  delete manifest.side_panel;
  delete manifest.storage;
  manifest.permissions = (manifest.permissions as string[] | undefined)?.filter(
    (permission) => permission !== 'sidePanel',
  );
  manifest.browser_specific_settings = {
    gecko: {
      id: GECKO_ID,
      strict_min_version: '140.0',
      data_collection_permissions: { required: ['websiteContent', 'personalCommunications'] },
    },
  };
}

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
    permissions: ['storage', 'scripting', 'sidePanel', 'activeTab'],
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
});

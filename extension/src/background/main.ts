import { browser } from 'wxt/browser';
import { ASSIST_PORT, type RequestSender } from '../messaging.ts';
import { buildPresets } from '../presets.ts';
import { readSettings, type StorageArea, writeSettings } from '../settings.ts';
import { createRecipeBook } from '../teach/recipe-book.ts';
import { startRecipeRefresh } from './recipe-refresh.ts';
import { createServiceClient } from './service-client.ts';
import { indexedDbArea, migrateSettings } from './settings-store.ts';
import {
  isBuiltIn,
  normalizeOrigin,
  OVERLAY_SCRIPT,
  originPattern,
  syncContentScripts,
} from './site-access.ts';
import { createWorker, type PortLike } from './worker.ts';

const local = browser.storage.local as unknown as StorageArea;
const managed = browser.storage.managed as unknown as StorageArea;
/** The operator's settings, out of the content scripts' reach (settings-store.ts). */
const store = indexedDbArea();
const migrated = migrateSettings(store, browser.storage.local).catch(console.error);
const settings = async () => {
  await migrated;
  return readSettings(store, managed, buildPresets());
};

/** An extension page (options, welcome, side panel) rather than a content script in a web page. */
function senderOf(sender: { id?: string; url?: string }): RequestSender {
  if (sender.id !== browser.runtime.id || !sender.url) return 'content-script';
  return new URL(sender.url).origin === new URL(browser.runtime.getURL('/')).origin
    ? 'extension-page'
    : 'content-script';
}

/** Wires the worker to the browser: messages, ports, storage changes, the toolbar button. */
export function startBackground(): void {
  const client = createServiceClient({ settings });
  const recipes = createRecipeBook({
    storage: local,
    fetchPublished: (domain, etag) => client.publishedRecipe(domain, etag),
    now: () => Date.now(),
  });
  const worker = createWorker({
    client,
    settings,
    recipes,
    saveSettings: async (changes) => {
      await migrated;
      await writeSettings(store, changes);
      // Before answering: whoever saved a site expects the panel there on the next load.
      await sync().catch(console.error);
      return settings();
    },
  });

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only this extension's own pages and content scripts talk to the worker.
    if (sender.id !== browser.runtime.id) return false;
    if ((message as { type?: unknown } | undefined)?.type === 'options:open') {
      void browser.runtime.openOptionsPage().then(() => sendResponse({ ok: true, data: null }));
      return true;
    }
    worker
      .handleRequest(message, senderOf(sender))
      .then(sendResponse, (error: unknown) =>
        sendResponse({ ok: false, error: { code: 'internal', message: String(error) } }),
      );
    return true;
  });

  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== ASSIST_PORT || port.sender?.id !== browser.runtime.id) return;
    worker.handleAssistPort(port as unknown as PortLike);
  });

  const sync = async () => {
    const current = await settings();
    await syncContentScripts(
      browser.scripting as unknown as Parameters<typeof syncContentScripts>[0],
      browser.permissions,
      current.enabledOrigins,
      current.serviceUrl,
    );
  };
  browser.runtime.onInstalled.addListener((details) => {
    void sync().catch(console.error);
    if (details.reason === 'install') void openWelcome().catch(console.error);
  });
  browser.runtime.onStartup.addListener(() => void sync().catch(console.error));
  // Published page recipes for the enabled sites: when the browser starts, when installed or
  // updated, and on a timer that backs off while the service cannot be asked (recipe-refresh.ts);
  // a page also asks on load when its cached recipe is older than the recipe book's interval.
  const refresher = startRecipeRefresh({
    alarms: browser.alarms,
    storage: local,
    refresh: async () => {
      const current = await settings();
      // One malformed origin (a managed preset, say) must not stop the others' refresh.
      return recipes.refreshAll(
        current.enabledOrigins.flatMap((origin) => {
          const normalized = normalizeOrigin(origin);
          return normalized ? [new URL(normalized).host] : [];
        }),
      );
    },
  });
  browser.runtime.onStartup.addListener(() => void refresher.round().catch(console.error));
  browser.runtime.onInstalled.addListener(() => void refresher.round().catch(console.error));
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') void sync().catch(console.error);
  });
  browser.permissions.onRemoved.addListener(() => void sync().catch(console.error));

  // Toolbar button: asks for this site's permission (the click is the user gesture the prompt needs,
  // so the request goes out before anything is awaited), then shows or hides the panel.
  browser.action.onClicked.addListener((tab) => {
    const origin = tab.url ? normalizeOrigin(tab.url) : undefined;
    if (!origin || tab.id === undefined) return;
    const granted = isBuiltIn(origin)
      ? Promise.resolve(true)
      : browser.permissions.request({ origins: [originPattern(origin)] });
    void onActionClicked(tab.id, origin, granted)
      .then(() => sync())
      .catch(console.error);
  });
  browser.commands.onCommand.addListener((command, tab) => {
    if (command === 'toggle-panel' && tab?.id !== undefined) {
      void browser.tabs.sendMessage(tab.id, { type: 'panel:toggle' }).catch(() => undefined);
    }
  });
}

/**
 * The first-run page (entrypoints/welcome), on install only, and not where the admin preset the
 * service through managed storage (a team rollout: nothing for the operator to set up).
 */
async function openWelcome(): Promise<void> {
  const enforced = await (managed.get(null) as Promise<Record<string, unknown>>).catch(() => ({}));
  if (typeof (enforced as { serviceUrl?: unknown }).serviceUrl === 'string') return;
  await browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') });
}

async function onActionClicked(tabId: number, origin: string, granted: Promise<boolean>): Promise<void> {
  if (!(await granted)) return;
  const current = await settings();
  if (!current.enabledOrigins.includes(origin)) {
    await writeSettings(store, { enabledOrigins: [...current.enabledOrigins, origin] });
  }
  const answered = await browser.tabs.sendMessage(tabId, { type: 'panel:toggle' }).catch(() => undefined);
  if (!answered) await browser.scripting.executeScript({ target: { tabId }, files: [OVERLAY_SCRIPT] });
}

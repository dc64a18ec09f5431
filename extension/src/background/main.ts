import { browser } from 'wxt/browser';
import { ASSIST_PORT } from '../messaging.ts';
import { buildPresets } from '../presets.ts';
import { readSettings, type StorageArea, writeSettings } from '../settings.ts';
import { createRecipeBook } from '../teach/recipe-book.ts';
import { createServiceClient } from './service-client.ts';
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
const settings = () => readSettings(local, managed, buildPresets());

/** Wires the worker to the browser: messages, ports, storage changes, the toolbar button. */
export function startBackground(): void {
  const client = createServiceClient({ settings });
  const recipes = createRecipeBook({
    storage: local,
    fetchPublished: (domain, etag) => client.publishedRecipe(domain, etag),
    now: () => Date.now(),
  });
  const worker = createWorker({ client, settings, recipes });

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only this extension's own pages and content scripts talk to the worker.
    if (sender.id !== browser.runtime.id) return false;
    if ((message as { type?: unknown } | undefined)?.type === 'options:open') {
      void browser.runtime.openOptionsPage().then(() => sendResponse({ ok: true, data: null }));
      return true;
    }
    worker
      .handleRequest(message)
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
    );
  };
  browser.runtime.onInstalled.addListener((details) => {
    void sync().catch(console.error);
    if (details.reason === 'install') void openWelcome().catch(console.error);
  });
  browser.runtime.onStartup.addListener(() => void sync().catch(console.error));
  // Published page recipes for the enabled sites when the browser starts; a page asks again on
  // load when its cached recipe is older than the recipe book's refresh interval.
  browser.runtime.onStartup.addListener(() => {
    void settings()
      .then((current) =>
        // One malformed origin (a managed preset, say) must not stop the others' refresh.
        recipes.refreshAll(
          current.enabledOrigins.flatMap((origin) => {
            const normalized = normalizeOrigin(origin);
            return normalized ? [new URL(normalized).host] : [];
          }),
        ),
      )
      .catch(console.error);
  });
  browser.storage.onChanged.addListener((changes, area) => {
    if ((area === 'local' && 'settings' in changes) || area === 'managed') void sync().catch(console.error);
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
    void onActionClicked(tab.id, origin, granted).catch(console.error);
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
  if (!isBuiltIn(origin) && !current.enabledOrigins.includes(origin)) {
    await writeSettings(local, { enabledOrigins: [...current.enabledOrigins, origin] });
  }
  const answered = await browser.tabs.sendMessage(tabId, { type: 'panel:toggle' }).catch(() => undefined);
  if (!answered) await browser.scripting.executeScript({ target: { tabId }, files: [OVERLAY_SCRIPT] });
}

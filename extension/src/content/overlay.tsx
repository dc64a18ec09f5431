import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { ADAPTERS } from '../adapters/index.ts';
import { failure, pageRequestSchema, parseMessage } from '../messaging.ts';
import { Panel } from '../panel/panel.tsx';
import { PANEL_CSS } from '../panel/styles.ts';
import { readPanelState, type StorageArea, writePanelState } from '../settings.ts';
import { createPageTeaching } from '../teach/page-teaching.ts';
import { createPageDock, PANEL_WIDTH } from './dock.ts';
import { createPageBridge } from './page-bridge.ts';
import { createRuntimeClient, type RuntimeLike } from './runtime-client.ts';
import { dropUntrustedEvents, SHADOW_MODE } from './untrusted-events.ts';

const storage = browser.storage.local as unknown as StorageArea;

/**
 * The content script's work: mount the panel (in a shadow root docked at the side) once the page
 * shows a conversation, or at once when the operator asked for it; answer the side panel's
 * requests; clean up when WXT invalidates the context.
 */
export async function startOverlay(ctx: ContentScriptContext): Promise<void> {
  const client = createRuntimeClient(browser.runtime as unknown as RuntimeLike);
  // "Teach this page": the host's recipe (taught or published) is read before every other adapter.
  // Nothing waits for it: the bridge and the listeners start at once, and a recipe that arrives
  // (or is saved) makes the bridge read the page afresh (a misread page would otherwise stay with
  // the adapter that misread it).
  let page: ReturnType<typeof createPageBridge> | undefined;
  const teaching = createPageTeaching({
    runtime: browser.runtime,
    document,
    location: () => location.href,
    locale: async () => {
      const status = await client.status();
      return status.ok ? status.data.locale : 'ru';
    },
    onRecipeChange: () => page?.reset(),
  });
  page = createPageBridge({
    document,
    location: () => location.href,
    adapters: [teaching.slot, ...ADAPTERS],
  });
  const dock = createPageDock(document);
  ctx.onInvalidated(() => {
    // An open picker swallows the page's clicks: it must not outlive the extension's context.
    teaching.dispose();
    page.dispose();
    dock.release();
  });

  let mounted = false;
  const ui = await createShadowRootUi(ctx, {
    name: 'naparnik-overlay',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    css: PANEL_CSS,
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    mode: SHADOW_MODE,
    onMount(container) {
      container.setAttribute('data-naparnik', 'overlay');
      const root = createRoot(container);
      root.render(
        <Panel
          client={client}
          page={{
            ...page,
            openOptions: () =>
              void browser.runtime.sendMessage({ type: 'options:open' }).catch(() => undefined),
            // After saving, the panel is mounted afresh so it reads the page with the new recipe.
            teach: () => teaching.teach(() => remount()),
          }}
          storage={storage}
          mode="docked"
          onDock={(width) => dock.reserve(width ? PANEL_WIDTH : 0)}
        />,
      );
      return root;
    },
    onRemove(root) {
      root?.unmount();
    },
  });
  // Untrusted clicks and keys (dispatched by the page's scripts) never reach the panel.
  ctx.onInvalidated(dropUntrustedEvents(ui.shadow));
  const mount = () => {
    if (mounted) return;
    mounted = true;
    ui.mount();
  };
  const remount = () => {
    if (mounted) ui.remove();
    mounted = false;
    mount();
  };

  browser.runtime.onMessage.addListener((raw, _sender, sendResponse) => {
    const parsed = parseMessage(pageRequestSchema, raw);
    if (!parsed.ok) return false;
    const message = parsed.data;
    if (message.type === 'panel:toggle') {
      void (async () => {
        const state = await readPanelState(storage);
        const collapsed = mounted ? !state.collapsed : false;
        await writePanelState(storage, { ...state, collapsed });
        if (mounted) {
          ui.remove();
          mounted = false;
        }
        mount();
        sendResponse({ ok: true, data: { collapsed } });
      })();
      return true;
    }
    if (message.type === 'page:read') {
      void page.read().then((reading) => sendResponse({ ok: true, data: reading }));
      return true;
    }
    if (message.type === 'page:draft') {
      void (page.draft?.() ?? Promise.resolve(null)).then((draft) =>
        sendResponse({ ok: true, data: { draft } }),
      );
      return true;
    }
    if (message.type === 'page:mark-draft') {
      void (page.markDraft?.(message.marks) ?? Promise.resolve()).then(() =>
        sendResponse({ ok: true, data: null }),
      );
      return true;
    }
    if (message.type === 'page:insert') {
      void page.insert(message.text).then(
        (outcome) => sendResponse({ ok: true, data: outcome }),
        (error: unknown) => sendResponse(failure('internal', String(error))),
      );
      return true;
    }
    return false;
  });

  // Mount when a conversation shows up: at once, or after the helpdesk's own scripts render it.
  if ((await page.read()).conversation) {
    mount();
    return;
  }
  const stop = page.subscribe(() => {
    void page.read().then((reading) => {
      if (!reading.conversation) return;
      stop();
      mount();
    });
  });
  ctx.onInvalidated(stop);
}

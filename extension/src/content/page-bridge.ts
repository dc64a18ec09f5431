import type { ReadingMemo } from '../adapters/adapter.ts';
import { ADAPTERS, type Reading, readPage, type SiteAdapter } from '../adapters/index.ts';
import { isShown } from '../adapters/support/message-list.ts';
import { insertText } from '../composer/insert.ts';
import { createDraftAccess } from '../composer/read-draft.ts';
import type { InsertOutcome, PageReading } from '../messaging.ts';
import type { PageBridge } from '../panel/types.ts';
import { BENCH_ATTRIBUTE, BENCH_FULL_READ, BENCH_MEASURES } from './bench-marks.ts';

export interface PageBridgeOptions {
  document: Document;
  /** The page's current address (SPA navigation changes it). */
  location: () => string;
  adapters?: readonly SiteAdapter[];
  /** Quiet time after the last DOM change before the page is read again. */
  debounceMs?: number;
  /** The newest messages a reading covers (see READ_LAST_MESSAGES). */
  lastMessages?: number;
}

/**
 * A reading covers the newest 200 messages. The service keeps the end of a conversation anyway
 * (its summary reads the last 60 turns, the engine cuts the oldest to a 20,000-character budget),
 * and reading a 2,000-message history on every new message would cost far more than a frame.
 */
export const READ_LAST_MESSAGES = 200;

/** Our own UI in the page: its renders are never a change of the conversation. */
const OWN_UI = '[data-naparnik], naparnik-overlay';
/** Attributes that show or hide a tab pane: a watched list whose pane is hidden is left. */
const VISIBILITY_ATTRIBUTES = ['class', 'style', 'hidden', 'aria-hidden'];
/** Text added outside the watched list that may be the real history arriving late. */
const OUTSIDE_TEXT = 200;
/** At most one search for the list again per this long, however much the page around it changes. */
const RELOOK_MS = 2000;

/** Where the conversation lives once found: one adapter's message list, at one address. */
interface Scope {
  adapter: SiteAdapter;
  list: Element;
  url: string;
  /** The adapter's readings of the list's messages; an element's entry goes when it changes. */
  memo: ReadingMemo;
}

/**
 * The overlay's view of the page: reads it with the adapters, inserts into its reply box, and
 * tells the panel when the conversation may have changed.
 *
 * Following the page costs little on long conversations: once a conversation is found only its
 * message list is observed (plus the list's ancestors, childList only, to notice the list being
 * replaced), a reading covers the newest messages from the known list, and SPA navigation is
 * noticed through the Navigation API, popstate and hashchange without polling. Before a
 * conversation shows up the body is observed for added and removed nodes only. Notifications are
 * debounced; everything is disconnected when the last listener leaves or on dispose.
 */
/** The attributes the adapters read a message's role, author, time or kind from. */
const MESSAGE_ATTRIBUTES = [
  'class',
  'title',
  'hidden',
  'aria-hidden',
  'aria-label',
  'role',
  'datetime',
  'data-time',
  'data-own',
  'data-mine',
  'data-author-role',
  'data-system-message-type',
  'alt',
];

export function createPageBridge(
  options: PageBridgeOptions,
): PageBridge & { dispose(): void; reset(): void } {
  const { document } = options;
  const adapters = options.adapters ?? ADAPTERS;
  const debounceMs = options.debounceMs ?? 400;
  const view = document.defaultView;
  // Bench hooks exist in the e2e build only (`wxt build --mode e2e`): Vite replaces
  // import.meta.env.MODE at build time, so what operators install has none of them, and a page
  // cannot read the bridge's timings by setting the attribute.
  const benchMode =
    import.meta.env.MODE === 'e2e' ? document.documentElement.getAttribute(BENCH_ATTRIBUTE) : null;
  const performance = benchMode === null ? undefined : view?.performance;
  // Bench only: read the whole page on every change, as before readings were scoped, to compare.
  const fullRead = benchMode === BENCH_FULL_READ;
  const lastMessages = fullRead ? undefined : (options.lastMessages ?? READ_LAST_MESSAGES);
  const listeners = new Set<() => void>();
  let scope: Scope | undefined;
  let current: Reading | undefined;
  /** The reading taken for the listeners of one notification, shared by all of them. */
  let notifying: Reading | undefined;
  let watching = false;
  let lastUrl = options.location();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pageObserver: MutationObserver | undefined;
  let listObserver: MutationObserver | undefined;
  let frameObserver: MutationObserver | undefined;
  let outsideObserver: MutationObserver | undefined;
  let stopNavigation: (() => void) | undefined;
  /** Text arrived outside the watched list: the next reading looks for the list again. */
  let relook = false;
  let lastRelook = Number.NEGATIVE_INFINITY;

  /** Runs `work`, recording how long it took when the bench asked for it. */
  const timed = <T>(name: string, work: () => T): T => {
    if (!performance) return work();
    const start = performance.now();
    try {
      return work();
    } finally {
      performance.measure(name, { start, end: performance.now() });
    }
  };

  const readNow = (): Reading => {
    const href = options.location();
    const url = new URL(href);
    const now = Date.now();
    const looking = relook && now - lastRelook >= RELOOK_MS;
    if (looking) {
      relook = false;
      lastRelook = now;
    }
    if (!fullRead && !looking && scope && scope.url === href && scope.list.isConnected) {
      // The memo is only as fresh as the observer keeps it: without one, every message is read.
      const memo = watching ? scope.memo : undefined;
      const conversation = scope.adapter.extract(document, url, { list: scope.list, lastMessages, memo });
      if (conversation && conversation.messages.length > 0) {
        current = { adapter: scope.adapter, conversation };
        return current;
      }
    }
    current = readPage(document, url, adapters, { lastMessages });
    if (watching) rescope(current, href);
    return current;
  };

  // While the reply box found last is still on the page, saying there is one needs no search of a
  // long page (insert() always looks it up afresh).
  let composerSeen: { adapter: SiteAdapter; element: Element } | undefined;
  const hasComposer = (adapter: SiteAdapter) => {
    if (composerSeen?.adapter === adapter && composerSeen.element.isConnected) return true;
    const element = adapter.composer(document);
    composerSeen = element ? { adapter, element } : undefined;
    return Boolean(element);
  };

  const describe = (reading: Reading): PageReading => ({
    adapter: reading.adapter.id,
    url: new URL(options.location()).href,
    conversation: reading.conversation ?? null,
    hasComposer: hasComposer(reading.adapter),
  });

  // One reading per notification, measured with what the listeners do with it before they yield
  // (the panel's page.read() runs synchronously inside).
  const notify = () =>
    timed(BENCH_MEASURES.read, () => {
      timer = undefined;
      notifying = readNow();
      try {
        for (const listener of listeners) listener();
      } finally {
        notifying = undefined;
      }
    });

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(notify, debounceMs);
  };

  /** Address changes: the next reading starts from the adapters again. */
  const checkUrl = () => {
    const href = options.location();
    if (href === lastUrl) return false;
    lastUrl = href;
    schedule();
    return true;
  };

  const ownNode = (node: Node) => {
    const element = node.nodeType === 1 ? (node as Element) : node.parentElement;
    return Boolean(element?.closest(OWN_UI));
  };

  // Our own panel being added, re-rendered or removed is not a change of the conversation.
  const ownRecord = (record: MutationRecord) => {
    if (ownNode(record.target)) return true;
    if (record.type !== 'childList') return false;
    const changed = [...Array.from(record.addedNodes), ...Array.from(record.removedNodes)];
    return changed.length > 0 && changed.every((node) => node.nodeType === 1 && ownNode(node));
  };

  /** A changed node's enclosing message is read again: drops the memo entries on its way up. */
  const forget = (records: MutationRecord[]) => {
    if (!scope) return;
    for (const record of records) {
      for (let node: Node | null = record.target; node && node !== scope.list; node = node.parentNode)
        if (node.nodeType === 1) scope.memo.delete(node as Element);
    }
  };

  const onMutations = (records: MutationRecord[]) =>
    timed(BENCH_MEASURES.observe, () => {
      forget(records);
      if (checkUrl()) return;
      if (records.some((record) => !ownRecord(record))) schedule();
    });

  // The list's ancestors changed: the list leaving the page, or its pane hidden (another tab of
  // a tabbed desk shown), means the conversation is looked for again.
  const onFrameMutations = () =>
    timed(BENCH_MEASURES.observe, () => {
      if (checkUrl() || !scope) return;
      if (scope.list.isConnected && isShown(scope.list)) return;
      scope = undefined;
      observe();
      schedule();
    });

  // Outside the list: a history loaded late elsewhere (the list found first was not it) or the
  // ticket's people filled in. Enough new text there makes the next reading start afresh.
  const onOutsideMutations = (records: MutationRecord[]) =>
    timed(BENCH_MEASURES.observe, () => {
      if (!scope) return;
      let added = 0;
      for (const record of records) {
        if (scope.list.contains(record.target) || ownRecord(record)) continue;
        for (const node of Array.from(record.addedNodes)) {
          if (node.nodeType !== 1 && node.nodeType !== 3) continue;
          if (node.nodeType === 1 && ownNode(node)) continue;
          added += (node.textContent ?? '').trim().length;
        }
      }
      if (added < OUTSIDE_TEXT) return;
      // Facts the adapter keeps about the page around the list (people, ids) are read again too.
      scope.memo.delete(scope.list);
      relook = true;
      schedule();
    });

  const disconnect = () => {
    pageObserver?.disconnect();
    listObserver?.disconnect();
    frameObserver?.disconnect();
    outsideObserver?.disconnect();
    pageObserver = listObserver = frameObserver = outsideObserver = undefined;
  };

  /** Observes the message list when one is known, else the body (nodes added and removed only). */
  const observe = () => {
    disconnect();
    if (!view || !watching) return;
    if (!scope) {
      pageObserver = new view.MutationObserver(onMutations);
      pageObserver.observe(document.body ?? document.documentElement, { childList: true, subtree: true });
      return;
    }
    listObserver = new view.MutationObserver(onMutations);
    listObserver.observe(scope.list, {
      childList: true,
      subtree: true,
      characterData: true,
      // A message re-read when only an attribute the reading uses changes (a note marked internal
      // by its class, an author badge's title), not on every style or state flicker.
      attributes: true,
      attributeFilter: MESSAGE_ATTRIBUTES,
    });
    frameObserver = new view.MutationObserver(onFrameMutations);
    for (let node = scope.list.parentNode; node; node = node.parentNode)
      frameObserver.observe(
        node,
        node.nodeType === 1
          ? { childList: true, attributes: true, attributeFilter: VISIBILITY_ATTRIBUTES }
          : { childList: true },
      );
    outsideObserver = new view.MutationObserver(onOutsideMutations);
    outsideObserver.observe(document.body ?? document.documentElement, { childList: true, subtree: true });
  };

  /** Watches the list of the adapter that read the page, when it has one. */
  const rescope = (reading: Reading, href: string) => {
    const list = reading.conversation ? reading.adapter.messageList?.(document) : undefined;
    const same = list === scope?.list && (!list || reading.adapter === scope?.adapter);
    scope = list
      ? { adapter: reading.adapter, list, url: href, memo: same && scope ? scope.memo : new WeakMap() }
      : undefined;
    if (!same || !(scope ? listObserver : pageObserver)) observe();
  };

  const listenForNavigation = (): (() => void) | undefined => {
    if (!view) return undefined;
    const onNavigate = () => void checkUrl();
    // Same-document navigation (pushState/replaceState) fires no popstate; the Navigation API
    // (Chromium) reports it to every world, the content script's included.
    const navigation = (view as unknown as { navigation?: EventTarget }).navigation;
    view.addEventListener('popstate', onNavigate);
    view.addEventListener('hashchange', onNavigate);
    navigation?.addEventListener('currententrychange', onNavigate);
    return () => {
      view.removeEventListener('popstate', onNavigate);
      view.removeEventListener('hashchange', onNavigate);
      navigation?.removeEventListener('currententrychange', onNavigate);
    };
  };

  const start = () => {
    if (watching) return;
    watching = true;
    lastUrl = options.location();
    stopNavigation = listenForNavigation();
    if (scope && scope.url === lastUrl && scope.list.isConnected) {
      // Nothing was observed while no one listened: what the memo holds may be stale.
      scope.memo = new WeakMap();
      observe();
    } else if (current) rescope(current, lastUrl);
    // Reading while watching finds the list to observe.
    else readNow();
  };

  const stop = () => {
    watching = false;
    disconnect();
    stopNavigation?.();
    stopNavigation = undefined;
    if (timer) clearTimeout(timer);
    timer = undefined;
  };

  return {
    // The reply box's draft: read, heard while the operator types, underlined (composer/read-draft.ts).
    ...createDraftAccess({ document, composer: () => (current ?? readNow()).adapter.composer(document) }),
    async read(): Promise<PageReading> {
      const reading = notifying;
      return reading ? describe(reading) : timed(BENCH_MEASURES.read, () => describe(readNow()));
    },
    async insert(text: string): Promise<InsertOutcome> {
      const reading = current ?? readNow();
      const composer = reading.adapter.composer(document);
      if (!composer) return { inserted: false, method: 'no-composer' };
      const result = insertText(composer, text);
      return { inserted: result.inserted, method: `${result.kind}:${result.method}` };
    },
    /**
     * The adapters changed (a recipe was saved or arrived): forget the watched list, the last
     * reading and the reply box found, and read the page again from the first adapter.
     */
    reset() {
      scope = undefined;
      current = undefined;
      composerSeen = undefined;
      if (!watching) return;
      observe();
      schedule();
    },
    subscribe(listener) {
      listeners.add(listener);
      start();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    dispose() {
      listeners.clear();
      stop();
      scope = undefined;
      current = undefined;
      composerSeen = undefined;
    },
  };
}

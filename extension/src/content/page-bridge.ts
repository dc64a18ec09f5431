import { readPage, type SiteAdapter } from '../adapters/index.ts';
import { insertText } from '../composer/insert.ts';
import type { InsertOutcome, PageReading } from '../messaging.ts';
import type { PageBridge } from '../panel/types.ts';

export interface PageBridgeOptions {
  document: Document;
  /** The page's current address (SPA navigation changes it). */
  location: () => string;
  adapters?: readonly SiteAdapter[];
  /** Quiet time after the last DOM change before the page is read again. */
  debounceMs?: number;
}

/**
 * The overlay's view of the page: reads it with the adapters, inserts into its reply box, and
 * tells the panel when the conversation may have changed (DOM mutations outside our own UI,
 * debounced; SPA navigation).
 */
export function createPageBridge(options: PageBridgeOptions): PageBridge & { dispose(): void } {
  const { document } = options;
  const debounceMs = options.debounceMs ?? 400;
  const listeners = new Set<() => void>();
  let observer: MutationObserver | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastUrl = options.location();
  let current: ReturnType<typeof readPage> | undefined;

  const notify = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      for (const listener of listeners) listener();
    }, debounceMs);
  };

  const ownNode = (node: Node) => {
    const element = node.nodeType === 1 ? (node as Element) : node.parentElement;
    return Boolean(element?.closest('[data-naparnik], naparnik-overlay'));
  };

  // Our own panel being added, re-rendered or removed is not a change of the conversation.
  const ownRecord = (record: MutationRecord) => {
    if (ownNode(record.target)) return true;
    if (record.type !== 'childList') return false;
    const changed = [...Array.from(record.addedNodes), ...Array.from(record.removedNodes)];
    return changed.length > 0 && changed.every((node) => node.nodeType === 1 && ownNode(node));
  };

  const start = () => {
    const view = document.defaultView;
    if (!view || observer) return;
    observer = new view.MutationObserver((records) => {
      const url = options.location();
      if (url !== lastUrl) {
        lastUrl = url;
        notify();
        return;
      }
      if (records.some((record) => !ownRecord(record))) notify();
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  };

  return {
    async read(): Promise<PageReading> {
      const url = new URL(options.location());
      current = readPage(document, url, options.adapters);
      return {
        adapter: current.adapter.id,
        url: url.href,
        conversation: current.conversation ?? null,
        hasComposer: Boolean(current.adapter.composer(document)),
      };
    },
    async insert(text: string): Promise<InsertOutcome> {
      const reading = current ?? readPage(document, new URL(options.location()), options.adapters);
      const composer = reading.adapter.composer(document);
      if (!composer) return { inserted: false, method: 'no-composer' };
      const result = insertText(composer, text);
      return { inserted: result.inserted, method: `${result.kind}:${result.method}` };
    },
    subscribe(listener) {
      listeners.add(listener);
      start();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          observer?.disconnect();
          observer = undefined;
        }
      };
    },
    dispose() {
      listeners.clear();
      observer?.disconnect();
      observer = undefined;
      if (timer) clearTimeout(timer);
    },
  };
}

import type { InsertOutcome, PageReading } from '../messaging.ts';
import { failure, type PageRequest, pageResponseSchemas } from '../messaging.ts';
import type { PageBridge } from '../panel/types.ts';

export interface TabsLike {
  query(filter: { active: boolean; currentWindow: boolean }): Promise<Array<{ id?: number; url?: string }>>;
  sendMessage(tabId: number, message: unknown): Promise<unknown>;
}

const EMPTY: PageReading = { adapter: 'none', url: '', conversation: null, hasComposer: false };

async function ask<K extends PageRequest['type']>(
  tabs: TabsLike,
  message: Extract<PageRequest, { type: K }>,
) {
  const [tab] = await tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) return failure('no-tab', 'No active tab.');
  const raw = await tabs.sendMessage(tab.id, message).catch(() => undefined);
  const parsed = pageResponseSchemas[message.type as K].safeParse(raw);
  return parsed.success ? parsed.data : failure('no-content-script', 'Naparnik is not active on this tab.');
}

/** The browser side panel's view of the active tab, through its content script. */
export function createTabBridge(tabs: TabsLike, pollMs = 2500): PageBridge {
  return {
    async read() {
      const result = await ask(tabs, { type: 'page:read' });
      return result.ok ? (result.data as PageReading) : EMPTY;
    },
    async insert(text) {
      const result = await ask(tabs, { type: 'page:insert', text });
      return result.ok ? (result.data as InsertOutcome) : { inserted: false, method: 'no-content-script' };
    },
    async draft() {
      const result = await ask(tabs, { type: 'page:draft' });
      return result.ok ? (result.data as { draft: string | null }).draft : null;
    },
    async markDraft(marks) {
      await ask(tabs, { type: 'page:mark-draft', marks: [...marks] });
    },
    subscribe(listener) {
      // The side panel cannot observe the tab's DOM; it re-reads on a timer (the reading is cheap).
      const timer = setInterval(listener, pollMs);
      return () => clearInterval(timer);
    },
  };
}

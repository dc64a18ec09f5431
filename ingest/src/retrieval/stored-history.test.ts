import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createHashedNgramEmbedder } from '../embeddings/hashed-ngrams.ts';
import type { HistoryEntry, KnowledgeStore } from '../store/knowledge-store.ts';
import { openSqliteStore } from '../store/sqlite-store.ts';
import { createStoredHistory } from './stored-history.ts';

const embedder = createHashedNgramEmbedder({ dimensions: 64 });
const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function past(index: number): HistoryEntry {
  return {
    id: `h-${index}`,
    question: `Где мой заказ номер ${index}?`,
    answer: 'Заказ в пути.',
    documentIds: ['faq-delivery'],
    source: 'feedback',
    createdAt: '2026-12-01T10:00:00.000Z',
  };
}

describe('stored history', () => {
  let store: KnowledgeStore;
  let clock = 0;
  // Small numbers for the policy: a "large" history is over 3 entries, a bulk change 5 entries.
  const refresh = { smallHistory: 3, bulkChange: 5, refreshMs: 60_000 };
  beforeEach(async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-stored-history-'));
    directories.push(directory);
    store = await openSqliteStore({ dataDir: directory });
    await store.ensureCollection('kb', embedder);
    clock = 0;
  });
  const history = () => createStoredHistory({ store, embedder, now: () => clock, refresh });
  const retriever = async (stored: ReturnType<typeof history>) =>
    stored.retriever((await store.getCollection('kb'))!);

  it('searches a small history’s change at once', async () => {
    const stored = history();
    await store.addHistory('kb', [past(1), past(2)]);
    const first = await retriever(stored);
    await store.addHistory('kb', [past(3)]);
    expect(await retriever(stored)).not.toBe(first);
  });

  it('keeps a large history in hand after a reply or two until the refresh, then rebuilds it', async () => {
    const stored = history();
    await store.addHistory('kb', [1, 2, 3, 4, 5, 6].map(past));
    const first = await retriever(stored);
    await store.addHistory('kb', [past(7)]);
    expect(await retriever(stored)).toBe(first);
    clock += 30_000;
    await store.addHistory('kb', [past(8)]);
    expect(await retriever(stored)).toBe(first);
    clock += 30_000;
    const refreshed = await retriever(stored);
    expect(refreshed).not.toBe(first);
    // Rebuilt once, then kept while nothing changes.
    expect(await retriever(stored)).toBe(refreshed);
  });

  it('rebuilds a large history at once after a bulk change (an import)', async () => {
    const stored = history();
    await store.addHistory('kb', [1, 2, 3, 4, 5, 6].map(past));
    const first = await retriever(stored);
    await store.addHistory('kb', [7, 8, 9, 10, 11].map(past));
    expect(await retriever(stored)).not.toBe(first);
  });
});

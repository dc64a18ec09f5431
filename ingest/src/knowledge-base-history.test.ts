import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIngestConfig } from './config.ts';
import { createHashedNgramEmbedder } from './embeddings/hashed-ngrams.ts';
import { type KnowledgeBase, openKnowledgeBase } from './knowledge-base.ts';
import type { Chunk, SearchHit } from './model.ts';
import type { HistoryEntry, StoredDocument } from './store/knowledge-store.ts';

const embedder = createHashedNgramEmbedder({ dimensions: 64 });
const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function freshDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-kb-history-'));
  directories.push(directory);
  return directory;
}

async function faq(documentId: string, question: string, answer: string): Promise<StoredDocument> {
  const chunk: Chunk = {
    chunkId: `${documentId}#0`,
    documentId,
    ordinal: 0,
    kind: 'faq',
    title: question,
    titlePath: [question],
    text: answer,
    language: 'ru',
    tags: [],
    source: 'faq.csv',
    metadata: { question, answer },
  };
  const [vector] = await embedder.embedDocuments([`${question}\n${answer}`]);
  return {
    documentId,
    kind: 'faq',
    title: question,
    contentHash: documentId,
    source: 'faq.csv',
    sourcePath: '/kb/faq.csv',
    chunks: [{ ...chunk, vector: vector! }],
  };
}

const KB = [
  ['faq-delivery', 'Сколько идёт доставка?', 'Доставка занимает от двух до пяти дней.'],
  ['faq-return', 'Как вернуть товар?', 'Оформите возврат в личном кабинете в течение 14 дней.'],
  ['faq-payment', 'Какие способы оплаты есть?', 'Картой, через СБП или при получении.'],
  ['faq-bonus', 'Какие бонусы дают за покупки?', 'За каждую покупку начисляем 5% бонусами.'],
  ['faq-verification', 'Как пройти верификацию?', 'Подайте заявку в разделе «Верификация» Студии.'],
] as const;

const QUERY = 'почему мне не дают синюю галочку';
/** Chunks that outrank the answer in the store's lexical and vector candidates. */
const CROWD = 5_000;

/** 1-based rank of a document in the hits; Infinity when absent. */
function rankOf(hits: readonly SearchHit[], documentId: string): number {
  const index = hits.findIndex((hit) => hit.documentId === documentId);
  return index < 0 ? Number.POSITIVE_INFINITY : index + 1;
}

function past(id: string, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id,
    question: 'Почему мне не дали синюю галочку на канале?',
    answer: 'Подайте заявку на верификацию.',
    documentIds: ['faq-verification'],
    source: 'import',
    createdAt: '2026-11-01T10:00:00.000Z',
    ...extra,
  };
}

async function open(dataDir: string, options: { retentionDays?: number; now?: string } = {}) {
  return openKnowledgeBase({
    dataDir,
    embedder,
    config: {
      ...loadIngestConfig({}),
      dataDir,
      historyRetentionDays: options.retentionDays ?? 0,
    },
    clock: () => new Date(options.now ?? '2026-12-01T00:00:00.000Z'),
  });
}

async function withKnowledge(dataDir: string): Promise<KnowledgeBase> {
  const kb = await open(dataDir);
  await kb.store.ensureCollection('kb', embedder);
  await kb.store.upsertDocuments('kb', await Promise.all(KB.map(([id, q, a]) => faq(id, q, a))));
  return kb;
}

describe('knowledge base search with the collection’s history', () => {
  it('adds the evidence of similar past questions to the document that answered them, and says which question', async () => {
    const kb = await withKnowledge(freshDirectory());
    const before = await kb.search('kb', QUERY, { topK: 5 });
    expect(before[0]?.documentId).toBe('faq-bonus');
    expect(before.every((hit) => hit.history === undefined)).toBe(true);

    await kb.store.addHistory('kb', [
      past('h1'),
      past('h2', { question: 'Не дают галочку, почему?' }),
      past('h3', { question: 'Как получить синюю галочку?' }),
    ]);
    const after = await kb.search('kb', QUERY, { topK: 5 });
    const lifted = after.find((hit) => hit.documentId === 'faq-verification');
    // The nearest of the three (it shares «дают» as well as «галочку»).
    expect(lifted?.history?.question).toBe('Не дают галочку, почему?');
    expect(lifted?.history?.similarity).toBeGreaterThan(0.5);
    const scoreBefore = before.find((hit) => hit.documentId === 'faq-verification')?.score ?? 0;
    expect(lifted?.score).toBeGreaterThan(scoreBefore + 0.5);
    expect(rankOf(after, 'faq-verification')).toBeLessThanOrEqual(rankOf(before, 'faq-verification'));
    expect(after.filter((hit) => hit.history !== undefined)).toHaveLength(1);
    await kb.close();
  });

  it('searches with other past questions in place of the stored ones, leaving the stored history as it was', async () => {
    const kb = await withKnowledge(freshDirectory());
    await kb.store.addHistory('kb', [past('h1')]);
    const stored = await kb.search('kb', QUERY, { topK: 5 });
    expect(stored.find((hit) => hit.history)?.documentId).toBe('faq-verification');

    const withoutIt = await kb.searchWithHistory('kb', []);
    expect((await withoutIt(QUERY, { topK: 5 })).every((hit) => hit.history === undefined)).toBe(true);
    const elsewhere = await kb.searchWithHistory('kb', [
      { text: 'Почему мне не дали синюю галочку на канале?', documentIds: ['faq-bonus'] },
    ]);
    const hits = await elsewhere(QUERY, { topK: 5 });
    expect(hits.find((hit) => hit.history)?.documentId).toBe('faq-bonus');

    expect(await kb.search('kb', QUERY, { topK: 5 })).toEqual(stored);
    expect(await kb.store.listHistory('kb')).toHaveLength(1);
    await kb.close();
  });

  it('sees history another process wrote on its next search, and forgets deleted history', async () => {
    const dataDir = freshDirectory();
    const service = await withKnowledge(dataDir);
    await service.search('kb', QUERY);
    const importer = await open(dataDir);
    await importer.store.addHistory('kb', [
      past('h1'),
      past('h2', { question: 'Не дают галочку, почему?' }),
      past('h3', { question: 'Как получить синюю галочку?' }),
    ]);
    const voted = (hits: SearchHit[]) => hits.filter((hit) => hit.history).map((hit) => hit.documentId);
    expect(voted(await service.search('kb', QUERY))).toEqual(['faq-verification']);
    await importer.store.deleteHistory('kb', { ids: ['h1', 'h2', 'h3'] });
    expect(voted(await service.search('kb', QUERY))).toEqual([]);
    await importer.close();
    await service.close();
  });

  it('keeps past questions without documents but gives them no vote', async () => {
    const kb = await withKnowledge(freshDirectory());
    const before = (await kb.search('kb', QUERY, { topK: 4 })).map((hit) => [hit.documentId, hit.score]);
    await kb.store.addHistory('kb', [past('h1', { documentIds: [] })]);
    const after = await kb.search('kb', QUERY, { topK: 4 });
    expect(after.map((hit) => [hit.documentId, hit.score])).toEqual(before);
    expect(after.every((hit) => hit.history === undefined)).toBe(true);
    expect((await kb.store.stats('kb')).history).toBe(1);
    await kb.close();
  });

  it('deletes past questions older than the retention when opened, and keeps them all with 0 days', async () => {
    const dataDir = freshDirectory();
    const kb = await withKnowledge(dataDir);
    await kb.store.addHistory('kb', [
      past('old', { createdAt: '2025-06-01T00:00:00.000Z' }),
      past('recent', { createdAt: '2026-11-20T00:00:00.000Z' }),
    ]);
    await kb.close();
    const forever = await open(dataDir, { retentionDays: 0 });
    expect((await forever.store.listHistory('kb')).map((entry) => entry.id)).toEqual(['old', 'recent']);
    await forever.close();
    const yearly = await open(dataDir, { retentionDays: 365 });
    expect((await yearly.store.listHistory('kb')).map((entry) => entry.id)).toEqual(['recent']);
    await yearly.close();
  });

  it('lifts a voted document the store’s candidates do not hold, among thousands of chunks that match better', async () => {
    const kb = await withKnowledge(freshDirectory());
    const [vector] = await embedder.embedDocuments(['Доставка и оплата заказа']);
    const crowd: StoredDocument[] = Array.from({ length: CROWD }, (_, index) => ({
      documentId: `crowd-${index}`,
      kind: 'faq',
      title: `Вопрос ${index}`,
      contentHash: `crowd-${index}`,
      source: 'crowd.csv',
      sourcePath: '/kb/crowd.csv',
      chunks: [
        {
          chunkId: `crowd-${index}#0`,
          documentId: `crowd-${index}`,
          ordinal: 0,
          kind: 'faq',
          title: `Вопрос ${index} про канал`,
          titlePath: [`Вопрос ${index} про канал`],
          text: `Ответ номер ${index}: синяя кнопка на канале.`,
          language: 'ru',
          tags: [],
          source: 'crowd.csv',
          vector: vector!,
        },
      ],
    }));
    await kb.store.upsertDocuments('kb', [
      ...crowd,
      await faq('faq-badge', 'Что значит синяя галочка?', 'Галочка рядом с названием — знак верификации.'),
    ]);
    expect((await kb.store.stats('kb')).chunks).toBeGreaterThan(CROWD);
    const before = await kb.search('kb', QUERY, { topK: 50 });
    const found = before.find((hit) => hit.documentId === 'faq-badge');
    expect(found).toBeDefined();
    expect(before.every((hit) => hit.history === undefined)).toBe(true);

    await kb.store.addHistory('kb', [past('h1', { documentIds: ['faq-badge'] })]);
    const after = await kb.search('kb', QUERY, { topK: 50 });
    const lifted = after.find((hit) => hit.documentId === 'faq-badge');
    expect(lifted?.history?.question).toBe('Почему мне не дали синюю галочку на канале?');
    expect(lifted?.score).toBeGreaterThan(found?.score ?? 0);
    expect(rankOf(after, 'faq-badge')).toBeLessThanOrEqual(rankOf(before, 'faq-badge'));
    expect(after).toHaveLength(50);
    await kb.close();
  }, 60_000);
});

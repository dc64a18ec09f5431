import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../knowledge-base.ts';
import { createRetriever, mergeSettings } from './retriever.ts';
import { openTestCollection } from './test-collection.ts';

const RECORDS = [
  {
    id: 'faq-monetization',
    question: 'Как подключить монетизацию?',
    answer: 'Подайте заявку в Студии RUTUBE.',
    tags: ['монетизация'],
  },
  {
    id: 'faq-password',
    question: 'Как поменять пароль?',
    answer: 'Откройте настройки профиля и смените пароль.',
    tags: ['аккаунт'],
  },
  {
    id: 'faq-verification',
    question: 'Как пройти верификацию канала?',
    answer: 'Заполните заявку на галочку верификации.',
    tags: ['аккаунт'],
  },
  {
    id: 'faq-stream',
    question: 'Как запустить трансляцию?',
    answer: 'Создайте трансляцию в Студии и подключите OBS.',
    tags: ['трансляции'],
  },
];

describe('retriever', () => {
  let kb: KnowledgeBase;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ kb, close } = await openTestCollection(RECORDS, 'test'));
  });
  afterAll(() => close());

  it('finds the entry despite a greeting and a typo', async () => {
    const retriever = createRetriever({ store: kb.store, collection: 'test' });
    const hits = await retriever.search('Здравствуйте! как поменять парол в профиле?', { topK: 2 });
    expect(hits[0]?.documentId).toBe('faq-password');
    expect(hits[0]?.evidence.lexical).toBeGreaterThan(0);
  });

  it('uses past questions as evidence for the answer they got', async () => {
    const question = 'мне не дали галочку, что делать';
    const plain = createRetriever({
      store: kb.store,
      collection: 'test',
      settings: { weights: { titleNgrams: 0, bodyNgrams: 0 } },
    });
    const withHistory = plain.withHistory([
      { text: 'не дают галочку на канал', documentIds: ['faq-verification'] },
    ]);
    const hits = await withHistory.search(question, { topK: 1 });
    expect(hits[0]?.documentId).toBe('faq-verification');
    expect(hits[0]?.evidence.history).toBeGreaterThan(0);
  });

  it('reports the embedding similarity of its hits when it has an embedder', async () => {
    const retriever = createRetriever({ store: kb.store, embedder: kb.embedder, collection: 'test' });
    const hits = await retriever.search('как запустить трансляцию', { topK: 2 });
    expect(hits[0]?.signals.vectorSimilarity).toBeGreaterThan(0);
    expect(hits[0]?.evidence.vector).toBeUndefined();
  });

  it('applies the filter', async () => {
    const retriever = createRetriever({ store: kb.store, collection: 'test' });
    const hits = await retriever.search('как подключить монетизацию', {
      topK: 5,
      filter: { tags: ['аккаунт'] },
    });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.tags.includes('аккаунт'))).toBe(true);
  });

  it('is deterministic and sees re-ingested changes', async () => {
    const retriever = createRetriever({ store: kb.store, collection: 'test' });
    const first = await retriever.search('трансляция OBS', { topK: 4 });
    const second = await retriever.search('трансляция OBS', { topK: 4 });
    expect(second).toEqual(first);
    expect(await retriever.search('   ', { topK: 4 })).toEqual([]);
  });

  it('merges settings field by field', () => {
    const merged = mergeSettings({ a: 1, nested: { b: 2, c: 3 } }, { nested: { c: 4 } });
    expect(merged).toEqual({ a: 1, nested: { b: 2, c: 4 } });
  });
});

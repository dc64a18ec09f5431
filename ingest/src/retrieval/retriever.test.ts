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
    id: 'faq-channel-url',
    question: 'Как поменять URL канала?',
    answer: 'Адрес канала меняется в настройках профиля Студии до 3 раз в год.',
    tags: ['аккаунт'],
  },
  {
    id: 'faq-edit-video',
    question: 'Как изменить ролик?',
    answer: 'Откройте ролик в разделе «Видео» Студии: название, описание и обложку можно отредактировать.',
    tags: ['видео'],
  },
  {
    id: 'faq-youtube-import',
    question: 'Как перенести ролики с YouTube?',
    answer: 'Импорт доступен в Студии: укажите ссылку на канал YouTube.',
    tags: ['видео'],
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

  it('puts first the answer a past question the customer repeats got, though another entry shares more words', async () => {
    // One customer asked exactly this; two others asked something close about the channel's URL.
    const history = [
      { text: 'Как поменять видео?', documentIds: ['faq-edit-video'] },
      { text: 'как поменять ссылку на видео канала', documentIds: ['faq-channel-url'] },
      { text: 'поменять адрес видео канала', documentIds: ['faq-channel-url'] },
    ];
    const retriever = createRetriever({ store: kb.store, collection: 'test' });
    const repeated = await retriever.withHistory(history).search('как поменять видео', { topK: 2 });
    expect(repeated.map((hit) => hit.documentId)).toEqual(['faq-edit-video', 'faq-channel-url']);
    expect(repeated[0]?.history?.similarity).toBeGreaterThanOrEqual(0.95);
    // Scores still fall down the list: what reads them (the lead over the next answer) sees it ahead.
    expect(repeated[0]!.score).toBeGreaterThan(repeated[1]!.score);

    // The rule is what moved it: without it the entry whose own question shares «как поменять», and
    // which the looser past questions voted for, wins.
    const withoutRule = createRetriever({
      store: kb.store,
      collection: 'test',
      settings: { history: { repeatSimilarity: 1.01 } },
    });
    const voted = await withoutRule.withHistory(history).search('как поменять видео', { topK: 2 });
    expect(voted[0]?.documentId).toBe('faq-channel-url');
  });

  it('leaves the order to the signals when the past question only resembles the new one', async () => {
    const retriever = createRetriever({ store: kb.store, collection: 'test' });
    const history = [
      { text: 'Как поменять видео и обложку на канале после публикации?', documentIds: ['faq-edit-video'] },
    ];
    const hits = await retriever.withHistory(history).search('как поменять видео', { topK: 2 });
    const rule = createRetriever({
      store: kb.store,
      collection: 'test',
      settings: { history: { repeatSimilarity: 1.01 } },
    });
    const withoutRule = await rule.withHistory(history).search('как поменять видео', { topK: 2 });
    expect(hits[0]?.history?.similarity ?? 0).toBeLessThan(0.95);
    expect(hits.map((hit) => hit.documentId)).toEqual(withoutRule.map((hit) => hit.documentId));
  });

  it('reads a name the customer writes in Cyrillic as the Latin one the knowledge uses', async () => {
    const retriever = createRetriever({
      store: kb.store,
      collection: 'test',
      settings: { weights: { titleNgrams: 0 } },
    });
    const hits = await retriever.search('можно перенести ролики с ютуба на канал?', { topK: 2 });
    expect(hits[0]?.documentId).toBe('faq-youtube-import');
    // Without the reading (typoWeight 0) the entry matches on «перенести ролики» alone.
    const literal = createRetriever({
      store: kb.store,
      collection: 'test',
      settings: { weights: { titleNgrams: 0 }, typoWeight: 0 },
    });
    const unread = await literal.search('можно перенести ролики с ютуба на канал?', { topK: 5 });
    const scoreOf = (list: typeof hits) =>
      list.find((hit) => hit.documentId === 'faq-youtube-import')?.signals.lexicalScore ?? 0;
    expect(scoreOf(hits)).toBeGreaterThan(scoreOf(unread));
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

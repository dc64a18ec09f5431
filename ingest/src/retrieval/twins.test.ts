import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../knowledge-base.ts';
import type { Chunk } from '../model.ts';
import { createRetriever } from './retriever.ts';
import { openTestCollection } from './test-collection.ts';
import { foldTwins, twinKey } from './twins.ts';

function chunk(overrides: Partial<Chunk>): Chunk {
  return {
    documentId: 'faq-1',
    chunkId: 'faq-1#0',
    ordinal: 0,
    kind: 'faq',
    title: 'Как узнать версию приложения?',
    titlePath: ['iOS'],
    text: 'Нажмите на фото профиля: под кнопкой «Выйти» указана версия.',
    language: 'ru',
    tags: [],
    source: 'kb.jsonl',
    metadata: { question: 'Как узнать версию приложения?', answer: 'Нажмите на фото профиля.' },
    ...overrides,
  } as Chunk;
}

describe('twinKey', () => {
  it('is the same for one answer filed under another question, title or section', () => {
    const ios = chunk({});
    const android = chunk({
      documentId: 'faq-2',
      chunkId: 'faq-2#0',
      title: 'Где посмотреть версию на Android?',
      titlePath: ['Android'],
      text: 'Нажмите на фото  профиля: под кнопкой «Выйти» указана ВЕРСИЯ.\n',
      metadata: { question: 'Где посмотреть версию на Android?', answer: 'Нажмите на фото профиля.' },
    });
    expect(twinKey(android)).toBe(twinKey(ios));
  });

  it('differs when the answer, the kind, the language or the use differs', () => {
    const base = twinKey(chunk({}));
    expect(twinKey(chunk({ text: 'Версия указана в настройках.' }))).not.toBe(base);
    expect(twinKey(chunk({ kind: 'template' }))).not.toBe(base);
    expect(twinKey(chunk({ language: 'en' }))).not.toBe(base);
    expect(
      twinKey(
        chunk({ metadata: { question: 'Как узнать версию приложения?', notFor: ['marketplace-order'] } }),
      ),
    ).not.toBe(twinKey(chunk({ metadata: { question: 'Как узнать версию приложения?' } })));
  });

  it('makes a short answer a twin only under the same question', () => {
    const yes = (question: string) =>
      chunk({ text: 'Да, можно.', title: question, metadata: { question, answer: 'Да, можно.' } });
    expect(twinKey(yes('Можно ли вести трансляции в 60 FPS?'))).not.toBe(
      twinKey(yes('Можно ли запускать приватные трансляции?')),
    );
    expect(twinKey(yes('Можно ли запускать приватные трансляции?'))).toBe(
      twinKey(yes('Можно ли запускать  приватные трансляции?')),
    );
  });

  it('gives a chunk with no text no key', () => {
    expect(twinKey(chunk({ text: ' \n ' }))).toBeUndefined();
  });
});

describe('foldTwins', () => {
  const chunks = new Map<number, Chunk>([
    [0, chunk({ documentId: 'a', chunkId: 'a#0' })],
    [1, chunk({ documentId: 'b', chunkId: 'b#0', text: 'Другой ответ.' })],
    [2, chunk({ documentId: 'c', chunkId: 'c#0', title: 'Twin of a' })],
    [3, chunk({ documentId: 'd', chunkId: 'd#0', text: 'Третий ответ.' })],
  ]);

  it('folds a twin into the first entry of its answer and keeps the order of the rest', () => {
    const folded = foldTwins(
      [0, 1, 2, 3].map((position) => ({ position })),
      chunks,
      5,
    );
    expect(folded.map(({ entry, twins }) => [entry.position, twins.map((twin) => twin.position)])).toEqual([
      [0, [2]],
      [1, []],
      [3, []],
    ]);
  });

  it('keeps at most the limit, and still folds a later twin into a kept entry', () => {
    const folded = foldTwins(
      [0, 1, 3, 2].map((position) => ({ position })),
      chunks,
      2,
    );
    expect(folded.map(({ entry, twins }) => [entry.position, twins.map((twin) => twin.position)])).toEqual([
      [0, [2]],
      [1, []],
    ]);
  });

  it('keeps an entry whose chunk is gone as it is', () => {
    expect(
      foldTwins([{ position: 9 }, { position: 0 }], chunks, 5).map(({ entry }) => entry.position),
    ).toEqual([9, 0]);
  });
});

describe('the search with twins', () => {
  const answer =
    'В правом верхнем углу нажмите на фото профиля: под кнопкой «Выйти» указана версия приложения.';
  let kb: KnowledgeBase;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ kb, close } = await openTestCollection(
      [
        { id: 'faq-version-ios', question: 'Как узнать версию приложения на iOS?', answer },
        { id: 'faq-version-android', question: 'Как узнать версию приложения на Android?', answer },
        {
          id: 'faq-update',
          question: 'Как обновить приложение?',
          answer: 'Откройте магазин приложений и нажмите «Обновить».',
        },
        {
          id: 'faq-password',
          question: 'Как поменять пароль?',
          answer: 'Смените пароль в настройках профиля.',
        },
      ],
      'twins',
    ));
  });
  afterAll(() => close());

  it('shows a repeated answer once, naming the entry that repeats it, and gives its place to the next answer', async () => {
    const retriever = createRetriever({ store: kb.store, collection: 'twins' });
    const hits = await retriever.search('Как узнать версию приложения?', { topK: 2 });
    expect(hits).toHaveLength(2);
    expect(hits[0]!.documentId).toMatch(/^faq-version-/u);
    const twin = hits[0]!.documentId === 'faq-version-ios' ? 'faq-version-android' : 'faq-version-ios';
    expect(hits[0]!.twins?.map((entry) => entry.documentId)).toEqual([twin]);
    expect(hits[1]!.documentId).not.toMatch(/^faq-version-/u);
    expect(hits[1]!.twins).toBeUndefined();
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHashedNgramEmbedder } from '../embeddings/hashed-ngrams.ts';
import type { Chunk, KnowledgeKind } from '../model.ts';
import type { HistoryEntry, KnowledgeStore, StoredDocument } from './knowledge-store.ts';

/**
 * The behaviour every KnowledgeStore must have, whatever its backend. Each backend's test file
 * calls this with a factory for a fresh, empty store.
 */
export function describeKnowledgeStoreConformance(backend: string, openStore: () => Promise<KnowledgeStore>) {
  const embedder = createHashedNgramEmbedder({ dimensions: 64 });

  async function documentOf(
    documentId: string,
    texts: Array<{ title: string; text: string }>,
    extra: { kind?: KnowledgeKind; tags?: string[]; language?: string; category?: string } = {},
  ): Promise<StoredDocument> {
    const chunks: Chunk[] = texts.map((entry, ordinal) => ({
      chunkId: `${documentId}#${ordinal}`,
      documentId,
      ordinal,
      kind: extra.kind ?? 'faq',
      title: entry.title,
      titlePath: [entry.title],
      text: entry.text,
      language: extra.language ?? 'ru',
      tags: extra.tags ?? [],
      ...(extra.category ? { category: extra.category } : {}),
      source: `${documentId}.md`,
      metadata: { question: entry.title },
    }));
    const vectors = await embedder.embedDocuments(chunks.map((chunk) => `${chunk.title}\n${chunk.text}`));
    return {
      documentId,
      kind: extra.kind ?? 'faq',
      title: texts[0]?.title ?? documentId,
      contentHash: `hash-${documentId}-${texts.map((entry) => entry.text).join('|').length}`,
      source: `${documentId}.md`,
      sourcePath: `/kb/${documentId}.md`,
      chunks: chunks.map((chunk, index) => ({ ...chunk, vector: vectors[index]! })),
    };
  }

  async function search(store: KnowledgeStore, collection: string, text: string, extra: object = {}) {
    return store.search(collection, { text, vector: await embedder.embedQuery(text), topK: 5, ...extra });
  }

  describe(`KnowledgeStore conformance: ${backend}`, () => {
    let store: KnowledgeStore;

    beforeEach(async () => {
      store = await openStore();
      await store.ensureCollection('shop', embedder);
      await store.upsertDocuments('shop', [
        await documentOf(
          'faq-delivery',
          [
            {
              title: 'Сколько стоит доставка?',
              text: 'Доставка курьером по Москве стоит 300 рублей, от 5000 рублей бесплатно.',
            },
          ],
          { tags: ['Доставка'], category: 'Доставка' },
        ),
        await documentOf(
          'faq-return',
          [
            {
              title: 'Как вернуть бижутерию?',
              text: 'Бижутерию надлежащего качества можно вернуть в течение 14 дней.',
            },
          ],
          { tags: ['возврат'] },
        ),
        await documentOf(
          'tpl-order',
          [
            {
              title: 'Статус заказа',
              text: '{{customer_name}}, ваш заказ № {{order_id}} передан в доставку.',
            },
          ],
          { kind: 'template', tags: ['заказы'] },
        ),
        await documentOf(
          'faq-en-delivery',
          [{ title: 'How much is delivery?', text: 'Courier delivery in Moscow costs 300 roubles.' }],
          { language: 'en' },
        ),
      ]);
    });

    afterEach(async () => {
      await store.close();
    });

    it('finds a chunk by another grammatical form of its words', async () => {
      const hits = await search(store, 'shop', 'доставкой курьеров');
      expect(hits[0]?.documentId).toBe('faq-delivery');
      expect(hits[0]).toMatchObject({
        chunkId: 'faq-delivery#0',
        kind: 'faq',
        title: 'Сколько стоит доставка?',
        source: 'faq-delivery.md',
        language: 'ru',
        metadata: { question: 'Сколько стоит доставка?' },
      });
      expect(hits[0]?.signals.lexicalRank).toBe(1);
      expect(hits[0]?.score).toBeGreaterThan(0);
    });

    it('matches «заказать» with «заказ»', async () => {
      const hits = await search(store, 'shop', 'хочу заказать');
      expect(hits.map((hit) => hit.documentId)).toContain('tpl-order');
    });

    it('finds by vector alone when the query has no searchable words for the full-text index', async () => {
      const vector = (await embedder.embedDocuments(['Как вернуть бижутерию?']))[0]!;
      const hits = await store.search('shop', { text: '🙂', vector, topK: 2 });
      expect(hits[0]?.documentId).toBe('faq-return');
      expect(hits[0]?.signals.lexicalRank).toBeUndefined();
    });

    it('yields each index’s candidates by id, in the order and with the filter of its search', async () => {
      const text = 'доставка курьером';
      const vector = await embedder.embedQuery(text);
      const candidates = await store.searchCandidates('shop', {
        text,
        vector,
        lexicalTopK: 3,
        vectorTopK: 2,
      });
      const lexical = await store.search('shop', { text, topK: 3, weights: { vector: 0 } });
      const nearest = await store.search('shop', { text: '', vector, topK: 2, weights: { lexical: 0 } });
      expect(candidates.lexical.map((hit) => hit.chunkId)).toEqual(lexical.map((hit) => hit.chunkId));
      expect(candidates.lexical.map((hit) => hit.score)).toEqual(
        lexical.map((hit) => hit.signals.lexicalScore),
      );
      expect(candidates.vector.map((hit) => hit.chunkId)).toEqual(nearest.map((hit) => hit.chunkId));
      expect(candidates.vector[0]?.documentId).toBe(nearest[0]?.documentId);
      const english = await store.searchCandidates('shop', {
        text: 'delivery доставка',
        vector,
        lexicalTopK: 10,
        vectorTopK: 10,
        filter: { languages: ['EN'] },
      });
      expect(new Set([...english.lexical, ...english.vector].map((hit) => hit.documentId))).toEqual(
        new Set(['faq-en-delivery']),
      );
      const one = await store.searchCandidates('shop', {
        text,
        vector,
        lexicalTopK: 10,
        vectorTopK: 10,
        filter: { documentIds: ['faq-return'] },
      });
      expect([...one.lexical, ...one.vector].every((hit) => hit.documentId === 'faq-return')).toBe(true);
      expect(one.vector.length).toBeGreaterThan(0);
    });

    it('filters by kind, tag, language and document', async () => {
      expect(
        (await search(store, 'shop', 'заказ доставка', { filter: { kinds: ['template'] } })).map(
          (hit) => hit.kind,
        ),
      ).toEqual(['template']);
      const byTag = await search(store, 'shop', 'доставка', { filter: { tags: ['доставка'] } });
      expect(byTag.map((hit) => hit.documentId)).toEqual(['faq-delivery']);
      const english = await search(store, 'shop', 'delivery доставка', { filter: { languages: ['en'] } });
      expect(english.map((hit) => hit.documentId)).toEqual(['faq-en-delivery']);
      const byId = await search(store, 'shop', 'доставка', { filter: { documentIds: ['faq-return'] } });
      expect(byId.every((hit) => hit.documentId === 'faq-return')).toBe(true);
    });

    it('matches a tag written with «ё» by the same tag written with «е», in search and in listing', async () => {
      await store.upsertDocuments('shop', [
        await documentOf('faq-tree', [{ title: 'Ёлочные игрушки', text: 'Игрушки на ёлку из стекла.' }], {
          tags: ['Ёлка'],
        }),
      ]);
      const hits = await search(store, 'shop', 'игрушки на елку', { filter: { tags: ['елка'] } });
      expect(hits.map((hit) => hit.documentId)).toEqual(['faq-tree']);
      const listed = await store.listChunks('shop', { tags: ['елка'] });
      expect(listed.map((chunk) => chunk.documentId)).toEqual(['faq-tree']);
    });

    it('finds the one tagged chunk among hundreds of untagged ones that rank as high', async () => {
      const crowd = await Promise.all(
        Array.from({ length: 400 }, (_, index) =>
          documentOf(`faq-crowd-${index}`, [
            { title: 'Сроки доставки', text: `Доставка занимает от 1 до ${index + 2} дней.` },
          ]),
        ),
      );
      await store.upsertDocuments('shop', [
        ...crowd,
        await documentOf(
          'faq-express',
          [{ title: 'Сроки доставки', text: 'Доставка занимает от 1 до 3 дней.' }],
          { tags: ['экспресс'] },
        ),
      ]);
      const hits = await search(store, 'shop', 'сроки доставки', { filter: { tags: ['Экспресс'] } });
      expect(hits.map((hit) => hit.documentId)).toEqual(['faq-express']);
    });

    it('never returns chunks of another collection', async () => {
      await store.ensureCollection('other', embedder);
      await store.upsertDocuments('other', [
        await documentOf('other-delivery', [{ title: 'Доставка', text: 'Доставка дронами.' }]),
      ]);
      const hits = await search(store, 'shop', 'доставка дронами');
      expect(hits.some((hit) => hit.documentId === 'other-delivery')).toBe(false);
      const otherHits = await search(store, 'other', 'доставка');
      expect(otherHits.map((hit) => hit.documentId)).toEqual(['other-delivery']);
    });

    it('replaces a document whole: old chunks are never found again', async () => {
      await store.upsertDocuments('shop', [
        await documentOf('faq-delivery', [
          { title: 'Сроки доставки', text: 'Почтой России посылка идёт до 14 дней.' },
          { title: 'Пункты выдачи', text: 'Пункты выдачи работают ежедневно.' },
        ]),
      ]);
      const chunks = await store.listChunks('shop', { documentIds: ['faq-delivery'] });
      expect(chunks.map((chunk) => chunk.chunkId)).toEqual(['faq-delivery#0', 'faq-delivery#1']);
      const hits = await search(store, 'shop', 'курьером 300 рублей');
      expect(hits.some((hit) => hit.text.includes('300 рублей') && hit.documentId === 'faq-delivery')).toBe(
        false,
      );
      expect((await store.stats('shop')).chunks).toBe(5);
    });

    it('keeps the store unchanged when a batch holds an invalid chunk', async () => {
      const good = await documentOf('faq-new', [
        { title: 'Новый вопрос', text: 'Новый ответ про гравировку.' },
      ]);
      const bad = await documentOf('faq-bad', [{ title: 'Плохой', text: 'Вектор не той длины.' }]);
      bad.chunks[0]!.vector = new Float32Array(3);
      await expect(store.upsertDocuments('shop', [good, bad])).rejects.toThrow(/dimensions/);
      const ids = (await store.listDocuments('shop')).map((record) => record.documentId);
      expect(ids).not.toContain('faq-new');
      expect(ids).toHaveLength(4);
    });

    it('deletes documents with their chunks', async () => {
      expect(await store.deleteDocuments('shop', ['faq-return', 'missing'])).toBe(1);
      const hits = await search(store, 'shop', 'вернуть бижутерию');
      expect(hits.some((hit) => hit.documentId === 'faq-return')).toBe(false);
      expect((await store.stats('shop')).documents).toBe(3);
    });

    it('lists documents with their bookkeeping and chunks in document order', async () => {
      const records = await store.listDocuments('shop');
      expect(records.map((record) => record.documentId)).toEqual([
        'faq-delivery',
        'faq-en-delivery',
        'faq-return',
        'tpl-order',
      ]);
      expect(records[0]).toMatchObject({
        kind: 'faq',
        source: 'faq-delivery.md',
        sourcePath: '/kb/faq-delivery.md',
      });
      const templates = await store.listChunks('shop', { kinds: ['template'] });
      expect(templates.map((chunk) => chunk.documentId)).toEqual(['tpl-order']);
    });

    it('reports statistics per kind and language', async () => {
      const stats = await store.stats('shop');
      expect(stats).toMatchObject({
        collection: 'shop',
        documents: 4,
        chunks: 4,
        byKind: { faq: 3, template: 1 },
        languages: { ru: 3, en: 1 },
        history: 0,
        embedderId: embedder.id,
      });
    });

    it('refuses to mix vectors of another embedder in a collection', async () => {
      await expect(
        store.ensureCollection('shop', { id: 'other-model:64', dimensions: 64 }),
      ).rejects.toMatchObject({
        code: 'embedder-mismatch',
      });
    });

    it('rejects invalid collection names and unknown collections with clear errors', async () => {
      await expect(store.ensureCollection('../etc', embedder)).rejects.toMatchObject({
        code: 'invalid-input',
      });
      await expect(search(store, 'nope', 'доставка')).rejects.toMatchObject({ code: 'collection-not-found' });
    });

    describe('history', () => {
      const past = (id: string, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
        id,
        question: `Вопрос ${id}: сколько идёт доставка?`,
        answer: 'Доставка занимает 2–3 дня.',
        topic: 'Доставка',
        documentIds: ['faq-delivery'],
        source: 'import',
        createdAt: '2026-06-01T10:00:00.000Z',
        ...extra,
      });

      it('stores past questions and lists them oldest first, with their stats count', async () => {
        const result = await store.addHistory('shop', [
          past('h2', { createdAt: '2026-07-01T00:00:00.000Z', source: 'feedback' }),
          past('h1', { documentIds: [], answer: undefined, topic: undefined }),
        ]);
        expect(result).toEqual({ added: 2, updated: 0, unchanged: 0 });
        const listed = await store.listHistory('shop');
        expect(listed.map((entry) => entry.id)).toEqual(['h1', 'h2']);
        expect(listed[0]).toEqual({
          id: 'h1',
          question: 'Вопрос h1: сколько идёт доставка?',
          documentIds: [],
          source: 'import',
          createdAt: '2026-06-01T10:00:00.000Z',
        });
        expect(listed[1]).toMatchObject({ answer: 'Доставка занимает 2–3 дня.', topic: 'Доставка' });
        expect((await store.listHistory('shop', { withDocuments: true })).map((entry) => entry.id)).toEqual([
          'h2',
        ]);
        expect((await store.listHistory('shop', { source: 'feedback' })).map((entry) => entry.id)).toEqual([
          'h2',
        ]);
        expect((await store.stats('shop')).history).toBe(2);
      });

      it('upserts by id: the same entries twice change nothing, a changed one replaces the old', async () => {
        await store.addHistory('shop', [past('h1'), past('h2')]);
        const generation = (await store.getCollection('shop'))?.historyGeneration;
        expect(await store.addHistory('shop', [past('h1'), past('h2')])).toEqual({
          added: 0,
          updated: 0,
          unchanged: 2,
        });
        expect((await store.getCollection('shop'))?.historyGeneration).toBe(generation);
        expect(await store.addHistory('shop', [past('h1', { documentIds: ['faq-return'] })])).toEqual({
          added: 0,
          updated: 1,
          unchanged: 0,
        });
        expect((await store.listHistory('shop'))[0]?.documentIds).toEqual(['faq-return']);
        expect((await store.stats('shop')).history).toBe(2);
      });

      it('marks a history change in historyGeneration and leaves the documents untouched', async () => {
        const before = await store.getCollection('shop');
        await store.addHistory('shop', [past('h1')]);
        const after = await store.getCollection('shop');
        expect(after?.historyGeneration).toBeGreaterThan(before?.historyGeneration ?? 0);
        expect(after?.updatedAt).toBe(before?.updatedAt);
        await store.deleteHistory('shop', { ids: ['h1'] });
        expect((await store.getCollection('shop'))?.historyGeneration).toBeGreaterThan(
          after?.historyGeneration ?? 0,
        );
      });

      it('deletes entries older than a date and entries by id', async () => {
        await store.addHistory('shop', [
          past('old', { createdAt: '2025-01-01T00:00:00.000Z' }),
          past('mid', { createdAt: '2026-01-01T00:00:00.000Z' }),
          past('new', { createdAt: '2026-11-01T00:00:00.000Z' }),
        ]);
        expect(await store.deleteHistory('shop', { olderThan: new Date('2026-01-01T00:00:00.000Z') })).toBe(
          1,
        );
        expect(await store.deleteHistory('shop', { ids: ['new', 'missing'] })).toBe(1);
        expect((await store.listHistory('shop')).map((entry) => entry.id)).toEqual(['mid']);
        expect(await store.deleteHistory('shop', { olderThan: new Date('2020-01-01T00:00:00.000Z') })).toBe(
          0,
        );
      });

      it('keeps the history unchanged when a batch holds an invalid entry', async () => {
        await expect(
          store.addHistory('shop', [past('good'), past('bad', { question: '  ' })]),
        ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('"bad"') });
        await expect(store.addHistory('shop', [past('late', { createdAt: 'вчера' })])).rejects.toMatchObject({
          code: 'invalid-input',
        });
        expect(await store.listHistory('shop')).toEqual([]);
      });

      it('never shows one collection the history of another, and drops it with its collection', async () => {
        await store.ensureCollection('other', embedder);
        await store.addHistory('other', [past('same-id', { question: 'Чужой вопрос' })]);
        await store.addHistory('shop', [past('same-id')]);
        expect((await store.listHistory('shop')).map((entry) => entry.question)).toEqual([
          'Вопрос same-id: сколько идёт доставка?',
        ]);
        await store.dropCollection('other');
        await store.ensureCollection('other', embedder);
        expect(await store.listHistory('other')).toEqual([]);
        expect((await store.listHistory('shop')).length).toBe(1);
        await expect(store.listHistory('nope')).rejects.toMatchObject({ code: 'collection-not-found' });
      });
    });

    it('drops a collection with everything in it', async () => {
      expect(await store.dropCollection('shop')).toBe(true);
      expect(await store.getCollection('shop')).toBeUndefined();
      await store.ensureCollection('shop', embedder);
      expect(await search(store, 'shop', 'доставка')).toEqual([]);
    });
  });
}

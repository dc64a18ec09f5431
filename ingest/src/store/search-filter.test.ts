import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHashedNgramEmbedder } from '../embeddings/hashed-ngrams.ts';
import type { Chunk, KnowledgeKind, SearchFilter } from '../model.ts';
import { createRetriever } from '../retrieval/retriever.ts';
import { createQdrantStandIn } from '../test-support/qdrant-stand-in.ts';
import { composeKnowledgeStore } from './composed-store.ts';
import type { KnowledgeStore, StoredDocument } from './knowledge-store.ts';
import { createQdrantVectors } from './qdrant-vectors.ts';
import { matchesFilter } from './search-filter.ts';
import { openSqliteStore, type SqliteKnowledgeStore } from './sqlite-store.ts';

const embedder = createHashedNgramEmbedder({ dimensions: 32 });

/** Chunks whose tags, categories and languages differ only in what a filter must see through. */
const CHUNKS: Array<Pick<Chunk, 'documentId' | 'kind' | 'language' | 'tags'> & { category?: string }> = [
  { documentId: 'tree-yo', kind: 'faq', language: 'ru', tags: ['Ёлка'] },
  { documentId: 'tree-e', kind: 'faq', language: 'ru', tags: ['елка '] },
  { documentId: 'tree-upper', kind: 'template', language: 'ru', tags: ['ЁЛКА'] },
  // «й» written as и + combining breve (NFD), as some exports do.
  { documentId: 'coffee-nfd', kind: 'faq', language: 'ru', tags: ['Кофеи\u0306ня'] },
  { documentId: 'coffee-nfc', kind: 'article', language: 'ru', tags: ['кофейня'] },
  { documentId: 'return-category', kind: 'faq', language: 'ru', tags: [], category: 'Возврат' },
  { documentId: 'english', kind: 'faq', language: 'en', tags: ['Delivery'] },
  { documentId: 'english-upper', kind: 'script', language: 'EN', tags: ['delivery'] },
  { documentId: 'untagged', kind: 'faq', language: 'ru', tags: [] },
];

const FILTERS: SearchFilter[] = [
  { tags: ['елка'] },
  { tags: ['Ёлка'] },
  { tags: ['  ЕЛКА'] },
  { tags: ['кофейня'] },
  { tags: ['Кофеи\u0306ня'] },
  { tags: ['возврат'] },
  { tags: ['DELIVERY', 'ёлка'] },
  { languages: ['en'] },
  { languages: ['EN'] },
  { languages: ['ru'], tags: ['ёлка'] },
  { kinds: ['faq'], tags: ['елка', 'кофейня'] },
  { kinds: ['template', 'script'] },
  { documentIds: ['tree-yo', 'english'] },
  { documentIds: ['tree-yo', 'english'], tags: ['елка'] },
  { tags: ['нет такого'] },
];

const ALL_KINDS: KnowledgeKind[] = ['faq', 'template', 'article', 'script'];

// msw stands in for Qdrant (no server runs here): the filter as qdrant-points.ts translates it,
// applied by handlers written from Qdrant's documented filter semantics.
const qdrant = createQdrantStandIn();
const qdrantServer = setupServer(...qdrant.handlers);

describe('one filter for the store and the retriever', () => {
  let directory: string;
  let store: SqliteKnowledgeStore;
  /** The same chunks with their vectors in Qdrant (the stand-in), dense and sparse searched there. */
  let withQdrant: KnowledgeStore;
  const chunks: Chunk[] = [];

  beforeAll(async () => {
    qdrantServer.listen({ onUnhandledFrame: 'error' });
    directory = mkdtempSync(path.join(tmpdir(), 'naparnik-filter-'));
    store = await openSqliteStore({ dataDir: directory });
    await store.ensureCollection('kb', embedder);
    withQdrant = composeKnowledgeStore({
      relational: await openSqliteStore({ dataDir: path.join(directory, 'with-qdrant') }),
      vectors: createQdrantVectors({ url: qdrant.url, tenant: 'default' }),
      fusion: 'qdrant',
    });
    await withQdrant.ensureCollection('kb', embedder);
    const documents: StoredDocument[] = [];
    for (const spec of CHUNKS) {
      const chunk: Chunk = {
        chunkId: `${spec.documentId}#0`,
        documentId: spec.documentId,
        ordinal: 0,
        kind: spec.kind,
        title: `Вопрос про доставку ${spec.documentId}`,
        titlePath: [`Вопрос про доставку ${spec.documentId}`],
        text: 'Доставка delivery занимает два дня.',
        language: spec.language,
        tags: spec.tags,
        ...(spec.category ? { category: spec.category } : {}),
        source: 'kb.csv',
      };
      chunks.push(chunk);
      const [vector] = await embedder.embedDocuments([chunk.text]);
      documents.push({
        documentId: spec.documentId,
        kind: spec.kind,
        title: chunk.title,
        contentHash: spec.documentId,
        source: 'kb.csv',
        sourcePath: '/kb/kb.csv',
        chunks: [{ ...chunk, vector: vector! }],
      });
    }
    await store.upsertDocuments('kb', documents);
    await withQdrant.upsertDocuments('kb', documents);
  });
  afterAll(async () => {
    await store.close();
    await withQdrant.close();
    qdrantServer.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const expected = (filter: SearchFilter) =>
    chunks
      .filter((chunk) => matchesFilter(chunk, { kinds: ALL_KINDS, ...filter }))
      .map((chunk) => chunk.documentId)
      .sort();

  it.each(FILTERS.map((filter) => [JSON.stringify(filter), filter] as const))(
    'admits the same chunks in listing, lexical search, vector search, the retriever and Qdrant: %s',
    async (_, filter) => {
      const wanted = expected(filter);
      const full = { kinds: ALL_KINDS, ...filter };
      const ids = (hits: ReadonlyArray<{ documentId: string }>) => hits.map((hit) => hit.documentId).sort();
      expect(ids(await store.listChunks('kb', full))).toEqual(wanted);
      const vector = await embedder.embedQuery('доставка');
      expect(
        ids(await store.search('kb', { text: 'доставка', topK: 50, filter: full, weights: { vector: 0 } })),
      ).toEqual(wanted);
      expect(
        ids(await store.search('kb', { text: '', vector, topK: 50, filter: full, weights: { lexical: 0 } })),
      ).toEqual(wanted);
      const retriever = createRetriever({ store, embedder, collection: 'kb' });
      // The chunks say the same text: the retriever shows one answer once and names the rest as
      // its twins (retrieval/twins.ts), which the filter admitted all the same.
      const shown = await retriever.search('доставка', { topK: 50, filter: full });
      expect(
        shown.flatMap((hit) => [hit.documentId, ...(hit.twins ?? []).map((twin) => twin.documentId)]).sort(),
      ).toEqual(wanted);
      const inQdrant = await withQdrant.searchCandidates('kb', {
        text: 'доставка',
        vector,
        lexicalTopK: 50,
        vectorTopK: 50,
        filter: full,
      });
      expect(ids(inQdrant.vector)).toEqual(wanted);
      expect(ids(inQdrant.lexical)).toEqual(wanted);
    },
  );
});

import { StoreError } from '../errors.ts';
import { type Chunk, type SearchHit, searchHitOf } from '../model.ts';
import { assertVectorDimensions } from './collection-rules.ts';
import type { EmbedderIdentity, KnowledgeStore, SearchCandidates } from './knowledge-store.ts';
import type { QdrantVectors, VectorMatch } from './qdrant-vectors.ts';
import { fuseRankings } from './rank-fusion.ts';
import { matchesFilter } from './search-filter.ts';

/**
 * Where lexical and dense results meet when vectors live in Qdrant (NAPARNIK_QDRANT_FUSION):
 * - `service`: Qdrant answers the dense search only; the lexical candidates come from the
 *   relational store's own index (BM25 over our stems), and the service fuses them.
 * - `qdrant`: Qdrant answers both, the dense search and a sparse one over our stems (IDF
 *   modifier), and `search` takes Qdrant's reciprocal rank fusion of the two (Query API, prefetch).
 * docs/decisions/0026-qdrant-vectors.md says why `service` is the default.
 */
export type VectorFusion = 'service' | 'qdrant';
export const VECTOR_FUSIONS: readonly VectorFusion[] = ['service', 'qdrant'];

export interface ComposedStoreOptions {
  /** Documents, chunks, stems, history: the SQLite or PostgreSQL store. */
  relational: KnowledgeStore;
  vectors: QdrantVectors;
  fusion: VectorFusion;
}

/** How many candidates each retriever contributes before fusion (as indexed-search.ts). */
const CANDIDATES = 60;

/**
 * A knowledge store whose vectors live in Qdrant and everything else in a relational store.
 * Writes go to Qdrant first: when Qdrant fails, the relational store is left as it was, and the
 * documents' content hashes there make the next ingest write them again. When the relational
 * write fails after Qdrant's, Qdrant holds the new version's points of chunks the relational
 * store still has in the old version, until that next ingest; a search reads chunks back from
 * the relational store, so it never shows a chunk the relational store does not hold.
 */
export function composeKnowledgeStore(options: ComposedStoreOptions): KnowledgeStore {
  const { relational, vectors, fusion } = options;

  const identityOf = async (collection: string): Promise<EmbedderIdentity> => {
    const info = await relational.getCollection(collection);
    if (!info) throw new StoreError('collection-not-found', `collection "${collection}" does not exist`);
    return { id: info.embedderId, dimensions: info.dimensions };
  };

  /** The chunks of these matches, by chunk id, read from the relational store. */
  const readChunks = async (collection: string, matches: readonly VectorMatch[]) => {
    const documentIds = [...new Set(matches.map((match) => match.documentId))];
    const chunks = new Map<string, Chunk>();
    if (documentIds.length === 0) return chunks;
    const wanted = new Set(matches.map((match) => match.chunkId));
    for (const chunk of await relational.listChunks(collection, { documentIds }))
      if (wanted.has(chunk.chunkId)) chunks.set(chunk.chunkId, chunk);
    return chunks;
  };

  const lexicalCandidates = async (
    collection: string,
    text: string,
    limit: number,
    filter: Parameters<KnowledgeStore['searchCandidates']>[1]['filter'],
  ): Promise<VectorMatch[]> => {
    if (limit <= 0) return [];
    const candidates = await relational.searchCandidates(collection, {
      text,
      lexicalTopK: limit,
      vectorTopK: 0,
      ...(filter ? { filter } : {}),
    });
    return candidates.lexical;
  };

  return {
    backend: `${relational.backend}+qdrant`,
    getCollection: (name) => relational.getCollection(name),
    listCollections: () => relational.listCollections(),
    listDocuments: (collection) => relational.listDocuments(collection),
    listChunks: (collection, filter) => relational.listChunks(collection, filter),
    addHistory: (collection, entries) => relational.addHistory(collection, entries),
    listHistory: (collection, historyOptions) => relational.listHistory(collection, historyOptions),
    deleteHistory: (collection, selection) => relational.deleteHistory(collection, selection),
    stats: (collection) => relational.stats(collection),
    close: () => relational.close(),

    async ensureCollection(name, embedder) {
      const info = await relational.ensureCollection(name, embedder);
      await vectors.prepare(embedder);
      return info;
    },

    async dropCollection(name) {
      const info = await relational.getCollection(name);
      if (!info) return false;
      await vectors.dropCollection({ id: info.embedderId, dimensions: info.dimensions }, name);
      return relational.dropCollection(name);
    },

    async upsertDocuments(collection, documents) {
      if (documents.length === 0) return;
      const embedder = await identityOf(collection);
      // Checked before anything is written anywhere.
      assertVectorDimensions(collection, embedder.dimensions, documents);
      await vectors.replaceDocuments(embedder, collection, documents);
      await relational.upsertDocuments(collection, documents);
    },

    async deleteDocuments(collection, documentIds) {
      const embedder = await identityOf(collection);
      await vectors.deleteDocuments(embedder, collection, [...new Set(documentIds)]);
      return relational.deleteDocuments(collection, documentIds);
    },

    async searchCandidates(collection, query): Promise<SearchCandidates> {
      const embedder = await identityOf(collection);
      const vectorOnly = fusion === 'service';
      const [lexical, results] = await Promise.all([
        vectorOnly ? lexicalCandidates(collection, query.text, query.lexicalTopK, query.filter) : undefined,
        vectors.query(embedder, collection, {
          ...(query.vector ? { vector: query.vector } : {}),
          text: query.text,
          denseLimit: query.vectorTopK,
          sparseLimit: vectorOnly ? 0 : query.lexicalTopK,
          ...(query.filter ? { filter: query.filter } : {}),
        }),
      ]);
      return {
        lexical: lexical ?? results.sparse,
        vector: results.dense.map(({ score, ...key }) => ({ ...key, similarity: score })),
      };
    },

    async search(collection, query): Promise<SearchHit[]> {
      const embedder = await identityOf(collection);
      const topK = Math.max(1, Math.min(query.topK, 200));
      const pool = Math.max(CANDIDATES, topK * 3);
      const lexicalWeight = query.weights?.lexical ?? 1;
      const vectorWeight = query.weights?.vector ?? 1;
      const wantsVector = vectorWeight > 0 && query.vector !== undefined;
      const filter = query.filter;

      let lexical: VectorMatch[];
      let dense: VectorMatch[];
      let fused: Array<{ id: string; score: number }> | undefined;
      if (fusion === 'qdrant') {
        const results = await vectors.query(embedder, collection, {
          ...(wantsVector ? { vector: query.vector } : {}),
          text: lexicalWeight > 0 ? query.text : '',
          denseLimit: pool,
          sparseLimit: pool,
          fused: { limit: pool, weights: { dense: vectorWeight, sparse: lexicalWeight } },
          ...(filter ? { filter } : {}),
        });
        lexical = results.sparse;
        dense = results.dense;
        fused = results.fused?.map((match) => ({ id: match.chunkId, score: match.score }));
      } else {
        [lexical, dense] = await Promise.all([
          lexicalWeight > 0 ? lexicalCandidates(collection, query.text, pool, filter) : [],
          wantsVector
            ? vectors
                .query(embedder, collection, {
                  vector: query.vector,
                  denseLimit: pool,
                  sparseLimit: 0,
                  ...(filter ? { filter } : {}),
                })
                .then((results) => results.dense)
            : [],
        ]);
      }
      if (lexical.length === 0 && dense.length === 0) return [];
      const chunks = await readChunks(collection, [...lexical, ...dense]);
      // Qdrant applied the whole filter; the relational lexical candidates lack validity.
      const kept = (match: VectorMatch) => {
        const chunk = chunks.get(match.chunkId);
        return chunk !== undefined && matchesFilter(chunk, filter);
      };
      const lexicalKept = lexical.filter(kept);
      const denseKept = dense.filter(kept);
      const ranking =
        fused?.filter((entry) => chunks.has(entry.id) && matchesFilter(chunks.get(entry.id)!, filter)) ??
        fuseRankings(
          [
            { weight: lexicalWeight, ids: lexicalKept.map((match) => match.chunkId) },
            { weight: vectorWeight, ids: denseKept.map((match) => match.chunkId) },
          ],
          topK,
        );
      const lexicalById = new Map(
        lexicalKept.map((match, index) => [match.chunkId, { rank: index + 1, score: match.score }]),
      );
      const denseById = new Map(
        denseKept.map((match, index) => [match.chunkId, { rank: index + 1, similarity: match.score }]),
      );
      return ranking.slice(0, topK).map(({ id, score }) => {
        const lexicalSignal = lexicalById.get(id);
        const vectorSignal = denseById.get(id);
        return searchHitOf(chunks.get(id)!, score, {
          ...(lexicalSignal ? { lexicalRank: lexicalSignal.rank, lexicalScore: lexicalSignal.score } : {}),
          ...(vectorSignal
            ? { vectorRank: vectorSignal.rank, vectorSimilarity: vectorSignal.similarity }
            : {}),
        });
      });
    },
  };
}

import { StoreError } from '../errors.ts';
import { type Chunk, type SearchFilter, type SearchHit, searchHitOf } from '../model.ts';
import type { CandidateQuery, SearchCandidates, SearchQuery } from './knowledge-store.ts';
import type { LexicalIndex } from './lexical-index.ts';
import { fuseRankings } from './rank-fusion.ts';
import { attributeFilterOf } from './search-filter.ts';
import { queryStems, selectStems } from './stems.ts';
import { isValidAt } from './validity.ts';
import type { VectorIndex } from './vector-index.ts';

/**
 * `search` and `searchCandidates` of a store that ranks in memory: the lexical and vector indexes
 * yield row ids, the store reads those rows back. The SQLite and PostgreSQL stores differ only in
 * where the rows and the indexes' contents come from (`IndexedRows`), so both rank the same way.
 */
export interface IndexedRows {
  collectionName: string;
  dimensions: number;
  /** The collection's indexes, caught up with every committed write. */
  lexicalIndex(): Promise<LexicalIndex>;
  vectorIndex(): Promise<VectorIndex>;
  /** The chunks of these row ids (missing ids: deleted meanwhile by another process). */
  readChunks(ids: number[]): Promise<Map<number, Chunk>>;
  readChunkKeys(ids: number[]): Promise<Map<number, { chunkId: string; documentId: string }>>;
}

/** How many candidates each retriever contributes before fusion. */
const CANDIDATES = 60;

/**
 * The lexical and vector indexes' best `lexicalPool` / `vectorPool` rows for a query, filtered
 * by kind, language and tags inside the indexes (document ids are the caller's to check).
 */
async function indexMatches(
  rows: IndexedRows,
  query: { text: string; vector?: Float32Array | undefined; filter?: SearchFilter | undefined },
  lexicalPool: number,
  vectorPool: number,
) {
  const attributeFilter = attributeFilterOf(query.filter);
  const lexical: Array<{ id: number; score: number }> = [];
  const stems = lexicalPool > 0 ? queryStems(query.text) : [];
  if (stems.length > 0) {
    const index = await rows.lexicalIndex();
    const frequencies = new Map(stems.map((stem) => [stem, index.documentFrequency(stem)]));
    lexical.push(...index.search(selectStems(stems, frequencies), lexicalPool, attributeFilter));
  }
  const vector: Array<{ id: number; similarity: number }> = [];
  if (query.vector && vectorPool > 0) {
    if (query.vector.length !== rows.dimensions) {
      throw new StoreError(
        'invalid-input',
        `query vector has ${query.vector.length} dimensions, collection "${rows.collectionName}" expects ${rows.dimensions}`,
      );
    }
    vector.push(...(await rows.vectorIndex()).search(query.vector, vectorPool, attributeFilter));
  }
  return { lexical, vector };
}

export async function searchIndexed(rows: IndexedRows, query: SearchQuery): Promise<SearchHit[]> {
  const topK = Math.max(1, Math.min(query.topK, 200));
  const filter = query.filter;
  // The indexes filter by kind, language and tags themselves; document ids are checked on
  // the chunks read back, from a deeper pool.
  const documentIds = filter?.documentIds?.length ? new Set(filter.documentIds) : undefined;
  const postFiltered = documentIds !== undefined;
  const pool = Math.max(CANDIDATES, topK * 3) * (postFiltered ? 5 : 1);
  const lexicalWeight = query.weights?.lexical ?? 1;
  const vectorWeight = query.weights?.vector ?? 1;
  const { lexical, vector } = await indexMatches(
    rows,
    query,
    lexicalWeight > 0 ? pool : 0,
    vectorWeight > 0 ? pool : 0,
  );

  if (lexical.length === 0 && vector.length === 0) return [];
  // Kind, language and tags were applied inside the indexes, so without a document filter only
  // the fused top k are read back; with one, every candidate is read and checked first.
  const ids = postFiltered
    ? [...new Set([...lexical.map((hit) => hit.id), ...vector.map((hit) => hit.id)])]
    : fuseRankings(
        [
          { weight: lexicalWeight, ids: lexical.map((hit) => hit.id) },
          { weight: vectorWeight, ids: vector.map((hit) => hit.id) },
        ],
        topK,
      ).map((entry) => entry.id);
  const chunks = await rows.readChunks(ids);
  // The indexes already applied kind, language and tags: document ids and validity remain.
  const validAt = query.filter?.validAt;
  if (documentIds || validAt !== undefined) {
    for (const [id, chunk] of chunks) {
      if (documentIds && !documentIds.has(chunk.documentId)) chunks.delete(id);
      else if (validAt !== undefined && !isValidAt(chunk.metadata, validAt)) chunks.delete(id);
    }
  }

  const kept = (hit: { id: number }) => !postFiltered || chunks.has(hit.id);
  const lexicalKept = lexical.filter(kept);
  const vectorKept = vector.filter(kept);
  const fused = fuseRankings(
    [
      { weight: lexicalWeight, ids: lexicalKept.map((hit) => hit.id) },
      { weight: vectorWeight, ids: vectorKept.map((hit) => hit.id) },
    ],
    topK,
  );
  const lexicalById = new Map(
    lexicalKept.map((hit, index) => [hit.id, { rank: index + 1, score: hit.score }]),
  );
  const vectorById = new Map(
    vectorKept.map((hit, index) => [hit.id, { rank: index + 1, similarity: hit.similarity }]),
  );
  // A chunk another process deleted after the indexes caught up has no row to read: skip it.
  return fused.flatMap(({ id, score }): SearchHit[] => {
    const chunk = chunks.get(id);
    if (!chunk) return [];
    const lexicalSignal = lexicalById.get(id);
    const vectorSignal = vectorById.get(id);
    return [
      searchHitOf(chunk, score, {
        ...(lexicalSignal ? { lexicalRank: lexicalSignal.rank, lexicalScore: lexicalSignal.score } : {}),
        ...(vectorSignal ? { vectorRank: vectorSignal.rank, vectorSimilarity: vectorSignal.similarity } : {}),
      }),
    ];
  });
}

export async function searchCandidatesIndexed(
  rows: IndexedRows,
  query: CandidateQuery,
): Promise<SearchCandidates> {
  const limit = (value: number) => Math.max(0, Math.min(Math.floor(value), 1_000));
  const documentIds = query.filter?.documentIds?.length ? new Set(query.filter.documentIds) : undefined;
  // With a document filter the indexes cannot filter: ask them for more, as `search` does.
  const widen = documentIds ? 5 : 1;
  const matches = await indexMatches(
    rows,
    query,
    limit(query.lexicalTopK) * widen,
    limit(query.vectorTopK) * widen,
  );
  const ids = [...new Set([...matches.lexical.map((hit) => hit.id), ...matches.vector.map((hit) => hit.id)])];
  const keys = await rows.readChunkKeys(ids);
  if (documentIds) {
    for (const [id, key] of keys) if (!documentIds.has(key.documentId)) keys.delete(id);
  }
  // A chunk another process deleted after the indexes caught up has no row: it is left out.
  return {
    lexical: matches.lexical
      .flatMap((hit) => {
        const key = keys.get(hit.id);
        return key ? [{ ...key, score: hit.score }] : [];
      })
      .slice(0, limit(query.lexicalTopK)),
    vector: matches.vector
      .flatMap((hit) => {
        const key = keys.get(hit.id);
        return key ? [{ ...key, similarity: hit.similarity }] : [];
      })
      .slice(0, limit(query.vectorTopK)),
  };
}

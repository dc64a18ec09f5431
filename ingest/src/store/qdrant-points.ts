import { createHash } from 'node:crypto';
import { fnv1a } from '../embeddings/hashed-ngrams.ts';
import type { Chunk, SearchFilter } from '../model.ts';
import type { EmbedderIdentity } from './knowledge-store.ts';
import { chunkTagTokens, languageKey } from './search-filter.ts';
import { queryStems, stemFields } from './stems.ts';
import { validityWindow } from './validity.ts';

/**
 * What a chunk becomes in Qdrant, and what our one filter definition (search-filter.ts) becomes in
 * Qdrant's filter language: pure functions, so the adapter, its tests and the stand-in agree.
 *
 * A Qdrant collection holds one embedder's vectors for every tenant and every Naparnik collection:
 * the payload says whose a point is (`tenant`, indexed with `is_tenant: true`, and `collection`),
 * which document it belongs to, and the fields a search filters by. Nothing else: texts, titles
 * and metadata stay in the relational store.
 */

/** The dense vector's name in a point. */
export const DENSE_VECTOR = 'dense';
/** The sparse vector of the chunk's stems (Qdrant applies the IDF modifier at query time). */
export const STEMS_VECTOR = 'stems';

/** Payload fields and the index each gets (`PUT /collections/{name}/index`). */
export const PAYLOAD_INDEXES = [
  { field: 'tenant', schema: { type: 'keyword', is_tenant: true } },
  { field: 'collection', schema: { type: 'keyword' } },
  { field: 'documentId', schema: { type: 'keyword' } },
  { field: 'kind', schema: { type: 'keyword' } },
  { field: 'language', schema: { type: 'keyword' } },
  { field: 'tags', schema: { type: 'keyword' } },
  { field: 'validFrom', schema: { type: 'integer' } },
  { field: 'validUntil', schema: { type: 'integer' } },
] as const;

export interface PointPayload {
  tenant: string;
  collection: string;
  documentId: string;
  chunkId: string;
  kind: string;
  /** languageKey (lower case), as the filter compares it. */
  language: string;
  /** The chunk's tag keys (tags and category, `tagToken`). */
  tags: string[];
  /** Milliseconds since the epoch; absent when the entry has no such bound. */
  validFrom?: number;
  validUntil?: number;
}

export interface SparseVector {
  indices: number[];
  values: number[];
}

/**
 * The Qdrant collection of an embedder: its id and dimensions in the name (a changed model or
 * size gets a new collection, never mixed vectors), plus a hash because ids may hold characters
 * Qdrant names should not.
 */
export function qdrantCollectionName(embedder: EmbedderIdentity, prefix = 'naparnik'): string {
  const readable = embedder.id
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-|-$/gu, '')
    .slice(0, 60);
  const hash = createHash('sha1')
    .update(`${embedder.id}\u0000${embedder.dimensions}`)
    .digest('hex')
    .slice(0, 8);
  return `${prefix}-${readable}-d${embedder.dimensions}-${hash}`;
}

/**
 * A point's id: a UUID derived from tenant, collection and chunk id (the name-based construction
 * of RFC 9562 §5.5, SHA-1), so writing a chunk again replaces its point instead of adding one.
 */
export function pointId(tenant: string, collection: string, chunkId: string): string {
  const bytes = createHash('sha1').update(`${tenant}\u0000${collection}\u0000${chunkId}`).digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function pointPayload(tenant: string, collection: string, chunk: Chunk): PointPayload {
  const { from, until } = validityWindow(chunk.metadata);
  return {
    tenant,
    collection,
    documentId: chunk.documentId,
    chunkId: chunk.chunkId,
    kind: chunk.kind,
    language: languageKey(chunk.language),
    tags: chunkTagTokens(chunk),
    ...(from !== undefined ? { validFrom: from } : {}),
    ...(until !== undefined ? { validUntil: until } : {}),
  };
}

/**
 * A stem's index in the sparse vector: FNV-1a, 32 bits. Two stems sharing an index (about one pair
 * in a vocabulary of 90k) only blur their IDF; the relational store's lexical index is exact.
 */
export function stemIndex(stem: string): number {
  return fnv1a(stem);
}

/** BM25's term-frequency saturation; Qdrant supplies the IDF (`modifier: idf`). */
const K1 = 1.2;
/** A title stem counts as much as this many body stems (BM25_WEIGHTS of stems.ts). */
const TITLE_WEIGHT = 2.5;

/** The chunk's stems as a sparse vector: weighted term frequency, saturated as BM25 does. */
export function chunkSparseVector(chunk: Chunk): SparseVector {
  const fields = stemFields(chunk);
  const weights = new Map<number, number>();
  const add = (stems: string, weight: number) => {
    for (const stem of stems.split(' ')) {
      if (stem.length === 0) continue;
      const index = stemIndex(stem);
      weights.set(index, (weights.get(index) ?? 0) + weight);
    }
  };
  add(fields.title, TITLE_WEIGHT);
  add(fields.body, 1);
  const indices = [...weights.keys()].sort((left, right) => left - right);
  return {
    indices,
    values: indices.map((index) => {
      const frequency = weights.get(index)!;
      return (frequency * (K1 + 1)) / (frequency + K1);
    }),
  };
}

/** A query's stems as a sparse vector (each distinct stem once); empty when it has none. */
export function querySparseVector(text: string): SparseVector {
  const indices = [...new Set(queryStems(text).map(stemIndex))].sort((left, right) => left - right);
  return { indices, values: indices.map(() => 1) };
}

type Condition = Record<string, unknown>;

/**
 * A SearchFilter in Qdrant's filter language, always scoped to the tenant and collection. The
 * same keys as `matchesFilter`: kinds exact, languages by `languageKey`, tags by `tagToken`
 * (any of them), document ids exact, and validity as from ≤ at < until with absent bounds open.
 */
export function qdrantFilter(
  tenant: string,
  collection: string,
  filter: SearchFilter | undefined,
): { must: Condition[] } {
  const must: Condition[] = [
    { key: 'tenant', match: { value: tenant } },
    { key: 'collection', match: { value: collection } },
  ];
  if (filter?.kinds?.length) must.push({ key: 'kind', match: { any: [...filter.kinds] } });
  if (filter?.languages?.length)
    must.push({ key: 'language', match: { any: filter.languages.map(languageKey) } });
  if (filter?.tags?.length) must.push({ key: 'tags', match: { any: chunkTagTokens({ tags: filter.tags }) } });
  if (filter?.documentIds?.length) must.push({ key: 'documentId', match: { any: [...filter.documentIds] } });
  if (filter?.validAt !== undefined) {
    const at = Date.parse(filter.validAt);
    must.push(
      { should: [{ is_empty: { key: 'validFrom' } }, { key: 'validFrom', range: { lte: at } }] },
      { should: [{ is_empty: { key: 'validUntil' } }, { key: 'validUntil', range: { gt: at } }] },
    );
  }
  return { must };
}

import { QdrantClient } from '@qdrant/js-client-rest';
import { StoreError } from '../errors.ts';
import type { SearchFilter } from '../model.ts';
import type { EmbedderIdentity, StoredDocument } from './knowledge-store.ts';
import {
  chunkSparseVector,
  DENSE_VECTOR,
  PAYLOAD_INDEXES,
  type PointPayload,
  pointId,
  pointPayload,
  qdrantCollectionName,
  qdrantFilter,
  querySparseVector,
  STEMS_VECTOR,
} from './qdrant-points.ts';
import { RRF_K } from './rank-fusion.ts';

/**
 * The vectors of a knowledge store in Qdrant (`QDRANT_URL`), through `@qdrant/js-client-rest`:
 * each chunk is one point holding its dense vector and its stems as a sparse vector, keyed by a
 * UUID derived from tenant, collection and chunk id. The relational store (SQLite or PostgreSQL)
 * keeps everything else; composed-store.ts joins the two.
 * See docs/decisions/0026-qdrant-vectors.md.
 */
export interface QdrantVectorsOptions {
  url: string;
  apiKey?: string;
  tenant: string;
  /** Per request; a request that takes longer fails with a clear error (default 10 s). */
  timeoutMs?: number;
  /** First part of the Qdrant collections' names (default 'naparnik'). */
  collectionPrefix?: string;
}

export interface VectorMatch {
  chunkId: string;
  documentId: string;
  score: number;
}

export interface VectorQuery {
  /** Dense query vector; omitted or `denseLimit` 0: no dense search. */
  vector?: Float32Array;
  /** Text whose stems make the sparse query; no stems or `sparseLimit` 0: no sparse search. */
  text?: string;
  denseLimit: number;
  sparseLimit: number;
  /**
   * Also fuse both lists in Qdrant (Query API: two prefetches, reciprocal rank fusion with these
   * weights) and return the fused `limit` best.
   */
  fused?: { limit: number; weights: { dense: number; sparse: number } };
  filter?: SearchFilter;
}

export interface VectorResults {
  dense: VectorMatch[];
  sparse: VectorMatch[];
  /** Only when asked for and both lists were searched. */
  fused?: VectorMatch[];
}

export interface QdrantVectors {
  readonly url: string;
  /** Creates the embedder's Qdrant collection with its payload indexes, unless it exists. */
  prepare(embedder: EmbedderIdentity): Promise<void>;
  /** Writes the documents' points and removes their points of chunks they no longer have. */
  replaceDocuments(
    embedder: EmbedderIdentity,
    collection: string,
    documents: readonly StoredDocument[],
  ): Promise<void>;
  deleteDocuments(
    embedder: EmbedderIdentity,
    collection: string,
    documentIds: readonly string[],
  ): Promise<void>;
  dropCollection(embedder: EmbedderIdentity, collection: string): Promise<void>;
  query(embedder: EmbedderIdentity, collection: string, query: VectorQuery): Promise<VectorResults>;
}

/** Points per upsert request: a request stays a few megabytes with 1,024-dimension vectors. */
const UPSERT_BATCH = 256;

/** Where a URL points, without credentials: for messages. */
function serverOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'an unparsable URL';
  }
}

/** Qdrant's own words from an error response (`{"status": {"error": "…"}}`), when there are any. */
function qdrantMessage(error: unknown): string {
  const data = (error as { data?: unknown } | null)?.data;
  const status = (error as { status?: unknown } | null)?.status;
  const said =
    data && typeof data === 'object' && 'status' in data
      ? (data as { status?: { error?: unknown } }).status?.error
      : undefined;
  if (typeof said === 'string') return `${typeof status === 'number' ? `HTTP ${status}: ` : ''}${said}`;
  return error instanceof Error ? error.message : String(error);
}

export function createQdrantVectors(options: QdrantVectorsOptions): QdrantVectors {
  const client = new QdrantClient({
    url: options.url,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    timeout: options.timeoutMs ?? 10_000,
    // The version check is a request of its own at construction, whose failure only warns.
    checkCompatibility: false,
  });
  const server = serverOf(options.url);
  const tenant = options.tenant;
  const nameOf = (embedder: EmbedderIdentity) => qdrantCollectionName(embedder, options.collectionPrefix);

  /** Every failure of Qdrant as one typed error that says what was being done, where, and why. */
  const call = async <T>(doing: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      const timedOut = (error as { name?: string } | null)?.name === 'QdrantClientTimeoutError';
      throw new StoreError(
        'vector-store-failed',
        `Qdrant at ${server} (QDRANT_URL) ${
          timedOut ? `did not answer within ${options.timeoutMs ?? 10_000} ms` : 'failed'
        } while ${doing}: ${timedOut ? 'timeout' : qdrantMessage(error)}`,
        { cause: error },
      );
    }
  };

  const prepared = new Map<string, Promise<void>>();
  const prepare = (embedder: EmbedderIdentity): Promise<void> => {
    const name = nameOf(embedder);
    let ready = prepared.get(name);
    if (!ready) {
      ready = call(`preparing collection ${name}`, async () => {
        if ((await client.collectionExists(name)).exists) return;
        try {
          await client.createCollection(name, {
            vectors: { [DENSE_VECTOR]: { size: embedder.dimensions, distance: 'Cosine' } },
            sparse_vectors: { [STEMS_VECTOR]: { modifier: 'idf' } },
          });
        } catch (error) {
          // Another process created it meanwhile: that one is ours too.
          if ((error as { status?: number }).status !== 409) throw error;
        }
        for (const index of PAYLOAD_INDEXES) {
          await client.createPayloadIndex(name, {
            wait: true,
            field_name: index.field,
            field_schema: index.schema,
          });
        }
      });
      prepared.set(name, ready);
      ready.catch(() => prepared.delete(name));
    }
    return ready;
  };

  const scopeFilter = (collection: string, documentIds: readonly string[]) => ({
    must: [
      ...qdrantFilter(tenant, collection, undefined).must,
      { key: 'documentId', match: { any: [...documentIds] } },
    ],
  });

  const matchesOf = (points: Array<{ score: number; payload?: Record<string, unknown> | null }>) =>
    points.flatMap((point): VectorMatch[] => {
      const payload = point.payload as Partial<PointPayload> | null | undefined;
      if (typeof payload?.chunkId !== 'string' || typeof payload.documentId !== 'string') return [];
      return [{ chunkId: payload.chunkId, documentId: payload.documentId, score: point.score }];
    });

  return {
    url: options.url,
    prepare,

    async replaceDocuments(embedder, collection, documents) {
      if (documents.length === 0) return;
      await prepare(embedder);
      const name = nameOf(embedder);
      const points = documents.flatMap((document) =>
        document.chunks.map((chunk) => ({
          id: pointId(tenant, collection, chunk.chunkId),
          vector: { [DENSE_VECTOR]: Array.from(chunk.vector), [STEMS_VECTOR]: chunkSparseVector(chunk) },
          payload: pointPayload(tenant, collection, chunk) as unknown as Record<string, unknown>,
        })),
      );
      // New points first, then the documents' other points: a search meanwhile finds the old
      // version or the new one of each chunk, never none.
      for (let start = 0; start < points.length; start += UPSERT_BATCH) {
        const batch = points.slice(start, start + UPSERT_BATCH);
        await call(`writing ${batch.length} points to ${name}`, () =>
          client.upsert(name, { wait: true, points: batch }),
        );
      }
      const documentIds = documents.map((document) => document.documentId);
      const filter = scopeFilter(collection, documentIds);
      await call(`removing replaced points from ${name}`, () =>
        client.delete(name, {
          wait: true,
          filter: { ...filter, must_not: [{ has_id: points.map((point) => point.id) }] },
        }),
      );
    },

    async deleteDocuments(embedder, collection, documentIds) {
      if (documentIds.length === 0) return;
      await prepare(embedder);
      const name = nameOf(embedder);
      await call(`deleting the points of ${documentIds.length} documents from ${name}`, () =>
        client.delete(name, { wait: true, filter: scopeFilter(collection, documentIds) }),
      );
    },

    async dropCollection(embedder, collection) {
      await prepare(embedder);
      const name = nameOf(embedder);
      await call(`deleting the points of collection "${collection}" from ${name}`, () =>
        client.delete(name, { wait: true, filter: qdrantFilter(tenant, collection, undefined) }),
      );
    },

    async query(embedder, collection, query) {
      if (query.vector && query.vector.length !== embedder.dimensions) {
        throw new StoreError(
          'invalid-input',
          `query vector has ${query.vector.length} dimensions, collection "${collection}" expects ${embedder.dimensions}`,
        );
      }
      await prepare(embedder);
      const name = nameOf(embedder);
      const filter = qdrantFilter(tenant, collection, query.filter);
      const sparse = query.text !== undefined ? querySparseVector(query.text) : undefined;
      const dense = query.vector ? Array.from(query.vector) : undefined;
      const limit = (value: number) => Math.max(0, Math.min(Math.floor(value), 1_000));
      const denseSearch =
        dense && limit(query.denseLimit) > 0
          ? { query: dense, using: DENSE_VECTOR, filter, limit: limit(query.denseLimit) }
          : undefined;
      const sparseSearch =
        sparse && sparse.indices.length > 0 && limit(query.sparseLimit) > 0
          ? { query: sparse, using: STEMS_VECTOR, filter, limit: limit(query.sparseLimit) }
          : undefined;
      const fusedSearch =
        query.fused && denseSearch && sparseSearch
          ? {
              prefetch: [denseSearch, sparseSearch],
              // Qdrant counts ranks from 0: k + 1 gives the fusion of rank-fusion.ts (ranks from 1).
              query: {
                rrf: { k: RRF_K + 1, weights: [query.fused.weights.dense, query.fused.weights.sparse] },
              },
              filter,
              limit: limit(query.fused.limit),
            }
          : undefined;
      const searches = [fusedSearch, denseSearch, sparseSearch].filter((search) => search !== undefined);
      if (searches.length === 0) return { dense: [], sparse: [] };
      // One round trip for all of them.
      const results = await call(`searching ${name}`, () =>
        client.queryBatch(name, {
          searches: searches.map((search) => ({ ...search, with_payload: ['chunkId', 'documentId'] })),
        }),
      );
      const take = (search: object | undefined) =>
        search ? matchesOf(results[searches.indexOf(search as (typeof searches)[number])]?.points ?? []) : [];
      return {
        dense: take(denseSearch),
        sparse: take(sparseSearch),
        ...(fusedSearch ? { fused: take(fusedSearch) } : {}),
      };
    },
  };
}

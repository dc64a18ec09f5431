import pg, { type PoolClient } from 'pg';
import { StoreError } from '../errors.ts';
import type { Chunk, KnowledgeKind } from '../model.ts';
import {
  assertCollectionName,
  assertSameEmbedder,
  assertVectorDimensions,
  type CollectionRow,
  collectionInfoOf,
} from './collection-rules.ts';
import { type IndexedRows, searchCandidatesIndexed, searchIndexed } from './indexed-search.ts';
import type { CollectionStats, DocumentRecord, KnowledgeStore, StoredDocument } from './knowledge-store.ts';
import { postgresHistoryMethods } from './postgres-history.ts';
import { createPostgresIndexes } from './postgres-indexes.ts';
import { KNOWLEDGE_COMPONENT, KNOWLEDGE_MIGRATIONS, migrate } from './postgres-migrations.ts';
import { matchesFilter } from './search-filter.ts';
import { stemFields } from './stems.ts';

/**
 * The knowledge store on a PostgreSQL server (`DATABASE_URL`): the same tables as the embedded
 * store (documents, chunks with their vectors, each chunk's stems, tombstones, history), ranked
 * in each process's memory by the same indexes, caught up with every process's writes through
 * the collection's generation. Any number of processes share one database; a process started
 * with only the URL serves the whole knowledge base.
 * See docs/decisions/0017-postgresql-knowledge-store.md.
 */
export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  tenant?: string;
  clock?: () => Date;
  /** Connections this process keeps open at most (default 10). */
  maxConnections?: number;
}

export interface PostgresKnowledgeStore extends KnowledgeStore {
  /** Ids of the collections whose lexical or vector index this process holds, ascending. */
  indexedCollectionIds(): number[];
}

const CHUNK_COLUMNS =
  'id, document_id, chunk_id, ordinal, kind, title, title_path, text, language, tags, category, source, metadata';

interface ChunkRow {
  id: number;
  document_id: string;
  chunk_id: string;
  ordinal: number;
  kind: KnowledgeKind;
  title: string;
  title_path: string[];
  text: string;
  language: string;
  tags: string[];
  category: string | null;
  source: string;
  metadata: Record<string, unknown> | null;
}

function rowToChunk(row: ChunkRow): Chunk {
  return {
    chunkId: row.chunk_id,
    documentId: row.document_id,
    ordinal: row.ordinal,
    kind: row.kind,
    title: row.title,
    titlePath: row.title_path,
    text: row.text,
    language: row.language,
    tags: row.tags,
    ...(row.category ? { category: row.category } : {}),
    source: row.source,
    ...(row.metadata ? { metadata: row.metadata } : {}),
  };
}

/** bigint (counts, bigserial ids) as a JavaScript number: ids stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Where a URL points, without its password: for messages. */
function serverOf(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'an unparsable URL';
  }
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresKnowledgeStore> {
  const tenant = options.tenant ?? 'default';
  const clock = options.clock ?? (() => new Date());
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types,
    application_name: 'naparnik-knowledge',
  });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await migrate(pool, KNOWLEDGE_COMPONENT, KNOWLEDGE_MIGRATIONS);
  } catch (error) {
    await pool.end();
    throw new StoreError(
      'store-unavailable',
      `cannot open the knowledge store in PostgreSQL at ${serverOf(options.connectionString)} (DATABASE_URL): ${(error as Error).message}`,
      { cause: error },
    );
  }

  let closed = false;
  const checkOpen = () => {
    if (closed) throw new StoreError('store-closed', 'the knowledge store is closed');
  };
  const query = async <Row extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => {
    checkOpen();
    return (await pool.query<Row>(sql, values)).rows;
  };
  const read = async <T>(work: (client: PoolClient) => Promise<T>): Promise<T> => {
    checkOpen();
    const client = await pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  };
  const transaction = async <T>(work: (client: PoolClient) => Promise<T>): Promise<T> =>
    read(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    });

  const findCollection = async (name: string) =>
    (
      await query<CollectionRow>('SELECT * FROM kb_collections WHERE tenant_id = $1 AND name = $2', [
        tenant,
        name,
      ])
    )[0];
  const requireCollection = async (name: string): Promise<CollectionRow> => {
    const row = await findCollection(name);
    if (!row) throw new StoreError('collection-not-found', `collection "${name}" does not exist`);
    return row;
  };
  const toInfo = collectionInfoOf;

  const indexes = createPostgresIndexes(pool);

  /**
   * Starts a change to a collection: takes its row lock (writers of one collection commit one
   * after another, so its row ids grow in commit order) and returns the new generation.
   */
  const nextGeneration = async (client: PoolClient, collection: CollectionRow): Promise<number> => {
    const rows = (
      await client.query<{ generation: number }>(
        'UPDATE kb_collections SET generation = generation + 1, updated_at = $1 WHERE id = $2 RETURNING generation',
        [clock().toISOString(), collection.id],
      )
    ).rows;
    if (!rows[0])
      throw new StoreError('collection-not-found', `collection "${collection.name}" does not exist`);
    return rows[0].generation;
  };

  /** Removes documents' rows; other processes' indexes learn of removed chunks from tombstones. */
  const deleteDocumentRows = async (
    client: PoolClient,
    collection: CollectionRow,
    documentIds: string[],
    generation: number,
  ): Promise<number> => {
    await client.query(
      `WITH removed AS (
         DELETE FROM kb_chunks WHERE collection_id = $1 AND document_id = ANY($2::text[]) RETURNING id
       )
       INSERT INTO kb_chunk_tombstones (collection_id, chunk_rowid, generation)
       SELECT $1, id, $3 FROM removed`,
      [collection.id, documentIds, generation],
    );
    const deleted = await client.query(
      'DELETE FROM kb_documents WHERE collection_id = $1 AND document_id = ANY($2::text[])',
      [collection.id, documentIds],
    );
    return deleted.rowCount ?? 0;
  };

  const insertDocuments = async (
    client: PoolClient,
    collection: CollectionRow,
    documents: readonly StoredDocument[],
  ) => {
    const now = clock().toISOString();
    await client.query(
      `INSERT INTO kb_documents (collection_id, document_id, kind, title, content_hash, source, source_path, updated_at)
       SELECT $1, * , $8 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
      [
        collection.id,
        documents.map((document) => document.documentId),
        documents.map((document) => document.kind),
        documents.map((document) => document.title),
        documents.map((document) => document.contentHash),
        documents.map((document) => document.source),
        documents.map((document) => document.sourcePath),
        now,
      ],
    );
    const chunks = documents.flatMap((document) => document.chunks);
    // In batches: one statement's parameters stay a few megabytes however large the call.
    for (let start = 0; start < chunks.length; start += 1_000) {
      const batch = chunks.slice(start, start + 1_000);
      const stems = batch.map(stemFields);
      await client.query(
        `WITH inserted AS (
           INSERT INTO kb_chunks (collection_id, document_id, chunk_id, ordinal, kind, title, title_path, text,
                                  language, tags, category, source, metadata, embedding)
           SELECT $1, document_id, chunk_id, ordinal, kind, title, title_path::jsonb, text, language, tags::jsonb,
                  category, source, metadata::jsonb, embedding
           FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
                       $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bytea[])
             WITH ORDINALITY AS given (document_id, chunk_id, ordinal, kind, title, title_path, text, language,
                                       tags, category, source, metadata, embedding, position)
           ORDER BY position
           RETURNING id, chunk_id
         )
         INSERT INTO kb_chunk_stems (chunk_rowid, collection_id, title, body, meta)
         SELECT inserted.id, $1, stems.title, stems.body, stems.meta
         FROM inserted JOIN unnest($3::text[], $15::text[], $16::text[], $17::text[])
           AS stems (chunk_id, title, body, meta) ON stems.chunk_id = inserted.chunk_id`,
        [
          collection.id,
          batch.map((chunk) => chunk.documentId),
          batch.map((chunk) => chunk.chunkId),
          batch.map((chunk) => chunk.ordinal),
          batch.map((chunk) => chunk.kind),
          batch.map((chunk) => chunk.title),
          batch.map((chunk) => JSON.stringify(chunk.titlePath)),
          batch.map((chunk) => chunk.text),
          batch.map((chunk) => chunk.language),
          batch.map((chunk) => JSON.stringify(chunk.tags)),
          batch.map((chunk) => chunk.category ?? null),
          batch.map((chunk) => chunk.source),
          batch.map((chunk) => (chunk.metadata ? JSON.stringify(chunk.metadata) : null)),
          batch.map((chunk) =>
            Buffer.from(chunk.vector.buffer, chunk.vector.byteOffset, chunk.vector.byteLength),
          ),
          stems.map((fields) => fields.title),
          stems.map((fields) => fields.body),
          stems.map((fields) => fields.meta),
        ],
      );
    }
  };

  const indexedRows = (collection: CollectionRow, collectionName: string): IndexedRows => ({
    collectionName,
    dimensions: collection.dimensions,
    lexicalIndex: () => indexes.lexical(collection),
    vectorIndex: () => indexes.vector(collection),
    async readChunks(ids) {
      const rows = ids.length
        ? await query<ChunkRow>(`SELECT ${CHUNK_COLUMNS} FROM kb_chunks WHERE id = ANY($1::bigint[])`, [ids])
        : [];
      return new Map(rows.map((row) => [row.id, rowToChunk(row)]));
    },
    async readChunkKeys(ids) {
      const rows = ids.length
        ? await query<{ id: number; chunk_id: string; document_id: string }>(
            'SELECT id, chunk_id, document_id FROM kb_chunks WHERE id = ANY($1::bigint[])',
            [ids],
          )
        : [];
      return new Map(rows.map((row) => [row.id, { chunkId: row.chunk_id, documentId: row.document_id }]));
    },
  });

  const store: PostgresKnowledgeStore = {
    backend: 'postgres',

    async ensureCollection(name, embedder) {
      assertCollectionName(name);
      const existing = await findCollection(name);
      if (existing) {
        assertSameEmbedder(name, existing.embedder_id, embedder);
        return toInfo(existing);
      }
      const now = clock().toISOString();
      // Another process may create it at the same moment: then its row is the one.
      await query(
        `INSERT INTO kb_collections (tenant_id, name, embedder_id, dimensions, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (tenant_id, name) DO NOTHING`,
        [tenant, name, embedder.id, embedder.dimensions, now],
      );
      const created = await requireCollection(name);
      assertSameEmbedder(name, created.embedder_id, embedder);
      return toInfo(created);
    },

    async getCollection(name) {
      const row = await findCollection(name);
      return row ? toInfo(row) : undefined;
    },

    async listCollections() {
      return (
        await query<CollectionRow>(
          'SELECT * FROM kb_collections WHERE tenant_id = $1 ORDER BY name COLLATE "C"',
          [tenant],
        )
      ).map(toInfo);
    },

    async dropCollection(name) {
      const collection = await findCollection(name);
      if (!collection) return false;
      // Everything of the collection goes with its row (ON DELETE CASCADE).
      const deleted = await query('DELETE FROM kb_collections WHERE id = $1 RETURNING id', [collection.id]);
      indexes.forget(collection.id);
      return deleted.length > 0;
    },

    async upsertDocuments(collectionName, documents) {
      if (documents.length === 0) return;
      const collection = await requireCollection(collectionName);
      assertVectorDimensions(collectionName, collection.dimensions, documents);
      await transaction(async (client) => {
        const generation = await nextGeneration(client, collection);
        await deleteDocumentRows(
          client,
          collection,
          documents.map((document) => document.documentId),
          generation,
        );
        await insertDocuments(client, collection, documents);
      });
    },

    async deleteDocuments(collectionName, documentIds) {
      const collection = await requireCollection(collectionName);
      return transaction(async (client) => {
        const generation = await nextGeneration(client, collection);
        return deleteDocumentRows(client, collection, [...new Set(documentIds)], generation);
      });
    },

    async listDocuments(collectionName) {
      const collection = await requireCollection(collectionName);
      const rows = await query<Record<string, string>>(
        `SELECT document_id, kind, title, content_hash, source, source_path, updated_at
         FROM kb_documents WHERE collection_id = $1 ORDER BY document_id COLLATE "C"`,
        [collection.id],
      );
      return rows.map(
        (row): DocumentRecord => ({
          documentId: row.document_id!,
          kind: row.kind as KnowledgeKind,
          title: row.title!,
          contentHash: row.content_hash!,
          source: row.source!,
          sourcePath: row.source_path!,
          updatedAt: row.updated_at!,
        }),
      );
    },

    async listChunks(collectionName, filter) {
      const collection = await requireCollection(collectionName);
      const documentIds = filter?.documentIds?.length ? filter.documentIds : null;
      const kinds = filter?.kinds?.length ? filter.kinds : null;
      const rows = await query<ChunkRow>(
        `SELECT ${CHUNK_COLUMNS} FROM kb_chunks WHERE collection_id = $1
           AND ($2::text[] IS NULL OR document_id = ANY($2::text[]))
           AND ($3::text[] IS NULL OR kind = ANY($3::text[]))
         ORDER BY document_id COLLATE "C", ordinal`,
        [collection.id, documentIds, kinds],
      );
      return rows.map(rowToChunk).filter((chunk) => matchesFilter(chunk, filter));
    },

    async search(collectionName, query) {
      return searchIndexed(indexedRows(await requireCollection(collectionName), collectionName), query);
    },

    async searchCandidates(collectionName, query) {
      return searchCandidatesIndexed(
        indexedRows(await requireCollection(collectionName), collectionName),
        query,
      );
    },

    ...postgresHistoryMethods({ requireCollection, read, transaction }),

    async stats(collectionName): Promise<CollectionStats> {
      const collection = await requireCollection(collectionName);
      const [documents, kinds, languages, history] = await Promise.all([
        query<{ n: number }>('SELECT COUNT(*) AS n FROM kb_documents WHERE collection_id = $1', [
          collection.id,
        ]),
        query<{ kind: KnowledgeKind; n: number }>(
          'SELECT kind, COUNT(*) AS n FROM kb_chunks WHERE collection_id = $1 GROUP BY kind',
          [collection.id],
        ),
        query<{ language: string; n: number }>(
          'SELECT language, COUNT(*) AS n FROM kb_chunks WHERE collection_id = $1 GROUP BY language',
          [collection.id],
        ),
        query<{ n: number }>('SELECT COUNT(*) AS n FROM kb_history WHERE collection_id = $1', [
          collection.id,
        ]),
      ]);
      const byKind: Partial<Record<KnowledgeKind, number>> = {};
      for (const row of kinds) byKind[row.kind] = row.n;
      return {
        collection: collection.name,
        documents: documents[0]?.n ?? 0,
        chunks: kinds.reduce((sum, row) => sum + row.n, 0),
        byKind,
        languages: Object.fromEntries(languages.map((row) => [row.language, row.n])),
        history: history[0]?.n ?? 0,
        embedderId: collection.embedder_id,
        updatedAt: collection.updated_at,
      };
    },

    indexedCollectionIds: () => indexes.collectionIds(),

    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
  return store;
}

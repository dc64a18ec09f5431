import type { Pool, PoolClient } from 'pg';
import { createLexicalIndex, type LexicalIndex } from './lexical-index.ts';
import { parseMeta } from './stems.ts';
import { createVectorIndex, type VectorIndex } from './vector-index.ts';

/**
 * Each process's in-memory indexes of the PostgreSQL store's collections, caught up with what any
 * process committed: the chunks tombstoned since the generation an index saw are removed, the
 * rows after the last one it loaded are added, all read in one snapshot. The same indexes as the
 * embedded store's (lexical-index.ts, vector-index.ts), so both backends rank alike
 * (docs/decisions/0017-postgresql-knowledge-store.md says why not `tsvector` or pgvector).
 */
export interface CollectionIndexRow {
  id: number;
  name: string;
  dimensions: number;
  generation: number;
}

interface SyncedIndex<T> {
  index: T;
  generation: number;
  lastRowId: number;
  /** The catch-up in flight: concurrent searches wait for one load instead of starting their own. */
  pending?: Promise<T>;
}

/** Rows read per round trip while loading: bounds the memory a load holds beyond the index. */
const LOAD_BATCH = 5_000;

export interface PostgresIndexes {
  lexical(collection: CollectionIndexRow): Promise<LexicalIndex>;
  vector(collection: CollectionIndexRow): Promise<VectorIndex>;
  forget(collectionId: number): void;
  collectionIds(): number[];
}

/** A bytea of little-endian float32s as a vector, copied only when it is misaligned. */
export function vectorOf(bytes: Buffer): Float32Array {
  return bytes.byteOffset % 4 === 0
    ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
    : new Float32Array(new Uint8Array(bytes).buffer);
}

export function createPostgresIndexes(pool: Pool): PostgresIndexes {
  const lexicalIndexes = new Map<number, SyncedIndex<LexicalIndex>>();
  const vectorIndexes = new Map<number, SyncedIndex<VectorIndex>>();
  /** The collection id each name had when its indexes were loaded (a dropped and recreated one has a new id). */
  const indexedIds = new Map<string, number>();

  const evictStale = (collection: CollectionIndexRow) => {
    const previous = indexedIds.get(collection.name);
    if (previous === collection.id) return;
    if (previous !== undefined) {
      lexicalIndexes.delete(previous);
      vectorIndexes.delete(previous);
    }
    indexedIds.set(collection.name, collection.id);
  };

  async function catchUp<T extends { remove(id: number): void; reserve(additional: number): void }>(
    entry: SyncedIndex<T>,
    collection: CollectionIndexRow,
    load: (client: PoolClient, index: T, afterRowId: number) => Promise<number>,
  ): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const current = await client.query<{ generation: number }>(
        'SELECT generation FROM kb_collections WHERE id = $1',
        [collection.id],
      );
      if (entry.generation >= 0) {
        const removed = await client.query<{ chunk_rowid: number }>(
          'SELECT chunk_rowid FROM kb_chunk_tombstones WHERE collection_id = $1 AND generation > $2',
          [collection.id, entry.generation],
        );
        for (const row of removed.rows) entry.index.remove(row.chunk_rowid);
      }
      const added = await client.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM kb_chunk_stems WHERE collection_id = $1 AND chunk_rowid > $2',
        [collection.id, entry.lastRowId],
      );
      entry.index.reserve(added.rows[0]?.n ?? 0);
      entry.lastRowId = await load(client, entry.index, entry.lastRowId);
      entry.generation = current.rows[0]?.generation ?? collection.generation;
      await client.query('COMMIT');
      return entry.index;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  function synchronised<T extends { remove(id: number): void; reserve(additional: number): void }>(
    entries: Map<number, SyncedIndex<T>>,
    collection: CollectionIndexRow,
    create: () => T,
    load: (client: PoolClient, index: T, afterRowId: number) => Promise<number>,
  ): Promise<T> {
    evictStale(collection);
    let entry = entries.get(collection.id);
    if (!entry) {
      entry = { index: create(), generation: -1, lastRowId: 0 };
      entries.set(collection.id, entry);
    }
    const synced = entry;
    if (synced.pending) return synced.pending;
    if (synced.generation === collection.generation) return Promise.resolve(synced.index);
    synced.pending = catchUp(synced, collection, load)
      .catch((error: unknown) => {
        // The index may hold part of a load: the next search starts it over.
        entries.delete(collection.id);
        throw error;
      })
      .finally(() => {
        synced.pending = undefined;
      });
    return synced.pending;
  }

  /** Pages through a collection's rows after `afterRowId` by row id; returns the last id seen. */
  async function pageThrough<Row extends { id: number }>(
    client: PoolClient,
    sql: string,
    collectionId: number,
    afterRowId: number,
    each: (row: Row) => void,
  ): Promise<number> {
    let last = afterRowId;
    for (;;) {
      const page = await client.query<Row>(sql, [collectionId, last, LOAD_BATCH]);
      for (const row of page.rows) {
        each(row);
        last = row.id;
      }
      if (page.rows.length < LOAD_BATCH) return last;
    }
  }

  return {
    lexical: (collection) =>
      synchronised(lexicalIndexes, collection, createLexicalIndex, (client, index, afterRowId) =>
        pageThrough<{ id: number; title: string; body: string; meta: string }>(
          client,
          `SELECT chunk_rowid AS id, title, body, meta FROM kb_chunk_stems
           WHERE collection_id = $1 AND chunk_rowid > $2 ORDER BY chunk_rowid LIMIT $3`,
          collection.id,
          afterRowId,
          (row) => index.add(row.id, { title: row.title, body: row.body, meta: row.meta }),
        ),
      ),
    vector: (collection) =>
      synchronised(
        vectorIndexes,
        collection,
        () => createVectorIndex(collection.dimensions),
        (client, index, afterRowId) =>
          pageThrough<{ id: number; kind: string; language: string; embedding: Buffer; meta: string | null }>(
            client,
            `SELECT c.id, c.kind, c.language, c.embedding, s.meta FROM kb_chunks c
             LEFT JOIN kb_chunk_stems s ON s.chunk_rowid = c.id
             WHERE c.collection_id = $1 AND c.id > $2 ORDER BY c.id LIMIT $3`,
            collection.id,
            afterRowId,
            (row) =>
              index.add(
                row.id,
                vectorOf(row.embedding),
                row.kind,
                row.language,
                row.meta ? parseMeta(row.meta).tagTokens : [],
              ),
          ),
      ),
    forget(collectionId) {
      lexicalIndexes.delete(collectionId);
      vectorIndexes.delete(collectionId);
      for (const [name, id] of indexedIds) if (id === collectionId) indexedIds.delete(name);
    },
    collectionIds: () =>
      [...new Set([...lexicalIndexes.keys(), ...vectorIndexes.keys()])].sort((a, b) => a - b),
  };
}

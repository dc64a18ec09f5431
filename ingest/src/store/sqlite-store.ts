import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { StoreError } from '../errors.ts';
import type { Chunk, KnowledgeKind, SearchHit } from '../model.ts';
import {
  assertCollectionName,
  assertSameEmbedder,
  assertVectorDimensions,
  type CollectionRow,
  collectionInfoOf,
} from './collection-rules.ts';
import { type IndexedRows, searchCandidatesIndexed, searchIndexed } from './indexed-search.ts';
import type {
  CollectionInfo,
  CollectionStats,
  DocumentRecord,
  EmbedderIdentity,
  KnowledgeStore,
  SearchQuery,
} from './knowledge-store.ts';
import { createLexicalIndex, type LexicalIndex, restoreLexicalIndex } from './lexical-index.ts';
import { createSavedIndexFiles } from './saved-index-files.ts';
import { matchesFilter } from './search-filter.ts';
import { historyMethods } from './sqlite-history.ts';
import { parseMeta, stemFields } from './stems.ts';
import { createVectorIndex, type VectorIndex } from './vector-index.ts';

/**
 * The embedded knowledge store: one SQLite file (node:sqlite, WAL) holding documents, chunks with
 * their vectors, and each chunk's Snowball stems (`chunk_stems`).
 * Searches rank in memory: a lexical index (lexical-index.ts) and a vector index (vector-index.ts)
 * per collection, loaded from SQLite on first use and caught up with other writers through the
 * collection's generation and chunk tombstones. Everything about a document changes in one
 * transaction, so readers in other processes (the service while the CLI ingests) never see half
 * a document.
 * See docs/decisions/0001-embedded-knowledge-store.md for why this and not PGlite or LanceDB.
 */
export interface SqliteStoreOptions {
  /** Directory for `knowledge.sqlite`; ':memory:' for a throwaway store. */
  dataDir: string;
  tenant?: string;
  clock?: () => Date;
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS collections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT NOT NULL,
    name TEXT NOT NULL,
    embedder_id TEXT NOT NULL,
    dimensions INTEGER NOT NULL,
    generation INTEGER NOT NULL DEFAULT 0,
    history_generation INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, name)
  )`,
  `CREATE TABLE IF NOT EXISTS documents (
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    document_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    source_path TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (collection_id, document_id)
  )`,
  `CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    document_id TEXT NOT NULL,
    chunk_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    title_path TEXT NOT NULL,
    text TEXT NOT NULL,
    language TEXT NOT NULL,
    tags TEXT NOT NULL,
    category TEXT,
    source TEXT NOT NULL,
    metadata TEXT,
    embedding BLOB NOT NULL,
    UNIQUE (collection_id, chunk_id)
  )`,
  'CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks (collection_id, document_id, ordinal)',
  // The in-memory indexes load a collection's chunks in row order, from where they left off.
  'CREATE INDEX IF NOT EXISTS chunks_by_collection ON chunks (collection_id, id)',
  // Covers stats() (counts by kind and by language) without reading the wide chunk rows.
  'CREATE INDEX IF NOT EXISTS chunks_by_kind ON chunks (collection_id, kind, language)',
  `CREATE TABLE IF NOT EXISTS chunk_tombstones (
    collection_id INTEGER NOT NULL,
    chunk_rowid INTEGER NOT NULL,
    generation INTEGER NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS chunk_tombstones_by_generation ON chunk_tombstones (collection_id, generation)',
  // Each chunk's stems (stems.ts), computed once at ingest: the lexical index loads from here.
  `CREATE TABLE IF NOT EXISTS chunk_stems (
    chunk_rowid INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    meta TEXT NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS chunk_stems_by_collection ON chunk_stems (collection_id, chunk_rowid)',
  // A collection's lexical index as of (generation, last_rowid), so a reopened store need not
  // parse every chunk's stems again; it catches up from there like any other index.
  `CREATE TABLE IF NOT EXISTS lexical_snapshots (
    collection_id INTEGER PRIMARY KEY REFERENCES collections (id) ON DELETE CASCADE,
    generation INTEGER NOT NULL,
    last_rowid INTEGER NOT NULL,
    data BLOB NOT NULL
  )`,
  // Past customer questions and what answered them (knowledge-store.ts, HistoryEntry).
  `CREATE TABLE IF NOT EXISTS history (
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    history_id TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT,
    topic TEXT,
    document_ids TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (collection_id, history_id)
  )`,
  'CREATE INDEX IF NOT EXISTS history_by_age ON history (collection_id, created_at)',
];

const SCHEMA_VERSION = 6;
/**
 * Stores a migration brings to SCHEMA_VERSION when they are opened: schemas up to 5 lack the
 * `history` table and `collections.history_generation` (added); schema 4 still has a
 * per-collection FTS5 table that nothing reads (dropped); schema 3 also lacks `chunk_stems`
 * (computed once).
 */
const MIGRATABLE_VERSIONS: readonly number[] = [3, 4, 5];
const WITHOUT_STEMS_VERSION = 3;

/** Everything of a chunk but its vector, which only the vector index reads. */
const CHUNK_COLUMNS =
  'id, document_id, chunk_id, ordinal, kind, title, title_path, text, language, tags, category, source, metadata';

/**
 * Drops the FTS5 tables schemas 3 and 4 kept per collection: `chunks_fts_<id>` and, in a store
 * first written as schema 3, `chunks_fts_<id>_vocabulary`. FTS5 drops its shadow tables with them.
 * Later writes reuse the pages they held; `VACUUM` would return them to the file system.
 */
function dropFullTextTables(db: DatabaseSync): void {
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'chunks_fts_%'")
    .all()
    .map((row) => row.name as string);
  // A vocabulary table reads its FTS5 table, so it goes first.
  for (const name of names.filter((table) => /^chunks_fts_\d+_vocabulary$/.test(table)))
    db.exec(`DROP TABLE IF EXISTS "${name}"`);
  for (const name of names.filter((table) => /^chunks_fts_\d+$/.test(table)))
    db.exec(`DROP TABLE IF EXISTS "${name}"`);
}

/** Creates the schema, or brings a migratable one to SCHEMA_VERSION, under the write lock. */
function createOrMigrate(db: DatabaseSync): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    // Another process may have created or migrated the store since the version was read.
    const from = db.prepare('PRAGMA user_version').get()?.user_version as number;
    for (const statement of SCHEMA) db.exec(statement);
    const collectionColumns = db
      .prepare('PRAGMA table_info(collections)')
      .all()
      .map((row) => row.name);
    if (!collectionColumns.includes('history_generation'))
      db.exec('ALTER TABLE collections ADD COLUMN history_generation INTEGER NOT NULL DEFAULT 0');
    if (MIGRATABLE_VERSIONS.includes(from)) dropFullTextTables(db);
    if (from === WITHOUT_STEMS_VERSION) {
      const insert = db.prepare(
        'INSERT INTO chunk_stems (chunk_rowid, collection_id, title, body, meta) VALUES (?, ?, ?, ?, ?)',
      );
      for (const row of db.prepare(`SELECT collection_id, ${CHUNK_COLUMNS} FROM chunks`).iterate()) {
        const fields = stemFields(rowToChunk(row));
        insert.run(row.id as number, row.collection_id as number, fields.title, fields.body, fields.meta);
      }
    }
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    db.close();
    throw error;
  }
}

function rowToChunk(row: Record<string, SQLInputValue>): Chunk {
  return {
    chunkId: row.chunk_id as string,
    documentId: row.document_id as string,
    ordinal: row.ordinal as number,
    kind: row.kind as KnowledgeKind,
    title: row.title as string,
    titlePath: JSON.parse(row.title_path as string) as string[],
    text: row.text as string,
    language: row.language as string,
    tags: JSON.parse(row.tags as string) as string[],
    ...(row.category ? { category: row.category as string } : {}),
    source: row.source as string,
    ...(row.metadata ? { metadata: JSON.parse(row.metadata as string) as Record<string, unknown> } : {}),
  };
}

/** Rows a lexical index must load before it is worth saving a snapshot of it. */
const SNAPSHOT_AFTER_ROWS = 5_000;
const BUSY_TIMEOUT_MS = 10_000;

/** The knowledge store, plus what it holds in memory (for diagnostics and tests). */
export interface SqliteKnowledgeStore extends KnowledgeStore {
  /** Ids of the collections whose lexical or vector index this process holds, ascending. */
  indexedCollectionIds(): number[];
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteKnowledgeStore> {
  const tenant = options.tenant ?? 'default';
  const clock = options.clock ?? (() => new Date());
  const file = options.dataDir === ':memory:' ? ':memory:' : path.join(options.dataDir, 'knowledge.sqlite');
  if (file !== ':memory:') mkdirSync(options.dataDir, { recursive: true });

  const db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS });
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
  const version = db.prepare('PRAGMA user_version').get()?.user_version as number;
  const existing = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'collections'")
    .get();
  const migrating = Boolean(existing) && MIGRATABLE_VERSIONS.includes(version);
  if (existing && version !== SCHEMA_VERSION && !migrating) {
    db.close();
    throw new StoreError(
      'incompatible-store',
      `${file} was written by another version of Naparnik (schema ${version}, this one reads ${SCHEMA_VERSION}): ` +
        'move it aside and ingest again',
    );
  }
  // A store already at this schema opens without the write lock, so searches and the service
  // never wait behind an ingest; only creating or migrating the schema takes it.
  if (!existing || version !== SCHEMA_VERSION) createOrMigrate(db);

  let closed = false;
  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string): StatementSync => {
    if (closed) throw new StoreError('store-closed', 'the knowledge store is closed');
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const transaction = <T>(work: () => T): T => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  };

  const findCollection = (name: string): CollectionRow | undefined =>
    prepare('SELECT * FROM collections WHERE tenant_id = ? AND name = ?').get(tenant, name) as
      | CollectionRow
      | undefined;
  const requireCollection = (name: string): CollectionRow => {
    const row = findCollection(name);
    if (!row) throw new StoreError('collection-not-found', `collection "${name}" does not exist`);
    return row;
  };
  const toInfo = collectionInfoOf;
  /** The retriever's collection indexes between processes (not for a throwaway store). */
  const savedIndexes =
    file === ':memory:'
      ? undefined
      : createSavedIndexFiles({
          directory: path.join(options.dataDir, 'indexes'),
          collectionId: (name) => (closed ? undefined : findCollection(name)?.id),
        });

  /**
   * Removes a document's rows. Vector indexes in other processes learn of removed chunks from
   * tombstones stamped with the writing transaction's generation.
   */
  const deleteDocumentRows = (collection: CollectionRow, documentId: string, generation: number): boolean => {
    const chunkIds = prepare('SELECT id FROM chunks WHERE collection_id = ? AND document_id = ?')
      .all(collection.id, documentId)
      .map((row) => row.id as number);
    for (const id of chunkIds) {
      prepare('DELETE FROM chunk_stems WHERE chunk_rowid = ?').run(id);
      prepare('INSERT INTO chunk_tombstones (collection_id, chunk_rowid, generation) VALUES (?, ?, ?)').run(
        collection.id,
        id,
        generation,
      );
    }
    prepare('DELETE FROM chunks WHERE collection_id = ? AND document_id = ?').run(collection.id, documentId);
    return (
      Number(
        prepare('DELETE FROM documents WHERE collection_id = ? AND document_id = ?').run(
          collection.id,
          documentId,
        ).changes,
      ) > 0
    );
  };

  /** Starts a change to a collection: the new generation its vector indexes will catch up to. */
  const nextGeneration = (collection: CollectionRow): number =>
    prepare(
      'UPDATE collections SET generation = generation + 1, updated_at = ? WHERE id = ? RETURNING generation',
    ).get(clock().toISOString(), collection.id)!.generation as number;

  interface SyncedIndex<T> {
    index: T;
    generation: number;
    lastRowId: number;
  }
  /**
   * Brings a collection's in-memory index up to date with what any writer committed: removes
   * the chunks tombstoned since the generation it saw, then loads the chunks added after the
   * last row it loaded, all in one read transaction.
   */
  const synchronised = <T extends { remove(id: number): void; reserve(additional: number): void }>(
    entries: Map<number, SyncedIndex<T>>,
    collection: CollectionRow,
    create: () => T,
    load: (index: T, afterRowId: number) => number,
  ): T => {
    let entry = entries.get(collection.id);
    if (!entry) {
      entry = { index: create(), generation: -1, lastRowId: 0 };
      entries.set(collection.id, entry);
    }
    if (entry.generation === collection.generation) return entry.index;
    db.exec('BEGIN');
    try {
      const current = prepare('SELECT generation FROM collections WHERE id = ?').get(
        collection.id,
      )?.generation;
      if (entry.generation >= 0) {
        for (const row of prepare(
          'SELECT chunk_rowid FROM chunk_tombstones WHERE collection_id = ? AND generation > ?',
        ).all(collection.id, entry.generation)) {
          entry.index.remove(row.chunk_rowid as number);
          chunkKeys.delete(row.chunk_rowid as number);
        }
      }
      const added = prepare(
        'SELECT COUNT(*) AS n FROM chunk_stems WHERE collection_id = ? AND chunk_rowid > ?',
      ).get(collection.id, entry.lastRowId)!.n as number;
      entry.index.reserve(added);
      entry.lastRowId = load(entry.index, entry.lastRowId);
      entry.generation = typeof current === 'number' ? current : collection.generation;
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    return entry.index;
  };

  /**
   * Chunk and document ids by row id, for the indexes' candidates (`readChunkKeys`): reading ~300
   * rows' keys per search was ~4% of an assist request's CPU at 100k chunks. Filled as the vector
   * index loads rows (~13 MB at 100k chunks), and by reads of those it did not keep. A row id is
   * never reused (AUTOINCREMENT) and a row's keys never change, so a remembered key is the row's
   * own; a row tombstoned by any writer is forgotten as the indexes catch up, as they are before
   * every search. Cleared when it outgrows a large collection, as a dropped collection's rows stay.
   */
  const chunkKeys = new Map<number, { chunkId: string; documentId: string }>();
  const CHUNK_KEYS_KEPT = 250_000;

  const vectorIndexes = new Map<number, SyncedIndex<VectorIndex>>();
  const lexicalIndexes = new Map<number, SyncedIndex<LexicalIndex>>();
  /** The collection id each name had when its indexes were loaded. */
  const indexedIds = new Map<string, number>();
  /**
   * Forgets the indexes of a collection another process dropped and created again under the
   * same name (`--rebuild`): it has a new id, and the old id's indexes would never be read again.
   */
  const evictStale = (collection: CollectionRow) => {
    const previous = indexedIds.get(collection.name);
    if (previous === collection.id) return;
    if (previous !== undefined) {
      vectorIndexes.delete(previous);
      lexicalIndexes.delete(previous);
    }
    indexedIds.set(collection.name, collection.id);
  };
  const vectorIndexOf = (collection: CollectionRow): VectorIndex => {
    evictStale(collection);
    return synchronised(
      vectorIndexes,
      collection,
      () => createVectorIndex(collection.dimensions),
      (index, afterRowId) => {
        let last = afterRowId;
        for (const row of prepare(
          `SELECT c.id, c.chunk_id, c.document_id, c.kind, c.language, c.embedding, s.meta FROM chunks c
           LEFT JOIN chunk_stems s ON s.chunk_rowid = c.id
           WHERE c.collection_id = ? AND c.id > ? ORDER BY c.id`,
        ).iterate(collection.id, afterRowId)) {
          const bytes = row.embedding as Uint8Array;
          // node:sqlite hands each BLOB over in its own buffer; copy only when it is misaligned.
          const vector =
            bytes.byteOffset % 4 === 0
              ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
              : new Float32Array(bytes.slice().buffer);
          // The filter tokens carry the hashed tags; without them (a row written by an older
          // version while this one migrated) the chunk still has its kind and language.
          const tagTokens = typeof row.meta === 'string' ? parseMeta(row.meta).tagTokens : [];
          index.add(row.id as number, vector, row.kind as string, row.language as string, tagTokens);
          // The keys come with the row: a fresh process answers its first searches without
          // reading them back one candidate at a time.
          if (chunkKeys.size < CHUNK_KEYS_KEPT) {
            chunkKeys.set(row.id as number, {
              chunkId: row.chunk_id as string,
              documentId: row.document_id as string,
            });
          }
          last = row.id as number;
        }
        return last;
      },
    );
  };

  /**
   * Saves the index as it stands. Best effort, and never waits: the write lock is tried first and
   * the snapshot (~100 MB at 100k chunks) is built only once it is held; when another process has
   * the lock, a later large catch-up saves it instead.
   */
  const saveLexicalSnapshot = (collectionId: number, entry: SyncedIndex<LexicalIndex>) => {
    db.exec('PRAGMA busy_timeout = 0');
    try {
      transaction(() =>
        prepare(
          `INSERT INTO lexical_snapshots (collection_id, generation, last_rowid, data) VALUES (?, ?, ?, ?)
           ON CONFLICT (collection_id) DO UPDATE SET generation = excluded.generation,
             last_rowid = excluded.last_rowid, data = excluded.data`,
        ).run(collectionId, entry.generation, entry.lastRowId, entry.index.snapshot()),
      );
    } catch {
      // Busy, or the collection was dropped meanwhile: the snapshot is only a shortcut.
    } finally {
      db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  };
  /** Snapshots wait until the search that caught up has answered; close() saves what is left. */
  const pendingSnapshots = new Map<number, SyncedIndex<LexicalIndex>>();
  const flushSnapshots = () => {
    for (const [collectionId, entry] of pendingSnapshots) saveLexicalSnapshot(collectionId, entry);
    pendingSnapshots.clear();
  };
  const scheduleLexicalSnapshot = (collectionId: number, entry: SyncedIndex<LexicalIndex>) => {
    if (file === ':memory:') return;
    if (pendingSnapshots.size === 0) setImmediate(() => closed || flushSnapshots());
    pendingSnapshots.set(collectionId, entry);
  };
  const lexicalIndexOf = (collection: CollectionRow): LexicalIndex => {
    evictStale(collection);
    if (!lexicalIndexes.has(collection.id)) {
      const saved = prepare(
        'SELECT generation, last_rowid, data FROM lexical_snapshots WHERE collection_id = ?',
      ).get(collection.id);
      const restored =
        saved && (saved.generation as number) <= collection.generation
          ? restoreLexicalIndex(saved.data as Uint8Array)
          : undefined;
      if (restored) {
        lexicalIndexes.set(collection.id, {
          index: restored,
          generation: saved!.generation as number,
          lastRowId: saved!.last_rowid as number,
        });
      }
    }
    let loaded = 0;
    const index = synchronised(lexicalIndexes, collection, createLexicalIndex, (target, afterRowId) => {
      let last = afterRowId;
      for (const row of prepare(
        'SELECT chunk_rowid, title, body, meta FROM chunk_stems WHERE collection_id = ? AND chunk_rowid > ? ORDER BY chunk_rowid',
      ).iterate(collection.id, afterRowId)) {
        target.add(row.chunk_rowid as number, {
          title: row.title as string,
          body: row.body as string,
          meta: row.meta as string,
        });
        last = row.chunk_rowid as number;
        loaded++;
      }
      return last;
    });
    if (loaded >= SNAPSHOT_AFTER_ROWS)
      scheduleLexicalSnapshot(collection.id, lexicalIndexes.get(collection.id)!);
    return index;
  };

  /** What the shared in-memory search (indexed-search.ts) reads of a collection. */
  const indexedRows = (collection: CollectionRow, collectionName: string): IndexedRows => ({
    collectionName,
    dimensions: collection.dimensions,
    lexicalIndex: async () => lexicalIndexOf(collection),
    vectorIndex: async () => vectorIndexOf(collection),
    async readChunks(ids) {
      const chunks = new Map<number, Chunk>();
      for (let start = 0; start < ids.length; start += 500) {
        for (const row of prepare(
          `SELECT ${CHUNK_COLUMNS} FROM chunks WHERE id IN (SELECT value FROM json_each(?))`,
        ).all(JSON.stringify(ids.slice(start, start + 500)))) {
          chunks.set(row.id as number, rowToChunk(row));
        }
      }
      return chunks;
    },
    async readChunkKeys(ids) {
      const keys = new Map<number, { chunkId: string; documentId: string }>();
      const unknown: number[] = [];
      for (const id of ids) {
        const key = chunkKeys.get(id);
        if (key) keys.set(id, key);
        else unknown.push(id);
      }
      if (chunkKeys.size + unknown.length > CHUNK_KEYS_KEPT) chunkKeys.clear();
      for (let start = 0; start < unknown.length; start += 500) {
        for (const row of prepare(
          'SELECT id, chunk_id, document_id FROM chunks WHERE id IN (SELECT value FROM json_each(?))',
        ).all(JSON.stringify(unknown.slice(start, start + 500)))) {
          const key = { chunkId: row.chunk_id as string, documentId: row.document_id as string };
          keys.set(row.id as number, key);
          chunkKeys.set(row.id as number, key);
        }
      }
      return keys;
    },
  });

  const store: SqliteKnowledgeStore = {
    backend: 'sqlite',

    async ensureCollection(name: string, embedder: EmbedderIdentity): Promise<CollectionInfo> {
      assertCollectionName(name);
      const existing = findCollection(name);
      if (existing) {
        assertSameEmbedder(name, existing.embedder_id, embedder);
        return toInfo(existing);
      }
      const now = clock().toISOString();
      transaction(() => {
        prepare(
          'INSERT INTO collections (tenant_id, name, embedder_id, dimensions, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        ).run(tenant, name, embedder.id, embedder.dimensions, now, now);
      });
      return toInfo(requireCollection(name));
    },

    async getCollection(name) {
      const row = findCollection(name);
      return row ? toInfo(row) : undefined;
    },

    async listCollections() {
      return (
        prepare('SELECT * FROM collections WHERE tenant_id = ? ORDER BY name').all(
          tenant,
        ) as unknown as CollectionRow[]
      ).map(toInfo);
    },

    async dropCollection(name) {
      const collection = findCollection(name);
      if (!collection) return false;
      transaction(() => {
        prepare('DELETE FROM chunks WHERE collection_id = ?').run(collection.id);
        prepare('DELETE FROM chunk_tombstones WHERE collection_id = ?').run(collection.id);
        prepare('DELETE FROM chunk_stems WHERE collection_id = ?').run(collection.id);
        prepare('DELETE FROM lexical_snapshots WHERE collection_id = ?').run(collection.id);
        pendingSnapshots.delete(collection.id);
        prepare('DELETE FROM documents WHERE collection_id = ?').run(collection.id);
        prepare('DELETE FROM history WHERE collection_id = ?').run(collection.id);
        prepare('DELETE FROM collections WHERE id = ?').run(collection.id);
      });
      vectorIndexes.delete(collection.id);
      lexicalIndexes.delete(collection.id);
      savedIndexes?.forget(collection.id);
      if (indexedIds.get(collection.name) === collection.id) indexedIds.delete(collection.name);
      return true;
    },

    async upsertDocuments(collectionName, documents) {
      if (documents.length === 0) return;
      const collection = requireCollection(collectionName);
      assertVectorDimensions(collectionName, collection.dimensions, documents);
      const now = clock().toISOString();
      transaction(() => {
        const generation = nextGeneration(collection);
        for (const document of documents) {
          deleteDocumentRows(collection, document.documentId, generation);
          prepare(
            `INSERT INTO documents (collection_id, document_id, kind, title, content_hash, source, source_path, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(
            collection.id,
            document.documentId,
            document.kind,
            document.title,
            document.contentHash,
            document.source,
            document.sourcePath,
            now,
          );
          for (const chunk of document.chunks) {
            const inserted = prepare(
              `INSERT INTO chunks (collection_id, document_id, chunk_id, ordinal, kind, title, title_path, text, language, tags, category, source, metadata, embedding)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            ).run(
              collection.id,
              document.documentId,
              chunk.chunkId,
              chunk.ordinal,
              chunk.kind,
              chunk.title,
              JSON.stringify(chunk.titlePath),
              chunk.text,
              chunk.language,
              JSON.stringify(chunk.tags),
              chunk.category ?? null,
              chunk.source,
              chunk.metadata ? JSON.stringify(chunk.metadata) : null,
              new Uint8Array(chunk.vector.buffer, chunk.vector.byteOffset, chunk.vector.byteLength),
            );
            const rowId = Number(inserted.lastInsertRowid);
            const fields = stemFields(chunk);
            prepare(
              'INSERT INTO chunk_stems (chunk_rowid, collection_id, title, body, meta) VALUES (?, ?, ?, ?, ?)',
            ).run(rowId, collection.id, fields.title, fields.body, fields.meta);
          }
        }
      });
    },

    async deleteDocuments(collectionName, documentIds) {
      const collection = requireCollection(collectionName);
      return transaction(() => {
        const generation = nextGeneration(collection);
        let deleted = 0;
        for (const documentId of documentIds)
          if (deleteDocumentRows(collection, documentId, generation)) deleted++;
        return deleted;
      });
    },

    async listDocuments(collectionName) {
      const collection = requireCollection(collectionName);
      return prepare(
        `SELECT document_id, kind, title, content_hash, source, source_path, updated_at
         FROM documents WHERE collection_id = ? ORDER BY document_id`,
      )
        .all(collection.id)
        .map(
          (row): DocumentRecord => ({
            documentId: row.document_id as string,
            kind: row.kind as KnowledgeKind,
            title: row.title as string,
            contentHash: row.content_hash as string,
            source: row.source as string,
            sourcePath: row.source_path as string,
            updatedAt: row.updated_at as string,
          }),
        );
    },

    async listChunks(collectionName, filter) {
      const collection = requireCollection(collectionName);
      const kinds = filter?.kinds?.length ? filter.kinds : undefined;
      // Document ids narrow the read through the index by document (the retriever asks for the
      // few documents past questions vote for, in collections of any size).
      const documentIds = filter?.documentIds?.length ? filter.documentIds : undefined;
      const sql = `SELECT ${CHUNK_COLUMNS} FROM chunks WHERE collection_id = ?${
        documentIds ? ' AND document_id IN (SELECT value FROM json_each(?))' : ''
      }${kinds ? ` AND kind IN (${kinds.map(() => '?').join(', ')})` : ''} ORDER BY document_id, ordinal`;
      return prepare(sql)
        .all(collection.id, ...(documentIds ? [JSON.stringify(documentIds)] : []), ...(kinds ?? []))
        .map(rowToChunk)
        .filter((chunk) => matchesFilter(chunk, filter));
    },

    async search(collectionName, query: SearchQuery): Promise<SearchHit[]> {
      return searchIndexed(indexedRows(requireCollection(collectionName), collectionName), query);
    },

    async searchCandidates(collectionName, query) {
      return searchCandidatesIndexed(indexedRows(requireCollection(collectionName), collectionName), query);
    },

    ...historyMethods({ prepare, transaction, requireCollection }),

    async stats(collectionName): Promise<CollectionStats> {
      const collection = requireCollection(collectionName);
      const documents = prepare('SELECT COUNT(*) AS n FROM documents WHERE collection_id = ?').get(
        collection.id,
      )!.n as number;
      const byKind: Partial<Record<KnowledgeKind, number>> = {};
      let chunks = 0;
      for (const row of prepare(
        'SELECT kind, COUNT(*) AS n FROM chunks WHERE collection_id = ? GROUP BY kind',
      ).all(collection.id)) {
        byKind[row.kind as KnowledgeKind] = row.n as number;
        chunks += row.n as number;
      }
      const languages: Record<string, number> = {};
      for (const row of prepare(
        'SELECT language, COUNT(*) AS n FROM chunks WHERE collection_id = ? GROUP BY language',
      ).all(collection.id)) {
        languages[row.language as string] = row.n as number;
      }
      return {
        collection: collection.name,
        documents,
        chunks,
        byKind,
        languages,
        history: prepare('SELECT COUNT(*) AS n FROM history WHERE collection_id = ?').get(collection.id)!
          .n as number,
        embedderId: collection.embedder_id,
        updatedAt: collection.updated_at,
      };
    },

    indexedCollectionIds() {
      return [...new Set([...vectorIndexes.keys(), ...lexicalIndexes.keys()])].sort(
        (left, right) => left - right,
      );
    },

    ...(savedIndexes ? { savedIndexes } : {}),

    async close() {
      if (closed) return;
      await savedIndexes?.flush();
      if (closed) return;
      flushSnapshots();
      closed = true;
      statements.clear();
      db.close();
    },
  };
  return store;
}

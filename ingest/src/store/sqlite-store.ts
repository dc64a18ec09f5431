import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { StoreError } from '../errors.ts';
import { type Chunk, type KnowledgeKind, type SearchFilter, type SearchHit, searchHitOf } from '../model.ts';
import { BM25_WEIGHTS, ftsFields, ftsQuery, queryStems, selectStems } from './fts.ts';
import type {
  CollectionInfo,
  CollectionStats,
  DocumentRecord,
  EmbedderIdentity,
  KnowledgeStore,
  SearchQuery,
} from './knowledge-store.ts';
import { fuseRankings } from './rank-fusion.ts';
import { createVectorIndex, type VectorIndex } from './vector-index.ts';

/**
 * The embedded knowledge store: one SQLite file (node:sqlite, WAL) holding documents and chunks,
 * an FTS5 index over Snowball-stemmed text, and sqlite-vec tables for vectors (one per vector
 * size, partitioned by collection). Everything about a document changes in one transaction, so
 * readers in other processes (the service while the CLI ingests) never see half a document.
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
  `CREATE TABLE IF NOT EXISTS chunk_tombstones (
    collection_id INTEGER NOT NULL,
    chunk_rowid INTEGER NOT NULL,
    generation INTEGER NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS chunk_tombstones_by_generation ON chunk_tombstones (collection_id, generation)',
];

const SCHEMA_VERSION = 3;

/** Everything of a chunk but its vector, which only the vector index reads. */
const CHUNK_COLUMNS =
  'id, document_id, chunk_id, ordinal, kind, title, title_path, text, language, tags, category, source, metadata';

/** A collection's own full-text index and its term statistics (named by the collection's id). */
function ftsTable(collectionId: number): string {
  return `chunks_fts_${collectionId}`;
}
function createFtsTables(collectionId: number): string[] {
  const table = ftsTable(collectionId);
  return [
    `CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING fts5(
      title, body, meta, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 0 tokenchars '_'"
    )`,
    `CREATE VIRTUAL TABLE IF NOT EXISTS ${table}_vocabulary USING fts5vocab(${table}, 'row')`,
  ];
}

/** How many candidates each retriever contributes before fusion. */
const CANDIDATES = 60;

export async function openSqliteStore(options: SqliteStoreOptions): Promise<KnowledgeStore> {
  const tenant = options.tenant ?? 'default';
  const clock = options.clock ?? (() => new Date());
  const file = options.dataDir === ':memory:' ? ':memory:' : path.join(options.dataDir, 'knowledge.sqlite');
  if (file !== ':memory:') mkdirSync(options.dataDir, { recursive: true });

  const db = new DatabaseSync(file, { timeout: 10_000 });
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
  const version = db.prepare('PRAGMA user_version').get()?.user_version as number;
  const existing = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'collections'")
    .get();
  if (existing && version !== SCHEMA_VERSION) {
    db.close();
    throw new StoreError(
      'incompatible-store',
      `${file} was written by another version of Naparnik (schema ${version}, this one reads ${SCHEMA_VERSION}): ` +
        'move it aside and ingest again',
    );
  }
  for (const statement of SCHEMA) db.exec(statement);
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);

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

  interface CollectionRow {
    id: number;
    name: string;
    embedder_id: string;
    dimensions: number;
    generation: number;
    created_at: string;
    updated_at: string;
  }
  const findCollection = (name: string): CollectionRow | undefined =>
    prepare('SELECT * FROM collections WHERE tenant_id = ? AND name = ?').get(tenant, name) as
      | CollectionRow
      | undefined;
  const requireCollection = (name: string): CollectionRow => {
    const row = findCollection(name);
    if (!row) throw new StoreError('collection-not-found', `collection "${name}" does not exist`);
    return row;
  };
  const toInfo = (row: CollectionRow): CollectionInfo => ({
    name: row.name,
    embedderId: row.embedder_id,
    dimensions: row.dimensions,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
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
      prepare(`DELETE FROM ${ftsTable(collection.id)} WHERE rowid = ?`).run(id);
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

  const vectorIndexes = new Map<number, { index: VectorIndex; generation: number; lastRowId: number }>();
  /** The collection's in-memory vector index, brought up to date with what any writer committed. */
  const vectorIndexOf = (collection: CollectionRow): VectorIndex => {
    let entry = vectorIndexes.get(collection.id);
    if (!entry) {
      entry = { index: createVectorIndex(collection.dimensions), generation: -1, lastRowId: 0 };
      vectorIndexes.set(collection.id, entry);
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
        }
      }
      for (const row of prepare(
        'SELECT id, kind, language, embedding FROM chunks WHERE collection_id = ? AND id > ? ORDER BY id',
      ).iterate(collection.id, entry.lastRowId)) {
        const bytes = row.embedding as Uint8Array;
        const vector = new Float32Array(
          bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        );
        entry.index.add(row.id as number, vector, row.kind as string, row.language as string);
        entry.lastRowId = row.id as number;
      }
      entry.generation = typeof current === 'number' ? current : collection.generation;
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    return entry.index;
  };

  const rowToChunk = (row: Record<string, SQLInputValue>): Chunk => ({
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
  });

  const matchesFilter = (chunk: Chunk, filter: SearchFilter | undefined): boolean => {
    if (!filter) return true;
    if (filter.kinds?.length && !filter.kinds.includes(chunk.kind)) return false;
    if (
      filter.languages?.length &&
      !filter.languages.some((language) => language.toLowerCase() === chunk.language)
    )
      return false;
    if (filter.documentIds?.length && !filter.documentIds.includes(chunk.documentId)) return false;
    if (filter.tags?.length) {
      const wanted = new Set(filter.tags.map((tag) => tag.trim().toLowerCase()));
      const own = [...chunk.tags, ...(chunk.category ? [chunk.category] : [])].map((tag) =>
        tag.toLowerCase(),
      );
      if (!own.some((tag) => wanted.has(tag))) return false;
    }
    return true;
  };

  const store: KnowledgeStore = {
    backend: 'sqlite',

    async ensureCollection(name: string, embedder: EmbedderIdentity): Promise<CollectionInfo> {
      if (!/^[\p{L}\p{N}][\p{L}\p{N}_.-]{0,63}$/u.test(name)) {
        throw new StoreError(
          'invalid-input',
          `invalid collection name "${name}": use 1-64 letters, digits, "_", "." or "-", starting with a letter or digit`,
        );
      }
      const existing = findCollection(name);
      if (existing) {
        if (existing.embedder_id !== embedder.id) {
          throw new StoreError(
            'embedder-mismatch',
            `collection "${name}" was built with embedder ${existing.embedder_id}, not ${embedder.id}: ` +
              'configure that embedder again, or re-ingest with --reembed to rebuild its vectors',
          );
        }
        return toInfo(existing);
      }
      const now = clock().toISOString();
      transaction(() => {
        const created = prepare(
          'INSERT INTO collections (tenant_id, name, embedder_id, dimensions, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        ).run(tenant, name, embedder.id, embedder.dimensions, now, now);
        for (const statement of createFtsTables(Number(created.lastInsertRowid))) db.exec(statement);
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
        db.exec(`DROP TABLE IF EXISTS ${ftsTable(collection.id)}_vocabulary`);
        db.exec(`DROP TABLE IF EXISTS ${ftsTable(collection.id)}`);
        prepare('DELETE FROM chunks WHERE collection_id = ?').run(collection.id);
        prepare('DELETE FROM chunk_tombstones WHERE collection_id = ?').run(collection.id);
        prepare('DELETE FROM documents WHERE collection_id = ?').run(collection.id);
        prepare('DELETE FROM collections WHERE id = ?').run(collection.id);
      });
      vectorIndexes.delete(collection.id);
      return true;
    },

    async upsertDocuments(collectionName, documents) {
      if (documents.length === 0) return;
      const collection = requireCollection(collectionName);
      for (const document of documents) {
        for (const chunk of document.chunks) {
          if (chunk.vector.length !== collection.dimensions) {
            throw new StoreError(
              'invalid-input',
              `chunk ${chunk.chunkId}: vector has ${chunk.vector.length} dimensions, collection "${collectionName}" expects ${collection.dimensions}`,
            );
          }
        }
      }
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
            const fields = ftsFields(chunk);
            prepare(
              `INSERT INTO ${ftsTable(collection.id)} (rowid, title, body, meta) VALUES (?, ?, ?, ?)`,
            ).run(rowId, fields.title, fields.body, fields.meta);
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
      const sql = `SELECT ${CHUNK_COLUMNS} FROM chunks WHERE collection_id = ?${
        kinds ? ` AND kind IN (${kinds.map(() => '?').join(', ')})` : ''
      } ORDER BY document_id, ordinal`;
      return prepare(sql)
        .all(collection.id, ...(kinds ?? []))
        .map(rowToChunk)
        .filter((chunk) => matchesFilter(chunk, filter));
    },

    async search(collectionName, query: SearchQuery): Promise<SearchHit[]> {
      const collection = requireCollection(collectionName);
      const topK = Math.max(1, Math.min(query.topK, 200));
      const filter = query.filter;
      // Filters FTS5 and vec0 cannot apply themselves are applied afterwards, from a deeper pool.
      const postFiltered = Boolean(filter?.documentIds?.length || filter?.tags?.length);
      const pool = Math.max(CANDIDATES, topK * 3) * (postFiltered ? 5 : 1);
      const lexicalWeight = query.weights?.lexical ?? 1;
      const vectorWeight = query.weights?.vector ?? 1;

      const lexical: Array<{ id: number; score: number }> = [];
      let match: string | undefined;
      if (lexicalWeight > 0) {
        const stems = queryStems(query.text);
        const frequencies = new Map<string, number>();
        if (stems.length > 0) {
          const rows = prepare(
            `SELECT term, doc FROM ${ftsTable(collection.id)}_vocabulary WHERE term IN (${stems.map(() => '?').join(', ')})`,
          ).all(...stems);
          for (const row of rows) frequencies.set(row.term as string, row.doc as number);
        }
        match = ftsQuery(selectStems(stems, frequencies), filter);
      }
      if (match) {
        const rows = prepare(
          `SELECT rowid AS id, bm25(${ftsTable(collection.id)}, ${BM25_WEIGHTS.join(', ')}) AS rank
           FROM ${ftsTable(collection.id)} WHERE ${ftsTable(collection.id)} MATCH ? ORDER BY rank LIMIT ?`,
        ).all(match, pool);
        for (const row of rows) lexical.push({ id: row.id as number, score: -(row.rank as number) });
      }

      const vector: Array<{ id: number; similarity: number }> = [];
      if (query.vector && vectorWeight > 0) {
        if (query.vector.length !== collection.dimensions) {
          throw new StoreError(
            'invalid-input',
            `query vector has ${query.vector.length} dimensions, collection "${collectionName}" expects ${collection.dimensions}`,
          );
        }
        const matches = vectorIndexOf(collection).search(query.vector, pool, {
          ...(filter?.kinds?.length ? { kinds: filter.kinds } : {}),
          ...(filter?.languages?.length
            ? { languages: filter.languages.map((language) => language.toLowerCase()) }
            : {}),
        });
        vector.push(...matches);
      }

      const ids = [...new Set([...lexical.map((hit) => hit.id), ...vector.map((hit) => hit.id)])];
      if (ids.length === 0) return [];
      const chunks = new Map<number, Chunk>();
      for (let start = 0; start < ids.length; start += 500) {
        const batch = ids.slice(start, start + 500);
        const rows = db
          .prepare(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE id IN (${batch.map(() => '?').join(', ')})`)
          .all(...batch);
        for (const row of rows) {
          const chunk = rowToChunk(row);
          if (matchesFilter(chunk, filter)) chunks.set(row.id as number, chunk);
        }
      }

      const lexicalKept = lexical.filter((hit) => chunks.has(hit.id));
      const vectorKept = vector.filter((hit) => chunks.has(hit.id));
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
      return fused.map(({ id, score }): SearchHit => {
        const chunk = chunks.get(id)!;
        const lexicalSignal = lexicalById.get(id);
        const vectorSignal = vectorById.get(id);
        return searchHitOf(chunk, score, {
          ...(lexicalSignal ? { lexicalRank: lexicalSignal.rank, lexicalScore: lexicalSignal.score } : {}),
          ...(vectorSignal
            ? { vectorRank: vectorSignal.rank, vectorSimilarity: vectorSignal.similarity }
            : {}),
        });
      });
    },

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
        embedderId: collection.embedder_id,
        updatedAt: collection.updated_at,
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      statements.clear();
      db.close();
    },
  };
  return store;
}

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import * as sqliteVec from 'sqlite-vec';
import { StoreError } from '../errors.ts';
import type { Chunk, KnowledgeKind, SearchFilter, SearchHit } from '../model.ts';
import { BM25_WEIGHTS, ftsFields, ftsQuery } from './fts.ts';
import type {
  CollectionInfo,
  CollectionStats,
  DocumentRecord,
  EmbedderIdentity,
  KnowledgeStore,
  SearchQuery,
} from './knowledge-store.ts';
import { fuseRankings } from './rank-fusion.ts';

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
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    name TEXT NOT NULL,
    embedder_id TEXT NOT NULL,
    dimensions INTEGER NOT NULL,
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
    id INTEGER PRIMARY KEY,
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
    UNIQUE (collection_id, chunk_id)
  )`,
  'CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks (collection_id, document_id, ordinal)',
  `CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    title, body, meta, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 0 tokenchars '_'"
  )`,
];

/** How many candidates each retriever contributes before fusion. */
const CANDIDATES = 60;

export async function openSqliteStore(options: SqliteStoreOptions): Promise<KnowledgeStore> {
  const tenant = options.tenant ?? 'default';
  const clock = options.clock ?? (() => new Date());
  const file = options.dataDir === ':memory:' ? ':memory:' : path.join(options.dataDir, 'knowledge.sqlite');
  if (file !== ':memory:') mkdirSync(options.dataDir, { recursive: true });

  const db = new DatabaseSync(file, { allowExtension: true, timeout: 10_000 });
  db.loadExtension(sqliteVec.getLoadablePath());
  db.enableLoadExtension(false);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
  for (const statement of SCHEMA) db.exec(statement);

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

  const vectorTable = (dimensions: number): string => {
    const table = `chunk_vectors_${dimensions}`;
    db.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING vec0(
        collection_id INTEGER PARTITION KEY, kind TEXT, language TEXT,
        embedding FLOAT[${dimensions}] distance_metric=cosine)`,
    );
    return table;
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

  const deleteDocumentRows = (collection: CollectionRow, documentId: string): boolean => {
    const table = vectorTable(collection.dimensions);
    const chunkIds = prepare('SELECT id FROM chunks WHERE collection_id = ? AND document_id = ?')
      .all(collection.id, documentId)
      .map((row) => row.id as number);
    for (const id of chunkIds) {
      prepare('DELETE FROM chunks_fts WHERE rowid = ?').run(id);
      prepare(`DELETE FROM ${table} WHERE rowid = ?`).run(BigInt(id));
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

  const touch = (collection: CollectionRow) =>
    prepare('UPDATE collections SET updated_at = ? WHERE id = ?').run(clock().toISOString(), collection.id);

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
      prepare(
        'INSERT INTO collections (tenant_id, name, embedder_id, dimensions, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(tenant, name, embedder.id, embedder.dimensions, now, now);
      vectorTable(embedder.dimensions);
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
        const table = vectorTable(collection.dimensions);
        const ids = prepare('SELECT id FROM chunks WHERE collection_id = ?').all(collection.id);
        for (const { id } of ids) {
          prepare('DELETE FROM chunks_fts WHERE rowid = ?').run(id as number);
          prepare(`DELETE FROM ${table} WHERE rowid = ?`).run(BigInt(id as number));
        }
        prepare('DELETE FROM chunks WHERE collection_id = ?').run(collection.id);
        prepare('DELETE FROM documents WHERE collection_id = ?').run(collection.id);
        prepare('DELETE FROM collections WHERE id = ?').run(collection.id);
      });
      return true;
    },

    async upsertDocuments(collectionName, documents) {
      if (documents.length === 0) return;
      const collection = requireCollection(collectionName);
      const table = vectorTable(collection.dimensions);
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
        for (const document of documents) {
          deleteDocumentRows(collection, document.documentId);
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
              `INSERT INTO chunks (collection_id, document_id, chunk_id, ordinal, kind, title, title_path, text, language, tags, category, source, metadata)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
            );
            const rowId = Number(inserted.lastInsertRowid);
            const fields = ftsFields(collection.id, chunk);
            prepare('INSERT INTO chunks_fts (rowid, title, body, meta) VALUES (?, ?, ?, ?)').run(
              rowId,
              fields.title,
              fields.body,
              fields.meta,
            );
            prepare(
              `INSERT INTO ${table} (rowid, collection_id, kind, language, embedding) VALUES (?, ?, ?, ?, ?)`,
            ).run(
              BigInt(rowId),
              BigInt(collection.id),
              chunk.kind,
              chunk.language,
              new Uint8Array(chunk.vector.buffer, chunk.vector.byteOffset, chunk.vector.byteLength),
            );
          }
        }
        touch(collection);
      });
    },

    async deleteDocuments(collectionName, documentIds) {
      const collection = requireCollection(collectionName);
      return transaction(() => {
        let deleted = 0;
        for (const documentId of documentIds) if (deleteDocumentRows(collection, documentId)) deleted++;
        if (deleted > 0) touch(collection);
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
      const sql = `SELECT * FROM chunks WHERE collection_id = ?${
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
      const match = lexicalWeight > 0 ? ftsQuery(collection.id, query.text, filter) : undefined;
      if (match) {
        const rows = prepare(
          `SELECT rowid AS id, bm25(chunks_fts, ${BM25_WEIGHTS.join(', ')}) AS rank
           FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?`,
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
        const conditions = ['embedding MATCH ?', 'k = ?', 'collection_id = ?'];
        const parameters: SQLInputValue[] = [
          new Uint8Array(query.vector.buffer, query.vector.byteOffset, query.vector.byteLength),
          BigInt(Math.min(pool, 4096)),
          BigInt(collection.id),
        ];
        if (filter?.kinds?.length) {
          conditions.push(`kind IN (${filter.kinds.map(() => '?').join(', ')})`);
          parameters.push(...filter.kinds);
        }
        if (filter?.languages?.length) {
          conditions.push(`language IN (${filter.languages.map(() => '?').join(', ')})`);
          parameters.push(...filter.languages.map((language) => language.toLowerCase()));
        }
        const rows = prepare(
          `SELECT rowid AS id, distance FROM ${vectorTable(collection.dimensions)} WHERE ${conditions.join(' AND ')}`,
        ).all(...parameters);
        for (const row of rows) vector.push({ id: Number(row.id), similarity: 1 - (row.distance as number) });
      }

      const ids = [...new Set([...lexical.map((hit) => hit.id), ...vector.map((hit) => hit.id)])];
      if (ids.length === 0) return [];
      const chunks = new Map<number, Chunk>();
      for (let start = 0; start < ids.length; start += 500) {
        const batch = ids.slice(start, start + 500);
        const rows = db
          .prepare(`SELECT * FROM chunks WHERE id IN (${batch.map(() => '?').join(', ')})`)
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
        return {
          documentId: chunk.documentId,
          chunkId: chunk.chunkId,
          score,
          kind: chunk.kind,
          title: chunk.title,
          titlePath: chunk.titlePath,
          text: chunk.text,
          source: chunk.source,
          language: chunk.language,
          tags: chunk.tags,
          ...(chunk.category ? { category: chunk.category } : {}),
          ...(chunk.metadata ? { metadata: chunk.metadata } : {}),
          signals: {
            ...(lexicalSignal ? { lexicalRank: lexicalSignal.rank, lexicalScore: lexicalSignal.score } : {}),
            ...(vectorSignal
              ? { vectorRank: vectorSignal.rank, vectorSimilarity: vectorSignal.similarity }
              : {}),
          },
        };
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

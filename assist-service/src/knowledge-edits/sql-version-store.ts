import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import {
  type Actor,
  knowledgeVersionSchema,
  type ReviewFlag,
  reviewFlagSchema,
} from '../contract/knowledge-edits.ts';
import { migrate } from '../feedback/sqlite-event-store.ts';
import type { Queryable, TransactionalDatabase } from '../storage/postgres-database.ts';
import { sqliteDatabase } from '../storage/sqlite-database.ts';
import { KNOWLEDGE_VERSION_MIGRATIONS } from './migrations.ts';
import type { DocumentKey, KnowledgeVersionStore, StoredVersion } from './version-store.ts';

type Row = Record<string, SQLInputValue>;

const text = (value: SQLInputValue | undefined): string | undefined =>
  value === null || value === undefined ? undefined : String(value);

function actor(name: SQLInputValue | undefined, role: SQLInputValue | undefined): Actor | undefined {
  const actorName = text(name);
  return actorName === undefined ? undefined : { name: actorName, role: text(role) ?? '' };
}

function toVersion(row: Row): StoredVersion {
  const reviewedBy = actor(row.reviewed_by_name, row.reviewed_by_role);
  const optional = {
    note: text(row.note),
    rollbackOf: row.rollback_of === null ? undefined : Number(row.rollback_of),
    reviewedBy,
    reviewedAt: text(row.reviewed_at),
    reviewNote: text(row.review_note),
    reviewOverride: text(row.review_override),
  };
  // Parsed on the way out: a row edited by hand must not reach a browser unchecked.
  const version = knowledgeVersionSchema.parse({
    collection: row.collection,
    documentId: row.document_id,
    version: Number(row.version),
    kind: row.kind,
    format: row.format,
    content: row.content,
    editable: Number(row.editable) === 1,
    author: actor(row.author_name, row.author_role) ?? null,
    createdAt: row.created_at,
    source: row.source,
    sourceFile: row.source_file,
    status: row.status,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  });
  const contentHash = text(row.content_hash);
  return contentHash === undefined ? version : { ...version, contentHash };
}

function toFlag(row: Row): ReviewFlag {
  return reviewFlagSchema.parse({
    collection: row.collection,
    documentId: row.document_id,
    note: row.note,
    flaggedBy: { name: row.flagged_by_name, role: row.flagged_by_role },
    flaggedAt: row.flagged_at,
  });
}

/** `?` placeholders numbered `$1, $2…` in order (what both the pool and `sqliteDatabase` take). */
function numbered(sql: string): string {
  let count = 0;
  return sql.replace(/\?/gu, () => `$${++count}`);
}

const WHERE = 'tenant = ? AND collection = ? AND document_id = ?';
const keyOf = (key: DocumentKey) => [key.tenant, key.collection, key.documentId] as const;

/** The store's SQL: plain SQL that SQLite and PostgreSQL both accept. */
const SQL = {
  // One statement numbers and inserts; a version another process numbered first conflicts, and
  // the next attempt numbers above it.
  insert: numbered(
    `INSERT INTO knowledge_versions (tenant, collection, document_id, version, kind, format, content,
      editable, author_name, author_role, created_at, source, source_file, status, note, rollback_of,
      content_hash)
      SELECT ?, ?, ?, COALESCE(MAX(version), 0) + 1, ?, ?, ?, CAST(? AS INTEGER), ?, ?, ?, ?, ?, ?, ?,
        CAST(? AS INTEGER), ?
      FROM knowledge_versions WHERE ${WHERE}
      ON CONFLICT (tenant, collection, document_id, version) DO NOTHING RETURNING version`,
  ),
  list: numbered(`SELECT * FROM knowledge_versions WHERE ${WHERE} ORDER BY version DESC`),
  get: numbered(`SELECT * FROM knowledge_versions WHERE ${WHERE} AND version = ?`),
  // One statement: the served version before it superseded, this one served. Atomic on SQLite as
  // it is; on PostgreSQL two at once could each miss the other's, hence the document's lock.
  serve: numbered(
    `UPDATE knowledge_versions SET
      status = CASE WHEN version = ? THEN 'served' ELSE 'superseded' END,
      content_hash = CASE WHEN version = ? THEN ? ELSE content_hash END,
      reviewed_by_name = CASE WHEN version = ? THEN COALESCE(?, reviewed_by_name) ELSE reviewed_by_name END,
      reviewed_by_role = CASE WHEN version = ? THEN COALESCE(?, reviewed_by_role) ELSE reviewed_by_role END,
      reviewed_at = CASE WHEN version = ? THEN COALESCE(?, reviewed_at) ELSE reviewed_at END,
      review_note = CASE WHEN version = ? THEN COALESCE(?, review_note) ELSE review_note END,
      review_override = CASE WHEN version = ? THEN COALESCE(?, review_override) ELSE review_override END
      WHERE ${WHERE} AND (version = ? OR status = 'served')`,
  ),
  reject: numbered(
    `UPDATE knowledge_versions SET status = 'rejected', reviewed_by_name = ?, reviewed_by_role = ?,
      reviewed_at = ?, review_note = ? WHERE ${WHERE} AND version = ? AND status = 'pending'`,
  ),
  discard: numbered(`DELETE FROM knowledge_versions WHERE ${WHERE} AND version = ?`),
  pending: numbered(
    `SELECT * FROM knowledge_versions WHERE tenant = ? AND status = 'pending'
      ORDER BY created_at, collection, document_id, version`,
  ),
  flag: numbered(
    `INSERT INTO knowledge_review_flags (tenant, collection, document_id, note, flagged_by_name, flagged_by_role, flagged_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (tenant, collection, document_id) DO UPDATE SET note = excluded.note,
        flagged_by_name = excluded.flagged_by_name, flagged_by_role = excluded.flagged_by_role,
        flagged_at = excluded.flagged_at`,
  ),
  unflag: numbered(`DELETE FROM knowledge_review_flags WHERE ${WHERE}`),
  flagOf: numbered(`SELECT * FROM knowledge_review_flags WHERE ${WHERE}`),
  flags: numbered(
    'SELECT * FROM knowledge_review_flags WHERE tenant = ? ORDER BY flagged_at, collection, document_id',
  ),
  setting: numbered(
    'SELECT require_review FROM knowledge_review_settings WHERE tenant = ? AND collection = ?',
  ),
  setSetting: numbered(
    `INSERT INTO knowledge_review_settings (tenant, collection, require_review, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (tenant, collection) DO UPDATE SET require_review = excluded.require_review,
        updated_at = excluded.updated_at`,
  ),
};

/** Attempts at numbering a version while other processes number the same document's. */
const NUMBERING_ATTEMPTS = 20;

/**
 * The version store over either backend's connection. `lockDocument` serialises changes of one
 * document's statuses across processes (PostgreSQL: an advisory lock); SQLite's write transactions
 * already take turns.
 */
function versionStoreOn(
  database: TransactionalDatabase,
  options: { lockDocument?: (client: Queryable, key: DocumentKey) => Promise<void>; close(): Promise<void> },
): KnowledgeVersionStore {
  const rowsOf = (client: Queryable, sql: string, parameters: readonly unknown[]) =>
    client.rows<Row>(sql, parameters);
  const first = async (client: Queryable, sql: string, parameters: readonly unknown[]) =>
    (await rowsOf(client, sql, parameters))[0];
  return {
    async add(key, version) {
      for (let attempt = 0; attempt < NUMBERING_ATTEMPTS; attempt++) {
        const inserted = await first(database, SQL.insert, [
          ...keyOf(key),
          version.kind,
          version.format,
          version.content,
          version.editable ? 1 : 0,
          version.author?.name ?? null,
          version.author?.role ?? null,
          version.createdAt,
          version.source,
          version.sourceFile,
          version.status,
          version.note ?? null,
          version.rollbackOf ?? null,
          version.contentHash ?? null,
          ...keyOf(key),
        ]);
        if (inserted) return toVersion((await first(database, SQL.get, [...keyOf(key), inserted.version]))!);
      }
      throw new Error(`knowledge versions: could not number a version of "${key.documentId}"`);
    },
    async list(key) {
      return (await rowsOf(database, SQL.list, keyOf(key))).map(toVersion);
    },
    async get(key, version) {
      const row = await first(database, SQL.get, [...keyOf(key), version]);
      return row ? toVersion(row) : undefined;
    },
    async markServed(key, version, contentHash, review) {
      const serve = (client: Queryable) =>
        client.run(SQL.serve, [
          version,
          version,
          contentHash,
          version,
          review?.by.name ?? null,
          version,
          review?.by.role ?? null,
          version,
          review?.at ?? null,
          version,
          review?.note ?? null,
          version,
          review?.override ?? null,
          ...keyOf(key),
          version,
        ]);
      const { lockDocument } = options;
      if (!lockDocument) {
        await serve(database);
        return;
      }
      await database.transaction(async (client) => {
        await lockDocument(client, key);
        await serve(client);
      });
    },
    async reject(key, version, review) {
      await database.run(SQL.reject, [
        review.by.name,
        review.by.role,
        review.at,
        review.note ?? null,
        ...keyOf(key),
        version,
      ]);
    },
    async discard(key, version) {
      await database.run(SQL.discard, [...keyOf(key), version]);
    },
    async pending(tenant) {
      return (await rowsOf(database, SQL.pending, [tenant])).map(toVersion);
    },
    async flag(key, flag) {
      if (!flag) {
        await database.run(SQL.unflag, keyOf(key));
        return;
      }
      await database.run(SQL.flag, [...keyOf(key), flag.note, flag.by.name, flag.by.role, flag.at]);
    },
    async flagOf(key) {
      const row = await first(database, SQL.flagOf, keyOf(key));
      return row ? toFlag(row) : undefined;
    },
    async flags(tenant) {
      return (await rowsOf(database, SQL.flags, [tenant])).map(toFlag);
    },
    async requireReview(tenant, collection) {
      return Number((await first(database, SQL.setting, [tenant, collection]))?.require_review ?? 0) === 1;
    },
    async setRequireReview(tenant, collection, required, at) {
      await database.run(SQL.setSetting, [tenant, collection, required ? 1 : 0, at]);
    },
    close: options.close,
  };
}

/** Knowledge versions in an SQLite file in the data directory (`:memory:` for a throwaway store). */
export function openSqliteVersionStore(options: { file: string }): KnowledgeVersionStore {
  if (options.file !== ':memory:') mkdirSync(path.dirname(options.file), { recursive: true });
  const database = new DatabaseSync(options.file);
  database.exec('PRAGMA journal_mode = WAL');
  database.exec('PRAGMA busy_timeout = 5000');
  migrate(database, KNOWLEDGE_VERSION_MIGRATIONS);
  return versionStoreOn(sqliteDatabase(database), { close: async () => database.close() });
}

/**
 * Knowledge versions in the service's PostgreSQL tables (`SERVICE_MIGRATIONS` version 4): every
 * replica sees every edit, rollback, review and flag. The pool is the service's; closing the store
 * leaves it open.
 */
export function openPostgresVersionStore(options: {
  database: TransactionalDatabase;
}): KnowledgeVersionStore {
  return versionStoreOn(options.database, {
    lockDocument: async (client, key) => {
      await client.rows('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `knowledge-versions:${key.tenant}:${key.collection}:${key.documentId}`,
      ]);
    },
    close: async () => undefined,
  });
}

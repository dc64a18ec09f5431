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
import { immediateTransaction } from '../storage/sqlite-transaction.ts';
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

/** Knowledge versions in an SQLite file in the data directory (`:memory:` for a throwaway store). */
export function openSqliteVersionStore(options: { file: string }): KnowledgeVersionStore {
  if (options.file !== ':memory:') mkdirSync(path.dirname(options.file), { recursive: true });
  const database = new DatabaseSync(options.file);
  database.exec('PRAGMA journal_mode = WAL');
  database.exec('PRAGMA busy_timeout = 5000');
  migrate(database, KNOWLEDGE_VERSION_MIGRATIONS);
  const where = 'tenant = ? AND collection = ? AND document_id = ?';
  const keyOf = (key: DocumentKey) => [key.tenant, key.collection, key.documentId] as const;
  const statements = {
    highest: database.prepare(`SELECT MAX(version) AS version FROM knowledge_versions WHERE ${where}`),
    insert: database.prepare(
      `INSERT INTO knowledge_versions (tenant, collection, document_id, version, kind, format, content,
        editable, author_name, author_role, created_at, source, source_file, status, note, rollback_of,
        content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    list: database.prepare(`SELECT * FROM knowledge_versions WHERE ${where} ORDER BY version DESC`),
    get: database.prepare(`SELECT * FROM knowledge_versions WHERE ${where} AND version = ?`),
    supersede: database.prepare(
      `UPDATE knowledge_versions SET status = 'superseded' WHERE ${where} AND status = 'served'`,
    ),
    serve: database.prepare(
      `UPDATE knowledge_versions SET status = 'served', content_hash = ?,
        reviewed_by_name = COALESCE(?, reviewed_by_name), reviewed_by_role = COALESCE(?, reviewed_by_role),
        reviewed_at = COALESCE(?, reviewed_at), review_note = COALESCE(?, review_note)
        WHERE ${where} AND version = ?`,
    ),
    reject: database.prepare(
      `UPDATE knowledge_versions SET status = 'rejected', reviewed_by_name = ?, reviewed_by_role = ?,
        reviewed_at = ?, review_note = ? WHERE ${where} AND version = ? AND status = 'pending'`,
    ),
    discard: database.prepare(`DELETE FROM knowledge_versions WHERE ${where} AND version = ?`),
    pending: database.prepare(
      `SELECT * FROM knowledge_versions WHERE tenant = ? AND status = 'pending' ORDER BY created_at, collection, document_id, version`,
    ),
    flag: database.prepare(
      `INSERT INTO knowledge_review_flags (tenant, collection, document_id, note, flagged_by_name, flagged_by_role, flagged_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (tenant, collection, document_id) DO UPDATE SET note = excluded.note,
          flagged_by_name = excluded.flagged_by_name, flagged_by_role = excluded.flagged_by_role,
          flagged_at = excluded.flagged_at`,
    ),
    unflag: database.prepare(`DELETE FROM knowledge_review_flags WHERE ${where}`),
    flagOf: database.prepare(`SELECT * FROM knowledge_review_flags WHERE ${where}`),
    flags: database.prepare(
      'SELECT * FROM knowledge_review_flags WHERE tenant = ? ORDER BY flagged_at, collection, document_id',
    ),
    setting: database.prepare(
      'SELECT require_review FROM knowledge_review_settings WHERE tenant = ? AND collection = ?',
    ),
    setSetting: database.prepare(
      `INSERT INTO knowledge_review_settings (tenant, collection, require_review, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (tenant, collection) DO UPDATE SET require_review = excluded.require_review,
          updated_at = excluded.updated_at`,
    ),
  };
  const transaction = <T>(work: () => T): T => immediateTransaction(database, work);

  return {
    async add(key, version) {
      return transaction(() => {
        const highest = statements.highest.get(...keyOf(key))?.version;
        const number = (typeof highest === 'number' ? highest : 0) + 1;
        statements.insert.run(
          ...keyOf(key),
          number,
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
        );
        return toVersion(statements.get.get(...keyOf(key), number) as Row);
      });
    },
    async list(key) {
      return (statements.list.all(...keyOf(key)) as Row[]).map(toVersion);
    },
    async get(key, version) {
      const row = statements.get.get(...keyOf(key), version) as Row | undefined;
      return row ? toVersion(row) : undefined;
    },
    async markServed(key, version, contentHash, review) {
      transaction(() => {
        statements.supersede.run(...keyOf(key));
        statements.serve.run(
          contentHash,
          review?.by.name ?? null,
          review?.by.role ?? null,
          review?.at ?? null,
          review?.note ?? null,
          ...keyOf(key),
          version,
        );
      });
    },
    async reject(key, version, review) {
      statements.reject.run(
        review.by.name,
        review.by.role,
        review.at,
        review.note ?? null,
        ...keyOf(key),
        version,
      );
    },
    async discard(key, version) {
      statements.discard.run(...keyOf(key), version);
    },
    async pending(tenant) {
      return (statements.pending.all(tenant) as Row[]).map(toVersion);
    },
    async flag(key, flag) {
      if (!flag) {
        statements.unflag.run(...keyOf(key));
        return;
      }
      statements.flag.run(...keyOf(key), flag.note, flag.by.name, flag.by.role, flag.at);
    },
    async flagOf(key) {
      const row = statements.flagOf.get(...keyOf(key)) as Row | undefined;
      return row ? toFlag(row) : undefined;
    },
    async flags(tenant) {
      return (statements.flags.all(tenant) as Row[]).map(toFlag);
    },
    async requireReview(tenant, collection) {
      return Number(statements.setting.get(tenant, collection)?.require_review ?? 0) === 1;
    },
    async setRequireReview(tenant, collection, required, at) {
      statements.setSetting.run(tenant, collection, required ? 1 : 0, at);
    },
    async close() {
      database.close();
    },
  };
}

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import * as records from './event-rows.ts';
import type { EventStore, SuggestionSetRecord } from './event-store.ts';
import { queryFunnelDimensions, queryFunnelUnits } from './funnel-queries.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

export interface SqliteEventStoreOptions {
  /** The database file; `:memory:` for a throwaway store. */
  file: string;
  tenant: string;
  migrations?: readonly Migration[];
  /** A cap on the file's size: past it writes fail with SQLITE_FULL, as on a full disk. */
  maxSizeBytes?: number | undefined;
}

/** Bytes the write probe writes and deletes: about a suggestion set with its suggestions. */
const PROBE_BYTES = 16 * 1024;
/** How long the probe waits for another writer's lock before it reports the store as locked. */
const PROBE_BUSY_MS = 250;
const BUSY_TIMEOUT_MS = 5000;

/** Brings the schema up to date; returns the versions it applied. */
export function migrate(database: DatabaseSync, migrations: readonly Migration[] = MIGRATIONS): number[] {
  database.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    database
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map((row) => Number(row.version)),
  );
  const done: number[] = [];
  for (const migration of [...migrations].sort((left, right) => left.version - right.version)) {
    if (applied.has(migration.version)) continue;
    database.exec('BEGIN');
    try {
      for (const statement of migration.statements) database.exec(statement);
      database
        .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(migration.version, migration.name, new Date().toISOString());
      database.exec('COMMIT');
    } catch (error) {
      database.exec('ROLLBACK');
      throw error;
    }
    done.push(migration.version);
  }
  return done;
}

/** The event store in an SQLite file beside the knowledge base (WAL, one writer: this process). */
export function openSqliteEventStore(options: SqliteEventStoreOptions): EventStore {
  if (options.file !== ':memory:') mkdirSync(path.dirname(options.file), { recursive: true });
  const database = new DatabaseSync(options.file);
  database.exec('PRAGMA journal_mode = WAL');
  database.exec('PRAGMA synchronous = NORMAL');
  database.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  migrate(database, options.migrations);
  if (options.maxSizeBytes !== undefined) {
    const pageSize = Number(database.prepare('PRAGMA page_size').get()?.page_size ?? 4096);
    database.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor(options.maxSizeBytes / pageSize))}`);
  }
  const tenant = options.tenant;
  let closed = false;

  /**
   * A row as large as a suggestion set, written and deleted in one committed transaction: it
   * needs the write lock (locked), pages (full, or the size cap) and a WAL append (read-only,
   * ENOSPC), as a real write does, and leaves nothing behind.
   */
  function probeWrite(busyMs = PROBE_BUSY_MS): void {
    database.exec(`PRAGMA busy_timeout = ${busyMs}`);
    try {
      database.exec('BEGIN IMMEDIATE');
      try {
        database.prepare('INSERT INTO storage_probe (payload) VALUES (zeroblob(?))').run(PROBE_BYTES);
        database.exec('DELETE FROM storage_probe');
        database.exec('COMMIT');
      } catch (error) {
        if (database.isTransaction) database.exec('ROLLBACK');
        throw error;
      }
    } finally {
      database.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }
  // A store that cannot be written fails here, at start, not on the first operator's request.
  probeWrite(BUSY_TIMEOUT_MS);

  const statements = {
    insertSet: database.prepare(`INSERT INTO suggestion_sets (${records.SET_COLUMNS})
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (tenant, id) DO NOTHING`),
    dailyUsage: database.prepare(`${records.DAILY_USAGE_SELECT}
      WHERE tenant = ? AND model IS NOT NULL AND created_at >= ? AND created_at < ?
      GROUP BY day, engine, model ORDER BY day, engine, model`),
    getSet: database.prepare('SELECT * FROM suggestion_sets WHERE tenant = ? AND id = ?'),
    insertFeedback: database.prepare(`INSERT INTO feedback_events (${records.FEEDBACK_COLUMNS})
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (tenant, event_id) DO NOTHING`),
    feedbackBySet: database.prepare(
      'SELECT * FROM feedback_events WHERE tenant = ? AND suggestion_set_id = ? ORDER BY received_at, event_id LIMIT ?',
    ),
    feedbackAll: database.prepare(
      'SELECT * FROM feedback_events WHERE tenant = ? ORDER BY received_at, event_id LIMIT ?',
    ),
    // Row-value comparison: the same keyset cursor reads the same in PostgreSQL.
    feedbackBySetAfter: database.prepare(
      `SELECT * FROM feedback_events WHERE tenant = ? AND suggestion_set_id = ? AND (received_at, event_id) > (?, ?)
       ORDER BY received_at, event_id LIMIT ?`,
    ),
    feedbackAllAfter: database.prepare(
      `SELECT * FROM feedback_events WHERE tenant = ? AND (received_at, event_id) > (?, ?)
       ORDER BY received_at, event_id LIMIT ?`,
    ),
    insertGap: database.prepare(`INSERT INTO knowledge_gaps (${records.GAP_COLUMNS})
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (tenant, id) DO NOTHING`),
    gapsByCollection: database.prepare(
      'SELECT * FROM knowledge_gaps WHERE tenant = ? AND collection = ? ORDER BY created_at DESC LIMIT ?',
    ),
    insertSubject:
      database.prepare(`INSERT INTO data_subjects (tenant, suggestion_set_id, kind, subject_key, created_at)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    gapsAll: database.prepare(
      'SELECT * FROM knowledge_gaps WHERE tenant = ? ORDER BY created_at DESC LIMIT ?',
    ),
  };

  function ensureOpen(): void {
    if (closed) throw new Error('The event store is closed.');
  }

  function saveSet(set: SuggestionSetRecord, row: SQLInputValue[]): void {
    statements.insertSet.run(...row);
    for (const key of new Set(set.customerKeys ?? [])) {
      statements.insertSubject.run(tenant, set.id, 'customer', key, set.createdAt);
    }
  }

  return {
    backend: 'sqlite',
    async saveSuggestionSet(set) {
      ensureOpen();
      const row = records.setRow(tenant, set);
      // The set and whom it is about land together or not at all.
      database.exec('BEGIN IMMEDIATE');
      try {
        saveSet(set, row);
        database.exec('COMMIT');
      } catch (error) {
        if (database.isTransaction) database.exec('ROLLBACK');
        throw error;
      }
    },
    async dailyModelUsage(range) {
      ensureOpen();
      return (statements.dailyUsage.all(tenant, range.from, range.to) as records.Row[]).map(
        records.toDailyUsage,
      );
    },
    async getSuggestionSet(id) {
      ensureOpen();
      const row = statements.getSet.get(tenant, id) as records.Row | undefined;
      return row ? records.toSet(row) : undefined;
    },
    async recordFeedback(event) {
      ensureOpen();
      const result = statements.insertFeedback.run(...records.feedbackRow(tenant, event));
      return { duplicate: Number(result.changes) === 0 };
    },
    async listFeedback(filter = {}) {
      ensureOpen();
      const limit = filter.limit ?? 1000;
      const after = filter.after;
      const rows = filter.suggestionSetId
        ? after
          ? statements.feedbackBySetAfter.all(
              tenant,
              filter.suggestionSetId,
              after.receivedAt,
              after.eventId,
              limit,
            )
          : statements.feedbackBySet.all(tenant, filter.suggestionSetId, limit)
        : after
          ? statements.feedbackAllAfter.all(tenant, after.receivedAt, after.eventId, limit)
          : statements.feedbackAll.all(tenant, limit);
      return (rows as records.Row[]).map(records.toFeedback);
    },
    async recordKnowledgeGap(gap) {
      ensureOpen();
      statements.insertGap.run(...records.gapRow(tenant, gap));
    },
    async listKnowledgeGaps(filter = {}) {
      ensureOpen();
      const limit = filter.limit ?? 1000;
      const rows = filter.collection
        ? statements.gapsByCollection.all(tenant, filter.collection, limit)
        : statements.gapsAll.all(tenant, limit);
      return (rows as records.Row[]).map(records.toGap);
    },
    async listFunnelUnits(filter) {
      ensureOpen();
      return queryFunnelUnits(database, tenant, filter);
    },
    async funnelDimensions() {
      ensureOpen();
      return queryFunnelDimensions(database, tenant);
    },
    async checkStorage() {
      ensureOpen();
      probeWrite();
    },
    async close() {
      if (closed) return;
      closed = true;
      database.close();
    },
  };
}

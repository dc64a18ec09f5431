import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { immediateTransaction } from '../storage/sqlite-transaction.ts';
import { outcomeQueries, sqliteNamedQuery } from './analytics-queries.ts';
import * as records from './event-rows.ts';
import type { EventStore, SuggestionSetRecord } from './event-store.ts';
import { queryFunnelDimensions } from './funnel-queries.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';
import { refreshOutcomes } from './outcomes.ts';

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
      migration.backfill?.(database);
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
      VALUES (${Array.from({ length: records.SET_COLUMN_COUNT }, () => '?').join(', ')})
      ON CONFLICT (tenant, id) DO NOTHING`),
    dailyUsage: Object.fromEntries(
      ['created_at', 'substr(created_at, 1, 10)'].map((column) => [
        column,
        database.prepare(`${records.DAILY_USAGE_SELECT}
          WHERE tenant = ? AND model IS NOT NULL AND ${column} >= ? AND ${column} < ?
          GROUP BY day, engine, model ORDER BY day, engine, model`),
      ]),
    ),
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

  /** Writes the set and whom it is about; true when the set was new. */
  function insertSet(set: SuggestionSetRecord, row: SQLInputValue[]): boolean {
    const changes = Number(statements.insertSet.run(...row).changes);
    for (const key of new Set(set.customerKeys ?? [])) {
      statements.insertSubject.run(tenant, set.id, 'customer', key, set.createdAt);
    }
    return changes > 0;
  }

  function saveSet(set: SuggestionSetRecord, row: SQLInputValue[]): void {
    insertSet(set, row);
    // Feedback that arrived before its set (a client retrying out of order) is counted now.
    refreshOutcomes(database, tenant, [set.id]);
  }

  const inTransaction = <T>(work: () => T): T => immediateTransaction(database, work);
  const query = sqliteNamedQuery(database);

  return {
    backend: 'sqlite',
    async saveSuggestionSet(set) {
      ensureOpen();
      const row = records.setRow(tenant, set);
      // The set, whom it is about and its outcomes land together or not at all.
      inTransaction(() => saveSet(set, row));
    },
    async dailyModelUsage(range) {
      ensureOpen();
      const statement = statements.dailyUsage[records.usageRangeColumn(range)]!;
      return (statement.all(tenant, range.from, range.to) as records.Row[]).map(records.toDailyUsage);
    },
    async getSuggestionSet(id) {
      ensureOpen();
      const row = statements.getSet.get(tenant, id) as records.Row | undefined;
      return row ? records.toSet(row) : undefined;
    },
    async recordFeedback(event) {
      ensureOpen();
      const row = records.feedbackRow(tenant, event);
      // The event and its set's outcome rows change together: the analytics never see one without the other.
      const changes = inTransaction(() => {
        const result = statements.insertFeedback.run(...row);
        if (Number(result.changes) > 0) refreshOutcomes(database, tenant, [event.suggestionSetId]);
        return Number(result.changes);
      });
      return { duplicate: changes === 0 };
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
    async importRecords(imported) {
      ensureOpen();
      const sets = (imported.sets ?? []).map((set) => ({ set, row: records.setRow(tenant, set) }));
      const events = (imported.events ?? []).map((event) => records.feedbackRow(tenant, event));
      const gaps = (imported.gaps ?? []).map((gap) => records.gapRow(tenant, gap));
      return inTransaction(() => {
        const touched = new Set<string>();
        let setCount = 0;
        let eventCount = 0;
        let gapCount = 0;
        for (const { set, row } of sets) {
          if (insertSet(set, row)) setCount += 1;
          touched.add(set.id);
        }
        for (const row of events) {
          if (Number(statements.insertFeedback.run(...row).changes) > 0) {
            eventCount += 1;
            touched.add(String(row[3]));
          }
        }
        for (const row of gaps) gapCount += Number(statements.insertGap.run(...row).changes);
        refreshOutcomes(database, tenant, touched);
        return { sets: setCount, events: eventCount, gaps: gapCount };
      });
    },
    async listKnowledgeGaps(filter = {}) {
      ensureOpen();
      const limit = filter.limit ?? 1000;
      const rows = filter.collection
        ? statements.gapsByCollection.all(tenant, filter.collection, limit)
        : statements.gapsAll.all(tenant, limit);
      return (rows as records.Row[]).map(records.toGap);
    },
    async funnelDimensions() {
      ensureOpen();
      return queryFunnelDimensions(database, tenant);
    },
    ...outcomeQueries(query, tenant, ensureOpen),
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

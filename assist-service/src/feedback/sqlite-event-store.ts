import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { Suggestion } from '../contract/index.ts';
import {
  queryGapCounts,
  queryOutcomeCounts,
  queryOutcomeDimensionValues,
  queryOutcomeHistograms,
  queryOutcomeList,
  queryOutcomeReasons,
} from './analytics-queries.ts';
import type { EventStore, FeedbackRecord, KnowledgeGapRecord, SuggestionSetRecord } from './event-store.ts';
import { queryFunnelDimensions, queryFunnelUnits } from './funnel-queries.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';
import { refreshOutcomes } from './outcomes.ts';
import { maskForStorage, maskOptional, maskSuggestions } from './redact-record.ts';
import { immediateTransaction } from './sqlite-transaction.ts';

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

type Row = Record<string, SQLInputValue>;

const nullable = (value: string | number | undefined): string | number | null => value ?? null;
const optionalString = (value: SQLInputValue | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

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
    insertSet: database.prepare(`INSERT INTO suggestion_sets (tenant, id, collection, engine, conversation_id,
        channel, language, topic, confidence, confidence_level, suggestion_count, suggestions_json,
        operator_id, source_adapter, request_id, question, model, input_tokens, output_tokens,
        cache_read_tokens, cache_write_tokens, cost_usd, created_at, degraded_reason, took_ms,
        customer_message_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (tenant, id) DO NOTHING`),
    dailyUsage: database.prepare(`SELECT substr(created_at, 1, 10) AS day, engine, model, COUNT(*) AS sets,
        SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
        SUM(cache_read_tokens) AS cache_read_tokens, SUM(cache_write_tokens) AS cache_write_tokens,
        COALESCE(SUM(cost_usd), 0) AS cost_usd, SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced
      FROM suggestion_sets
      WHERE tenant = ? AND model IS NOT NULL AND created_at >= ? AND created_at < ?
      GROUP BY day, engine, model ORDER BY day, engine, model`),
    getSet: database.prepare('SELECT * FROM suggestion_sets WHERE tenant = ? AND id = ?'),
    insertFeedback: database.prepare(`INSERT INTO feedback_events (tenant, event_id, type, suggestion_set_id,
        suggestion_index, rating, reason, final_text, operator_id, occurred_at, received_at)
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
    insertGap: database.prepare(`INSERT INTO knowledge_gaps (tenant, id, collection, suggestion_set_id, query,
        language, topic, best_score, created_at)
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

  function toSet(row: Row): SuggestionSetRecord {
    return {
      id: String(row.id),
      collection: String(row.collection),
      engine: String(row.engine),
      conversationId: optionalString(row.conversation_id),
      channel: String(row.channel),
      language: String(row.language),
      topic: optionalString(row.topic),
      confidence: {
        score: Number(row.confidence),
        level: String(row.confidence_level) as SuggestionSetRecord['confidence']['level'],
      },
      suggestions: JSON.parse(String(row.suggestions_json)) as Suggestion[],
      operatorId: optionalString(row.operator_id),
      sourceAdapter: optionalString(row.source_adapter),
      requestId: optionalString(row.request_id),
      question: optionalString(row.question),
      ...(row.model === null || row.model === undefined
        ? {}
        : {
            usage: {
              model: String(row.model),
              inputTokens: Number(row.input_tokens ?? 0),
              outputTokens: Number(row.output_tokens ?? 0),
              cacheReadTokens: Number(row.cache_read_tokens ?? 0),
              cacheWriteTokens: Number(row.cache_write_tokens ?? 0),
              costUsd: row.cost_usd === null || row.cost_usd === undefined ? null : Number(row.cost_usd),
            },
          }),
      createdAt: String(row.created_at),
    };
  }

  function toFeedback(row: Row): FeedbackRecord {
    const rating = optionalString(row.rating);
    return {
      eventId: String(row.event_id),
      type: String(row.type) as FeedbackRecord['type'],
      suggestionSetId: String(row.suggestion_set_id),
      suggestionIndex: Number(row.suggestion_index),
      rating: rating === 'up' || rating === 'down' ? rating : undefined,
      reason: optionalString(row.reason),
      finalText: optionalString(row.final_text),
      operatorId: optionalString(row.operator_id),
      occurredAt: String(row.occurred_at),
      receivedAt: String(row.received_at),
    };
  }

  function toGap(row: Row): KnowledgeGapRecord {
    return {
      id: String(row.id),
      collection: String(row.collection),
      suggestionSetId: optionalString(row.suggestion_set_id),
      query: String(row.query),
      language: String(row.language),
      topic: optionalString(row.topic),
      bestScore: Number(row.best_score),
      createdAt: String(row.created_at),
    };
  }

  /** The row of a set, masked: computed before the write lock is taken. */
  function setRow(set: SuggestionSetRecord): SQLInputValue[] {
    return [
      tenant,
      set.id,
      set.collection,
      set.engine,
      nullable(set.conversationId),
      set.channel,
      set.language,
      nullable(set.topic),
      set.confidence.score,
      set.confidence.level,
      set.suggestions.length,
      // Suggestions carry the customer's name and slot values filled in: masked like the question.
      JSON.stringify(maskSuggestions(set.suggestions)),
      nullable(set.operatorId),
      nullable(set.sourceAdapter),
      nullable(set.requestId),
      // Customer text is kept only masked: phones, e-mails, cards, passports become placeholders.
      maskOptional(set.question),
      nullable(set.usage?.model),
      nullable(set.usage?.inputTokens),
      nullable(set.usage?.outputTokens),
      nullable(set.usage?.cacheReadTokens),
      nullable(set.usage?.cacheWriteTokens),
      set.usage?.costUsd ?? null,
      set.createdAt,
      nullable(set.degradedReason),
      set.tookMs === undefined ? null : Math.round(set.tookMs),
      nullable(set.customerMessageAt),
    ];
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

  function feedbackRow(event: FeedbackRecord): SQLInputValue[] {
    return [
      tenant,
      event.eventId,
      event.type,
      event.suggestionSetId,
      event.suggestionIndex,
      nullable(event.rating),
      maskOptional(event.reason),
      maskOptional(event.finalText),
      nullable(event.operatorId),
      event.occurredAt,
      event.receivedAt,
    ];
  }

  function gapRow(gap: KnowledgeGapRecord): SQLInputValue[] {
    return [
      tenant,
      gap.id,
      gap.collection,
      nullable(gap.suggestionSetId),
      maskForStorage(gap.query),
      gap.language,
      nullable(gap.topic),
      gap.bestScore,
      gap.createdAt,
    ];
  }

  const inTransaction = <T>(work: () => T): T => immediateTransaction(database, work);

  return {
    backend: 'sqlite',
    async saveSuggestionSet(set) {
      ensureOpen();
      const row = setRow(set);
      // The set, whom it is about and its outcomes land together or not at all.
      inTransaction(() => saveSet(set, row));
    },
    async dailyModelUsage(range) {
      ensureOpen();
      return (statements.dailyUsage.all(tenant, range.from, range.to) as Row[]).map((row) => ({
        day: String(row.day),
        engine: String(row.engine),
        model: String(row.model),
        sets: Number(row.sets),
        inputTokens: Number(row.input_tokens ?? 0),
        outputTokens: Number(row.output_tokens ?? 0),
        cacheReadTokens: Number(row.cache_read_tokens ?? 0),
        cacheWriteTokens: Number(row.cache_write_tokens ?? 0),
        costUsd: Number(row.cost_usd ?? 0),
        unpriced: Number(row.unpriced ?? 0),
      }));
    },
    async getSuggestionSet(id) {
      ensureOpen();
      const row = statements.getSet.get(tenant, id) as Row | undefined;
      return row ? toSet(row) : undefined;
    },
    async recordFeedback(event) {
      ensureOpen();
      const row = feedbackRow(event);
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
      return (rows as Row[]).map(toFeedback);
    },
    async recordKnowledgeGap(gap) {
      ensureOpen();
      statements.insertGap.run(...gapRow(gap));
    },
    async importRecords(records) {
      ensureOpen();
      const sets = (records.sets ?? []).map((set) => ({ set, row: setRow(set) }));
      const events = (records.events ?? []).map(feedbackRow);
      const gaps = (records.gaps ?? []).map(gapRow);
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
      return (rows as Row[]).map(toGap);
    },
    async listFunnelUnits(filter) {
      ensureOpen();
      return queryFunnelUnits(database, tenant, filter);
    },
    async funnelDimensions() {
      ensureOpen();
      return queryFunnelDimensions(database, tenant);
    },
    async outcomeCounts(filter, grouping) {
      ensureOpen();
      return queryOutcomeCounts(database, tenant, filter, grouping);
    },
    async outcomeHistograms(filter, requests) {
      ensureOpen();
      return queryOutcomeHistograms(database, tenant, filter, requests);
    },
    async outcomeReasons(filter, kind) {
      ensureOpen();
      return queryOutcomeReasons(database, tenant, filter, kind);
    },
    async outcomeDimensionValues(filter) {
      ensureOpen();
      return queryOutcomeDimensionValues(database, tenant, filter);
    },
    async listOutcomes(filter, options) {
      ensureOpen();
      return queryOutcomeList(database, tenant, filter, options);
    },
    async gapCounts(filter, bucket) {
      ensureOpen();
      return queryGapCounts(database, tenant, filter, bucket);
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

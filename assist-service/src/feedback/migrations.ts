import type { DatabaseSync } from 'node:sqlite';
import { backfillRollups, OUTCOMES_BY_OPERATOR_INDEX, ROLLUP_TABLE_STATEMENTS } from './outcome-rollups.ts';
import { rebuildAllOutcomes } from './outcomes.ts';

/**
 * Schema changes in order; each runs once, in a transaction, and is recorded in
 * `schema_migrations`. Plain SQL that SQLite and Postgres both accept: TEXT/INTEGER/REAL columns,
 * ISO-8601 timestamps and JSON stored as TEXT, a tenant column on every table.
 */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
  /** Fills what the statements added from what is stored, in the same transaction. */
  backfill?: (database: DatabaseSync) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'suggestion sets, feedback events, knowledge gaps',
    statements: [
      `CREATE TABLE suggestion_sets (
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        collection TEXT NOT NULL,
        engine TEXT NOT NULL,
        conversation_id TEXT,
        channel TEXT NOT NULL,
        language TEXT NOT NULL,
        topic TEXT,
        confidence REAL NOT NULL,
        confidence_level TEXT NOT NULL,
        suggestion_count INTEGER NOT NULL,
        suggestions_json TEXT NOT NULL,
        operator_id TEXT,
        source_adapter TEXT,
        request_id TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant, id)
      )`,
      'CREATE INDEX suggestion_sets_created ON suggestion_sets (tenant, created_at)',
      `CREATE TABLE feedback_events (
        tenant TEXT NOT NULL,
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        suggestion_set_id TEXT NOT NULL,
        suggestion_index INTEGER NOT NULL,
        rating TEXT,
        reason TEXT,
        final_text TEXT,
        operator_id TEXT,
        occurred_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (tenant, event_id)
      )`,
      'CREATE INDEX feedback_events_set ON feedback_events (tenant, suggestion_set_id)',
      `CREATE TABLE knowledge_gaps (
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        collection TEXT NOT NULL,
        suggestion_set_id TEXT,
        query TEXT NOT NULL,
        language TEXT NOT NULL,
        topic TEXT,
        best_score REAL NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant, id)
      )`,
      'CREATE INDEX knowledge_gaps_collection ON knowledge_gaps (tenant, collection, created_at)',
    ],
  },
  {
    version: 2,
    name: 'the customer request of a suggestion set (masked)',
    statements: ['ALTER TABLE suggestion_sets ADD COLUMN question TEXT'],
  },
  {
    version: 3,
    name: "the console's funnel: shown events by time",
    statements: ['CREATE INDEX feedback_events_type_time ON feedback_events (tenant, type, occurred_at)'],
  },
  {
    version: 4,
    name: 'tokens and cost of the model call behind a suggestion set',
    statements: [
      'ALTER TABLE suggestion_sets ADD COLUMN model TEXT',
      'ALTER TABLE suggestion_sets ADD COLUMN input_tokens INTEGER',
      'ALTER TABLE suggestion_sets ADD COLUMN output_tokens INTEGER',
      'ALTER TABLE suggestion_sets ADD COLUMN cache_read_tokens INTEGER',
      'ALTER TABLE suggestion_sets ADD COLUMN cache_write_tokens INTEGER',
      'ALTER TABLE suggestion_sets ADD COLUMN cost_usd REAL',
    ],
  },
  {
    version: 5,
    name: 'whom a suggestion set is about (keyed hashes), for erasure and export on request',
    statements: [
      `CREATE TABLE data_subjects (
        tenant TEXT NOT NULL,
        suggestion_set_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject_key TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant, kind, subject_key, suggestion_set_id)
      )`,
      'CREATE INDEX data_subjects_set ON data_subjects (tenant, suggestion_set_id)',
      'CREATE INDEX suggestion_sets_conversation ON suggestion_sets (tenant, conversation_id)',
      'CREATE INDEX knowledge_gaps_set ON knowledge_gaps (tenant, suggestion_set_id)',
      'CREATE INDEX knowledge_gaps_created ON knowledge_gaps (tenant, created_at)',
      'CREATE INDEX feedback_events_received ON feedback_events (tenant, received_at)',
    ],
  },
  {
    version: 6,
    name: 'a table the write probe of /v1/ready writes to and empties',
    statements: ['CREATE TABLE storage_probe (payload BLOB NOT NULL)'],
  },
  {
    version: 7,
    name: "the console's analytics: what a set needs for them, and one outcome row per shown suggestion",
    // Expand-only: new nullable columns and a new table (feedback/outcomes.ts keeps it; decision 0020).
    statements: [
      'ALTER TABLE suggestion_sets ADD COLUMN degraded_reason TEXT',
      'ALTER TABLE suggestion_sets ADD COLUMN took_ms INTEGER',
      'ALTER TABLE suggestion_sets ADD COLUMN customer_message_at TEXT',
      `CREATE TABLE suggestion_outcomes (
        tenant TEXT NOT NULL,
        suggestion_set_id TEXT NOT NULL,
        suggestion_index INTEGER NOT NULL,
        shown_at TEXT NOT NULL,
        shown_ms INTEGER NOT NULL,
        operator_id TEXT,
        collection TEXT NOT NULL,
        engine TEXT NOT NULL,
        channel TEXT NOT NULL,
        topic TEXT,
        document TEXT,
        prompt_version TEXT,
        degraded INTEGER NOT NULL,
        inserted INTEGER NOT NULL,
        sent_as_is INTEGER NOT NULL,
        sent_edited INTEGER NOT NULL,
        dismissed INTEGER NOT NULL,
        dismiss_reason TEXT,
        rated_down INTEGER NOT NULL,
        rating_reason TEXT,
        edit_distance INTEGER,
        reply_ms INTEGER,
        first_suggestion_ms INTEGER,
        title TEXT,
        PRIMARY KEY (tenant, suggestion_set_id, suggestion_index)
      )`,
      // Covering: every dashboard aggregate reads this index alone, in time order.
      `CREATE INDEX suggestion_outcomes_time ON suggestion_outcomes (tenant, shown_ms, operator_id, collection,
        engine, channel, topic, document, prompt_version, inserted, sent_as_is, sent_edited, dismissed,
        rated_down, degraded)`,
    ],
    backfill: (database) => {
      rebuildAllOutcomes(database);
    },
  },
  {
    version: 8,
    name: 'the outcome index covers the measures and reasons too: histograms and reasons read no table rows',
    // A year's editing histograms read 540,000 table rows through the narrower index (`pnpm bench
    // console`, decision 0020); an index this migration added replaces it, nothing stored changes.
    statements: [
      'DROP INDEX suggestion_outcomes_time',
      `CREATE INDEX suggestion_outcomes_covering ON suggestion_outcomes (tenant, shown_ms, operator_id, collection,
        engine, channel, topic, document, prompt_version, inserted, sent_as_is, sent_edited, dismissed,
        rated_down, degraded, suggestion_index, edit_distance, reply_ms, first_suggestion_ms, dismiss_reason,
        rating_reason)`,
    ],
  },
  {
    version: 9,
    name: 'hourly and daily pre-aggregates of the outcome counts, read for long periods (decision 0044)',
    // New tables, filled from the outcome rows stored; kept by every recount (outcome-rollups.ts).
    statements: [...ROLLUP_TABLE_STATEMENTS],
    backfill: (database) => {
      backfillRollups(database);
    },
  },
  {
    version: 10,
    name: "a year's model usage reads the sets a model drafted from one index, not the table",
    // Partial: only sets with a model (the usage report's rows); keyed by the UTC day, so a year's
    // rows are read already grouped by day, engine and model (no sort of ~160,000 rows).
    statements: [
      `CREATE INDEX suggestion_sets_usage ON suggestion_sets (tenant, substr(created_at, 1, 10), engine, model,
        input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd) WHERE model IS NOT NULL`,
    ],
  },
  {
    version: 11,
    name: "one operator's outcomes in time order: a year's figures filtered by an operator and more",
    // Two filters are more than the pre-aggregates carry (decision 0044): the operator's rows alone
    // are read, from an index covering what the figures read.
    statements: [OUTCOMES_BY_OPERATOR_INDEX],
  },
];

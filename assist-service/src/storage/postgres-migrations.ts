import type { Migration } from '@naparnik/ingest/postgres-migrations';
import { OUTCOMES_BY_OPERATOR_INDEX, ROLLUP_TABLE_STATEMENTS } from '../feedback/outcome-rollups.ts';
import { KNOWLEDGE_VERSION_MIGRATIONS } from '../knowledge-edits/migrations.ts';

/** The service's tables are their own component in `schema_migrations`, beside `knowledge`. */
export const SERVICE_COMPONENT = 'service';

/**
 * The service's own tables in PostgreSQL: what events.sqlite, recipes.sqlite and auth.sqlite hold
 * in the embedded setup, with the same table and column names (so a query reads the same on both),
 * plus what only several processes need (console sessions, rate-limit windows).
 *
 * Forward-only and expand-only, checked by `migrationProblems` (ingest's runner and rules,
 * postgres-migrations.test.ts): a later table of the service (kbedit's versions, analytics'
 * rollups…) is the next version here, never an edit of a released one. Timestamps stay ISO-8601
 * text as in SQLite, so ranges and orderings compare the same strings on both backends.
 */
export const SERVICE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'service: suggestion sets, feedback, gaps, data subjects, recipes, tokens, sessions, rate limits',
    statements: [
      `CREATE TABLE suggestion_sets (
        tenant text NOT NULL,
        id text NOT NULL,
        collection text NOT NULL,
        engine text NOT NULL,
        conversation_id text,
        channel text NOT NULL,
        language text NOT NULL,
        topic text,
        confidence double precision NOT NULL,
        confidence_level text NOT NULL,
        suggestion_count integer NOT NULL,
        suggestions_json text NOT NULL,
        operator_id text,
        source_adapter text,
        request_id text,
        created_at text NOT NULL,
        question text,
        model text,
        input_tokens integer,
        output_tokens integer,
        cache_read_tokens integer,
        cache_write_tokens integer,
        cost_usd double precision,
        PRIMARY KEY (tenant, id)
      )`,
      'CREATE INDEX suggestion_sets_created ON suggestion_sets (tenant, created_at)',
      'CREATE INDEX suggestion_sets_conversation ON suggestion_sets (tenant, conversation_id)',
      `CREATE TABLE feedback_events (
        tenant text NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        suggestion_set_id text NOT NULL,
        suggestion_index integer NOT NULL,
        rating text,
        reason text,
        final_text text,
        operator_id text,
        occurred_at text NOT NULL,
        received_at text NOT NULL,
        PRIMARY KEY (tenant, event_id)
      )`,
      'CREATE INDEX feedback_events_set ON feedback_events (tenant, suggestion_set_id)',
      'CREATE INDEX feedback_events_type_time ON feedback_events (tenant, type, occurred_at)',
      'CREATE INDEX feedback_events_received ON feedback_events (tenant, received_at, event_id)',
      `CREATE TABLE knowledge_gaps (
        tenant text NOT NULL,
        id text NOT NULL,
        collection text NOT NULL,
        suggestion_set_id text,
        query text NOT NULL,
        language text NOT NULL,
        topic text,
        best_score double precision NOT NULL,
        created_at text NOT NULL,
        PRIMARY KEY (tenant, id)
      )`,
      'CREATE INDEX knowledge_gaps_collection ON knowledge_gaps (tenant, collection, created_at)',
      'CREATE INDEX knowledge_gaps_set ON knowledge_gaps (tenant, suggestion_set_id)',
      'CREATE INDEX knowledge_gaps_created ON knowledge_gaps (tenant, created_at)',
      `CREATE TABLE data_subjects (
        tenant text NOT NULL,
        suggestion_set_id text NOT NULL,
        kind text NOT NULL,
        subject_key text NOT NULL,
        created_at text NOT NULL,
        PRIMARY KEY (tenant, kind, subject_key, suggestion_set_id)
      )`,
      'CREATE INDEX data_subjects_set ON data_subjects (tenant, suggestion_set_id)',
      `CREATE TABLE page_recipes (
        tenant text NOT NULL,
        domain text NOT NULL,
        version integer NOT NULL,
        recipe_json text NOT NULL,
        published_at text NOT NULL,
        withdrawn_at text,
        PRIMARY KEY (tenant, domain, version)
      )`,
      `CREATE TABLE api_tokens (
        id text NOT NULL PRIMARY KEY,
        tenant text NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at text NOT NULL,
        revoked_at text
      )`,
      'CREATE INDEX api_tokens_tenant ON api_tokens (tenant, name)',
      // The session id's SHA-256, never the id itself: a copy of the table signs no one in.
      `CREATE TABLE console_sessions (
        id_hash text NOT NULL PRIMARY KEY,
        token_id text NOT NULL,
        csrf_token text NOT NULL,
        expires_at bigint NOT NULL
      )`,
      'CREATE INDEX console_sessions_expiry ON console_sessions (expires_at)',
      // Fixed windows counted by every replica: one row per limiter, key and window.
      `CREATE TABLE rate_limit_windows (
        limiter text NOT NULL,
        key text NOT NULL,
        window_start bigint NOT NULL,
        count integer NOT NULL,
        PRIMARY KEY (limiter, key, window_start)
      )`,
      'CREATE INDEX rate_limit_windows_start ON rate_limit_windows (window_start)',
      // What the write probe of /v1/ready writes to and empties.
      'CREATE TABLE storage_probe (payload bytea NOT NULL)',
    ],
  },
  {
    version: 2,
    name: 'service: per-tenant retention settings (issue 13)',
    statements: [
      `CREATE TABLE retention_settings (
        tenant text NOT NULL,
        table_name text NOT NULL,
        days integer NOT NULL,
        updated_at text NOT NULL,
        PRIMARY KEY (tenant, table_name)
      )`,
    ],
  },
  {
    version: 3,
    name: "service: the console's analytics: what a set needs for them, one outcome row per shown suggestion",
    // SQLite's migration 7 (feedback/migrations.ts, decision 0020); filled from what is stored by
    // `BACKFILL_VERSIONS` below, kept by feedback/outcomes.ts.
    statements: [
      'ALTER TABLE suggestion_sets ADD COLUMN degraded_reason text',
      'ALTER TABLE suggestion_sets ADD COLUMN took_ms integer',
      'ALTER TABLE suggestion_sets ADD COLUMN customer_message_at text',
      `CREATE TABLE suggestion_outcomes (
        tenant text NOT NULL,
        suggestion_set_id text NOT NULL,
        suggestion_index integer NOT NULL,
        shown_at text NOT NULL,
        shown_ms bigint NOT NULL,
        operator_id text,
        collection text NOT NULL,
        engine text NOT NULL,
        channel text NOT NULL,
        topic text,
        document text,
        prompt_version text,
        degraded integer NOT NULL,
        inserted integer NOT NULL,
        sent_as_is integer NOT NULL,
        sent_edited integer NOT NULL,
        dismissed integer NOT NULL,
        dismiss_reason text,
        rated_down integer NOT NULL,
        rating_reason text,
        edit_distance integer,
        reply_ms bigint,
        first_suggestion_ms bigint,
        title text,
        PRIMARY KEY (tenant, suggestion_set_id, suggestion_index)
      )`,
      // Covering: every dashboard aggregate reads this index alone, in time order (SQLite migration 8).
      // A plain index on the table just created: nothing reads it yet, so nothing waits for it; a
      // CONCURRENTLY build here deadlocks with replicas waiting on the migration lock.
      `CREATE INDEX suggestion_outcomes_covering ON suggestion_outcomes (tenant, shown_ms, operator_id, collection,
        engine, channel, topic, document, prompt_version, inserted, sent_as_is, sent_edited, dismissed,
        rated_down, degraded, suggestion_index, edit_distance, reply_ms, first_suggestion_ms, dismiss_reason,
        rating_reason)`,
    ],
  },
  {
    version: 4,
    name: 'service: knowledge document versions, review flags, review settings (decision 0018)',
    // The very statements of knowledge-versions.sqlite's versions 1–2 (knowledge-edits/migrations.ts:
    // SQL both backends accept), so the schemas cannot drift; sql-version-store.ts reads both. Its
    // version 3, when it comes, is a new service migration here: this one is released as it is.
    statements: KNOWLEDGE_VERSION_MIGRATIONS.filter((migration) => migration.version <= 2).flatMap(
      (migration) => migration.statements,
    ),
  },
  {
    version: 5,
    name: "service: the console's uploaded knowledge files, shared by every replica (issue 14)",
    statements: [
      `CREATE TABLE uploaded_files (
        tenant text NOT NULL,
        collection text NOT NULL,
        path text NOT NULL,
        bytes bytea NOT NULL,
        sha256 text NOT NULL,
        updated_at text NOT NULL,
        PRIMARY KEY (tenant, collection, path)
      )`,
    ],
  },
  {
    version: 6,
    name: 'service: hourly and daily pre-aggregates of the outcome counts (decision 0044)',
    // SQLite's migration 9: new tables only (nothing live is altered), filled by `BACKFILL_VERSIONS`.
    statements: [...ROLLUP_TABLE_STATEMENTS],
  },
  {
    version: 7,
    name: "service: a year's model usage reads one partial covering index of the sets (decision 0044)",
    // Keyed by the UTC day (event-rows.ts `usageRangeColumn`): a year's sets come in day, engine and
    // model order, summed without a sort (EXPLAIN ANALYZE at 300k events: 141 ms, a sequential scan
    // and a sort spilled to disk, against 31–55 ms). created_at included: an index-only scan needs
    // the column the expression reads. A live table: built CONCURRENTLY, so feedback and new sets
    // are written while it builds. IF NOT
    // EXISTS: a build that failed leaves an invalid index, and the next start must not stop on it
    // (docs/deploy.md says how to find and rebuild one).
    transaction: false,
    statements: [
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS suggestion_sets_usage ON suggestion_sets (tenant,
        substr(created_at, 1, 10), engine, model) INCLUDE (created_at, input_tokens, output_tokens, cache_read_tokens,
        cache_write_tokens, cost_usd) WHERE model IS NOT NULL`,
    ],
  },
  {
    version: 8,
    name: "service: one operator's outcomes in time order, for a year's figures filtered by an operator and more",
    // SQLite's migration 11; a live table, so CONCURRENTLY (decision 0044).
    transaction: false,
    statements: [
      OUTCOMES_BY_OPERATOR_INDEX.replace('CREATE INDEX', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS'),
    ],
  },
];

/**
 * Versions whose new rows are computed from what is stored, in code rather than SQL (the outcome
 * rollup needs the edit distance): run by the process whose `migrate` applied the version.
 */
export const BACKFILL_VERSIONS = { outcomes: 3, rollups: 6 } as const;

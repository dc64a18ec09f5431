import type { Migration } from '../feedback/migrations.ts';

/**
 * The knowledge versions' schema, in its own file (`knowledge-versions.sqlite`) with its own
 * `schema_migrations`. Same rules as the event store: SQL that SQLite and Postgres both accept, a
 * tenant column, JSON as TEXT, ISO-8601 timestamps.
 */
export const KNOWLEDGE_VERSION_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'knowledge document versions, review flags, review settings',
    statements: [
      `CREATE TABLE knowledge_versions (
        tenant TEXT NOT NULL,
        collection TEXT NOT NULL,
        document_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        kind TEXT NOT NULL,
        format TEXT NOT NULL,
        content TEXT NOT NULL,
        editable INTEGER NOT NULL,
        author_name TEXT,
        author_role TEXT,
        created_at TEXT NOT NULL,
        source TEXT NOT NULL,
        source_file TEXT NOT NULL,
        status TEXT NOT NULL,
        note TEXT,
        rollback_of INTEGER,
        content_hash TEXT,
        reviewed_by_name TEXT,
        reviewed_by_role TEXT,
        reviewed_at TEXT,
        review_note TEXT,
        PRIMARY KEY (tenant, collection, document_id, version)
      )`,
      'CREATE INDEX knowledge_versions_status ON knowledge_versions (tenant, status, created_at)',
      `CREATE TABLE knowledge_review_flags (
        tenant TEXT NOT NULL,
        collection TEXT NOT NULL,
        document_id TEXT NOT NULL,
        note TEXT NOT NULL,
        flagged_by_name TEXT NOT NULL,
        flagged_by_role TEXT NOT NULL,
        flagged_at TEXT NOT NULL,
        PRIMARY KEY (tenant, collection, document_id)
      )`,
      `CREATE TABLE knowledge_review_settings (
        tenant TEXT NOT NULL,
        collection TEXT NOT NULL,
        require_review INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tenant, collection)
      )`,
    ],
  },
  {
    version: 2,
    name: 'why an admin approved their own change',
    statements: ['ALTER TABLE knowledge_versions ADD COLUMN review_override TEXT'],
  },
];

import type { Migration } from '../feedback/migrations.ts';

/**
 * The recipe store's schema, in its own file (`recipes.sqlite`) with its own `schema_migrations`.
 * Same rules as the event store: SQL that SQLite and Postgres both accept, a tenant column, JSON as
 * TEXT, ISO-8601 timestamps.
 */
export const RECIPE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'published page recipes with their history',
    statements: [
      `CREATE TABLE page_recipes (
        tenant TEXT NOT NULL,
        domain TEXT NOT NULL,
        version INTEGER NOT NULL,
        recipe_json TEXT NOT NULL,
        published_at TEXT NOT NULL,
        withdrawn_at TEXT,
        PRIMARY KEY (tenant, domain, version)
      )`,
    ],
  },
];

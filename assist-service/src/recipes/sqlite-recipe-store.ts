import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Recipe } from '../contract/index.ts';
import { migrate } from '../feedback/sqlite-event-store.ts';
import { RECIPE_MIGRATIONS } from './migrations.ts';
import { RECIPE_QUERIES, type RecipeStore, RecipeVersionConflict, toPublished } from './recipe-store.ts';

export interface SqliteRecipeStoreOptions {
  /** The database file; `:memory:` for a throwaway store. */
  file: string;
  tenant: string;
}

/** Recipes in an SQLite file in the data directory. */
export function openSqliteRecipeStore(options: SqliteRecipeStoreOptions): RecipeStore {
  if (options.file !== ':memory:') mkdirSync(path.dirname(options.file), { recursive: true });
  const database = new DatabaseSync(options.file);
  database.exec('PRAGMA journal_mode = WAL');
  database.exec('PRAGMA busy_timeout = 5000');
  migrate(database, RECIPE_MIGRATIONS);
  const tenant = options.tenant;
  let closed = false;

  // The shared queries with `?` placeholders: SQLite numbers them in order as PostgreSQL's $n.
  const prepare = (sql: string) => database.prepare(sql.replace(/\$\d+/gu, '?'));
  const statements = {
    highest: prepare(RECIPE_QUERIES.highest),
    insert: prepare(RECIPE_QUERIES.insert),
    latest: prepare(RECIPE_QUERIES.latest),
    latestAll: prepare(RECIPE_QUERIES.latestAll),
    versions: prepare(RECIPE_QUERIES.versions),
    withdraw: prepare(RECIPE_QUERIES.withdraw),
  };

  const open = () => {
    if (closed) throw new Error('The recipe store is closed.');
  };

  return {
    backend: 'sqlite',
    async publish(recipe: Recipe, publishedAt: string) {
      open();
      database.exec('BEGIN IMMEDIATE');
      try {
        const highest = statements.highest.get(tenant, recipe.domain)?.version;
        const stored = typeof highest === 'number' ? highest : 0;
        if (recipe.version <= stored) throw new RecipeVersionConflict(recipe.domain, recipe.version, stored);
        statements.insert.run(tenant, recipe.domain, recipe.version, JSON.stringify(recipe), publishedAt);
        database.exec('COMMIT');
      } catch (error) {
        database.exec('ROLLBACK');
        throw error;
      }
      return { recipe, publishedAt, withdrawn: false };
    },
    async latest(domain) {
      open();
      const row = statements.latest.get(tenant, domain);
      return row ? toPublished(row) : undefined;
    },
    async list(filter = {}) {
      open();
      if (filter.domain) {
        const row = statements.latest.get(tenant, filter.domain);
        return row ? [toPublished(row)] : [];
      }
      return statements.latestAll.all(tenant).map(toPublished);
    },
    async versions(domain) {
      open();
      return statements.versions.all(tenant, domain).map(toPublished);
    },
    async withdraw(domain, at) {
      open();
      return Number(statements.withdraw.run(at, tenant, domain).changes);
    },
    async close() {
      if (closed) return;
      closed = true;
      database.close();
    },
  };
}

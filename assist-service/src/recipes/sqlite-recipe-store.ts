import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { type PublishedRecipe, type Recipe, recipeSchema } from '../contract/index.ts';
import { migrate } from '../feedback/sqlite-event-store.ts';
import { RECIPE_MIGRATIONS } from './migrations.ts';
import { type RecipeStore, RecipeVersionConflict } from './recipe-store.ts';

export interface SqliteRecipeStoreOptions {
  /** The database file; `:memory:` for a throwaway store. */
  file: string;
  tenant: string;
}

type Row = Record<string, SQLInputValue>;

function toPublished(row: Row): PublishedRecipe {
  return {
    // Parsed again on the way out: a row edited by hand must not reach a browser unchecked.
    recipe: recipeSchema.parse(JSON.parse(String(row.recipe_json))),
    publishedAt: String(row.published_at),
    withdrawn: row.withdrawn_at !== null && row.withdrawn_at !== undefined,
  };
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

  const statements = {
    highest: database.prepare(
      'SELECT MAX(version) AS version FROM page_recipes WHERE tenant = ? AND domain = ?',
    ),
    insert: database.prepare(
      'INSERT INTO page_recipes (tenant, domain, version, recipe_json, published_at) VALUES (?, ?, ?, ?, ?)',
    ),
    latest: database.prepare(
      `SELECT * FROM page_recipes WHERE tenant = ? AND domain = ? AND withdrawn_at IS NULL
        ORDER BY version DESC LIMIT 1`,
    ),
    latestAll: database.prepare(
      `SELECT r.* FROM page_recipes r
        WHERE r.tenant = ? AND r.withdrawn_at IS NULL AND r.version = (
          SELECT MAX(v.version) FROM page_recipes v
          WHERE v.tenant = r.tenant AND v.domain = r.domain AND v.withdrawn_at IS NULL)
        ORDER BY r.domain`,
    ),
    versions: database.prepare(
      'SELECT * FROM page_recipes WHERE tenant = ? AND domain = ? ORDER BY version DESC',
    ),
    withdraw: database.prepare(
      'UPDATE page_recipes SET withdrawn_at = ? WHERE tenant = ? AND domain = ? AND withdrawn_at IS NULL',
    ),
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

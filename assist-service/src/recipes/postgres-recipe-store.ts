import type { ServiceDatabase } from '../storage/postgres-database.ts';
import { RECIPE_QUERIES, type RecipeStore, RecipeVersionConflict, toPublished } from './recipe-store.ts';

/**
 * Recipes in PostgreSQL (`DATABASE_URL`), shared by every replica: nothing is cached, so a recipe
 * published or withdrawn through one replica is what every other serves on its next request.
 */
export function openPostgresRecipeStore(options: { database: ServiceDatabase; tenant: string }): RecipeStore {
  const { database, tenant } = options;
  let closed = false;
  const open = () => {
    if (closed) throw new Error('The recipe store is closed.');
  };
  return {
    backend: 'postgres',
    async publish(recipe, publishedAt) {
      open();
      await database.transaction(async (client) => {
        // Two replicas publishing one domain at once take turns: the second sees the first's version.
        await client.run('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `recipes:${tenant}:${recipe.domain}`,
        ]);
        const [highest] = await client.rows<{ version: number | null }>(RECIPE_QUERIES.highest, [
          tenant,
          recipe.domain,
        ]);
        const stored = highest?.version ?? 0;
        if (recipe.version <= stored) throw new RecipeVersionConflict(recipe.domain, recipe.version, stored);
        await client.run(RECIPE_QUERIES.insert, [
          tenant,
          recipe.domain,
          recipe.version,
          JSON.stringify(recipe),
          publishedAt,
        ]);
      });
      return { recipe, publishedAt, withdrawn: false };
    },
    async latest(domain) {
      open();
      const [row] = await database.rows<Record<string, unknown>>(RECIPE_QUERIES.latest, [tenant, domain]);
      return row ? toPublished(row) : undefined;
    },
    async list(filter = {}) {
      open();
      if (filter.domain) {
        const found = await this.latest(filter.domain);
        return found ? [found] : [];
      }
      return (await database.rows<Record<string, unknown>>(RECIPE_QUERIES.latestAll, [tenant])).map(
        toPublished,
      );
    },
    async versions(domain) {
      open();
      return (await database.rows<Record<string, unknown>>(RECIPE_QUERIES.versions, [tenant, domain])).map(
        toPublished,
      );
    },
    async withdraw(domain, at) {
      open();
      return database.run(RECIPE_QUERIES.withdraw, [at, tenant, domain]);
    },
    async close() {
      closed = true;
    },
  };
}

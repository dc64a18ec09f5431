import { describe, expect, it } from 'vitest';
import { type StoreBackend, storeOpener } from '../storage/conformance-backends.ts';
import { sampleRecipe as recipe } from './fixtures/recipes.ts';
import { type RecipeStore, RecipeVersionConflict } from './recipe-store.ts';

/** What every RecipeStore does: run by recipe-store.test.ts against SQLite and PostgreSQL. */
export function describeRecipeStoreConformance(backend: StoreBackend<RecipeStore>): void {
  describe.skipIf(!backend.available)(`recipe store on ${backend.name}`, () => {
    const opener = storeOpener(backend);
    const open = (tenant = 'default') => opener(tenant);

    it('keeps each tenant to its own recipes in one store', async () => {
      const north = await open('north');
      const south = await open('south');
      await north.publish(recipe('desk.example.ru', 5), '2026-12-01T10:00:00Z');
      // Another tenant's version 5 is no conflict: versions are counted per tenant and domain.
      await south.publish(recipe('desk.example.ru', 1), '2026-12-01T10:00:00Z');
      expect((await north.latest('desk.example.ru'))?.recipe.version).toBe(5);
      expect((await south.latest('desk.example.ru'))?.recipe.version).toBe(1);
      expect(await south.withdraw('desk.example.ru', '2026-12-01T11:00:00Z')).toBe(1);
      expect(await south.latest('desk.example.ru')).toBeUndefined();
      expect((await north.list()).map((entry) => entry.recipe.version)).toEqual([5]);
    });

    it('throws a version conflict that names the stored version', async () => {
      const store = await open();
      await store.publish(recipe('desk.example.ru', 2), '2026-12-01T10:00:00Z');
      const conflict = await store
        .publish(recipe('desk.example.ru', 1), '2026-12-01T10:01:00Z')
        .catch((error) => error);
      expect(conflict).toBeInstanceOf(RecipeVersionConflict);
      expect(conflict).toMatchObject({ domain: 'desk.example.ru', offered: 1, stored: 2 });
      expect((await store.versions('desk.example.ru')).length).toBe(1);
    });

    it('serves the newest served version of each domain, in domain order, and every version newest first', async () => {
      const writer = await open();
      await writer.publish(recipe('b.example.ru', 1), '2026-12-01T10:00:00Z');
      await writer.publish(recipe('a.example.ru', 1), '2026-12-01T10:00:00Z');
      await writer.publish(recipe('a.example.ru', 3), '2026-12-01T10:05:00Z');
      // Another store on the same data (another replica) sees what the first published.
      const reader = await open();
      expect((await reader.list()).map((entry) => [entry.recipe.domain, entry.recipe.version])).toEqual([
        ['a.example.ru', 3],
        ['b.example.ru', 1],
      ]);
      expect((await reader.list({ domain: 'b.example.ru' })).length).toBe(1);
      expect((await reader.versions('a.example.ru')).map((entry) => entry.recipe.version)).toEqual([3, 1]);
      await reader.withdraw('a.example.ru', '2026-12-01T11:00:00Z');
      expect(await writer.latest('a.example.ru')).toBeUndefined();
      expect((await writer.versions('a.example.ru')).every((entry) => entry.withdrawn)).toBe(true);
    });

    it('accepts one of two stores publishing the same version at once and refuses the other', async () => {
      const [one, two] = [await open(), await open()];
      const results = await Promise.allSettled([
        one.publish(recipe('desk.example.ru', 1), '2026-12-01T10:00:00Z'),
        two.publish(recipe('desk.example.ru', 1), '2026-12-01T10:00:00Z'),
      ]);
      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(RecipeVersionConflict);
    });
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cssSelectorSchema, type Recipe, recipeSchema } from '../src/contract/index.ts';
import { RecipeVersionConflict } from '../src/recipes/recipe-store.ts';
import { openSqliteRecipeStore } from '../src/recipes/sqlite-recipe-store.ts';

const recipe = (domain: string, version: number): Recipe =>
  recipeSchema.parse({
    schema: 1,
    domain,
    version,
    updatedAt: '2026-12-01T09:30:00Z',
    messageList: '#log',
    message: '.row',
    roles: { operator: { class: 'row--mine' } },
    composer: 'textarea',
  });

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('SQLite recipe store', () => {
  it('keeps each tenant to its own recipes in one file', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'naparnik-recipes-'));
    folders.push(folder);
    const file = path.join(folder, 'recipes.sqlite');
    const north = openSqliteRecipeStore({ file, tenant: 'north' });
    const south = openSqliteRecipeStore({ file, tenant: 'south' });
    await north.publish(recipe('desk.example.ru', 5), '2026-12-01T10:00:00Z');
    // Another tenant's version 5 is no conflict: versions are counted per tenant and domain.
    await south.publish(recipe('desk.example.ru', 1), '2026-12-01T10:00:00Z');
    expect((await north.latest('desk.example.ru'))?.recipe.version).toBe(5);
    expect((await south.latest('desk.example.ru'))?.recipe.version).toBe(1);
    expect(await south.withdraw('desk.example.ru', '2026-12-01T11:00:00Z')).toBe(1);
    expect(await south.latest('desk.example.ru')).toBeUndefined();
    expect((await north.list()).map((entry) => entry.recipe.version)).toEqual([5]);
    await north.close();
    await south.close();
  });

  it('throws a version conflict that names the stored version', async () => {
    const store = openSqliteRecipeStore({ file: ':memory:', tenant: 'default' });
    await store.publish(recipe('desk.example.ru', 2), '2026-12-01T10:00:00Z');
    const conflict = await store
      .publish(recipe('desk.example.ru', 1), '2026-12-01T10:01:00Z')
      .catch((error) => error);
    expect(conflict).toBeInstanceOf(RecipeVersionConflict);
    expect(conflict).toMatchObject({ domain: 'desk.example.ru', offered: 1, stored: 2 });
    expect((await store.versions('desk.example.ru')).length).toBe(1);
    await store.close();
  });
});

describe('recipe contract', () => {
  it.each([
    '#chat-history',
    '[data-qa="message"]',
    '.feed > div:not(.system)',
    'div[aria-label="Ответ"] [contenteditable="true"]',
    ':scope > li',
  ])('accepts the selector %s', (selector) => {
    expect(cssSelectorSchema.safeParse(selector).success).toBe(true);
  });

  it.each([
    '',
    '   ',
    '#chat[data-x',
    'div:not(.a',
    '.a{color:red}',
    'a;b',
    '> .row',
    '.row,',
    '[title="open]',
    '<script>',
  ])('rejects %j as a selector', (selector) => {
    expect(cssSelectorSchema.safeParse(selector).success).toBe(false);
  });

  it('needs at least one role matcher and an increasing integer version', () => {
    const valid = recipe('desk.example.ru', 1);
    expect(recipeSchema.safeParse({ ...valid, roles: { otherwise: 'customer' } }).success).toBe(false);
    expect(recipeSchema.safeParse({ ...valid, version: 1.5 }).success).toBe(false);
    expect(recipeSchema.safeParse({ ...valid, domain: 'Desk.Example.ru' }).success).toBe(false);
    expect(recipeSchema.safeParse({ ...valid, domain: '127.0.0.1:8080' }).success).toBe(true);
  });
});

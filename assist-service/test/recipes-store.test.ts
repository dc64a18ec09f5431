import { describe, expect, it } from 'vitest';
import { cssSelectorSchema, recipeSchema } from '../src/contract/index.ts';
import { sampleRecipe as recipe } from '../src/recipes/fixtures/recipes.ts';

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

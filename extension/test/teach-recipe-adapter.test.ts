import { conversationSchema, type Recipe } from '@naparnik/assist-service/contract';
import { describe, expect, it, vi } from 'vitest';
import type { ReadingMemo } from '../src/adapters/adapter.ts';
import { ADAPTERS, readPage } from '../src/adapters/index.ts';
import { createRecipeAdapter, invalidSelectors } from '../src/adapters/recipe.ts';
import { parsePage } from './support/fixtures.ts';
import { loadTeachFixtures, pageOf } from './support/teach-fixtures.ts';

const fixtures = loadTeachFixtures();

describe.each(fixtures)('recipe adapter on $name', (fixture) => {
  it('reads the conversation the page shows, with the right roles', () => {
    const adapter = createRecipeAdapter(fixture.recipe);
    expect(adapter.matches(fixture.url)).toBe(true);
    const conversation = adapter.extract(pageOf(fixture), fixture.url);
    expect(conversationSchema.parse(conversation)).toEqual(fixture.expected.conversation);
    expect(adapter.composer(pageOf(fixture))?.matches(fixture.expected.composer)).toBe(true);
  });

  it('is needed: no built-in adapter gets every role right on this page', () => {
    const document = pageOf(fixture);
    const expectedRoles = fixture.expected.conversation.messages.map((message) => message.role);
    for (const adapter of ADAPTERS) {
      const roles = adapter.extract(document, fixture.url)?.messages.map((message) => message.role);
      expect(roles, adapter.id).not.toEqual(expectedRoles);
    }
  });

  it('comes first in readPage when the content script puts it before the built-in adapters', () => {
    const adapter = createRecipeAdapter(fixture.recipe);
    expect(readPage(pageOf(fixture), fixture.url, [adapter, ...ADAPTERS]).adapter.id).toBe('recipe');
  });
});

describe('recipe adapter', () => {
  const recipe = (changes: Partial<Recipe>): Recipe => ({
    schema: 1,
    domain: 'desk.example',
    version: 1,
    updatedAt: '2026-12-01T00:00:00Z',
    messageList: '#log',
    message: '.m',
    roles: { operator: { class: 'mine' }, otherwise: 'customer' },
    composer: 'textarea',
    channel: 'chat',
    ...changes,
  });
  const page = parsePage(`<div id="log">
    <div class="m">Первое</div><div class="m mine">Второе</div><div class="m"></div>
    <div class="m">Третье <div class="m">вложенное</div></div>
  </div><textarea></textarea>`);

  it('matches only its own host, port included', () => {
    const adapter = createRecipeAdapter(recipe({ domain: '127.0.0.1:8080' }));
    expect(adapter.matches(new URL('http://127.0.0.1:8080/x'))).toBe(true);
    expect(adapter.matches(new URL('http://127.0.0.1:9090/x'))).toBe(false);
  });

  it('skips empty messages, reads a nested match once and keeps only the newest when asked', () => {
    const adapter = createRecipeAdapter(recipe({}));
    const all = adapter.extract(page)?.messages.map((message) => [message.role, message.text]);
    expect(all).toEqual([
      ['customer', 'Первое'],
      ['operator', 'Второе'],
      ['customer', 'Третье\nвложенное'],
    ]);
    expect(adapter.extract(page, undefined, { lastMessages: 1 })?.messages).toHaveLength(1);
  });

  it('reuses the memo on a re-read: unchanged messages are not read again, only the new one is', () => {
    const sides = parsePage(`<div id="log">
      <div class="m">Здравствуйте</div><div class="m">Добрый день</div><div class="m">Где заказ?</div>
    </div><textarea></textarea>`);
    // A side rule asks the layout once per message read: the count of those calls counts the reads.
    const adapter = createRecipeAdapter(
      recipe({ roles: { customer: { side: 'left' }, operator: { side: 'right' }, otherwise: 'customer' } }),
    );
    const list = adapter.messageList?.(sides) as Element;
    const layout = vi.spyOn(list, 'getBoundingClientRect');
    const memo: ReadingMemo = new WeakMap();
    const first = adapter.extract(sides, undefined, { list, memo });
    const readsOfThree = layout.mock.calls.length;
    expect(readsOfThree).toBeGreaterThan(0);

    const again = adapter.extract(sides, undefined, { list, memo });
    expect(again).toEqual(first);
    expect(again?.messages[0]).toBe(first?.messages[0]);
    expect(layout.mock.calls.length).toBe(readsOfThree);

    const added = sides.createElement('div');
    added.className = 'm';
    added.textContent = 'Спасибо';
    list.append(added);
    const grown = adapter.extract(sides, undefined, { list, memo });
    expect(grown?.messages.map((message) => message.text)).toEqual([
      'Здравствуйте',
      'Добрый день',
      'Где заказ?',
      'Спасибо',
    ]);
    expect(grown?.messages.slice(0, 3)).toEqual(first?.messages);
    expect(layout.mock.calls.length).toBe(readsOfThree + readsOfThree / 3);
    expect(adapter.extract(sides, undefined, { list })).toEqual(grown);
  });

  it('gives a message both matchers claim the fallback role', () => {
    const adapter = createRecipeAdapter(
      recipe({ roles: { customer: { selector: '.m' }, operator: { class: 'mine' }, otherwise: 'system' } }),
    );
    expect(adapter.extract(page)?.messages[1]?.role).toBe('system');
  });

  it('lists selectors the browser refuses and reads nothing with them instead of throwing', () => {
    const broken = recipe({ message: 'div:has-nothing(' });
    expect(invalidSelectors(broken, page)).toEqual(['message']);
    expect(invalidSelectors(recipe({}), page)).toEqual([]);
    expect(createRecipeAdapter(broken).extract(page)).toBeUndefined();
  });

  it('answers undefined when the page does not show the list', () => {
    expect(createRecipeAdapter(recipe({ messageList: '#elsewhere' })).extract(page)).toBeUndefined();
    expect(createRecipeAdapter(recipe({ composer: '#none' })).composer(page)).toBeUndefined();
  });
});

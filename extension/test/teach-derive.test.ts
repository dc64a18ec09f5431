import { describe, expect, it } from 'vitest';
import { createRecipeAdapter } from '../src/adapters/recipe.ts';
import { deriveRecipe, editableOf, messagesOf } from '../src/teach/derive-recipe.ts';
import { uniqueSelector } from '../src/teach/derive-selectors.ts';
import { isStableClass, looksGenerated } from '../src/teach/stable-names.ts';
import { parsePage } from './support/fixtures.ts';
import { loadTeachFixtures, pageOf, pick } from './support/teach-fixtures.ts';

const fixtures = loadTeachFixtures();
const NOW = new Date('2026-12-01T00:00:00Z');

/** The four clicks: the list, a customer's and an operator's message, the reply box. */
function deriveFrom(
  list: Element,
  [customer, operator]: Element[],
  composer: Element,
  options: { version?: number; page?: Document } = {},
) {
  return deriveRecipe(
    { list, customer: customer as Element, operator: operator as Element, composer },
    {
      domain: 'desk.example',
      version: options.version ?? 1,
      now: NOW,
      ...(options.page ? { page: options.page } : {}),
    },
  );
}

describe.each(fixtures)('teach fixture $name', (fixture) => {
  it('derives the recorded recipe from the four clicks', () => {
    const document = pageOf(fixture);
    const derived = deriveRecipe(
      {
        list: pick(document, fixture.picks.list),
        customer: pick(document, fixture.picks.customer),
        operator: pick(document, fixture.picks.operator),
        composer: pick(document, fixture.picks.composer),
      },
      { domain: fixture.url.host, version: 1, now: NOW },
    );
    expect(derived).toEqual({ ok: true, recipe: fixture.recipe, warnings: [] });
  });

  it('finds the list and the reply box with selectors that match exactly one element', () => {
    const document = pageOf(fixture);
    expect(document.querySelectorAll(fixture.recipe.messageList)).toHaveLength(1);
    expect(document.querySelectorAll(fixture.recipe.composer)).toHaveLength(1);
    expect(document.querySelector(fixture.recipe.messageList)).toBe(pick(document, fixture.picks.list));
  });
});

describe('selector derivation', () => {
  it('never builds on generated class names when the page has test ids and ARIA', () => {
    const hashed = fixtures.find((fixture) => fixture.name === 'teach-hashed');
    expect(hashed).toBeDefined();
    const selectors = JSON.stringify(hashed?.recipe);
    expect(selectors).not.toMatch(/css-|sc-|e1abc/);
    expect(hashed?.recipe.roles).toMatchObject({ customer: { attribute: 'aria-label' } });
  });

  it.each([
    ['css-1x2y3z', true],
    ['sc-bdVaJa', true],
    ['kRhLkE', true],
    ['e1abc0', true],
    ['Message_bubble__3kX9a', true],
    ['_3xYz9', true],
    ['message-48213', true],
    ['line--them', false],
    ['bubble__text', false],
    ['chat-history', false],
    ['ChatList', false],
    ['col-6', false],
  ])('tells a generated name (%s → %s)', (name, generated) => {
    expect(looksGenerated(name)).toBe(generated);
  });

  it('does not rely on passing state classes', () => {
    expect(isStableClass('active')).toBe(false);
    expect(isStableClass('is-selected')).toBe(false);
    expect(isStableClass('message')).toBe(true);
  });

  it('falls back to a position path, marked fragile, when an element has no stable name', () => {
    const document = parsePage(
      '<body><div class="css-1a2b3c"><div class="css-4d5e6f">a</div><div class="css-4d5e6f">b</div></div></body>',
    );
    const second = document.querySelectorAll('.css-4d5e6f')[1] as Element;
    const derived = uniqueSelector(second, document);
    expect(derived.fragile).toBe(true);
    expect(derived.selector).toBe('body > div > div:nth-of-type(2)');
    expect(document.querySelector(derived.selector)).toBe(second);
  });

  it('scopes a name that repeats under the nearest uniquely named ancestor', () => {
    const document = parsePage(
      '<body><section id="left"><textarea class="box"></textarea></section><section id="right"><textarea class="box"></textarea></section></body>',
    );
    const right = document.querySelector('#right textarea') as Element;
    expect(uniqueSelector(right, document)).toEqual({ selector: '#right .box', fragile: false });
  });

  it('lifts a click inside an editor to the editable element', () => {
    const document = parsePage(
      '<div class="ed"><div contenteditable="true"><p><span>x</span></p></div></div>',
    );
    expect(editableOf(document.querySelector('span') as Element).getAttribute('contenteditable')).toBe(
      'true',
    );
    expect(editableOf(document.querySelector('.ed') as Element).getAttribute('contenteditable')).toBe('true');
  });

  it('takes the side of the list as the role rule when nothing in the markup differs', () => {
    const document = parsePage(`<div id="log">
      <div class="m" style="margin-right:auto"><span>Здравствуйте, где заказ?</span></div>
      <div class="m" style="margin-left:auto"><span>Сейчас посмотрю.</span></div>
      <div class="m" style="margin-right:auto"><span>Спасибо</span></div>
    </div><textarea id="reply"></textarea>`);
    const derived = deriveFrom(
      pick(document, '#log'),
      Array.from(document.querySelectorAll('.m span')),
      pick(document, '#reply'),
      { version: 3 },
    );
    expect(derived.ok && derived.recipe.roles).toEqual({
      customer: { side: 'left' },
      operator: { side: 'right' },
      otherwise: 'customer',
    });
    expect(derived.ok && derived.recipe.version).toBe(3);
  });

  it('finds the author and the time by camelCase class names, split into words like the adapters do', () => {
    const document = parsePage(`<div id="log">
      <div class="msg msg--in"><b class="authorName">Анна</b><span class="messageTime">10:02</span><p class="messageBody">Где мой заказ?</p></div>
      <div class="msg msg--out"><b class="authorName">Оператор</b><span class="messageTime">10:03</span><p class="messageBody">Уже смотрю.</p></div>
    </div><textarea id="reply"></textarea>`);
    const [customer, operator] = Array.from(document.querySelectorAll('.messageBody'));
    const derived = deriveRecipe(
      {
        list: pick(document, '#log'),
        customer: customer as Element,
        operator: operator as Element,
        composer: pick(document, '#reply'),
      },
      { domain: 'desk.example', version: 1, now: NOW },
    );
    expect(derived.ok && derived.recipe).toMatchObject({
      message: '.msg',
      text: '.messageBody',
      author: '.authorName',
      time: '.messageTime',
    });
  });

  it('reads a list grouped by day when the two clicked messages are in different days', () => {
    const document = parsePage(`<div id="log">
      <section class="day"><h3 class="day-title">Вчера</h3>
        <div class="msg msg--in"><p class="body">Где мой заказ?</p></div>
      </section>
      <section class="day"><h3 class="day-title">Сегодня</h3>
        <div class="msg msg--out"><p class="body">Уже смотрю.</p></div>
        <div class="msg msg--in"><p class="body">Спасибо.</p></div>
      </section>
    </div><textarea id="reply"></textarea>`);
    const [customer, operator] = Array.from(document.querySelectorAll('.body'));
    const list = pick(document, '#log');
    const found = messagesOf(list, customer as Element, operator as Element);
    expect(found).toEqual({
      customer: (customer as Element).parentElement,
      operator: (operator as Element).parentElement,
    });
    const derived = deriveFrom(list, [customer as Element, operator as Element], pick(document, '#reply'));
    expect(derived.ok && derived.recipe.message).toBe('.msg');
    expect(derived.ok).toBe(true);
  });

  it('teaches a conversation inside a same-origin iframe: the iframe named in the page, the rest inside it', async () => {
    document.body.innerHTML = `<div class="layout"><iframe id="thread-frame" srcdoc="<div id=&quot;log&quot;><div class=&quot;msg msg--in&quot;><p>Где мой заказ?</p></div><div class=&quot;msg msg--out&quot;><p>Уже смотрю.</p></div></div>"></iframe><textarea id="reply"></textarea></div>`;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const inner = (document.querySelector('#thread-frame') as HTMLIFrameElement).contentDocument!;
    expect(inner.querySelector('#log'), 'the iframe should have its document').toBeTruthy();
    const derived = deriveFrom(
      pick(inner, '#log'),
      Array.from(inner.querySelectorAll('p')),
      pick(document, '#reply'),
      {
        page: document,
      },
    );
    expect(derived.ok && derived.recipe).toMatchObject({
      iframe: '#thread-frame',
      messageList: '#log',
      message: '.msg',
      composer: '#reply',
    });
    if (!derived.ok) return;
    const adapter = createRecipeAdapter(derived.recipe);
    expect(adapter.extract(document)?.messages.map((message) => [message.role, message.text])).toEqual([
      ['customer', 'Где мой заказ?'],
      ['operator', 'Уже смотрю.'],
    ]);
    expect(adapter.composer(document)).toBe(document.querySelector('#reply'));
  });

  it('names the problem when both clicks land in one message or outside the list', () => {
    const document = parsePage(
      '<div id="log"><div class="m"><b>a</b><i>b</i></div><div class="m">c</div></div><p id="out">x</p>',
    );
    const list = pick(document, '#log');
    expect(messagesOf(list, pick(document, 'b'), pick(document, 'i'))).toBe('same-message');
    expect(messagesOf(list, pick(document, 'b'), pick(document, '#out'))).toBe('outside-list');
    const message = pick(document, '.m');
    expect(messagesOf(list, message, pick(document, 'b'))).toBe('same-message');
  });
});

import type { Recipe } from '@naparnik/assist-service/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS, readPage } from '../src/adapters/index.ts';
import { createServiceClient } from '../src/background/service-client.ts';
import { createWorker } from '../src/background/worker.ts';
import { memoryStorage, settingsSchema } from '../src/settings.ts';
import { createPageTeaching } from '../src/teach/page-teaching.ts';
import { overlayRoot, type TeachOverlay } from '../src/teach/picker.ts';
import { createRecipeBook } from '../src/teach/recipe-book.ts';
import { startTeach } from '../src/teach/start-teach.ts';
import { TEACH_STRINGS } from '../src/teach/strings.ts';
import { loadTeachFixtures, type TeachFixture } from './support/teach-fixtures.ts';

const fixtures = loadTeachFixtures();
const bubbles = fixtures.find((fixture) => fixture.name === 'teach-bubbles') as TeachFixture;
const strings = TEACH_STRINGS.ru;

/** Puts a fixture page into the test window's own document, where the picker listens. */
function showPage(fixture: TeachFixture): void {
  const parsed = new DOMParser().parseFromString(fixture.html, 'text/html');
  document.head.innerHTML = parsed.head.innerHTML;
  document.body.innerHTML = parsed.body.innerHTML;
}

function at(selector: string): Element {
  const element = document.querySelector(selector);
  if (!element) throw new Error(`nothing at ${selector}`);
  return element;
}

function hover(element: Element): void {
  element.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, composed: true }));
}

function click(element: Element): boolean {
  hover(element);
  return element.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
}

function press(key: string): void {
  document.body.dispatchEvent(
    new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }),
  );
}

function card(): Element {
  const found = overlayRoot(document.querySelector('naparnik-teach'))?.querySelector('.card');
  if (!found) throw new Error('the teach overlay is not shown');
  return found;
}

function buttonNamed(name: string): HTMLButtonElement {
  const found = Array.from(card().querySelectorAll('button')).find((button) => button.textContent === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
}

function pickAll(fixture: TeachFixture): void {
  for (const selector of [
    fixture.picks.list,
    fixture.picks.customer,
    fixture.picks.operator,
    fixture.picks.composer,
  ]) {
    click(at(selector));
  }
}

/** Every overlay a test opened, closed after it so no listener outlives its test. */
const opened: TeachOverlay[] = [];
function teach(options: Parameters<typeof startTeach>[0]): TeachOverlay {
  // These tests dispatch the operator's moves, clicks and keys themselves (untrusted events).
  const overlay = startTeach({ isUserEvent: () => true, ...options });
  opened.push(overlay);
  return overlay;
}

/** The picker opened on the bubbles page (already shown), saving nowhere unless told otherwise. */
function teachBubbles(extra: Partial<Parameters<typeof startTeach>[0]> = {}): TeachOverlay {
  return teach({
    document,
    url: bubbles.url,
    strings,
    version: 1,
    now: () => new Date(),
    save: async () => ({ ok: true, data: null }),
    onSaved: () => undefined,
    ...extra,
  });
}

afterEach(() => {
  for (const overlay of opened.splice(0)) overlay.close();
  document.body.innerHTML = '';
});

describe('the teach overlay', () => {
  it("ignores moves, clicks and keys the page's own scripts dispatch", () => {
    showPage(bubbles);
    let picked = false;
    let cancelled = false;
    const overlay = startTeach({
      document,
      url: bubbles.url,
      strings,
      version: 1,
      now: () => new Date(),
      save: async () => ({ ok: true, data: null }),
      onSaved: () => {
        picked = true;
      },
      onClose: () => {
        cancelled = true;
      },
    });
    opened.push(overlay);
    const before = card().textContent;
    // Not swallowed, not picked: to the picker a dispatched click did not happen.
    for (const selector of Object.values(bubbles.picks)) expect(click(at(selector))).toBe(true);
    press('Escape');
    expect(card().textContent).toBe(before);
    expect(picked).toBe(false);
    expect(cancelled).toBe(false);
  });

  it('picks a conversation inside a same-origin iframe and saves a recipe that names the iframe', async () => {
    document.body.innerHTML = `<div class="layout"><iframe id="thread-frame" srcdoc="<div id=&quot;log&quot;><div class=&quot;msg msg--in&quot;><p>Где мой заказ?</p></div><div class=&quot;msg msg--out&quot;><p>Уже смотрю.</p></div></div>"></iframe><textarea id="reply"></textarea></div>`;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const inner = (document.querySelector('#thread-frame') as HTMLIFrameElement).contentDocument!;
    expect(inner.querySelector('#log'), 'the iframe should have its document').toBeTruthy();
    const saved: Recipe[] = [];
    teach({
      document,
      url: new URL('https://desk.example/inbox'),
      strings,
      version: 1,
      now: () => new Date('2026-12-01T00:00:00Z'),
      save: async (recipe) => {
        saved.push(recipe);
        return { ok: true, data: null };
      },
      onSaved: () => undefined,
    });
    const [customer, operator] = Array.from(inner.querySelectorAll('p'));
    // The page inside the iframe gets no click: the picker swallows it there too.
    expect(click(inner.querySelector('#log')!)).toBe(false);
    click(customer!);
    click(operator!);
    click(at('#reply'));
    const rows = Array.from(card().querySelectorAll('li')).map((row) => row.className);
    expect(rows).toEqual(['customer', 'operator']);
    buttonNamed(strings.save).click();
    await Promise.resolve();
    await Promise.resolve();
    expect(saved[0]).toMatchObject({ iframe: '#thread-frame', messageList: '#log', composer: '#reply' });
  });

  it('walks through four clicks, previews the conversation with roles and saves the recipe', async () => {
    showPage(bubbles);
    const saved: Recipe[] = [];
    let closed = 0;
    teach({
      document,
      url: bubbles.url,
      strings,
      version: 4,
      now: () => new Date('2026-12-01T00:00:00Z'),
      save: async (recipe) => {
        saved.push(recipe);
        return { ok: true, data: null };
      },
      onSaved: () => undefined,
      onClose: () => {
        closed += 1;
      },
    });
    expect(card().textContent).toContain(strings.steps[0]);
    pickAll(bubbles);

    const rows = Array.from(card().querySelectorAll('li')).map((row) => [row.className, row.textContent]);
    expect(rows).toEqual(
      bubbles.expected.conversation.messages.map((message) => [
        message.role,
        `${strings.roles[message.role]}${message.text}`,
      ]),
    );
    expect(card().textContent).toContain(strings.composerFound);

    buttonNamed(strings.save).click();
    await Promise.resolve();
    await Promise.resolve();
    expect(saved).toEqual([{ ...bubbles.recipe, version: 4 }]);
    expect(document.querySelector('naparnik-teach')).toBeNull();
    expect(closed).toBe(1);
  });

  it('keeps its card in a closed shadow root: a page script finds the host but nothing inside it', () => {
    showPage(bubbles);
    teachBubbles();
    const host = document.querySelector('naparnik-teach');
    expect(host).not.toBeNull();
    // What the page's scripts see: no shadowRoot, so no Save button to click and no preview to read.
    expect(host?.shadowRoot).toBeNull();
    // The extension's own code still holds the root.
    expect(card().textContent).toContain(strings.title);
  });

  it('keeps page clicks from reaching the page while picking, and Escape cancels', () => {
    showPage(bubbles);
    let pageClicks = 0;
    at('#history').addEventListener('click', () => {
      pageClicks += 1;
    });
    let cancelled = false;
    teachBubbles({
      onClose: () => {
        cancelled = true;
      },
    });
    expect(click(at('#history'))).toBe(false);
    expect(pageClicks).toBe(0);
    press('Escape');
    expect(cancelled).toBe(true);
    expect(document.querySelector('naparnik-teach')).toBeNull();
    click(at('#history'));
    expect(pageClicks).toBe(1);
  });

  it('refuses a message outside the chosen list, and ArrowUp widens the highlighted block', () => {
    showPage(bubbles);
    teachBubbles();
    // Hovering one message and pressing ↑ selects the history around it.
    hover(at('#history .line'));
    press('ArrowUp');
    click(at('#history .line'));
    expect(card().textContent).toContain(strings.steps[1]);
    click(at('.desk-head h1'));
    expect(card().textContent).toContain(strings.outsideList);
    expect(card().textContent).toContain(strings.steps[1]);
  });

  it('names the problem and offers to start over when both clicks land in one message', () => {
    showPage(bubbles);
    teachBubbles();
    click(at('#history'));
    click(at('#history > div:nth-child(1) > p'));
    click(at('#history > div:nth-child(1) > .line__who'));
    click(at('.answer__box'));
    expect(card().textContent).toContain(strings.problems['same-message']);
    buttonNamed(strings.retry).click();
    expect(card().textContent).toContain(strings.steps[0]);
  });
});

describe('teaching a page from the content script', () => {
  it('saves through the worker and reads the page with the new recipe first', async () => {
    showPage(bubbles);
    const settings = settingsSchema.parse({ serviceUrl: 'http://127.0.0.1:9', locale: 'ru' });
    const client = createServiceClient({ settings: async () => settings });
    const recipes = createRecipeBook({
      storage: memoryStorage(),
      fetchPublished: (domain, etag) => client.publishedRecipe(domain, etag),
      now: () => Date.now(),
    });
    const worker = createWorker({ client, settings: async () => settings, recipes });
    const teaching = createPageTeaching({
      runtime: { sendMessage: (message) => worker.handleRequest(message) },
      document,
      location: () => bubbles.url.href,
      locale: async () => 'ru',
      isUserEvent: () => true,
    });
    await teaching.ready;
    expect(readPage(document, bubbles.url, [teaching.slot, ...ADAPTERS]).adapter.id).toBe('generic');

    let saved = false;
    teaching.teach(() => {
      saved = true;
    });
    await expect.poll(() => document.querySelector('naparnik-teach')).not.toBeNull();
    pickAll(bubbles);
    buttonNamed(strings.save).click();
    await expect.poll(() => saved).toBe(true);

    const reading = readPage(document, bubbles.url, [teaching.slot, ...ADAPTERS]);
    expect(reading.adapter.id).toBe('recipe');
    expect(reading.conversation?.messages.map((message) => message.role)).toEqual([
      'customer',
      'operator',
      'customer',
    ]);
    const stored = await worker.handleRequest({ type: 'recipes:list-local' });
    expect(stored).toMatchObject({ ok: true, data: { recipes: [{ domain: bubbles.url.host, version: 1 }] } });
  });
});

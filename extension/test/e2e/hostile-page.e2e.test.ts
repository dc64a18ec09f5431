import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ROOT } from '../support/fixtures.ts';
import {
  BUILD_DIR,
  chromiumAvailable,
  type E2eSession,
  feedbackEvents,
  PRODUCTION_BUILD_DIR,
  type RunningService,
  sendFromExtensionPage,
  servePages,
  startE2eSession,
} from './harness.ts';

/**
 * The helpdesk page is hostile (issue 13): its scripts dispatch events, and code in the content
 * script's world tries to read the token and redirect the service. The production build (what
 * operators install: closed shadow root) for all of it but `.click()` on the panel's button, which
 * needs the e2e build's open root to reach the button at all.
 */
const available = chromiumAvailable();
const DEMO_DESK = path.join(EXTENSION_ROOT, 'demo-desk/index.html');
const REPLY = '#dd-reply-text';

/** An operator token made by the service's admin: what a team lead hands an operator. */
async function operatorToken(service: RunningService): Promise<string> {
  const response = await service.request('/v1/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'operator', name: 'hostile-page-operator' }),
  });
  if (response.status !== 201) throw new Error(`POST /v1/tokens answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

const insertedEvents = async (service: RunningService) =>
  (await feedbackEvents(service)).filter((event) => event.type === 'suggestion-inserted');

/** Waits until the panel's suggestion set is complete (the panel records `suggestion-shown` then). */
async function suggestionsShown(service: RunningService): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 40_000; ) {
    if ((await feedbackEvents(service)).some((event) => event.type === 'suggestion-shown')) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error('the panel showed no suggestions within 40 s');
}

/** Runs `expression` in the content script's isolated world of `page` (found over CDP), awaited. */
async function inContentScriptWorld(page: Page, extensionId: string, expression: string): Promise<unknown> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const contexts: Array<{ id: number; origin: string; auxData?: { type?: string } }> = [];
  cdp.on('Runtime.executionContextCreated', (event) => contexts.push(event.context));
  await cdp.send('Runtime.enable');
  await expect.poll(() => contexts.some((context) => context.origin.includes(extensionId))).toBe(true);
  const world = contexts.find(
    (context) => context.origin.includes(extensionId) && context.auxData?.type === 'isolated',
  );
  if (!world) throw new Error('no content script world on the page');
  const result = await cdp.send('Runtime.evaluate', {
    expression,
    contextId: world.id,
    awaitPromise: true,
    returnByValue: true,
  });
  await cdp.detach();
  if (result.exceptionDetails) throw new Error(result.exceptionDetails.text);
  return result.result.value;
}

describe.skipIf(!available)('a hostile helpdesk page, against the build operators install', () => {
  let session: E2eSession | undefined;
  let page: Page;
  /** The token the extension holds: a real operator token of the service (every route needs one). */
  let TOKEN = '';

  beforeAll(async () => {
    session = await startE2eSession({ '/demo-desk/': DEMO_DESK }, {}, PRODUCTION_BUILD_DIR);
    TOKEN = await operatorToken(session.service);
    const written = await sendFromExtensionPage(session.browser, {
      type: 'settings:write',
      changes: { token: TOKEN },
    });
    expect(written).toMatchObject({ ok: true });
    page = await session.browser.context.newPage();
    await page.goto(`${session.pages.origin}/demo-desk/`);
    await suggestionsShown(session.service);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('keeps the panel in a closed shadow root: the page cannot reach its buttons', async () => {
    expect(await page.evaluate(() => document.querySelector('naparnik-overlay') !== null)).toBe(true);
    expect(
      await page.evaluate(() => document.querySelector('naparnik-overlay')?.shadowRoot ?? null),
    ).toBeNull();
  });

  it('inserts nothing for Alt+1 dispatched by a page script, and inserts on the real key', async () => {
    await page.evaluate(() => {
      const reply = document.querySelector('#dd-reply-text') as HTMLTextAreaElement;
      reply.focus();
      for (const target of [window, document, reply]) {
        target.dispatchEvent(
          new KeyboardEvent('keydown', { code: 'Digit1', key: '1', altKey: true, bubbles: true }),
        );
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await page.locator(REPLY).inputValue()).toBe('');
    expect(await insertedEvents(session!.service)).toEqual([]);

    // The operator's own key: the check above could have failed.
    await page.locator(REPLY).focus();
    await page.keyboard.press('Alt+Digit1');
    await expect.poll(() => page.locator(REPLY).inputValue(), { timeout: 10_000 }).not.toBe('');
    await expect.poll(async () => (await insertedEvents(session!.service)).length).toBe(1);
  });

  it("gives the content script's world neither the token nor a way to redirect the service", async () => {
    const { extensionId } = session!.browser;
    const seen = (await inContentScriptWorld(
      page,
      extensionId,
      `(async () => {
        const local = await chrome.storage.local.get(null);
        let session = 'unavailable';
        try { session = JSON.stringify(await chrome.storage.session.get(null)); } catch (error) { session = 'refused: ' + error.message; }
        const read = await chrome.runtime.sendMessage({ type: 'settings:read' });
        const write = await chrome.runtime.sendMessage({
          type: 'settings:write',
          changes: { serviceUrl: 'http://127.0.0.1:9', token: 'stolen' },
        });
        return { local: JSON.stringify(local), session, read, write };
      })()`,
    )) as { local: string; session: string; read: unknown; write: unknown };
    expect(seen.local).not.toContain(TOKEN);
    expect(seen.local).not.toContain('serviceUrl');
    expect(seen.session).not.toContain(TOKEN);
    expect(seen.read).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(seen.write).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // Unchanged, as the extension's own pages read it.
    const settings = await sendFromExtensionPage(session!.browser, { type: 'settings:read' });
    expect(settings).toMatchObject({ ok: true, data: { token: TOKEN, serviceUrl: session!.service.url } });
  });

  it('runs on the enabled origin only, not on another port of the same local address', async () => {
    const other = await servePages({ '/demo-desk/': DEMO_DESK });
    try {
      const elsewhere = await session!.browser.context.newPage();
      await elsewhere.goto(`${other.origin}/demo-desk/`);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(await elsewhere.evaluate(() => document.querySelector('naparnik-overlay') !== null)).toBe(false);
      await elsewhere.close();
    } finally {
      await other.close();
    }
  });
});

describe.skipIf(!available)("a page script's .click() on the panel's button (e2e build: open root)", () => {
  let session: E2eSession | undefined;

  beforeAll(async () => {
    session = await startE2eSession({ '/demo-desk/': DEMO_DESK }, {}, BUILD_DIR);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('inserts nothing and records nothing; the real click does both', async () => {
    const page = await session!.browser.context.newPage();
    await page.goto(`${session!.pages.origin}/demo-desk/`);
    const insert = page
      .locator('section[data-naparnik="panel"]')
      .getByRole('button', { name: 'Вставить' })
      .first();
    await expect.poll(() => insert.isEnabled(), { timeout: 40_000 }).toBe(true);
    const clicked = await page.evaluate(() => {
      const root = document.querySelector('naparnik-overlay')?.shadowRoot;
      const button = [...(root?.querySelectorAll('button') ?? [])].find(
        (each) => each.textContent === 'Вставить',
      );
      button?.click();
      button?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      return Boolean(button);
    });
    expect(clicked).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await page.locator(REPLY).inputValue()).toBe('');
    expect(await insertedEvents(session!.service)).toEqual([]);

    await insert.click();
    await expect.poll(() => page.locator(REPLY).inputValue(), { timeout: 10_000 }).not.toBe('');
    await expect.poll(async () => (await insertedEvents(session!.service)).length).toBe(1);
  });
});

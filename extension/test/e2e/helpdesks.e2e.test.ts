import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Expected, FIXTURES_ROOT } from '../support/fixtures.ts';
import {
  ARTIFACTS,
  type Browser,
  chromiumAvailable,
  type E2eSession,
  feedbackEvents,
  type RunningService,
  readTab,
  type servePages,
  squeeze,
  startE2eSession,
} from './harness.ts';
import { openSidePanel } from './side-panel.ts';

/**
 * The adapters' fixture pages of Chatwoot, Zammad and FreeScout, served over http on 127.0.0.1
 * at a route each adapter's `matches(url)` accepts (Zammad routes by the URL hash). Before the
 * page's scripts run, an init script adds one more customer message (one the demo knowledge base
 * answers) in that desk's own markup, as the desk would on a new message; after the insert the
 * test sends the reply the way the desk renders a sent one.
 */
interface DeskCase {
  site: string;
  /** Served path → fixture file. */
  route: string;
  fixture: string;
  /** What the browser opens (route plus the Zammad hash). */
  address: string;
  /** The reply box, as the desk's send reads it. */
  composer: string;
  /** Adds a customer message the way the desk renders one (runs in the page). */
  addCustomerMessage: (text: string) => void;
  /** Sends the reply box's content as the operator's message and clears the box (runs in the page). */
  send: (composer: string) => void;
}

const NEW_MESSAGE = 'Здравствуйте! Заказ так и не доставили, курьер не приехал. Где мой заказ?';
const OPERATOR_ADDITION = ' Если будут вопросы, пишите.';

const DESKS: DeskCase[] = [
  {
    site: 'chatwoot',
    route: '/app/accounts/1/conversations/4127',
    fixture: 'chatwoot/conversation',
    address: '/app/accounts/1/conversations/4127',
    composer: '.reply-box .ProseMirror',
    addCustomerMessage: (text) => {
      const rows = Array.from(document.querySelectorAll('[data-message-id]'));
      const last = rows.filter((row) => row.querySelector('.bg-n-slate-4')).at(-1)!;
      const copy = last.cloneNode(true) as Element;
      copy.setAttribute('data-message-id', '88200');
      copy.id = 'message88200';
      copy.querySelector('.prose-bubble')!.textContent = text;
      rows.at(-1)!.after(copy);
    },
    send: (composer) => {
      const box = document.querySelector(composer)!;
      const rows = Array.from(document.querySelectorAll('[data-message-id]'));
      const agent = rows.filter((row) => row.querySelector('.bg-n-solid-blue')).at(-1)!;
      const sent = agent.cloneNode(true) as Element;
      sent.setAttribute('data-message-id', '88201');
      sent.id = 'message88201';
      sent.querySelector('.prose-bubble')!.innerHTML = box.innerHTML;
      rows.at(-1)!.after(sent);
      box.innerHTML = '<p><br class="ProseMirror-trailingBreak"></p>';
    },
  },
  {
    site: 'zammad',
    route: '/zammad/',
    fixture: 'zammad/ticket-zoom',
    address: '/zammad/#ticket/zoom/1842',
    composer: '.article-add .articleNewEdit-body',
    addCustomerMessage: (text) => {
      const articles = Array.from(document.querySelectorAll('.ticket-article .ticket-article-item'));
      const copy = articles
        .filter((item) => item.classList.contains('customer'))
        .at(-1)!
        .cloneNode(true);
      const article = copy as Element;
      article.id = 'article-5520';
      article.setAttribute('data-id', '5520');
      article.querySelector('.text-bubble > div:last-child')!.textContent = text;
      article.querySelector('time[data-time]')!.setAttribute('data-time', '2026-11-23T09:30:00.000Z');
      articles.at(-1)!.after(article);
    },
    send: (composer) => {
      const box = document.querySelector(composer)!;
      const articles = Array.from(document.querySelectorAll('.ticket-article .ticket-article-item'));
      const agent = articles.find((item) => item.matches('.agent.email'))!;
      const sent = agent.cloneNode(true) as Element;
      sent.id = 'article-5521';
      sent.setAttribute('data-id', '5521');
      sent.querySelector('.text-bubble > div:last-child')!.innerHTML = box.innerHTML;
      sent.querySelector('time[data-time]')!.setAttribute('data-time', '2026-11-23T09:40:00.000Z');
      articles.at(-1)!.after(sent);
      box.innerHTML = '';
    },
  },
  {
    site: 'freescout',
    route: '/conversation/1207',
    fixture: 'freescout/conversation',
    address: '/conversation/1207',
    composer: '.conv-reply-body .note-editable',
    // FreeScout lists threads newest first.
    addCustomerMessage: (text) => {
      const first = document.querySelector('#conv-layout-main > .thread-type-customer')!;
      const copy = first.cloneNode(true) as Element;
      copy.id = 'thread-9040';
      copy.querySelector('.thread-body')!.textContent = text;
      copy.querySelector('.thread-date')!.setAttribute('title', '23 нояб. 2026, 19:05');
      document.querySelector('#conv-layout-main > .thread')!.before(copy);
    },
    send: (composer) => {
      const box = document.querySelector(composer)!;
      const agent = document.querySelector('#conv-layout-main > .thread-type-message')!;
      const sent = agent.cloneNode(true) as Element;
      sent.id = 'thread-9041';
      sent.querySelector('.thread-body')!.innerHTML = box.innerHTML;
      sent.querySelector('.thread-date')!.setAttribute('title', '23 нояб. 2026, 19:12');
      document.querySelector('#conv-layout-main > .thread')!.before(sent);
      box.innerHTML = '<p><br></p>';
    },
  },
];

function expectedOf(desk: DeskCase): Expected {
  return JSON.parse(readFileSync(path.join(FIXTURES_ROOT, `${desk.fixture}.expected.json`), 'utf8'));
}

const available = chromiumAvailable();

describe.skipIf(!available)(
  'helpdesk fixture pages in Chromium: read, suggest, insert, send, feedback',
  () => {
    let service: RunningService;
    let pages: Awaited<ReturnType<typeof servePages>>;
    let browser: Browser;

    let session: E2eSession | undefined;

    beforeAll(async () => {
      session = await startE2eSession(
        Object.fromEntries(
          DESKS.map((desk) => [desk.route, path.join(FIXTURES_ROOT, `${desk.fixture}.html`)]),
        ),
      );
      ({ service, pages, browser } = session);
    });

    afterAll(async () => {
      await session?.close();
    });

    async function openDesk(desk: DeskCase): Promise<Page> {
      const page = await browser.context.newPage();
      await page.addInitScript(
        ({ add, text }) => {
          document.addEventListener('DOMContentLoaded', () => new Function('text', `(${add})(text)`)(text));
        },
        { add: desk.addCustomerMessage.toString(), text: NEW_MESSAGE },
      );
      await page.goto(`${pages.origin}${desk.address}`);
      return page;
    }

    it.each(DESKS)(
      '$site: the panel reads the conversation with its roles, inserts a suggestion, and the edited reply sent is stored',
      async (desk) => {
        const page = await openDesk(desk);
        const panel = page.locator('section[data-naparnik="panel"]');
        await panel.waitFor({ timeout: 20_000 });

        // The built content script's reading: this desk's adapter, every message with its role.
        const reading = await readTab(browser, `${pages.origin}${desk.route}`);
        expect(reading.adapter).toBe(desk.site);
        expect(reading.hasComposer).toBe(true);
        const expectedRoles = [
          ...expectedOf(desk).conversation.messages.map((message) => message.role),
          'customer',
        ];
        const roles = reading.conversation?.messages.map((message) => message.role) ?? [];
        expect(roles.length).toBeGreaterThan(0);
        // An adapter may read only the newest messages of a long history.
        expect(roles).toEqual(expectedRoles.slice(-roles.length));
        expect(squeeze(reading.conversation?.messages.at(-1)?.text)).toBe(squeeze(NEW_MESSAGE));

        const insert = panel.getByRole('button', { name: 'Вставить' }).first();
        await expect.poll(() => insert.isEnabled().catch(() => false), { timeout: 30_000 }).toBe(true);
        const suggestion = ((await panel.locator('article p.np-text').first().textContent()) ?? '').trim();
        await insert.click();
        const box = page.locator(desk.composer);
        await expect.poll(async () => squeeze(await box.textContent())).toBe(squeeze(suggestion));

        // The operator adds to the draft; nothing has been sent yet.
        await box.click();
        await page.keyboard.press('Control+End');
        await page.keyboard.type(OPERATOR_ADDITION);
        const final = `${suggestion}${OPERATOR_ADDITION}`;
        await expect.poll(async () => squeeze(await box.textContent())).toBe(squeeze(final));
        const before = (await readTab(browser, `${pages.origin}${desk.route}`)).conversation?.messages ?? [];
        expect(before.filter((message) => message.role === 'operator')).toHaveLength(
          expectedRoles.filter((role) => role === 'operator').length,
        );
        await page.screenshot({ path: path.join(ARTIFACTS, `helpdesk-${desk.site}-inserted.png`) });

        await page.evaluate(`(${desk.send.toString()})(${JSON.stringify(desk.composer)})`);
        await page.screenshot({ path: path.join(ARTIFACTS, `helpdesk-${desk.site}-sent.png`) });
        const stored = async () =>
          (await feedbackEvents(service))
            .filter((event) => event.type === 'suggestion-edited')
            .some((event) => squeeze(event.finalText) === squeeze(final));
        await expect.poll(stored, { timeout: 15_000 }).toBe(true);
        await page.close();
      },
    );

    // Last in the file: once open, the side panel stays open for the window.
    it('the browser side panel reads the active helpdesk tab and inserts into its reply box', async () => {
      const desk = DESKS[0]!;
      const page = await openDesk(desk);
      const overlay = page.locator('section[data-naparnik="panel"]');
      const overlayInsert = overlay.getByRole('button', { name: 'Вставить' }).first();
      await expect.poll(() => overlayInsert.isEnabled().catch(() => false), { timeout: 30_000 }).toBe(true);
      const overlaySuggestion = (await overlay.locator('article p.np-text').first().textContent()) ?? '';

      const side = await openSidePanel(browser, page);
      try {
        // The side panel asks the active tab's content script for the conversation and gets the
        // same suggestions for it as the overlay in that tab.
        const firstSuggestion = `(() => {
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Вставить');
        return button && !button.disabled ? document.querySelector('article p.np-text').textContent : null;
      })()`;
        await expect
          .poll(() => side.evaluate<string | null>(firstSuggestion), { timeout: 30_000 })
          .toBe(overlaySuggestion);
        await side.evaluate(
          `[...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Вставить').click()`,
        );
        const box = page.locator(desk.composer);
        await expect.poll(async () => squeeze(await box.textContent())).toBe(squeeze(overlaySuggestion));
        await side.screenshot(path.join(ARTIFACTS, 'side-panel-chatwoot.png'));
        await page.screenshot({ path: path.join(ARTIFACTS, 'side-panel-chatwoot-tab.png') });
      } finally {
        await side.close();
        await page.close();
      }
    });
  },
);

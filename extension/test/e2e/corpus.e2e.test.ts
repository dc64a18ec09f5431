import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_ROOT, type CorpusPage, loadCorpus, scorePage } from '../support/corpus.ts';
import { type Browser, chromiumAvailable, type E2eSession, readTab, startE2eSession } from './harness.ts';

/**
 * Corpus pages (extension/corpus) served on 127.0.0.1 and read by the built content script in
 * Debian's Chromium: the new reading rules on real layout and real mutation timing.
 *
 * - maildesk-history: the history arrives after the page (newest entries first, then "show
 *   more" puts the older ones above them); roles only by authorship, notes and status lines;
 * - osticket-ticket: mixed rows (entries and events), quotes and attachments, the customer's
 *   avatar on the right;
 * - tawk-like-chat: generated class names only, sides from the layout;
 * - zammad-tabs: two tickets in one page — Zammad's route, then the same page at a route only the
 *   generic adapter reads, switched by the tab classes alone.
 */
const PAGES: Record<string, string> = {
  '/tickets/view/118034': 'maildesk-history.html',
  '/scp/tickets.php': 'osticket-ticket.html',
  '/chat/6572a0f1c4e9': 'tawk-like-chat.html',
  '/zammad/': 'zammad-tabs.html',
  '/desk/tabs': 'zammad-tabs.html',
};

const corpus = new Map(loadCorpus().map((page) => [page.kind, page]));
const expected = (kind: string): CorpusPage => corpus.get(kind)!;

describe.skipIf(!chromiumAvailable())('corpus pages in Chromium: roles, texts, tabs and late history', () => {
  let session: E2eSession | undefined;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    session = await startE2eSession(
      Object.fromEntries(Object.entries(PAGES).map(([route, file]) => [route, path.join(CORPUS_ROOT, file)])),
    );
    ({ browser } = session);
    origin = session.pages.origin;
  });

  afterAll(async () => {
    await session?.close();
  });

  async function open(address: string, init?: () => void): Promise<Page> {
    const page = await browser.context.newPage();
    if (init) await page.addInitScript(init);
    await page.goto(`${origin}${address}`);
    await page.locator('section[data-naparnik="panel"], button.np-tab').first().waitFor({ timeout: 20_000 });
    return page;
  }

  /** The reading's score against the page's labels, polled until it is complete. */
  async function expectRead(route: string, kind: string): Promise<void> {
    const page = expected(kind);
    await expect
      .poll(
        async () => {
          const reading = await readTab(browser, `${origin}${route}`);
          const score = scorePage(page, reading.conversation?.messages ?? []);
          return {
            roles: score.roleRight,
            texts: Number((score.textOverlap / page.messages.length).toFixed(2)),
          };
        },
        { timeout: 15_000 },
      )
      .toEqual({ roles: page.messages.length, texts: 1 });
  }

  it('maildesk-history: the history loads after the page, then "show more" adds the older entries above', async () => {
    const page = await open('/tickets/view/118034', () => {
      // The desk fetches its history after the page: the entries arrive 700 ms later, the newest
      // five first; the older four come with "show more".
      document.addEventListener('DOMContentLoaded', () => {
        const list = document.querySelector('.history-list')!;
        const entries = Array.from(list.children);
        for (const entry of entries) entry.remove();
        (window as unknown as { showMore: () => void }).showMore = () => list.prepend(...entries.slice(0, 4));
        setTimeout(() => list.append(...entries.slice(4)), 700);
      });
    });
    await expect
      .poll(
        async () =>
          (await readTab(browser, `${origin}/tickets/view/118034`)).conversation?.messages.length ?? 0,
      )
      .toBe(5);
    await page.evaluate(() => (window as unknown as { showMore: () => void }).showMore());
    await expectRead('/tickets/view/118034', 'maildesk-history');
    const reading = await readTab(browser, `${origin}/tickets/view/118034`);
    expect(reading.adapter).toBe('generic');
    expect(reading.conversation?.messages.map((message) => message.role)).toEqual(
      expected('maildesk-history').messages.map((message) => message.role),
    );
    await page.close();
  });

  it('osticket-ticket: entries and events in one thread, quotes cut, attachments named', async () => {
    const page = await open('/scp/tickets.php?id=1207');
    await expectRead('/scp/tickets.php', 'osticket-ticket');
    const messages = (await readTab(browser, `${origin}/scp/tickets.php`)).conversation?.messages ?? [];
    expect(messages.at(-2)?.text).toContain('Вложение: router-status.png');
    expect(messages.some((message) => message.text.includes('писал'))).toBe(false);
    await page.close();
  });

  it('tawk-like-chat: sides and notes from layout and labels under generated class names', async () => {
    const page = await open('/chat/6572a0f1c4e9');
    await expectRead('/chat/6572a0f1c4e9', 'tawk-like-chat');
    await page.close();
  });

  it('zammad-tabs: reads the open ticket of two, and the other one when the operator switches', async () => {
    const page = await open('/zammad/#ticket/zoom/4512');
    await expectRead('/zammad/', 'zammad-tabs');
    await page.evaluate(() => {
      document.querySelector('#content_permanent_TicketZoom-4512')!.classList.remove('active');
      document.querySelector('#content_permanent_TicketZoom-4488')!.classList.add('active');
      location.hash = '#ticket/zoom/4488';
    });
    await expect
      .poll(async () =>
        (await readTab(browser, `${origin}/zammad/`)).conversation?.messages.map((m) => m.text),
      )
      .toEqual([
        'Промокод VESNA10 не применяется к корзине, пишет «истёк». Он же до конца месяца?',
        'Глеб, добрый день! Промокод действовал до 28 ноября, к сожалению, он уже закончился.',
      ]);
    await page.close();
  });

  it('the same tabbed page on a route no site adapter knows: the generic adapter follows the tab classes alone', async () => {
    const page = await open('/desk/tabs');
    const first = async () =>
      (await readTab(browser, `${origin}/desk/tabs`)).conversation?.messages[0]?.text ?? '';
    await expect.poll(first).toContain('Получила сегодня заказ № 66310457');
    const reading = await readTab(browser, `${origin}/desk/tabs`);
    expect(reading.adapter).toBe('generic');
    await page.evaluate(() => {
      document.querySelector('#content_permanent_TicketZoom-4512')!.classList.remove('active');
      document.querySelector('#content_permanent_TicketZoom-4488')!.classList.add('active');
    });
    await expect.poll(first).toContain('Промокод VESNA10 не применяется');
    await page.close();
  });
});

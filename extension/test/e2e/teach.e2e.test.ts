import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ROOT } from '../support/fixtures.ts';
import {
  ARTIFACTS,
  type Browser,
  chromiumAvailable,
  type E2eSession,
  readTab,
  sendToTab,
  type servePages,
  startE2eSession,
} from './harness.ts';

const ROUTE = '/HelpCenter/Ticket.aspx';

describe.skipIf(!chromiumAvailable())(
  '"Teach this page" in Chromium, against the real assist service',
  () => {
    let pages: Awaited<ReturnType<typeof servePages>>;
    let browser: Browser;

    let session: E2eSession | undefined;

    beforeAll(async () => {
      session = await startE2eSession({
        [ROUTE]: path.join(EXTENSION_ROOT, 'test/e2e/pages/teach-webforms.html'),
      });
      ({ pages, browser } = session);
    });

    afterAll(async () => {
      await session?.close();
    });

    it('teaches a page no adapter reads: four clicks, the preview, save, then suggestions arrive', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${pages.origin}${ROUTE}`);
      await expect
        // The content script may not be listening yet on a loaded machine: retry until it answers.
        .poll(() => readTab(browser, `${pages.origin}${ROUTE}`).then((reading) => reading.conversation), {
          timeout: 20_000,
        })
        .toBeNull();

      // The toolbar button: the worker tells the tab to show the panel.
      await sendToTab(browser, `${pages.origin}${ROUTE}`, { type: 'panel:toggle' });
      const panel = page.locator('section[data-naparnik="panel"]');
      await panel.getByRole('button', { name: 'Научить эту страницу' }).click({ timeout: 20_000 });

      const card = page.locator('naparnik-teach .card');
      await card.getByText('Шаг 1 из 4').waitFor();
      // The list: its empty space beside the first (customer's, narrower) message, as an operator would.
      await page.click('#ctl00_Main_pnlThread', { position: { x: 590, y: 20 } });
      await card.getByText('Шаг 2 из 4').waitFor();
      await page.click('#ctl00_Main_pnlThread .post:nth-child(1) .body');
      await page.click('#ctl00_Main_pnlThread .post:nth-child(2) .body');
      await page.click('#ctl00_Main_txtAnswer');

      const rows = card.locator('li');
      await expect.poll(() => rows.count()).toBe(3);
      expect(await rows.evaluateAll((items) => items.map((item) => item.className))).toEqual([
        'customer',
        'operator',
        'customer',
      ]);
      await card.getByText('Поле ответа найдено').waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, 'teach-preview.png') });
      await card.getByRole('button', { name: 'Сохранить' }).click();
      await card.waitFor({ state: 'detached' });

      // The panel reads the page with the new recipe and the service answers the customer's question.
      const reading = await readTab(browser, `${pages.origin}${ROUTE}`);
      expect(reading.adapter).toBe('recipe');
      expect(reading.conversation?.messages.map((message) => [message.role, message.text])).toEqual([
        ['customer', 'Здравствуйте!'],
        ['operator', 'Добрый день! Чем могу помочь?'],
        ['customer', 'Где мой заказ 10452378? Курьер так и не приехал, жду уже неделю.'],
      ]);
      const insert = panel.getByRole('button', { name: 'Вставить' }).first();
      await expect.poll(() => insert.isEnabled().catch(() => false), { timeout: 30_000 }).toBe(true);
      await insert.click();
      await expect.poll(() => page.locator('#ctl00_Main_txtAnswer').inputValue()).not.toBe('');
      await page.screenshot({ path: path.join(ARTIFACTS, 'teach-suggestions.png') });

      const stored = await browser.worker.evaluate(() =>
        (
          globalThis as unknown as {
            chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } };
          }
        ).chrome.storage.local.get('recipes:local'),
      );
      const recipes = stored['recipes:local'] as Record<
        string,
        { message: string; roles: unknown; composer: string }
      >;
      expect(recipes[new URL(pages.origin).host]).toMatchObject({
        message: '.post',
        roles: { customer: { class: 'post-in' }, operator: { class: 'post-out' } },
        composer: '#ctl00_Main_txtAnswer',
      });
      await page.close();
    });
  },
);

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { seedGeneratedFeedback } from '@naparnik/assist-service/testing/feedback';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  accessibilityViolations,
  type Browser,
  launchChromium,
  type RunningService,
  startAssistService,
} from './harness.ts';

/**
 * The team lead's dashboard in Debian's Chromium against the real service: feedback generated
 * through the public API as the panel sends it, the charts and tables changing, a number opened to
 * the suggestions behind it, every table downloaded as CSV and XLSX and read back.
 */

describe('team lead dashboard in Chromium', () => {
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  let operatorToken: string;

  beforeAll(async () => {
    service = await startAssistService();
    const created = await service.request('/v1/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'operator', name: 'op-vera' }),
    });
    operatorToken = ((await created.json()) as { token: string }).token;
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(`${service.url}/console/`);
    await page.locator('input[name="token"]').fill(service.token);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('button', { name: 'Выйти' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  async function send(pathname: string, payload: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${service.url}/v1/${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
      body: JSON.stringify(payload),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  const totals = () => page.locator('[data-table="rates"] tfoot tr');
  /** A total of the rates table: 0 shown, 1 inserted, 2 as is, 3 edited, 4 dismissed, 5 thumbs down, 6 fallback. */
  const totalOf = async (column: number) =>
    Number(((await totals().locator('td').nth(column).textContent()) ?? '').trim().split(/\s/u)[0]);

  it('shows the figures change after feedback sent through the API, and the suggestions behind a number', async () => {
    await page.goto(`${service.url}/console/#/dashboard`);
    await page.getByRole('heading', { name: 'Панель руководителя' }).waitFor();
    await totals().waitFor();
    const shownBefore = await totalOf(0);
    const downBefore = await totalOf(5);

    const minuteAgo = new Date(Date.now() - 60_000).toISOString();
    const sets: { id: string; text: string }[] = [];
    for (const question of ['Сколько идёт доставка?', 'Как вернуть товар?']) {
      const set = await send('assist', {
        collection: 'demo',
        conversation: { channel: 'chat', messages: [{ role: 'customer', text: question, at: minuteAgo }] },
      });
      sets.push({ id: String(set.suggestionSetId), text: (set.suggestions as { text: string }[])[0]!.text });
    }
    const feedback = (set: { id: string }, type: string, extra: Record<string, unknown> = {}) =>
      send('feedback', {
        eventId: `${set.id}-${type}`,
        type,
        suggestionSetId: set.id,
        suggestionIndex: 0,
        ...extra,
      });
    for (const set of sets) await feedback(set, 'suggestion-shown');
    await feedback(sets[0]!, 'suggestion-inserted');
    await feedback(sets[0]!, 'suggestion-edited', { finalText: `${sets[0]!.text} Хорошего дня!` });
    await feedback(sets[1]!, 'suggestion-rated', { rating: 'down', reason: 'устарело' });

    await page.getByRole('button', { name: 'Обновить' }).click();
    await expect.poll(() => totalOf(0)).toBe(shownBefore + 2);
    expect(await totalOf(5)).toBe(downBefore + 1);
    expect(await totalOf(3)).toBeGreaterThanOrEqual(1);
    // The charts drew: rates, the breakdown, four histograms, gaps, cost.
    expect(await page.locator('.recharts-surface').count()).toBeGreaterThanOrEqual(4);
    const reasons = page.locator('[data-table="reasons"]');
    expect(await reasons.getByRole('row', { name: /устарело/u }).textContent()).toContain('1');
    const editing = page.getByRole('region', { name: 'Сколько правят и как быстро отвечают' });
    expect(await editing.textContent()).toContain(
      'Правка между вставленной подсказкой и отправленным текстом',
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    await reasons.getByRole('button', { name: /^Палец вниз, устарело: 1/u }).click();
    const drill = page.getByRole('region', { name: /Подсказки за числом: палец вниз/u });
    // The loading line is a status too: wait for the count, not for any status.
    await drill.getByRole('status').filter({ hasText: /Всего/u }).waitFor();
    expect(await drill.locator('tbody tr').count()).toBe(1);
    expect(await drill.locator('tbody').textContent()).toContain(sets[1]!.id);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-behind-number.png'), fullPage: true });

    // A filter narrows every figure: the chat channel holds both new sets.
    await page.getByLabel('канал', { exact: true }).selectOption('chat');
    await expect.poll(() => totalOf(0)).toBeGreaterThanOrEqual(2);
  });

  it('downloads every table as XLSX that a spreadsheet reader opens, and the rates as CSV', async () => {
    await page.goto(`${service.url}/console/#/dashboard`);
    await totals().waitFor();
    await page.locator('[data-table="usage"]').waitFor();
    for (const table of ['rates', 'breakdown', 'editing', 'reasons', 'gaps', 'usage']) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(`[data-export="${table}-xlsx"]`).click(),
      ]);
      const file = path.join(ARTIFACTS, `dashboard-${table}.xlsx`);
      await download.saveAs(file);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      const sheet = workbook.worksheets[0]!;
      expect(String(sheet.getRow(1).getCell(1).value), table).toMatch(/[А-Яа-яЁё]/u);
      if (table === 'rates') {
        expect(sheet.getRow(1).getCell(3).value).toBe('Показано');
        let shown = 0;
        sheet.eachRow((row, index) => {
          if (index > 1) shown += Number(row.getCell(3).value ?? 0);
        });
        expect(shown).toBe(await totalOf(0));
      }
    }
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Скачать «Доли по времени»: CSV', exact: true }).click(),
    ]);
    const csvPath = path.join(ARTIFACTS, 'dashboard-rates.csv');
    await csv.saveAs(csvPath);
    const lines = readFileSync(csvPath).subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^Начало,Конец,Показано,Вставлено/u);
  });

  it('lists the sets behind a knowledge-gap count and behind a bar of model cost', async () => {
    // No model is reachable here, so the demo drafts nothing with a model: generated history with
    // model-drafted sets (tokens, cost) and gaps goes into the service's store through its import.
    const seeded = await seedGeneratedFeedback(service.dataDir, { sets: 240, days: 6 });
    const gapSets = new Set(seeded.flatMap((batch) => (batch.gap ? [batch.set.id] : [])));
    expect(gapSets.size).toBeGreaterThan(0);
    await page.goto(`${service.url}/console/#/dashboard`);
    await page.getByRole('button', { name: 'Обновить' }).click();
    const gaps = page.locator('[data-table="gaps"]');
    const gapCount = gaps.getByRole('button', { name: /^Пробелы, / }).first();
    await gapCount.waitFor();
    const clicked = Number(await gapCount.textContent());
    await gapCount.click();
    const gapDrill = page.getByRole('region', { name: 'Наборы подсказок за пробелами' });
    await gapDrill.getByRole('status').filter({ hasText: /Всего/u }).waitFor();
    expect(await gapDrill.getByRole('status').filter({ hasText: /Всего/u }).textContent()).toContain(
      `Всего ${clicked}`,
    );
    const listed = await gapDrill.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((id) => gapSets.has(id) || id === '—' || !id.startsWith('gen-'))).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-behind-gaps.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    const bar = page.locator('[data-chart="usage"] .recharts-bar-rectangle').last();
    await bar.scrollIntoViewIfNeeded();
    await bar.click();
    const costDrill = page.getByRole('region', { name: 'Наборы подсказок за расходом модели' });
    await costDrill.getByRole('status').filter({ hasText: /Всего/u }).waitFor();
    const rows = costDrill.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    const modelSets = new Set(seeded.flatMap((batch) => (batch.set.usage ? [batch.set.id] : [])));
    for (const id of await costDrill.locator('tbody tr td:nth-child(2)').allTextContents())
      expect(modelSets.has(id), id).toBe(true);
    expect(await rows.first().textContent()).toContain('claude-sonnet');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-behind-cost.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('reads in English at 1280 px', async () => {
    await page.goto(`${service.url}/console/#/dashboard`);
    await page.getByLabel('Язык интерфейса').selectOption('en');
    await page.getByRole('heading', { name: "Team lead's dashboard" }).waitFor();
    await totals().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-en.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page
      .getByLabel('Language')
      .selectOption('ru')
      .catch(() => undefined);
  });
});

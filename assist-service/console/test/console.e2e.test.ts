import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  accessibilityViolations,
  type Browser,
  createToken,
  launchChromium,
  type RunningService,
  screenshot,
  startAssistService,
} from './harness.ts';

/**
 * The console in Debian's Chromium against the real service: the shipped demo knowledge base, the
 * offline engine, feedback sent through the public API as the panel sends it.
 */

describe('console in Chromium', () => {
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  let annaToken: string;

  beforeAll(async () => {
    service = await startAssistService();
    // The operator whose work the funnel shows: the service records who sent what from the token.
    annaToken = await createToken(service, 'operator', 'op-anna');
    browser = await launchChromium();
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  async function send(body: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${service.url}/v1/${(body as { path: string }).path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${annaToken}` },
      body: JSON.stringify((body as { payload: unknown }).payload),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  it('asks for a token first and signs in with it to an HttpOnly, SameSite=Strict session cookie', async () => {
    await page.goto(`${service.url}/console/`);
    await page.getByRole('heading', { name: 'Вход в консоль' }).waitFor();
    await page.locator('input[name="token"]').fill('npk_wrong');
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Токен не подошёл');
    await page.locator('input[name="token"]').fill(service.token);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('button', { name: 'Выйти' }).waitFor();
    const cookie = (await browser.context.cookies(service.url)).find(
      (each) => each.name === 'naparnik_session',
    );
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("opens in Russian and lists the demo collection's documents, down to one document's chunks", async () => {
    await page.goto(`${service.url}/console/`);
    await page.getByRole('heading', { name: 'Коллекции' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await screenshot(page, 'knowledge-collections');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'demo', exact: true }).click();
    const row = page.getByRole('row', { name: /Сколько идёт доставка\?/u });
    await row.waitFor();
    expect(await row.textContent()).toContain('faq.ru.csv');
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(10);
    await page.screenshot({ path: path.join(ARTIFACTS, 'knowledge-documents.png') });
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByLabel('Тип').selectOption('template');
    const templates = await page.locator('tbody tr').count();
    expect(templates).toBeGreaterThan(0);
    expect(await page.locator('tbody tr td:nth-child(2)').allTextContents()).toEqual(
      Array.from({ length: templates }, () => 'шаблон'),
    );
    await page.getByLabel('Тип').selectOption('');
    await page.getByLabel('Найти документ').fill('доставка');
    expect(await page.locator('tbody tr').count()).toBeLessThan(10);
    await row.getByRole('link', { name: 'Сколько идёт доставка?' }).click();
    await page.getByRole('heading', { name: /Фрагменты документа \(1\)/u }).waitFor();
    expect(await page.locator('.chunk-text').first().textContent()).toContain('рабочего дня');
    await screenshot(page, 'knowledge-document');
  });

  it("uploads chosen files and a dropped file with a row each, shows the bad one's error, and Try it finds the new entry", async () => {
    const faq = [
      'id,вопрос,ответ,категория',
      'faq-crypto,Можно ли оплатить заказ криптовалютой?,"Нет, криптовалюту мы не принимаем: оплатите заказ картой или при получении.",Оплата',
    ].join('\n');
    await page.goto(`${service.url}/console/#/knowledge/demo`);
    await page.getByRole('heading', { name: 'Загрузка файлов' }).waitFor();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Выбрать файлы' }).click(),
    ]);
    await chooser.setFiles([
      { name: 'crypto.csv', mimeType: 'text/csv', buffer: Buffer.from(faq) },
      { name: 'legacy.doc', mimeType: 'application/msword', buffer: Buffer.from('old word file') },
    ]);
    const rows = page.locator('.upload-table tbody tr');
    const finished = page.locator('.upload-table tbody tr:is([data-state="done"], [data-state="failed"])');
    await expect.poll(() => finished.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toMatch(/^crypto\.csv.*готово: новых 1, изменено 0/u);
    expect(await rows.nth(1).getAttribute('data-state')).toBe('failed');
    expect(await rows.nth(1).textContent()).toMatch(/ошибка: legacy\.doc: unsupported file type "\.doc"/u);
    // The document list is read again after the uploads: the new entry is in it.
    await page.getByRole('row', { name: /Можно ли оплатить заказ криптовалютой\?/u }).waitFor();

    // A file dropped on the panel goes the same way.
    const transfer = await page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(
        new File(['# Ремонт украшений\n\nМастерская чинит цепочки и замки за 5 рабочих дней.'], 'repair.md', {
          type: 'text/markdown',
        }),
      );
      return data;
    });
    await page.locator('section.upload').dispatchEvent('drop', { dataTransfer: transfer });
    await expect.poll(() => finished.count()).toBe(3);
    expect(await rows.nth(2).textContent()).toMatch(/^repair\.md.*готово: новых 1/u);
    await page.getByRole('row', { name: /Ремонт украшений/u }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'knowledge-upload.png') });
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.goto(`${service.url}/console/#/try`);
    await page
      .getByLabel('Сообщение клиента или переписка')
      .fill('Клиент: Добрый день! Можно ли оплатить заказ криптовалютой?');
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.getByRole('heading', { name: /Что нашёл поиск/u }).waitFor();
    const firstHit = page.getByRole('table').locator('tbody tr').first();
    expect(await firstHit.textContent()).toContain('Можно ли оплатить заказ криптовалютой?');
    expect(await firstHit.textContent()).toContain('crypto.csv');
    await screenshot(page, 'try-it-uploaded');
  });

  it("reads a document's file again and deletes the document from its page", async () => {
    await page.goto(`${service.url}/console/#/knowledge/demo/repair.md`);
    await page.getByRole('heading', { level: 1, name: 'Ремонт украшений' }).waitFor();
    await page.getByRole('button', { name: 'Прочитать файл заново' }).click();
    await expect
      .poll(() => page.locator('.document-actions [role="status"]').textContent())
      .toMatch(/Файл прочитан заново: изменено 0, без изменений 1/u);
    await screenshot(page, 'knowledge-document-actions');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Удалить документ' }).click();
    await page.getByRole('button', { name: 'Да, удалить' }).click();
    await page.getByRole('heading', { name: 'Документы: demo' }).waitFor();
    await page.getByRole('row', { name: /Сколько идёт доставка\?/u }).waitFor();
    expect(await page.getByRole('row', { name: /Ремонт украшений/u }).count()).toBe(0);
  });

  it('lists a template past its validUntil as expired, and Try it does not offer it', async () => {
    const templates = [
      'naparnik: templates',
      'version: 1',
      'language: ru',
      'items:',
      '  - id: promo-brooch-autumn',
      '    title: Осенняя скидка на броши',
      '    text: На все броши скидка 20 % по промокоду BROOCH20.',
      '    questions: [Есть ли скидка на броши?]',
      '    validUntil: 2020-10-31',
    ].join('\n');
    const uploaded = await fetch(`${service.url}/v1/collections/demo/files?path=promos.yaml`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${service.token}` },
      body: templates,
    });
    expect(uploaded.status).toBe(201);
    // The previous test ends on this page: a hash-only goto would not read the list again.
    await page.goto(`${service.url}/console/#/knowledge/demo`);
    await page.reload();
    await page.getByLabel('Состояние').selectOption('expired');
    const row = page.getByRole('row', { name: /Осенняя скидка на броши/u });
    await row.waitFor();
    expect(await row.textContent()).toContain('истёк срок');
    expect(await row.textContent()).toContain('по 2020-10-31');
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'knowledge-expired.png') });
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.goto(`${service.url}/console/#/try`);
    await page.getByLabel('Сообщение клиента или переписка').fill('Клиент: Есть ли скидка на броши?');
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.getByRole('heading', { name: /Что нашёл поиск/u }).waitFor();
    expect(await page.locator('main').textContent()).not.toContain('BROOCH20');
  });

  it('runs Try it and shows a suggestion with its citation and the scored search hits', async () => {
    await page.goto(`${service.url}/console/#/try`);
    await page
      .getByLabel('Сообщение клиента или переписка')
      .fill('Клиент: Здравствуйте! Сколько идёт доставка?');
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.getByRole('heading', { name: /Предложенные ответы/u }).waitFor();
    const citation = page.locator('.citation-list a').first();
    await citation.waitFor();
    expect(await page.locator('.suggestion-text').first().textContent()).not.toBe('');
    const hits = page.getByRole('table').locator('tbody tr');
    expect(await hits.count()).toBeGreaterThan(0);
    expect(await hits.first().locator('td').first().textContent()).toMatch(/^\d+\.\d{3}$/u);
    expect(await page.locator('.citation-list').first().textContent()).toContain('faq-delivery-times');
    await screenshot(page, 'try-it');
    expect(await accessibilityViolations(page)).toEqual([]);
    await citation.click();
    await page.getByRole('heading', { name: /Фрагменты документа/u }).waitFor();
    expect(page.url()).toContain('#/knowledge/demo/');
  });

  it('shows the funnel change after feedback sent through the API, and the suggestions behind a number', async () => {
    // The older analytics address opens the dashboard, which shows all the older page did.
    await page.goto(`${service.url}/console/#/analytics`);
    await page.getByRole('heading', { name: 'Панель руководителя' }).waitFor();
    const totals = page.locator('[data-table="rates"] tfoot tr');
    await totals.waitFor();
    const totalOf = async (column: number) =>
      Number(((await totals.locator('td').nth(column).textContent()) ?? '').trim().split(/\s/u)[0]);
    const shownBefore = await totalOf(0);

    const questions = ['Сколько идёт доставка?', 'Как вернуть товар?', 'Где мой заказ?'];
    const sets: { id: string; text: string }[] = [];
    for (const question of questions) {
      const set = await send({
        path: 'assist',
        payload: {
          collection: 'demo',
          conversation: { channel: 'chat', messages: [{ role: 'customer', text: question }] },
        },
      });
      const suggestions = set.suggestions as { text: string }[];
      expect(suggestions.length).toBeGreaterThan(0);
      sets.push({ id: String(set.suggestionSetId), text: suggestions[0]!.text });
    }
    const feedback = (set: { id: string }, type: string, extra: Record<string, unknown> = {}) =>
      send({
        path: 'feedback',
        payload: {
          eventId: `${set.id}-${type}`,
          type,
          suggestionSetId: set.id,
          suggestionIndex: 0,
          operatorId: 'op-anna',
          ...extra,
        },
      });
    for (const set of sets) await feedback(set, 'suggestion-shown');
    await feedback(sets[0]!, 'suggestion-inserted');
    await feedback(sets[0]!, 'suggestion-edited', { finalText: sets[0]!.text });
    await feedback(sets[1]!, 'suggestion-inserted');
    await feedback(sets[1]!, 'suggestion-edited', { finalText: 'Оформите возврат в личном кабинете.' });
    await feedback(sets[2]!, 'suggestion-dismissed', { reason: 'не по теме' });

    await page.getByRole('button', { name: 'Обновить' }).click();
    await expect.poll(() => totalOf(0)).toBe(shownBefore + 3);
    expect(await totalOf(1)).toBe(2);
    expect(await totalOf(2)).toBe(1);
    expect(await totalOf(3)).toBe(1);
    expect(await totalOf(4)).toBe(1);
    const reasons = page.locator('[data-table="reasons"]');
    expect(await reasons.getByRole('row', { name: /не по теме/u }).textContent()).toContain('1');
    expect(await page.locator('.recharts-surface').count()).toBeGreaterThan(0);
    await page.getByLabel('оператор', { exact: true }).selectOption('op-anna');
    await expect.poll(() => totalOf(0)).toBe(3);
    await page.getByLabel('Шаг', { exact: true }).selectOption('day');
    await page.getByLabel('Период', { exact: true }).selectOption('7');
    await expect.poll(() => page.locator('[data-table="rates"] tbody tr').count()).toBe(1);
    expect(await totalOf(0)).toBe(3);
    await screenshot(page, 'analytics');
    expect(await accessibilityViolations(page)).toEqual([]);

    await totals.getByRole('button', { name: /^С правкой, Итого: 1/u }).click();
    const drill = page.getByRole('region', { name: /Подсказки за числом: отправлена с правкой/u });
    // The loading line is a status too: wait for the count, not for any status.
    await drill.getByRole('status').filter({ hasText: /Всего/u }).waitFor();
    expect(await drill.locator('tbody tr').count()).toBe(1);
    expect(await drill.locator('tbody').textContent()).toContain(sets[1]!.id);
    await screenshot(page, 'analytics-behind-number');
  });

  it('exports the funnel table as CSV, in UTF-8 and in cp1251 for a Russian Excel', async () => {
    await page.goto(`${service.url}/console/#/dashboard`);
    await page.locator('[data-table="rates"] tfoot tr').waitFor();
    const [utf8] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Скачать «Доли по времени»: CSV', exact: true }).click(),
    ]);
    const utf8Path = path.join(ARTIFACTS, 'funnel-utf8.csv');
    await utf8.saveAs(utf8Path);
    const utf8Bytes = readFileSync(utf8Path);
    expect([...utf8Bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const utf8Lines = utf8Bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(utf8Lines[0]).toMatch(/^Начало,Конец,Показано,Вставлено/u);
    expect(
      utf8Lines.slice(1).reduce((sum, line) => sum + Number(line.split(',')[2]), 0),
    ).toBeGreaterThanOrEqual(3);

    const [cp1251] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Скачать «Доли по времени»: CSV для Excel', exact: true }).click(),
    ]);
    const cp1251Path = path.join(ARTIFACTS, 'funnel-cp1251.csv');
    await cp1251.saveAs(cp1251Path);
    const text = new TextDecoder('windows-1251').decode(readFileSync(cp1251Path));
    expect(text.split('\r\n')[0]).toMatch(/^Начало;Конец;Показано;Вставлено;/u);
  });

  it('switches to English and remembers it', async () => {
    await page.goto(`${service.url}/console/#/dashboard`);
    await page.getByLabel('Язык интерфейса').selectOption('en');
    await page.getByRole('heading', { name: "Team lead's dashboard" }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.reload();
    await page.getByRole('link', { name: 'Knowledge', exact: true }).waitFor();
    await screenshot(page, 'analytics-en');
    await page.getByLabel('Interface language').selectOption('ru');
  });

  it('is usable from the keyboard: Tab reaches the sections and Enter opens one', async () => {
    await page.goto(`${service.url}/console/#/knowledge`);
    await page.getByRole('heading', { name: 'Коллекции' }).waitFor();
    const focused: string[] = [];
    for (let step = 0; step < 4; step++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
    }
    expect(focused).toContain('Проверка');
    while ((await page.evaluate(() => document.activeElement?.textContent?.trim())) !== 'Проверка') {
      await page.keyboard.press('Shift+Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Проверка: что предложит/u }).waitFor();
  });

  it('signs out: the cookie no longer opens the APIs and the sign-in form is back', async () => {
    await page.goto(`${service.url}/console/#/knowledge`);
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByRole('heading', { name: 'Вход в консоль' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/v1/collections')).status);
    expect(status).toBe(401);
  });
});

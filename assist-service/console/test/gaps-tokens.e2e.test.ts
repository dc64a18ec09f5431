import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  type Browser,
  launchChromium,
  type RunningService,
  screenshot,
  startAssistService,
} from './harness.ts';

/**
 * The Gaps and Tokens pages in Debian's Chromium against the real service (shipped demo knowledge
 * base, offline engine). Gaps come from real work: an operator's token asks /v1/assist about
 * something the demo does not cover and reports the replies it sent, as the panel does.
 */

const QUESTIONS = [
  'Работает ли пункт выдачи ночью?',
  'Здравствуйте! Работает ли пункт выдачи ночью?',
  'ночью пункт выдачи работает?',
  'Подскажите, пункт выдачи работает ночью? Заказ 10452378.',
  'Работает ли ночью пункт выдачи? Спасибо.',
];
const REPLIES = [
  'Ночью пункты выдачи закрыты, часы работы указаны в SMS с кодом получения.',
  'Ночью пункты выдачи закрыты — часы работы указаны в SMS с кодом получения.',
  'Пункты выдачи ночью закрыты, часы работы есть в SMS с кодом получения.',
];

describe('gaps and tokens pages in Chromium', () => {
  let service: RunningService;
  let browser: Browser;
  let page: Page;

  async function post(token: string, pathname: string, body: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${service.url}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as Record<string, unknown>;
  }

  async function signIn(target: Page, token: string): Promise<void> {
    await target.goto(`${service.url}/console/`);
    await target.locator('input[name="token"]').fill(token);
    await target.getByRole('button', { name: 'Войти' }).click();
    await target.getByRole('button', { name: 'Выйти' }).waitFor();
  }

  beforeAll(async () => {
    service = await startAssistService();
    const created = await post(service.token, '/v1/tokens', { role: 'operator', name: 'op-night' });
    const operator = String(created.token);
    for (const [index, text] of QUESTIONS.entries()) {
      const answer = await post(operator, '/v1/assist', {
        collection: 'demo',
        conversation: { channel: 'chat', messages: [{ role: 'customer', text }] },
      });
      await post(operator, '/v1/feedback', {
        eventId: randomUUID(),
        type: 'suggestion-edited',
        suggestionSetId: answer.suggestionSetId,
        suggestionIndex: 0,
        finalText: REPLIES[index % REPLIES.length],
      });
    }
    browser = await launchChromium();
    page = await browser.context.newPage();
    await signIn(page, service.token);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('shows the cluster, drafts an FAQ entry from the operators’ replies, saves it, and Try it finds it', async () => {
    await page.goto(`${service.url}/console/#/gaps`);
    await page.getByRole('heading', { level: 1, name: 'Пробелы в знаниях' }).waitFor();
    const row = page.getByRole('row', { name: /пункт выдачи/iu }).first();
    await row.waitFor();
    expect(await row.locator('td.number').first().textContent()).toBe(String(QUESTIONS.length));
    await screenshot(page, 'gaps-clusters');
    expect(await accessibilityViolations(page)).toEqual([]);

    await row.getByRole('button', { name: /Составить статью FAQ/u }).click();
    await page.getByRole('heading', { name: /Черновик статьи FAQ/u }).waitFor();
    const answer = page.getByLabel('Ответ', { exact: true });
    await expect.poll(() => answer.inputValue()).not.toBe('');
    // Offline: one of the replies operators sent, word for word.
    expect(REPLIES).toContain(await answer.inputValue());
    await page.getByLabel('Вопрос', { exact: true }).fill('Работает ли пункт выдачи ночью?');
    await screenshot(page, 'gaps-draft');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Сохранить в базу знаний' }).click();
    await expect
      .poll(() => page.locator('.draft [role="status"]').textContent())
      .toMatch(/Сохранено: «faq-gap-/u);
    await screenshot(page, 'gaps-saved');

    await page.goto(`${service.url}/console/#/try`);
    await page
      .getByLabel('Сообщение клиента или переписка')
      .fill('Клиент: Добрый вечер! Пункт выдачи ночью работает?');
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.getByRole('heading', { name: /Что нашёл поиск/u }).waitFor();
    // First: the cluster's replies, learnt as history for the documents their suggestions cited
    // when they were sent, now count for the new entry.
    const firstHit = page.getByRole('table').locator('tbody tr').first();
    expect(await firstHit.textContent()).toContain('Работает ли пункт выдачи ночью?');
    await screenshot(page, 'gaps-try-it');
  });

  it('creates a token shown once, which signs in elsewhere until it is revoked by keyboard', async () => {
    await page.goto(`${service.url}/console/#/tokens`);
    await page.getByRole('heading', { level: 1, name: 'Токены доступа' }).waitFor();
    await page.getByLabel('Имя (кто будет пользоваться)').fill('km-browser');
    await page.getByLabel('Роль').selectOption('knowledge_manager');
    await page.getByRole('button', { name: 'Создать токен' }).click();
    const value = page.getByLabel('Значение токена');
    await value.waitFor();
    const token = await value.inputValue();
    expect(token.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Копировать' }).click();
    await page.getByRole('button', { name: 'Скопировано' }).waitFor();
    await page.getByRole('row', { name: /km-browser/u }).waitFor();
    await screenshot(page, 'tokens-created');
    expect(await accessibilityViolations(page)).toEqual([]);

    // A fresh browser profile: the new token signs in; it is not an admin, so no Tokens link.
    const other = await launchChromium();
    try {
      const elsewhere = await other.context.newPage();
      await signIn(elsewhere, token);
      expect(await elsewhere.getByRole('link', { name: 'Пробелы' }).count()).toBe(1);
      expect(await elsewhere.getByRole('link', { name: 'Токены' }).count()).toBe(0);

      await page.getByRole('button', { name: 'Отозвать: km-browser' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Да, отозвать' }).focus();
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.getByRole('status').first().textContent())
        .toContain('Токен «km-browser» отозван.');
      await expect
        .poll(() => page.getByRole('row', { name: /km-browser/u }).textContent())
        .toMatch(/отозван/u);
      expect(await page.getByLabel('Значение токена').count()).toBe(0);
      await screenshot(page, 'tokens-revoked');
      expect(await accessibilityViolations(page)).toEqual([]);

      // Its session ends at once, and it signs in no more.
      await elsewhere.reload();
      await elsewhere.getByRole('heading', { name: 'Вход в консоль' }).waitFor();
      await elsewhere.locator('input[name="token"]').fill(token);
      await elsewhere.getByRole('button', { name: 'Войти' }).click();
      await expect.poll(() => elsewhere.getByRole('alert').textContent()).toContain('Токен не подошёл');
    } finally {
      await other.close();
    }
  });

  it('speaks English when switched, on both pages', async () => {
    await page.goto(`${service.url}/console/#/gaps`);
    await page.getByLabel('Язык интерфейса').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Knowledge gaps' }).waitFor();
    await page
      .getByRole('button', { name: /Draft an FAQ entry/u })
      .first()
      .waitFor();
    await screenshot(page, 'gaps-en');
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.getByRole('heading', { level: 1, name: 'Access tokens' }).waitFor();
    await screenshot(page, 'tokens-en');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Interface language').selectOption('ru');
  });
});

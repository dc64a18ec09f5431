import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  type ConsoleSession,
  closeConsoleSession,
  createToken,
  openConsoleSession,
  type RunningService,
  screenshot,
} from './harness.ts';

/**
 * Edits in place, versions and review in Debian's Chromium against the real service and the
 * shipped demo knowledge base: a template is edited in the console and Try it (the same
 * /v1/assist the panel calls) offers the new text; rolled back, the old text again; under review,
 * nothing changes until a second person approves.
 */

const QUESTION = 'Клиент: Здравствуйте! Сколько стоит гравировка на кольце?';
const EDIT_URL = '/console/#/knowledge/demo/tpl-engraving/edit';

describe('editing knowledge in the console', () => {
  let session: ConsoleSession | undefined;
  let service: RunningService;
  let page: Page;
  let reviewerToken: string;

  beforeAll(async () => {
    session = await openConsoleSession();
    ({ service, page } = session);
    reviewerToken = await createToken(service, 'knowledge_manager', 'km-vera');
    await signIn(service.token);
  });
  afterAll(() => closeConsoleSession(session ?? {}));

  async function signIn(token: string) {
    await page.goto(`${service.url}/console/`);
    const signOut = page.getByRole('button', { name: 'Выйти' });
    const tokenField = page.locator('input[name="token"]');
    // The console asks the service whether a session is open before it shows either: wait for one,
    // or a page still loading looks signed out and the sign-in form never comes.
    await signOut.or(tokenField).first().waitFor();
    if (await signOut.isVisible()) await signOut.click();
    await tokenField.waitFor();
    await page.locator('input[name="token"]').fill(token);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('button', { name: 'Выйти' }).waitFor();
  }

  /** The first suggestion Try it shows for the engraving question. */
  async function tryIt(): Promise<string> {
    await page.goto(`${service.url}/console/#/try`);
    await page.getByLabel('Сообщение клиента или переписка').fill(QUESTION);
    await page.getByRole('button', { name: 'Проверить' }).click();
    await page.locator('.suggestion-text').first().waitFor();
    return (await page.locator('.suggestion-text').first().textContent()) ?? '';
  }

  /** The editor loaded afresh (a hash change alone would keep what the form held). */
  async function openEditor() {
    await page.goto(`${service.url}${EDIT_URL}`);
    await page.reload();
    await page.getByRole('heading', { name: /Правка: Гравировка/u }).waitFor();
    await page.getByRole('table', { name: 'Версии' }).waitFor();
  }

  async function editContent(from: string, to: string) {
    const field = page.getByLabel('Содержимое (формат базы знаний)');
    const content = await field.inputValue();
    expect(content).toContain(from);
    await field.fill(content.replace(from, to));
  }

  it('edits a template with validation and a preview, and Try it offers the new text', async () => {
    expect(await tryIt()).toContain('990 ₽');

    await page.goto(`${service.url}/console/#/knowledge/demo/tpl-engraving`);
    await page.getByTestId('provenance').waitFor();
    expect(await page.getByTestId('provenance').textContent()).toContain('templates.ru.yaml');
    await page.getByRole('link', { name: 'Править и версии' }).click();
    await page.getByRole('heading', { name: /Правка: Гравировка/u }).waitFor();

    // A mistake is named by field and line, and nothing is saved.
    await editContent('    title: Гравировка — условия и оформление\n', '');
    await page.getByRole('button', { name: 'Проверить' }).click();
    await expect
      .poll(() => page.locator('.check-results').textContent())
      .toMatch(/items\[0\]\.title: Required \(line \d+\)/u);
    await screenshot(page, 'edit-validation-error');
    await openEditor();

    await editContent('стоит 990 ₽', 'стоит 1490 ₽');
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.getByTestId('preview-text').waitFor();
    expect(await page.getByTestId('preview-text').textContent()).toContain('1490 ₽');
    expect(await page.getByTestId('preview-text').textContent()).toMatch(
      /^Анна, мы сделаем лазерную гравировку/u,
    );
    await page.getByLabel('Комментарий к версии (необязательно)').fill('новая цена гравировки');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('версия 2 действует');
    await page.getByRole('cell', { name: 'новая цена гравировки' }).waitFor();
    await page.getByRole('button', { name: /Отличия от предыдущей \(2\)/u }).click();
    const diff = page.getByLabel('Версия 2 против 1');
    expect(await diff.locator('del').textContent()).toContain('990 ₽');
    expect(await diff.locator('ins').textContent()).toContain('1490 ₽');
    await screenshot(page, 'edit-template-versions');
    expect(await accessibilityViolations(page)).toEqual([]);

    expect(await tryIt()).toContain('1490 ₽');
  });

  it('rolls back to the first version, and Try it offers the old text again', async () => {
    await openEditor();
    await page.getByRole('button', { name: /Вернуть эту версию \(1\)/u }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('версия 3 действует');
    await page.getByRole('cell', { name: /возврат версии 1/u }).waitFor();
    expect(await tryIt()).toContain('990 ₽');
    expect(await tryIt()).not.toContain('1490 ₽');
  });

  it('holds an edit for review until another knowledge manager approves it in the review queue', async () => {
    await openEditor();
    await page.getByLabel(/Изменения в коллекции «demo» действуют только после согласования/u).click();
    await expect.poll(() => page.getByLabel(/только после согласования/u).isChecked()).toBe(true);
    await editContent('стоит 990 ₽', 'стоит 1290 ₽');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('ждёт согласования');
    expect(await tryIt()).toContain('990 ₽');

    // The author (here the admin) sees why «Согласовать» is disabled, and the admin's way round it.
    await page.goto(`${service.url}/console/#/review`);
    const own = page.getByRole('row', { name: /Гравировка — условия и оформление/u });
    const ownApprove = own.getByRole('button', { name: /^Согласовать Гравировка/u });
    await ownApprove.waitFor();
    expect(await ownApprove.isDisabled()).toBe(true);
    expect(await ownApprove.getAttribute('aria-describedby')).toBeTruthy();
    expect(await own.textContent()).toContain('Это ваше изменение: согласовать его должен другой сотрудник.');
    await own.getByLabel('Причина').waitFor();
    expect(await own.getByRole('button', { name: /Согласовать своё изменение/u }).isDisabled()).toBe(true);
    await screenshot(page, 'review-own-change');
    expect(await accessibilityViolations(page)).toEqual([]);

    await signIn(reviewerToken);
    await page.goto(`${service.url}/console/#/review`);
    await page.getByRole('heading', { name: 'Согласование изменений' }).waitFor();
    const row = page.getByRole('row', { name: /Гравировка — условия и оформление/u });
    await row.waitFor();
    expect(await row.textContent()).toContain('admin');
    await screenshot(page, 'review-queue');
    expect(await accessibilityViolations(page)).toEqual([]);
    await row.getByRole('button', { name: /Согласовать/u }).click();
    await page.getByText('Нет версий на согласовании.').waitFor();

    expect(await tryIt()).toContain('1290 ₽');
    await page.goto(`${service.url}${EDIT_URL}`);
    await page
      .getByRole('cell', { name: /Согласовать|действует: km-vera/u })
      .first()
      .waitFor();
  });

  it('marks a document as needing review with a note, listed in the queue, in Russian and English', async () => {
    await openEditor();
    await page.getByLabel('Что проверить').fill('цена с 1 января');
    await page.getByRole('button', { name: 'Отметить «требует проверки»' }).click();
    await page.getByText(/Отметил\(а\) km-vera/u).waitFor();
    await page.goto(`${service.url}/console/#/review`);
    await page.getByRole('cell', { name: 'цена с 1 января' }).waitFor();
    await page.getByLabel('Язык интерфейса').selectOption('en');
    await page.getByRole('heading', { name: 'Review of changes' }).waitFor();
    await screenshot(page, 'review-queue-en');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Interface language').selectOption('ru');
  });
});

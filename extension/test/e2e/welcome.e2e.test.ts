import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, chromiumAvailable, type E2eSession, startE2eSession } from './harness.ts';

/**
 * The first-run page in Chromium: it opens by itself when the extension is installed (a fresh
 * profile), checks the service through the worker and says what is wrong, and links to the demo desk.
 */
describe.skipIf(!chromiumAvailable())('first-run page in Chromium', () => {
  let session: E2eSession | undefined;
  let browser: Browser;

  beforeAll(async () => {
    session = await startE2eSession({});
    ({ browser } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('opens on install, finds the service, says when nothing or something else answers, links the demo desk', async () => {
    const welcomeUrl = `chrome-extension://${browser.extensionId}/welcome.html`;
    await expect
      .poll(() => browser.context.pages().some((page) => page.url() === welcomeUrl), { timeout: 15_000 })
      .toBe(true);
    const page = browser.context.pages().find((candidate) => candidate.url() === welcomeUrl)!;
    await page.reload();
    const url = page.getByLabel('Адрес сервиса');
    await expect.poll(() => url.inputValue()).toBe(session!.service.url);

    await page.getByRole('button', { name: 'Проверить' }).click();
    await expect
      .poll(() => page.locator('.welcome-verdict').textContent(), { timeout: 15_000 })
      .toContain('Сервис отвечает');

    // A port where nothing listens, then a server that is not the assist service (the page server).
    await url.fill('http://127.0.0.1:9');
    await page.getByRole('button', { name: 'Проверить' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('никто не отвечает');
    await url.fill(session!.pages.origin);
    await page.getByRole('button', { name: 'Проверить' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('отвечает что-то другое');

    await url.fill(session!.service.url);
    await page.getByRole('button', { name: 'Проверить' }).click();
    await expect.poll(() => page.locator('.welcome-verdict').textContent()).toContain('Сервис отвечает');
    expect(await page.getByRole('link', { name: 'Открыть демо-стол' }).getAttribute('href')).toBe(
      `${session!.service.url}/demo-desk/`,
    );
  });
});

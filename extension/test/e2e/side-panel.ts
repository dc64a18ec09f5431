import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { Browser } from './harness.ts';

export interface SidePanel {
  /** Evaluates `expression` in the side panel's page (awaits a promise) and returns its value. */
  evaluate<T>(expression: string): Promise<T>;
  screenshot(file: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the browser's real side panel for the window of `page` and attaches to it. The panel
 * opens only on a user gesture, so a button in an extension page (the options page, in a tab of
 * the same window) is clicked; Playwright does not list side panels among a context's pages, so
 * the panel is driven over CDP (Target.sendMessageToTarget).
 */
export async function openSidePanel(browser: Browser, page: Page): Promise<SidePanel> {
  const opener = await browser.context.newPage();
  await opener.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await opener.evaluate(async () => {
    const chrome = (
      globalThis as unknown as {
        chrome: {
          windows: { getCurrent(): Promise<{ id?: number }> };
          sidePanel: { open(options: { windowId: number }): Promise<void> };
        };
      }
    ).chrome;
    const window = await chrome.windows.getCurrent();
    const button = document.createElement('button');
    button.id = 'naparnik-e2e-open-side-panel';
    button.textContent = 'side panel';
    button.addEventListener('click', () => {
      void chrome.sidePanel.open({ windowId: window.id ?? -2 }).then(
        () => document.body.setAttribute('data-side-panel', 'open'),
        (error: Error) => document.body.setAttribute('data-side-panel', error.message),
      );
    });
    document.body.prepend(button);
  });
  await opener.click('#naparnik-e2e-open-side-panel');
  await opener.locator('body[data-side-panel]').waitFor({ state: 'attached' });
  const state = await opener.locator('body').getAttribute('data-side-panel');
  if (state !== 'open') throw new Error(`the side panel did not open: ${state}`);
  // The helpdesk tab is the one the side panel works on.
  await page.bringToFront();

  const cdp = await browser.context.newCDPSession(opener);
  let target: { targetId: string } | undefined;
  for (let attempt = 0; attempt < 50 && !target; attempt++) {
    const { targetInfos } = await cdp.send('Target.getTargets');
    target = targetInfos.find((info) => info.url.endsWith('/sidepanel.html'));
    if (!target) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!target) throw new Error('no side panel target');
  const { sessionId } = await cdp.send('Target.attachToTarget', {
    targetId: target.targetId,
    flatten: false,
  });
  let nextId = 0;
  const waiting = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    if (message.id !== undefined) waiting.get(message.id)?.(message);
  });
  const call = async (method: string, params: object) => {
    const id = ++nextId;
    const answer = new Promise<{ result?: unknown; error?: { message: string } }>((resolve) =>
      waiting.set(id, resolve),
    );
    await cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({ id, method, params }),
    });
    const message = await answer;
    waiting.delete(id);
    if (message.error) throw new Error(`${method}: ${message.error.message}`);
    return message.result as Record<string, unknown>;
  };
  return {
    async evaluate<T>(expression: string) {
      const result = await call('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
      const details = result.exceptionDetails as { text?: string } | undefined;
      if (details) throw new Error(`side panel: ${details.text ?? 'exception'}`);
      return (result.result as { value: T }).value;
    },
    async screenshot(file) {
      const result = await call('Page.captureScreenshot', { format: 'png' });
      writeFileSync(file, Buffer.from(String(result.data), 'base64'));
    },
    async close() {
      await cdp.detach().catch(() => undefined);
      await opener.close();
    },
  };
}

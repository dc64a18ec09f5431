import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SpawnedService, spawnAssistService } from '@naparnik/assist-service/testing';
import { type BrowserContext, chromium, type Worker } from 'playwright-core';
import { z } from 'zod';
import { type PageReading, pageResponseSchemas } from '../../src/messaging.ts';
import { EXTENSION_ROOT } from '../support/fixtures.ts';

export const REPO_ROOT = path.resolve(EXTENSION_ROOT, '..');
/**
 * The e2e build (`wxt build --mode e2e`): the production code with the panel's shadow root open
 * (Playwright cannot look into closed ones) and the bench hooks in. `PRODUCTION_BUILD_DIR` is what
 * operators install; hostile-page.e2e.test.ts runs it.
 */
export const BUILD_DIR = path.join(EXTENSION_ROOT, '.output/chrome-mv3-e2e');
export const PRODUCTION_BUILD_DIR = path.join(EXTENSION_ROOT, '.output/chrome-mv3');
export const ARTIFACTS = path.join(EXTENSION_ROOT, 'test-artifacts/e2e');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type RunningService = SpawnedService;

/** The real assist service (offline engine, demo knowledge base) with an admin token, in a temporary data directory. */
export function startAssistService(): Promise<RunningService> {
  return spawnAssistService();
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
  '.map': 'application/json',
};

/** The file under one of `directories` (URL prefix → folder) that `pathname` names, never outside it. */
function fileUnder(directories: Record<string, string>, pathname: string): string | undefined {
  for (const [prefix, folder] of Object.entries(directories)) {
    if (!pathname.startsWith(prefix)) continue;
    const root = path.resolve(folder);
    const file = path.resolve(root, decodeURIComponent(pathname.slice(prefix.length)));
    if (file.startsWith(root + path.sep) && existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

/**
 * Serves helpdesk pages on 127.0.0.1 (where the overlay runs out of the box): path → file, plus
 * whole folders under a URL prefix (the editor libraries from node_modules, page scripts).
 */
export async function servePages(
  routes: Record<string, string>,
  directories: Record<string, string> = {},
): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://x').pathname;
    const file = routes[pathname] ?? fileUnder(directories, pathname);
    if (!file) {
      response.writeHead(404).end('not found');
      return;
    }
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    response.writeHead(200, { 'Content-Type': type }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The browser keeps its connections open: close() alone waits for it to let them go.
        server.closeAllConnections();
      }),
  };
}

export interface Browser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  close(): Promise<void>;
}

/** Debian's Chromium with the unpacked build loaded, in a fresh profile (`buildDir`: a copy of a build). */
export async function launchWithExtension(buildDir = BUILD_DIR): Promise<Browser> {
  if (!existsSync(path.join(buildDir, 'manifest.json')))
    throw new Error(`No build at ${buildDir}: run pnpm build`);
  const profile = mkdtempSync(path.join(tmpdir(), 'naparnik-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      `--disable-extensions-except=${buildDir}`,
      `--load-extension=${buildDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const worker =
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    worker,
    extensionId,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** Everything an e2e file needs: the real service, the pages, Chromium with the extension pointed at the service. */
export interface E2eSession {
  service: RunningService;
  pages: Awaited<ReturnType<typeof servePages>>;
  browser: Browser;
  close(): Promise<void>;
}

/** Starts the service, the page server and Chromium side by side, then configures the extension. */
export async function startE2eSession(
  routes: Record<string, string>,
  directories: Record<string, string> = {},
  buildDir = BUILD_DIR,
): Promise<E2eSession> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const [service, pages, browser] = await Promise.all([
    startAssistService(),
    servePages(routes, directories),
    launchWithExtension(buildDir),
  ]);
  await configureExtension(browser, service.url, [pages.origin], service.token);
  return {
    service,
    pages,
    browser,
    async close() {
      await browser.close();
      await pages.close();
      await service.stop();
    },
  };
}

/** Sends `message` to the worker from one of the extension's own pages (options); its answer. */
export async function sendFromExtensionPage(browser: Browser, message: unknown): Promise<unknown> {
  const page = await browser.context.newPage();
  try {
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    return await page.evaluate(
      (sent) =>
        (
          globalThis as unknown as {
            chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } };
          }
        ).chrome.runtime.sendMessage(sent),
      message,
    );
  } finally {
    await page.close();
  }
}

/**
 * Points the loaded extension at `serviceUrl` with `token` and enables `origins` (what the options
 * page would store): sent from one of the extension's pages, the only sender the worker takes
 * settings from.
 */
export async function configureExtension(
  browser: Browser,
  serviceUrl: string,
  origins: string[] = [],
  token?: string,
): Promise<void> {
  const changes = {
    serviceUrl,
    collection: 'demo',
    locale: 'ru',
    enabledOrigins: origins,
    ...(token ? { token } : {}),
  };
  const answer = await sendFromExtensionPage(browser, { type: 'settings:write', changes });
  if (!(answer as { ok?: boolean }).ok) throw new Error(`settings:write failed: ${JSON.stringify(answer)}`);
}

const storedEventSchema = z.object({
  type: z.string(),
  suggestionSetId: z.string(),
  suggestionIndex: z.number(),
  finalText: z.string().nullish(),
});
export type StoredFeedbackEvent = z.infer<typeof storedEventSchema>;

/** The feedback events the service stored, oldest first (`GET /v1/feedback/events`). */
export async function feedbackEvents(service: RunningService): Promise<StoredFeedbackEvent[]> {
  const response = await service.request('/v1/feedback/events?limit=1000');
  if (!response.ok) throw new Error(`GET /v1/feedback/events answered ${response.status}`);
  return z.object({ events: z.array(storedEventSchema) }).parse(await response.json()).events;
}

/** Sends `message` from the extension's worker to the tab whose address starts with `urlPrefix`; its answer. */
export async function sendToTab(browser: Browser, urlPrefix: string, message: unknown): Promise<unknown> {
  return browser.worker.evaluate(
    async ({ prefix, message }) => {
      const chrome = (
        globalThis as unknown as {
          chrome: {
            tabs: {
              query(filter: object): Promise<Array<{ id?: number; url?: string }>>;
              sendMessage(id: number, message: unknown): Promise<unknown>;
            };
          };
        }
      ).chrome;
      const tab = (await chrome.tabs.query({})).find((candidate) => candidate.url?.startsWith(prefix));
      if (tab?.id === undefined) throw new Error(`no tab at ${prefix}`);
      return chrome.tabs.sendMessage(tab.id, message);
    },
    { prefix: urlPrefix, message },
  );
}

/** What the built content script reads on the tab whose address starts with `urlPrefix` (a page:read message). */
export async function readTab(browser: Browser, urlPrefix: string): Promise<PageReading> {
  const parsed = pageResponseSchemas['page:read'].parse(
    await sendToTab(browser, urlPrefix, { type: 'page:read' }),
  );
  if (!parsed.ok) throw new Error(`page:read failed: ${parsed.error.message}`);
  return parsed.data;
}

/** Whitespace aside: editors and pages turn line breaks into paragraphs and back. */
export const squeeze = (text: unknown) => String(text ?? '').replace(/\s+/g, '');

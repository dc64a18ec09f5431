/**
 * `pnpm bench extension`: what the extension costs the helpdesk tab.
 *
 * 1. The content script's size as shipped (raw and gzip), from `.output/chrome-mv3` (built first
 *    when missing or older than its sources).
 * 2. Page load to panel ready on the demo desk, in Debian's Chromium with the built extension and
 *    the real assist service (offline engine, demo knowledge base), median of BENCH_RUNS runs after
 *    one warm-up: conversation read (the content script's first reading), panel rendered, first
 *    suggestion insertable.
 * 3. The cost of one new message on pages with BENCH_MESSAGES messages (demo desk adapter, generic
 *    adapter): messages are appended one at a time, and the content script's own performance
 *    measures (observer callbacks + the debounced read) give the main-thread time per mutation
 *    batch; the same pages read in full on every change (`full-read`) show the cost before scoping.
 *
 * Times are wall-clock on a shared machine: the in-page figures are synchronous main-thread work
 * (close to CPU time unless the OS preempts the renderer), the load figures include the service.
 *
 *   node scripts/bench.ts extension        # BENCH_RUNS=5 BENCH_BATCHES=60 BENCH_MESSAGES=2000
 */

import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { percentile, printTable } from '../../scripts/bench-support.ts';
import { ensureBuild } from '../scripts/ensure-built.ts';
import { BENCH_ATTRIBUTE, BENCH_FULL_READ, BENCH_MEASURES } from '../src/content/bench-marks.ts';
import {
  type Browser,
  BUILD_DIR,
  chromiumAvailable,
  configureExtension,
  launchWithExtension,
  PRODUCTION_BUILD_DIR,
  type RunningService,
  servePages,
  startAssistService,
} from '../test/e2e/harness.ts';
import { EXTENSION_ROOT } from '../test/support/fixtures.ts';
import { contentScriptSizes } from './build.ts';
import {
  appendAndMeasure,
  type BatchCost,
  type LoadTimes,
  loadTimes,
  PAGE_MARKS,
  panelProbe,
} from './in-page.ts';
import { type BenchPage, longConversationPages } from './pages.ts';

const TARGET_GZIP_KB = 150;
const TARGET_BATCH_MS = 5;

function positiveInteger(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 0) : '—');
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** `<html …>` with the bench attribute, so the content script records its work. */
function withBenchAttribute(html: string, mode = ''): string {
  return html.replace(/<html([^>]*)>/, `<html$1 ${BENCH_ATTRIBUTE}="${mode}">`);
}

async function measureLoad(browser: Browser, url: string): Promise<LoadTimes> {
  const page = await browser.context.newPage();
  try {
    await page.addInitScript(panelProbe, PAGE_MARKS);
    await page.goto(url);
    await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, PAGE_MARKS.ready, {
      timeout: 60_000,
    });
    return await page.evaluate(loadTimes, { read: BENCH_MEASURES.read, ...PAGE_MARKS });
  } finally {
    await page.close();
  }
}

interface BatchRun {
  firstReadMs: number;
  batches: BatchCost[];
  /** The renderer main thread's CPU time over each batch, everything included (upper bound). */
  rendererCpuMs: number[];
}

async function measureBatches(page: Page, url: string, bench: BenchPage, batches: number): Promise<BatchRun> {
  await page.addInitScript(panelProbe, PAGE_MARKS);
  await page.goto(url);
  await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, BENCH_MEASURES.read, {
    timeout: 60_000,
  });
  const firstReadMs = await page.evaluate(
    (name) => performance.getEntriesByName(name)[0]?.duration ?? Number.NaN,
    BENCH_MEASURES.read,
  );
  // Let the panel mount and its first suggestions arrive, so batches measure a settled page.
  await page
    .waitForFunction((name) => performance.getEntriesByName(name).length > 0, PAGE_MARKS.ready, {
      timeout: 30_000,
    })
    .catch(() => undefined);
  // Thread ticks: task durations in CPU time, so the figure does not grow with the machine's load.
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('Performance.enable', { timeDomain: 'threadTicks' });
  const taskSeconds = async () =>
    (await devtools.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'TaskDuration')
      ?.value ?? Number.NaN;
  const costs: BatchCost[] = [];
  const rendererCpuMs: number[] = [];
  for (let index = 0; index < batches; index++) {
    const before = await taskSeconds();
    costs.push(
      await page.evaluate(appendAndMeasure, {
        listSelector: bench.listSelector,
        html: bench.message(index),
        names: BENCH_MEASURES,
      }),
    );
    rendererCpuMs.push(((await taskSeconds()) - before) * 1000);
  }
  await devtools.detach();
  return { firstReadMs, batches: costs, rendererCpuMs };
}

export async function runExtensionBench(): Promise<void> {
  const announce = (text: string) => process.stdout.write(`bench extension: ${text}`);
  // The size is the production build's (what operators install); the timings need the e2e build's
  // bench hooks, which the production build does not have.
  const build = ensureBuild(PRODUCTION_BUILD_DIR, { announce });
  ensureBuild(BUILD_DIR, { mode: 'e2e', announce });
  // A copy of the build: a rebuild while the bench runs (an e2e run, a watcher) cannot change it.
  const work = mkdtempSync(path.join(tmpdir(), 'naparnik-bench-extension-'));
  const buildCopy = path.join(work, 'chrome-mv3');
  cpSync(BUILD_DIR, buildCopy, { recursive: true });
  try {
    await measureAll(build, buildCopy, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function measureAll(build: string, buildDir: string, work: string): Promise<void> {
  const runs = positiveInteger('BENCH_RUNS', 5);
  const batches = positiveInteger('BENCH_BATCHES', 60);
  const total = positiveInteger('BENCH_MESSAGES', 2000);
  const files = contentScriptSizes(PRODUCTION_BUILD_DIR);
  const raw = files.reduce((sum, file) => sum + file.rawBytes, 0);
  const gzip = files.reduce((sum, file) => sum + file.gzipBytes, 0);
  printTable(
    `Content script bundle (${build}; gzip level 9; target ≤ ${TARGET_GZIP_KB} KB gzip)`,
    ['file', 'raw KB', 'gzip KB'],
    [
      ...files.map((file) => [file.file, kb(file.rawBytes), kb(file.gzipBytes)]),
      ['total', kb(raw), kb(gzip)],
    ],
  );

  if (!chromiumAvailable()) {
    process.stdout.write(
      '\nChromium not found (CHROMIUM_PATH or /usr/bin/chromium): browser figures skipped.\n',
    );
    return;
  }
  const write = (name: string, html: string) => {
    const file = path.join(work, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, html);
    return file;
  };
  const long = longConversationPages(EXTENSION_ROOT, total);
  const routes: Record<string, string> = {
    '/demo-desk/': write(
      'demo-desk.html',
      withBenchAttribute(readFileSync(path.join(EXTENSION_ROOT, 'demo-desk/index.html'), 'utf8')),
    ),
  };
  for (const [index, bench] of long.entries()) {
    routes[bench.route] = write(`long-${index}.html`, withBenchAttribute(bench.html));
    routes[`/full${bench.route}`] = write(
      `long-${index}-full.html`,
      withBenchAttribute(bench.html, BENCH_FULL_READ),
    );
  }

  let service: RunningService | undefined;
  let pages: Awaited<ReturnType<typeof servePages>> | undefined;
  let browser: Browser | undefined;
  try {
    // Each one is kept as it starts, so whatever did start is stopped below when another fails.
    const started = await Promise.allSettled([
      startAssistService().then((value) => (service = value)),
      servePages(routes).then((value) => (pages = value)),
      launchWithExtension(buildDir).then((value) => (browser = value)),
    ]);
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    if (!service || !pages || !browser) throw new Error('bench extension: setup did not finish');
    const serviceUrl = service.url;
    await configureExtension(browser, serviceUrl, [pages.origin], service.token);
    process.stdout.write(
      `\nChromium with the built extension; ${availableParallelism()} cores, load average ${loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')} (other work on the machine inflates wall times)\n`,
    );

    const loads: LoadTimes[] = [];
    for (let run = 0; run <= runs; run++) {
      const times = await measureLoad(browser, `${pages.origin}/demo-desk/`);
      if (run > 0) loads.push(times);
    }
    const median = (pick: (times: LoadTimes) => number) => ms(percentile(loads.map(pick), 0.5));
    const max = (pick: (times: LoadTimes) => number) => ms(Math.max(...loads.map(pick)));
    const steps: Array<[string, (times: LoadTimes) => number]> = [
      ['DOMContentLoaded', (times) => times.domContentLoaded],
      ['load event', (times) => times.load],
      ['conversation read (content script)', (times) => times.conversationRead],
      ['panel rendered', (times) => times.panelRendered],
      ['panel ready: first suggestion insertable', (times) => times.panelReady],
    ];
    printTable(
      `Demo desk: navigation start → step, ms (median and max of ${runs} runs after a warm-up)`,
      ['step', 'median', 'max'],
      steps.map(([name, pick]) => [name, median(pick), max(pick)]),
    );

    const rows: Array<Array<string | number>> = [];
    for (const bench of long) {
      for (const mode of ['scoped', BENCH_FULL_READ] as const) {
        const page = await browser.context.newPage();
        try {
          const route = mode === 'scoped' ? bench.route : `/full${bench.route}`;
          const run = await measureBatches(page, `${pages.origin}${route}`, bench, batches);
          const perBatch = run.batches.map((cost) => cost.observeMs + cost.readMs);
          const observe = run.batches.map((cost) => cost.observeMs);
          rows.push([
            bench.name,
            mode === 'scoped' ? 'list observed, newest 200 read' : 'whole page read (before)',
            ms(run.firstReadMs),
            ms(percentile(observe, 0.95)),
            ms(percentile(perBatch, 0.5)),
            ms(percentile(perBatch, 0.95)),
            ms(Math.max(...perBatch)),
            ms(percentile(run.rendererCpuMs, 0.5)),
          ]);
        } finally {
          await page.close();
        }
      }
    }
    printTable(
      `One new message: main-thread ms per mutation batch (observer callbacks + debounced read), ${batches} batches; target p95 ≤ ${TARGET_BATCH_MS} ms`,
      [
        'page',
        'reading',
        'first read',
        'observer p95',
        'batch p50',
        'batch p95',
        'batch max',
        'renderer CPU p50',
      ],
      rows,
    );
    process.stdout.write(
      "batch: the content script's observer callbacks + its debounced read, wall-clock in the page. " +
        "renderer CPU: the tab's main-thread CPU time from the append to that read, everything " +
        "included (the page's own style and layout, the panel's render, the bench's polling): an upper " +
        "bound that does not grow with the machine's load.\n",
    );
  } finally {
    await browser?.close();
    await pages?.close();
    await service?.stop();
  }
}

if (import.meta.main) await runExtensionBench();

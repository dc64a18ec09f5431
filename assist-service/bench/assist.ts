/**
 * `pnpm bench assist`: latency of POST /v1/assist on the offline engine against a real server, at
 * 1k and 100k chunks of generated FAQ (plus the demo's templates, scripts and routing, so every
 * step of the engine runs), and throughput with 50 concurrent clients (autocannon).
 *
 * Wall times depend on everything else the machine runs, so the server process also reports the
 * CPU time it spent per request and its event-loop delay (`server-probe.ts`): CPU ms per request
 * is comparable across busy and idle machines, and a loop delay far above one request's CPU time
 * means requests block each other rather than the machine being merely saturated.
 *
 *   node assist-service/bench/assist.ts [chunks…]      # BENCH_CORPUS_DIR=<dir> keeps and reuses corpora
 *   pnpm bench assist --history 16000                  # with that many past questions stored (0: none)
 *
 * A team that imported its helpdesk history or sends replies through the panel has past questions
 * in the collection, and every search then also runs their votes, the vocabulary they teach and the
 * topic classifier trained on them: `--history` stores that many (synthetic, each labelled with an
 * FAQ of the corpus and its section) before the server starts, so the figure is that of such a
 * team. The default is 2,000.
 */

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEMO_KB_DIR, openKnowledgeBase, seededRandom } from '@naparnik/ingest';
import autocannon from 'autocannon';
import { percentile, printTable } from '../../scripts/bench-support.ts';
import type { ProbeReading } from './server-probe.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const SERVER = path.join(BENCH_DIR, '..', 'src', 'server.ts');
const PROBE = pathToFileURL(path.join(BENCH_DIR, 'server-probe.ts')).href;

export interface ServerProcess {
  url: string;
  /** The server's CPU time and event-loop delay since the previous call. */
  probe(): Promise<ProbeReading>;
  stop(): Promise<void>;
}

/**
 * The service in its own process, as in production: load generator and server never share an
 * event loop. Resolves once it is ready, with its URL and a stop function (SIGTERM, graceful).
 */
export const BENCH_TOKEN = `bench-${randomBytes(16).toString('hex')}`;

export async function startServerProcess(
  dataDir: string,
  environment: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', PROBE, SERVER], {
    env: {
      ...process.env,
      PORT: '0',
      NAPARNIK_DATA_DIR: dataDir,
      DEMO_AUTO_INGEST: 'false',
      LOG_LEVEL: 'silent',
      // One admin token, and no rate limit: the benchmark measures the service, not its limiter.
      ASSIST_ADMIN_TOKEN: BENCH_TOKEN,
      NAPARNIK_RATE_LIMIT_PER_TOKEN: '0',
      NAPARNIK_RATE_LIMIT_PER_TENANT: '0',
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stdout = child.stdout;
  if (!stdout) throw new Error('bench: the server has no stdout');
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    let address: string | undefined;
    stdout.setEncoding('utf8');
    stdout.on('data', (chunk: string) => {
      output += chunk;
      address ??= /listening on (http:\/\/\S+)/u.exec(output)?.[1];
      if (address && output.includes('Ready:')) resolve(address);
    });
    child.once('exit', (code) => reject(new Error(`bench: the server exited with ${code}: ${output}`)));
  });
  return {
    url,
    probe: () =>
      new Promise<ProbeReading>((resolve) => {
        const onMessage = (message: unknown) => {
          const answer = message as { type?: string; reading?: ProbeReading };
          if (answer.type !== 'probe-reading' || !answer.reading) return;
          child.off('message', onMessage);
          resolve(answer.reading);
        };
        child.on('message', onMessage);
        child.send({ type: 'probe' });
      }),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface AssistBenchOptions {
  chunks?: number[];
  /** Sequential requests for the latency percentiles. */
  requests?: number;
  concurrency?: number;
  /** Seconds of load for the throughput figure. */
  durationSeconds?: number;
  /** Keep each corpus in `<corpusDir>/<chunks>` and reuse it on the next run (ingest takes a while). */
  corpusDir?: string;
  /** Past questions stored in the collection before the server starts (replacing any kept ones). */
  history?: number;
}

export const DEFAULT_BENCH_HISTORY = 2_000;

/**
 * `count` past questions, each worded as a customer turn about one FAQ of the corpus and labelled
 * with it and its section, as `pnpm ingest --history` stores an export; the same for a given
 * corpus size and count. Stored in place of any history the collection held.
 */
export async function storeBenchHistory(
  dataDir: string,
  corpusSize: number,
  count: number,
  pool: readonly string[],
): Promise<void> {
  const knowledge = await openKnowledgeBase({ dataDir });
  try {
    await knowledge.store.deleteHistory('bench', { olderThan: new Date(Date.now() + 86_400_000) });
    const random = seededRandom(corpusSize * 31 + count);
    const createdAt = new Date().toISOString();
    for (let start = 0; start < count; start += 5_000) {
      const entries = Array.from({ length: Math.min(5_000, count - start) }, (_, offset) => {
        const faq = Math.floor(random() * corpusSize);
        return {
          id: `bench-history-${start + offset}`,
          question: customerTurn(pool, random),
          documentIds: [`faq-${faq}`],
          topic: `Раздел ${faq % 12}`,
          source: 'import' as const,
          createdAt,
        };
      });
      await knowledge.store.addHistory('bench', entries);
    }
  } finally {
    await knowledge.close();
  }
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

/** Real Russian sentences from the demo knowledge base to build corpora and questions from. */
export function sentencePool(): string[] {
  const texts: string[] = [];
  for (const folder of ['articles', 'faq', 'templates']) {
    const directory = path.join(DEMO_KB_DIR, folder);
    if (!existsSync(directory)) continue;
    for (const name of readdirSync(directory)) texts.push(readFileSync(path.join(directory, name), 'utf8'));
  }
  const sentences = texts
    .flatMap((text) => text.replace(/[#*>|`[\]();{}]/gu, ' ').split(/(?<=[.!?])\s+|\n+/u))
    .map((sentence) => sentence.replace(/\s+/gu, ' ').trim())
    .filter(
      (sentence) => sentence.length > 30 && sentence.length < 300 && /\p{Script=Cyrillic}/u.test(sentence),
    );
  if (sentences.length < 50) throw new Error('bench: too few sentences in the demo knowledge base');
  return sentences;
}

/** A customer turn: a greeting, a few words from some sentence, sometimes an order number. */
function customerTurn(pool: readonly string[], random: () => number): string {
  const words = pick(pool, random).split(' ');
  const length = 4 + Math.floor(random() * 6);
  const start = Math.floor(random() * Math.max(1, words.length - length));
  const order = random() < 0.5 ? ` Заказ № ${10_000_000 + Math.floor(random() * 1_000_000)}.` : '';
  return `Здравствуйте! ${words.slice(start, start + length).join(' ')}?${order}`;
}

export function assistBody(pool: readonly string[], random: () => number): string {
  return JSON.stringify({
    collection: 'bench',
    conversation: {
      channel: pick(['chat', 'email', 'messenger'] as const, random),
      messages: [
        { role: 'customer', text: customerTurn(pool, random) },
        ...(random() < 0.3
          ? [
              { role: 'operator', text: 'Здравствуйте! Сейчас проверю.' },
              { role: 'customer', text: customerTurn(pool, random) },
            ]
          : []),
      ],
      customer: { name: 'Анна Смирнова' },
    },
    operator: { id: 'op-1', displayName: 'Ольга' },
  });
}

export async function buildCorpus(directory: string, size: number, pool: readonly string[]): Promise<string> {
  const random = seededRandom(size);
  const records = Array.from({ length: size }, (_, index) =>
    JSON.stringify({
      id: `faq-${index}`,
      kind: 'faq',
      question: `${pick(pool, random)}`,
      answer: Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(pool, random)).join(' '),
      category: `Раздел ${index % 12}`,
      tags: [`тема ${index % 40}`],
      language: 'ru',
    }),
  );
  const dataDir = path.join(directory, 'data');
  // Files of 5,000 records stay under the ingest's per-file size limit.
  const corpus = path.join(directory, 'corpus');
  mkdirSync(corpus);
  for (let start = 0; start < records.length; start += 5000) {
    writeFileSync(
      path.join(corpus, `part-${start / 5000}.jsonl`),
      records.slice(start, start + 5000).join('\n'),
    );
  }
  const knowledge = await openKnowledgeBase({ dataDir });
  const voice = ['templates', 'scripts', 'routing'].map((folder) => path.join(DEMO_KB_DIR, folder));
  const summary = await knowledge.ingest([corpus, ...voice.filter((folder) => existsSync(folder))], {
    collection: 'bench',
  });
  const stats = await knowledge.store.stats('bench');
  await knowledge.close();
  if (stats.chunks < size) {
    throw new Error(
      `bench: expected ${size} chunks, ingested ${stats.chunks}: ${JSON.stringify(summary.failed[0])}`,
    );
  }
  return dataDir;
}

export async function runAssistBench(options: AssistBenchOptions = {}): Promise<void> {
  const sizes = options.chunks ?? [1_000, 100_000];
  const requestCount = options.requests ?? 300;
  const concurrency = options.concurrency ?? 50;
  const duration = options.durationSeconds ?? 10;
  const history = options.history ?? DEFAULT_BENCH_HISTORY;
  const pool = sentencePool();
  const sequentialRows: (string | number)[][] = [];
  const loadRows: (string | number)[][] = [];
  const formatDelay = (reading: ProbeReading) =>
    `${reading.delayP99Ms.toFixed(0)} / ${reading.delayMaxMs.toFixed(0)}`;
  for (const size of sizes) {
    const kept = options.corpusDir ? path.join(options.corpusDir, String(size)) : undefined;
    const directory = kept ?? mkdtempSync(path.join(tmpdir(), 'naparnik-bench-assist-'));
    try {
      const ingestStarted = performance.now();
      const reused = kept !== undefined && existsSync(path.join(kept, 'data'));
      if (kept && !reused) mkdirSync(kept, { recursive: true });
      const dataDir = reused ? path.join(directory, 'data') : await buildCorpus(directory, size, pool);
      const ingestSeconds = (performance.now() - ingestStarted) / 1000;
      await storeBenchHistory(dataDir, size, history, pool);
      const service = await startServerProcess(dataDir);
      try {
        const random = seededRandom(size + 1);
        const bodies = Array.from({ length: requestCount }, () => assistBody(pool, random));
        const post = async (body: string) => {
          const response = await fetch(`${service.url}/v1/assist`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
            body,
          });
          if (response.status !== 200) throw new Error(`bench: /v1/assist answered ${response.status}`);
          return (await response.json()) as { suggestions: unknown[] };
        };
        for (const body of bodies.slice(0, 20)) await post(body);
        const latencies: number[] = [];
        let answered = 0;
        await service.probe();
        for (const body of bodies) {
          const started = performance.now();
          const result = await post(body);
          latencies.push(performance.now() - started);
          if (result.suggestions.length > 0) answered++;
        }
        const sequential = await service.probe();
        const load = await autocannon({
          url: `${service.url}/v1/assist`,
          connections: concurrency,
          duration,
          requests: bodies.slice(0, 50).map((body) => ({
            method: 'POST' as const,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
            body,
          })),
        });
        const loaded = await service.probe();
        sequentialRows.push([
          size,
          history,
          reused ? 'reused' : ingestSeconds.toFixed(0),
          percentile(latencies, 0.5).toFixed(1),
          percentile(latencies, 0.95).toFixed(1),
          (sequential.cpuMs / requestCount).toFixed(1),
          formatDelay(sequential),
          `${Math.round((answered / bodies.length) * 100)}%`,
        ]);
        loadRows.push([
          size,
          history,
          Math.round(load.requests.average),
          load.latency.p50,
          load.latency.p97_5,
          load.latency.max,
          load.requests.total > 0 ? (loaded.cpuMs / load.requests.total).toFixed(1) : '-',
          formatDelay(loaded),
          `${load.errors + load.non2xx} (${load.timeouts} timeouts, ${load.non2xx} non-2xx)`,
        ]);
      } finally {
        await service.stop();
      }
    } finally {
      if (!kept) rmSync(directory, { recursive: true, force: true });
    }
  }
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
  process.stdout.write(
    `\nServer CPU ms/request and event-loop delay come from the server process itself; wall times ` +
      `depend on what else runs (load average at the end: ${load}).\n`,
  );
  printTable(
    `POST /v1/assist, offline engine, real server, ${requestCount} sequential requests`,
    [
      'chunks',
      'past questions',
      'ingest s',
      'p50 ms',
      'p95 ms',
      'server CPU ms/req',
      'loop delay p99/max ms',
      'with suggestion',
    ],
    sequentialRows,
  );
  printTable(
    `${concurrency} concurrent clients × ${duration} s (autocannon)`,
    [
      'chunks',
      'past questions',
      'req/s',
      'p50 ms',
      'p97.5 ms',
      'max ms',
      'server CPU ms/req',
      'loop delay p99/max ms',
      'errors',
    ],
    loadRows,
  );
}

/**
 * `--history <n>` from the command line (`pnpm bench assist` and this file run directly): a whole
 * number of past questions, or an error naming what was given; undefined when not given.
 */
export function historyOption(argv: readonly string[]): number | undefined {
  const at = argv.indexOf('--history');
  if (at < 0) return undefined;
  const history = Number(argv[at + 1]);
  if (!Number.isInteger(history) || history < 0) {
    throw new Error(`bench assist: --history takes a whole number of past questions, got ${argv[at + 1]}`);
  }
  return history;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const sizes = argv
    .filter((_argument, index, all) => all[index - 1] !== '--history')
    .map(Number)
    .filter((size) => size > 0);
  const history = historyOption(argv);
  await runAssistBench({
    ...(sizes.length > 0 ? { chunks: sizes } : {}),
    ...(history !== undefined ? { history } : {}),
    ...(process.env.BENCH_CORPUS_DIR ? { corpusDir: process.env.BENCH_CORPUS_DIR } : {}),
  });
}

/**
 * `pnpm bench console [--events 1000000] [--runs 20] [--backend sqlite|postgres|both]`: the team
 * lead's dashboard at a year's scale, on each backend. Generates a year of feedback
 * (test/feedback-generator.ts: operators, collections, topics, channels, templates, engines, prompt
 * versions; 70 % of events for the service's tenant, the rest for two others in the same store),
 * writes it through the event store, starts the real service in its own process on that data and
 * asks every query the console's dashboard makes, over HTTP with a token, `--runs` times each after
 * a warm-up. Prints p50/p95 per query and backend (target ≤ 200 ms p95, issue 12), the import's
 * rate, and one feedback write's latency on the full store (the outcome rows are recounted on every
 * write). PostgreSQL: a fresh database on `DATABASE_URL`'s server when it is set (created and
 * dropped by the bench), else a throwaway cluster from scripts/postgres.ts, as the PG suites use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { percentile, printTable } from '../../scripts/bench-support.ts';
import { findPostgresBinaries, startPostgres } from '../../scripts/postgres.ts';
import type {
  EventStore,
  FeedbackRecord,
  KnowledgeGapRecord,
  SuggestionSetRecord,
} from '../src/feedback/event-store.ts';
import { openPostgresEventStore } from '../src/feedback/postgres-event-store.ts';
import { openSqliteEventStore } from '../src/feedback/sqlite-event-store.ts';
import { openServiceDatabase, type ServiceDatabase } from '../src/storage/postgres-database.ts';
import { generateFeedback } from '../test/feedback-generator.ts';
import { BENCH_TOKEN, startServerProcess } from './assist.ts';

const DAY = 86_400_000;
const TENANTS = [
  { tenant: 'default', share: 0.7, seed: 1, operators: 14 },
  { tenant: 'acme', share: 0.2, seed: 2, operators: 6 },
  { tenant: 'beta', share: 0.1, seed: 3, operators: 3 },
];
/** Events a generated set makes on average (shown ×1–3, insert, send, dismiss, rating). */
const EVENTS_PER_SET = 2.6;

/** Where a run's data lives: how to open a tenant's event store, and what the service is started with. */
interface BenchBackend {
  name: string;
  open(tenant: string): EventStore;
  environment: Record<string, string>;
  close(): Promise<void>;
}

async function fill(
  backend: BenchBackend,
  totalEvents: number,
  end: Date,
): Promise<{ events: number; ms: number }> {
  const started = performance.now();
  let written = 0;
  for (const { tenant, share, seed, operators } of TENANTS) {
    const store = backend.open(tenant);
    const target = Math.round(totalEvents * share);
    const setsPerDay = target / EVENTS_PER_SET / 365;
    let chunk: { sets: SuggestionSetRecord[]; events: FeedbackRecord[]; gaps: KnowledgeGapRecord[] } = {
      sets: [],
      events: [],
      gaps: [],
    };
    let events = 0;
    for (const batch of generateFeedback({ seed, end, days: 365, setsPerDay, operators })) {
      chunk.sets.push(batch.set);
      chunk.events.push(...batch.events);
      if (batch.gap) chunk.gaps.push(batch.gap);
      events += batch.events.length;
      if (chunk.sets.length === 2000 || events >= target) {
        await store.importRecords(chunk);
        chunk = { sets: [], events: [], gaps: [] };
        process.stdout.write(`\r${backend.name}, ${tenant}: ${events} events`);
      }
      if (events >= target) break;
    }
    process.stdout.write('\n');
    written += events;
    await store.close();
  }
  return { events: written, ms: performance.now() - started };
}

/** One feedback event's write on the full store: the event and its set's recounted outcome rows. */
async function writeLatency(backend: BenchBackend, end: Date): Promise<number[]> {
  const store = backend.open('default');
  const latencies: number[] = [];
  let count = 0;
  for (const batch of generateFeedback({ seed: 77, end, days: 1 })) {
    await store.saveSuggestionSet(batch.set);
    for (const event of batch.events) {
      const started = performance.now();
      await store.recordFeedback(event);
      latencies.push(performance.now() - started);
    }
    count += 1;
    if (count === 300) break;
  }
  await store.close();
  return latencies;
}

/** Every request the console's Analytics page makes, with the periods a lead picks. */
function dashboardQueries(now: Date): Array<{ name: string; path: string }> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
  const month = `from=${ago(30)}&to=${now.toISOString()}`;
  const year = `from=${ago(364)}&to=${now.toISOString()}`;
  const days = (count: number) => `from=${ago(count - 1).slice(0, 10)}&to=${now.toISOString().slice(0, 10)}`;
  return [
    { name: 'rates 15m, 1 day', path: `/v1/analytics/rates?bucket=15m&from=${ago(1)}&offsetMinutes=180` },
    { name: 'rates hour, 2 days', path: `/v1/analytics/rates?bucket=hour&from=${ago(2)}&offsetMinutes=180` },
    { name: 'rates day, 30 days', path: `/v1/analytics/rates?bucket=day&${month}&offsetMinutes=180` },
    { name: 'rates week, a year', path: `/v1/analytics/rates?bucket=week&${year}&offsetMinutes=180` },
    {
      name: 'rates day by operator, 30 days',
      path: `/v1/analytics/rates?bucket=day&breakdown=operator&${month}`,
    },
    { name: 'rates week by topic, a year', path: `/v1/analytics/rates?bucket=week&breakdown=topic&${year}` },
    {
      name: 'rates day, one operator and channel, a year',
      path: `/v1/analytics/rates?bucket=day&operator=op-3&channel=chat&${year}`,
    },
    { name: 'breakdown operator, 30 days', path: `/v1/analytics/breakdown?dimension=operator&${month}` },
    { name: 'breakdown document, a year', path: `/v1/analytics/breakdown?dimension=document&${year}` },
    {
      name: 'breakdown promptVersion, a year',
      path: `/v1/analytics/breakdown?dimension=promptVersion&${year}`,
    },
    { name: 'editing, 30 days', path: `/v1/analytics/editing?${month}` },
    { name: 'editing, a year', path: `/v1/analytics/editing?${year}` },
    { name: 'reasons, a year', path: `/v1/analytics/reasons?${year}` },
    { name: 'gaps day, 30 days', path: `/v1/analytics/gaps?bucket=day&${month}` },
    { name: 'gaps week, a year', path: `/v1/analytics/gaps?bucket=week&${year}` },
    { name: 'dimensions, 30 days', path: `/v1/analytics/dimensions?${month}` },
    { name: 'dimensions, a year', path: `/v1/analytics/dimensions?${year}` },
    { name: 'outcomes behind thumbs down, a year', path: `/v1/analytics/outcomes?stage=rated-down&${year}` },
    {
      name: 'outcomes behind an edit bin, a year',
      path: `/v1/analytics/outcomes?measure=editDistance&min=11&max=31&${year}`,
    },
    { name: 'sets behind gaps, a year', path: `/v1/analytics/sets?behind=gaps&limit=100&${year}` },
    {
      name: 'sets behind a day of cost',
      path: `/v1/analytics/sets?behind=usage&limit=100&from=${ago(1)}&to=${now.toISOString()}`,
    },
    { name: 'usage, 30 days', path: `/v1/analytics/usage?${days(30)}` },
    { name: 'usage, a year', path: `/v1/analytics/usage?${days(365)}` },
    {
      name: 'export rates XLSX, 30 days',
      path: `/v1/analytics/export?table=rates&format=xlsx&bucket=day&${month}`,
    },
    {
      name: 'export breakdown CSV cp1251, a year',
      path: `/v1/analytics/export?table=breakdown&dimension=operator&encoding=cp1251&${year}`,
    },
  ];
}

/** SQLite: the events file in a fresh data folder, as the service keeps it. */
function sqliteBackend(dataDir: string): BenchBackend {
  const file = path.join(dataDir, 'events.sqlite');
  return {
    name: 'SQLite',
    open: (tenant) => openSqliteEventStore({ file, tenant }),
    environment: {},
    close: async () => undefined,
  };
}

/**
 * PostgreSQL: a database of its own, so a run starts empty and leaves nothing behind. On
 * `DATABASE_URL`'s server when it is set (the bench creates the database and drops it after), else
 * in a throwaway cluster.
 */
async function postgresBackend(): Promise<BenchBackend | undefined> {
  const given = process.env.DATABASE_URL || undefined;
  if (!given && !findPostgresBinaries()) {
    process.stderr.write('bench console: no DATABASE_URL and no PostgreSQL installed: PostgreSQL skipped\n');
    return undefined;
  }
  const cluster = given ? undefined : await startPostgres();
  const server = given ?? cluster!.url;
  const name = `naparnik_bench_console_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  let database: ServiceDatabase;
  try {
    database = await openServiceDatabase({ connectionString: url.toString() });
  } catch (error) {
    await admin.query(`DROP DATABASE ${name}`);
    await admin.end();
    cluster?.stop();
    throw error;
  }
  return {
    name: 'PostgreSQL',
    open: (tenant) => openPostgresEventStore({ database, tenant }),
    environment: { DATABASE_URL: url.toString() },
    async close() {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      cluster?.stop();
    },
  };
}

/** Fills one backend, measures writes, then asks every dashboard query over HTTP: the rows of both tables. */
async function measureBackend(
  backend: BenchBackend,
  dataDir: string,
  options: { totalEvents: number; runs: number; end: Date },
) {
  const filled = await fill(backend, options.totalEvents, options.end);
  const writes = await writeLatency(backend, options.end);
  // Retention off: at its default (90 days) the server would start by deleting three quarters of the
  // year it is asked about, and recount them while the queries are measured.
  const server = await startServerProcess(dataDir, { NAPARNIK_RETENTION_DAYS: '0', ...backend.environment });
  const queries: Array<[string, string, string, string, string]> = [];
  try {
    for (const query of dashboardQueries(options.end)) {
      const latencies: number[] = [];
      for (let run = 0; run < options.runs + 2; run++) {
        const started = performance.now();
        const response = await fetch(`${server.url}${query.path}`, {
          headers: { authorization: `Bearer ${BENCH_TOKEN}` },
        });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`${backend.name} ${query.path}: ${response.status}`);
        if (run >= 2) latencies.push(performance.now() - started);
      }
      const p95 = percentile(latencies, 0.95);
      // As it goes: a run of both backends takes most of an hour, and the machine's load is logged beside it.
      process.stdout.write(
        `${new Date().toISOString()} ${backend.name}, ${query.name}: p50 ${percentile(latencies, 0.5).toFixed(1)}, p95 ${p95.toFixed(1)} ms\n`,
      );
      queries.push([
        backend.name,
        query.name,
        percentile(latencies, 0.5).toFixed(1),
        p95.toFixed(1),
        p95 <= 200 ? 'yes' : 'NO',
      ]);
    }
  } finally {
    await server.stop();
  }
  const writing: Array<[string, string, string]> = [
    [
      backend.name,
      'import (importRecords, 2,000 sets a transaction)',
      `${Math.round(filled.events / (filled.ms / 1000))} events/s`,
    ],
    [backend.name, 'one feedback event on the full store, p50', `${percentile(writes, 0.5).toFixed(2)} ms`],
    [backend.name, 'one feedback event on the full store, p95', `${percentile(writes, 0.95).toFixed(2)} ms`],
  ];
  return { events: filled.events, queries, writing };
}

const BACKENDS = ['sqlite', 'postgres', 'both'] as const;

export async function runConsoleBench(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '20' },
      backend: { type: 'string', default: 'both' },
    },
  });
  const totalEvents = Number(values.events);
  const runs = Number(values.runs);
  const backend = values.backend as (typeof BACKENDS)[number];
  if (!(totalEvents >= 1000) || !(runs >= 1) || !BACKENDS.includes(backend))
    throw new Error('bench console: --events ≥ 1000, --runs ≥ 1, --backend sqlite | postgres | both');
  const end = new Date();
  const queries: Array<[string, string, string, string, string]> = [];
  const writing: Array<[string, string, string]> = [];
  let events = 0;
  const measure = async (open: (dataDir: string) => Promise<BenchBackend | undefined>) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'naparnik-console-bench-'));
    const opened = await open(dataDir);
    try {
      if (!opened) return;
      const result = await measureBackend(opened, dataDir, { totalEvents, runs, end });
      events = result.events;
      queries.push(...result.queries);
      writing.push(...result.writing);
    } finally {
      await opened?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  if (backend !== 'postgres') await measure(async (dataDir) => sqliteBackend(dataDir));
  if (backend !== 'sqlite') await measure(() => postgresBackend());
  printTable(
    `Console analytics over HTTP, ${events} feedback events in 3 tenants over a year (${runs} runs each)`,
    ['backend', 'query', 'p50 ms', 'p95 ms', '≤ 200 ms p95'],
    queries,
  );
  printTable('Writing', ['backend', 'what', 'figure'], writing);
}

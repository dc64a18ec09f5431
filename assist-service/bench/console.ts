/**
 * `pnpm bench console [--events 1000000] [--runs 20]`: the team lead's dashboard at a year's scale.
 * Generates a year of feedback (test/feedback-generator.ts: operators, collections, topics,
 * channels, templates, engines, prompt versions; 70 % of events for the service's tenant, the rest
 * for two others in the same file), writes it through the event store, starts the real service in
 * its own process on that data and asks every query the console's Analytics page makes, over HTTP
 * with a token, `--runs` times each after a warm-up. Prints p50/p95 per query (target ≤ 200 ms
 * p95, issue 12), the import's rate, and one feedback write's latency on the full store (the
 * outcome rows are recounted on every write).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { percentile, printTable } from '../../scripts/bench-support.ts';
import type { FeedbackRecord, KnowledgeGapRecord, SuggestionSetRecord } from '../src/feedback/event-store.ts';
import { openSqliteEventStore } from '../src/feedback/sqlite-event-store.ts';
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

async function fill(file: string, totalEvents: number, end: Date): Promise<{ events: number; ms: number }> {
  const started = performance.now();
  let written = 0;
  for (const { tenant, share, seed, operators } of TENANTS) {
    const store = openSqliteEventStore({ file, tenant });
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
        process.stdout.write(`\r${tenant}: ${events} events`);
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
async function writeLatency(file: string, end: Date): Promise<number[]> {
  const store = openSqliteEventStore({ file, tenant: 'default' });
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

export async function runConsoleBench(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { events: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '20' } },
  });
  const totalEvents = Number(values.events);
  const runs = Number(values.runs);
  if (!(totalEvents >= 1000) || !(runs >= 1))
    throw new Error('bench console: --events ≥ 1000 and --runs ≥ 1');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'naparnik-console-bench-'));
  const file = path.join(dataDir, 'events.sqlite');
  const end = new Date();
  try {
    const filled = await fill(file, totalEvents, end);
    const writes = await writeLatency(file, end);
    const server = await startServerProcess(dataDir);
    const results: Array<[string, string, string, string]> = [];
    try {
      for (const query of dashboardQueries(end)) {
        const latencies: number[] = [];
        for (let run = 0; run < runs + 2; run++) {
          const started = performance.now();
          const response = await fetch(`${server.url}${query.path}`, {
            headers: { authorization: `Bearer ${BENCH_TOKEN}` },
          });
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`${query.path}: ${response.status}`);
          if (run >= 2) latencies.push(performance.now() - started);
        }
        const p95 = percentile(latencies, 0.95);
        results.push([
          query.name,
          percentile(latencies, 0.5).toFixed(1),
          p95.toFixed(1),
          p95 <= 200 ? 'yes' : 'NO',
        ]);
      }
    } finally {
      await server.stop();
    }
    printTable(
      `Console analytics over HTTP, ${filled.events} feedback events in 3 tenants over a year (${runs} runs each)`,
      ['query', 'p50 ms', 'p95 ms', '≤ 200 ms p95'],
      results,
    );
    printTable(
      'Writing',
      ['what', 'figure'],
      [
        [
          'import (importRecords, 2,000 sets a transaction)',
          `${Math.round(filled.events / (filled.ms / 1000))} events/s`,
        ],
        ['one feedback event on the full store, p50', `${percentile(writes, 0.5).toFixed(2)} ms`],
        ['one feedback event on the full store, p95', `${percentile(writes, 0.95).toFixed(2)} ms`],
      ],
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * `pnpm bench gaps`: how long the console's knowledge-gap clustering takes at 100k gap records,
 * and how well it groups real questions.
 *
 * - generated: 100k Russian questions over a few topics the demo does not cover, phrased many
 *   ways (src/console/test-support/gap-questions.ts): the clustering alone, three runs;
 * - banking77: 10k real customer questions with 77 labelled intents (../shared/datasets, when
 *   present), as they are and repeated to 100k with order numbers and greetings added: time,
 *   clusters, and purity (share of questions whose cluster's majority intent is their own);
 * - end to end: 100k gap records (banking77 ×10 when present) and 10k rewritten sets in a real
 *   event store, SQLite and PostgreSQL (DATABASE_URL, else a throwaway cluster when installed),
 *   through the route's cache: cold, warm (reused after the fingerprint query), after a new gap.
 * CPU time is printed beside wall time: the machine is shared.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seededRandom } from '@naparnik/ingest';
import { printTable, rssMegabytes } from '../../scripts/bench-support.ts';
import { findPostgresBinaries, startPostgres } from '../../scripts/postgres.ts';
import { createGapClusterCache } from '../src/console/gap-cluster-cache.ts';
import { generateGapQuestions } from '../src/console/test-support/gap-questions.ts';
import { clusterTexts } from '../src/console/text-clusters.ts';
import type { EventStore, FeedbackRecord, SuggestionSetRecord } from '../src/feedback/event-store.ts';
import { sampleSuggestion } from '../src/feedback/fixtures/records.ts';
import type { GapSignalStore } from '../src/feedback/gap-signals.ts';
import { openPostgresEventStore } from '../src/feedback/postgres-event-store.ts';
import { openSqliteEventStore } from '../src/feedback/sqlite-event-store.ts';
import { openPostgresGapSignals, openSqliteGapSignals } from '../src/feedback/sqlite-gap-signals.ts';
import { openServiceDatabase } from '../src/storage/postgres-database.ts';

const BANKING77 = path.resolve(
  import.meta.dirname,
  '../../../shared/datasets/banking77/banking_data/train.csv',
);

function timed<T>(work: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = work();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

function purity(clusters: { members: number[] }[], labels: readonly string[]): number {
  let agreeing = 0;
  for (const cluster of clusters) {
    const counts = new Map<string, number>();
    for (const member of cluster.members) counts.set(labels[member]!, (counts.get(labels[member]!) ?? 0) + 1);
    agreeing += Math.max(...counts.values());
  }
  return agreeing / labels.length;
}

function bankingQuestions(): { text: string; label: string }[] | undefined {
  if (!existsSync(BANKING77)) return undefined;
  const rows: { text: string; label: string }[] = [];
  for (const line of readFileSync(BANKING77, 'utf8').split('\n').slice(1)) {
    const match = /^"?(.*?)"?,([a-z_]+)$/u.exec(line.trim());
    if (match) rows.push({ text: match[1]!, label: match[2]! });
  }
  return rows;
}

export async function runGapsBench(): Promise<void> {
  const rows: (string | number)[][] = [];
  const record = (name: string, texts: string[], labels: string[] | undefined) => {
    for (let run = 1; run <= 3; run++) {
      const { value, wallMs, cpuMs } = timed(() => clusterTexts(texts));
      rows.push([
        name,
        texts.length,
        run,
        Math.round(wallMs),
        Math.round(cpuMs),
        value.length,
        labels ? purity(value, labels).toFixed(3) : '—',
      ]);
    }
  };
  const generated = generateGapQuestions(100_000, { seed: 1 });
  record(
    'generated (ru)',
    generated.map((gap) => gap.question),
    generated.map((gap) => gap.topic),
  );
  const banking = bankingQuestions();
  if (banking) {
    record(
      'banking77 (en, real)',
      banking.map((row) => row.text),
      banking.map((row) => row.label),
    );
    record(
      'banking77 ×10 + noise',
      bankingNoisy(banking),
      Array.from({ length: 100_000 }, (_unused, index) => banking[index % banking.length]!.label),
    );
  } else {
    process.stdout.write(`(banking77 not found at ${BANKING77}: real-question figures skipped)\n`);
  }
  printTable(
    'Clustering (clusterTexts)',
    ['corpus', 'texts', 'run', 'wall ms', 'CPU ms', 'clusters', 'purity'],
    rows,
  );

  const texts = banking ? bankingNoisy(banking) : generated.map((gap) => gap.question);
  await runEndToEnd(texts, banking ? 'banking77 ×10 + noise' : 'generated (ru)');
}

function bankingNoisy(banking: readonly { text: string }[]): string[] {
  const random = seededRandom(5);
  const openers = ['', 'Hi! ', 'Hello, ', 'Good morning. ', 'Please help: '];
  return Array.from(
    { length: 100_000 },
    (_unused, index) =>
      `${openers[Math.floor(random() * openers.length)]}${banking[index % banking.length]!.text} Order ${10_000_000 + Math.floor(random() * 9e7)}.`,
  );
}

/**
 * GET /v1/knowledge-gaps's work at 100k gap records and 10k sets operators rewrote, on SQLite and
 * (when installed) PostgreSQL, through the route's own cache (console/gap-cluster-cache.ts): cold
 * (read, items, clustering), warm (the fingerprint query alone, clusters reused), and the request
 * after another replica recorded one more gap (recomputed).
 */
async function runEndToEnd(texts: readonly string[], corpus: string): Promise<void> {
  const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-gaps-bench-'));
  const postgres = !process.env.DATABASE_URL && findPostgresBinaries() ? await startPostgres() : undefined;
  const url = process.env.DATABASE_URL || postgres?.url;
  const rows: (string | number)[][] = [];
  const at = (index: number) => new Date(Date.UTC(2026, 10, 1) + index * 20_000).toISOString();
  const sets: SuggestionSetRecord[] = [];
  const events: FeedbackRecord[] = [];
  for (let index = 0; index < 10_000; index++) {
    const id = `set-${index}`;
    sets.push({
      id,
      collection: 'demo',
      engine: 'offline',
      channel: 'chat',
      language: 'ru',
      question: texts[(index * 7) % texts.length]!,
      confidence: { score: 0.7, level: 'medium' },
      suggestions: [sampleSuggestion(0, 'Заказ уже в пути, курьер привезёт его завтра.')],
      createdAt: at(index * 10),
    });
    events.push({
      eventId: `edited-${index}`,
      type: 'suggestion-edited',
      suggestionSetId: id,
      suggestionIndex: 0,
      finalText: 'Проверим платёж и вернёмся с ответом в течение часа.',
      occurredAt: at(index * 10 + 1),
      receivedAt: at(index * 10 + 1),
    });
  }
  const gaps = texts.map((query, index) => ({
    id: `gap-${index}`,
    collection: 'demo',
    query,
    language: 'ru',
    bestScore: 0.1,
    createdAt: at(index),
  }));
  const measure = async (backend: string, store: EventStore, signals: GapSignalStore) => {
    for (let start = 0; start < gaps.length; start += 5_000) {
      await store.importRecords({
        gaps: gaps.slice(start, start + 5_000),
        ...(start === 0 ? { sets, events } : {}),
      });
    }
    const cache = createGapClusterCache();
    const filter = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
    const request = async (step: string) => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = await cache.clusters(signals, 'default', filter, 'bench');
      const used = process.cpuUsage(cpu);
      rows.push([
        backend,
        step,
        result.items.length,
        result.cached ? 'yes' : 'no',
        Math.round(performance.now() - started),
        Math.round((used.user + used.system) / 1000),
        result.clusters.length,
        rssMegabytes(),
      ]);
    };
    await request('cold');
    for (let run = 1; run <= 3; run++) await request(`warm ${run}`);
    await store.recordKnowledgeGap({ ...gaps[0]!, id: 'gap-new', query: 'How do I close my account?' });
    await request('after a new gap');
    await request('warm again');
  };
  try {
    const file = path.join(directory, 'events.sqlite');
    const sqlite = openSqliteEventStore({ file, tenant: 'default' });
    const sqliteSignals = openSqliteGapSignals({ file });
    await measure('SQLite', sqlite, sqliteSignals);
    sqliteSignals.close();
    await sqlite.close();
    if (url) {
      const database = await openServiceDatabase({ connectionString: url });
      await measure(
        'PostgreSQL',
        openPostgresEventStore({ database, tenant: 'default' }),
        openPostgresGapSignals({ database }),
      );
      await database.close();
    } else {
      process.stderr.write('bench gaps: no DATABASE_URL and no PostgreSQL installed: PostgreSQL skipped\n');
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
    postgres?.stop();
  }
  printTable(
    `GET /v1/knowledge-gaps at ${texts.length.toLocaleString('en')} gap records + 10,000 rewritten sets (${corpus}): cold, warm, after a write`,
    ['backend', 'request', 'items', 'cached', 'wall ms', 'CPU ms', 'clusters', 'RSS MB'],
    rows,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await runGapsBench();

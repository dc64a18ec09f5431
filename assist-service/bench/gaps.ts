/**
 * `pnpm bench gaps`: how long the console's knowledge-gap clustering takes at 100k gap records,
 * and how well it groups real questions.
 *
 * - generated: 100k Russian questions over a few topics the demo does not cover, phrased many
 *   ways (src/console/test-support/gap-questions.ts): the clustering alone, three runs;
 * - banking77: 10k real customer questions with 77 labelled intents (../shared/datasets, when
 *   present), as they are and repeated to 100k with order numbers and greetings added: time,
 *   clusters, and purity (share of questions whose cluster's majority intent is their own);
 * - end to end: 100k gap records in a real SQLite event store, read, turned into gap items and
 *   clustered, as GET /v1/knowledge-gaps does.
 * CPU time is printed beside wall time: the machine is shared.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seededRandom } from '@naparnik/ingest';
import { printTable, rssMegabytes } from '../../scripts/bench-support.ts';
import { clusterGaps, gapItems } from '../src/console/knowledge-gaps.ts';
import { generateGapQuestions } from '../src/console/test-support/gap-questions.ts';
import { clusterTexts } from '../src/console/text-clusters.ts';
import { openSqliteEventStore } from '../src/feedback/sqlite-event-store.ts';
import { openSqliteGapSignals } from '../src/feedback/sqlite-gap-signals.ts';

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
    const random = seededRandom(5);
    const openers = ['', 'Hi! ', 'Hello, ', 'Good morning. ', 'Please help: '];
    const scaled = Array.from({ length: 100_000 }, (_unused, index) => banking[index % banking.length]!);
    record(
      'banking77 ×10 + noise',
      scaled.map(
        (row) =>
          `${openers[Math.floor(random() * openers.length)]}${row.text} Order ${10_000_000 + Math.floor(random() * 9e7)}.`,
      ),
      scaled.map((row) => row.label),
    );
  } else {
    process.stdout.write(`(banking77 not found at ${BANKING77}: real-question figures skipped)\n`);
  }
  printTable(
    'Clustering (clusterTexts)',
    ['corpus', 'texts', 'run', 'wall ms', 'CPU ms', 'clusters', 'purity'],
    rows,
  );

  // End to end through a real SQLite event store, as GET /v1/knowledge-gaps reads it.
  const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-gaps-bench-'));
  const file = path.join(directory, 'events.sqlite');
  try {
    const events = openSqliteEventStore({ file, tenant: 'default' });
    for (const [index, gap] of generated.entries()) {
      await events.recordKnowledgeGap({
        id: `gap-${index}`,
        collection: 'demo',
        suggestionSetId: `set-${index}`,
        query: gap.question,
        language: 'ru',
        bestScore: 0.1,
        createdAt: gap.at,
      });
    }
    await events.close();
    const signals = openSqliteGapSignals({ file });
    const endToEnd: (string | number)[][] = [];
    for (let run = 1; run <= 3; run++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const filter = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
      const [gaps, outcomes] = await Promise.all([
        signals.listGaps('default', filter),
        signals.listOutcomes('default', filter),
      ]);
      const read = performance.now();
      const items = gapItems(gaps, outcomes);
      const { clusters } = clusterGaps(items);
      const used = process.cpuUsage(cpu);
      endToEnd.push([
        run,
        items.length,
        Math.round(read - started),
        Math.round(performance.now() - read),
        Math.round(performance.now() - started),
        Math.round((used.user + used.system) / 1000),
        clusters.length,
        rssMegabytes(),
      ]);
    }
    signals.close();
    printTable(
      'GET /v1/knowledge-gaps work at 100k gap records (SQLite)',
      ['run', 'records', 'read ms', 'items+cluster ms', 'total ms', 'CPU ms', 'clusters', 'RSS MB'],
      endToEnd,
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runGapsBench();

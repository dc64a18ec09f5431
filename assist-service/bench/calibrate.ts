/**
 * `pnpm bench calibrate [--entries 100000]`: how long `pnpm naparnik calibrate` takes to fit a
 * collection's confidence model (`fitCollectionCalibration`), on
 * - RUTUBE: its knowledge base and its 400 labelled dev questions as history (what a team with a
 *   small history runs), with the fit's out-of-fold figures;
 * - a large history: the RUTUBE dev questions repeated with words of other questions mixed in, to
 *   `--entries` labelled entries (default 100,000): the sample cap (2,000 questions searched) is
 *   what keeps this bounded. Its fit figures mean nothing (near-copies of each question are its
 *   history); only the time and memory count.
 * CPU time is printed beside wall time: the machine is shared.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  importHistory,
  type KnowledgeBase,
  loadIngestConfig,
  maskForStorage,
  openKnowledgeBase,
  seededRandom,
} from '@naparnik/ingest';
import type { HistoryEntry } from '@naparnik/ingest/store';
import { printTable, rssMegabytes } from '../../scripts/bench-support.ts';
import { type CalibrationFit, fitCollectionCalibration } from '../src/pipeline/fit-calibration.ts';

const RUTUBE = path.resolve(import.meta.dirname, '../../../shared/datasets/rutube-support');

async function timedFit(kb: KnowledgeBase, collection: string) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const fit = await fitCollectionCalibration({
    knowledge: kb,
    collection,
    onProgress: ({ part, parts, questions }) =>
      console.log(
        `  ${collection}: part ${part} of ${parts}, ${questions} questions, ${((performance.now() - started) / 1000).toFixed(1)} s`,
      ),
  });
  const used = process.cpuUsage(cpu);
  return { fit, wallS: (performance.now() - started) / 1000, cpuS: (used.user + used.system) / 1e6 };
}

function row(name: string, entries: number, timing: { fit: CalibrationFit; wallS: number; cpuS: number }) {
  const { fit } = timing;
  return [
    name,
    String(entries),
    String(fit.history.questions),
    timing.wallS.toFixed(1),
    timing.cpuS.toFixed(1),
    String(rssMegabytes()),
    fit.outOfFold.ece.toFixed(4),
    `${fit.outOfFold.high} / ${fit.outOfFold.highPrecision?.toFixed(3) ?? '—'}`,
    `${fit.shipped.ece.toFixed(4)} · ${fit.shipped.high} / ${fit.shipped.highPrecision?.toFixed(3) ?? '—'}`,
  ];
}

export async function runCalibrateBench(options: readonly string[] = []): Promise<void> {
  const at = options.indexOf('--entries');
  const entries = at >= 0 ? Number(options[at + 1]) : 100_000;
  if (!Number.isInteger(entries) || entries < 100)
    throw new Error('--entries: a whole number of at least 100');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'naparnik-bench-calibrate-'));
  const kb = await openKnowledgeBase({ dataDir, config: { ...loadIngestConfig({}), dataDir } });
  try {
    const rows: string[][] = [];
    for (const collection of ['rutube', 'large']) {
      await kb.ingest([path.join(RUTUBE, 'kb.jsonl')], { collection });
    }
    await importHistory({
      store: kb.store,
      collection: 'rutube',
      paths: [path.join(RUTUBE, 'cases-dev.jsonl')],
      // As `pnpm ingest --history` stores it.
      mask: maskForStorage,
      retentionDays: 0,
    });
    rows.push(row('RUTUBE dev history', 400, await timedFit(kb, 'rutube')));

    const dev = readFileSync(path.join(RUTUBE, 'cases-dev.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { query: string; relevant: string[] });
    const words = dev.flatMap((item) => item.query.split(/\s+/u)).filter((word) => word.length > 3);
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const createdAt = new Date().toISOString();
    const imported = performance.now();
    for (let start = 0; start < entries; start += 5_000) {
      const batch: HistoryEntry[] = [];
      for (let index = start; index < Math.min(entries, start + 5_000); index++) {
        const source = dev[index % dev.length]!;
        batch.push({
          id: `synthetic-${index}`,
          question: `${source.query} ${pick(words)} ${pick(words)}`,
          documentIds: source.relevant,
          source: 'import',
          createdAt,
        });
      }
      await kb.store.addHistory('large', batch);
    }
    console.log(
      `large history: ${entries} entries stored in ${((performance.now() - imported) / 1000).toFixed(1)} s`,
    );
    rows.push(row('synthetic large history', entries, await timedFit(kb, 'large')));
    printTable(
      "pnpm bench calibrate: fitting a collection's confidence model on its history",
      [
        'history',
        'entries',
        'questions searched',
        'fit wall s',
        'fit CPU s',
        'RSS MB',
        'fitted ECE (out of fold)',
        'fitted high / precision',
        'shipped ECE · high / precision',
      ],
      rows,
    );
  } finally {
    await kb.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { printTable, rssMegabytes } from '../../scripts/bench-support.ts';
import { createHashedNgramEmbedder } from '../src/embeddings/hashed-ngrams.ts';
import { ingestPaths } from '../src/ingest-pipeline.ts';
import { openSqliteStore } from '../src/store/sqlite-store.ts';
import { paragraph, pick, seededRandom, sentencePool } from './corpus.ts';

/** `pnpm bench ingest`: FAQ rows per second (CSV) and prose documents per second (Markdown). */
export async function runIngestBench(options: { faqRows?: number; proseDocuments?: number } = {}) {
  const faqRows = options.faqRows ?? 10_000;
  const proseDocuments = options.proseDocuments ?? 1_000;
  const pool = sentencePool();
  const random = seededRandom(42);
  const workDirectory = mkdtempSync(path.join(tmpdir(), 'naparnik-bench-ingest-'));
  try {
    const csvDirectory = path.join(workDirectory, 'faq');
    mkdirSync(csvDirectory);
    const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
    const rows = ['id;Вопрос;Ответ;Категория;Теги'];
    for (let index = 0; index < faqRows; index++) {
      rows.push(
        [
          `faq-${index}`,
          pick(pool, random),
          paragraph(pool, random, 2 + Math.floor(random() * 3)),
          'Категория',
          'тег',
        ]
          .map(quote)
          .join(';'),
      );
    }
    writeFileSync(path.join(csvDirectory, 'faq.csv'), rows.join('\n'));

    const proseDirectory = path.join(workDirectory, 'prose');
    mkdirSync(proseDirectory);
    for (let index = 0; index < proseDocuments; index++) {
      const sections = Array.from(
        { length: 4 },
        (_, section) =>
          `## Раздел ${section + 1}\n\n${paragraph(pool, random, 4)}\n\n${paragraph(pool, random, 4)}`,
      );
      writeFileSync(
        path.join(proseDirectory, `doc-${index}.md`),
        `# Документ ${index}\n\n${sections.join('\n\n')}\n`,
      );
    }

    const results: Array<Array<string | number>> = [];
    for (const [label, directory, units] of [
      ['FAQ rows (CSV)', csvDirectory, faqRows],
      ['prose documents (Markdown)', proseDirectory, proseDocuments],
    ] as const) {
      const dataDir = path.join(workDirectory, `data-${label.length}`);
      const store = await openSqliteStore({ dataDir });
      // CPU time as well as wall time: the machine is shared, and CPU time is what our load costs.
      const cpuBefore = process.cpuUsage();
      const summary = await ingestPaths({
        store,
        embedder: createHashedNgramEmbedder(),
        collection: 'bench',
        paths: [directory],
      });
      const cpu = process.cpuUsage(cpuBefore);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      if (summary.failed.length > 0)
        throw new Error(`bench ingest failed: ${JSON.stringify(summary.failed[0])}`);
      const again = await ingestPaths({
        store,
        embedder: createHashedNgramEmbedder(),
        collection: 'bench',
        paths: [directory],
      });
      await store.close();
      results.push([
        label,
        units,
        summary.chunks,
        summary.seconds,
        Math.round(units / summary.seconds),
        Math.round(cpuSeconds * 100) / 100,
        Math.round(units / cpuSeconds),
        Math.round(summary.chunks / summary.seconds),
        again.seconds,
        fileMegabytes(path.join(dataDir, 'knowledge.sqlite')),
        rssMegabytes(),
      ]);
    }
    printTable(
      'Ingest (hashed n-gram embedder, 256 dims; embedded SQLite store)',
      [
        'input',
        'units',
        'chunks',
        'seconds',
        'units/s',
        'CPU s',
        'units/CPU s',
        'chunks/s',
        're-ingest s (unchanged)',
        'file MB',
        'RSS MB',
      ],
      results,
    );
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

/** Size of a closed SQLite file (its WAL is checkpointed and removed on close). */
function fileMegabytes(file: string): number {
  const bytes = [file, `${file}-wal`].reduce(
    (total, name) => total + (existsSync(name) ? statSync(name).size : 0),
    0,
  );
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

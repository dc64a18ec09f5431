import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHashedNgramEmbedder } from '../src/embeddings/hashed-ngrams.ts';
import { ingestPaths } from '../src/ingest-pipeline.ts';
import { openSqliteStore } from '../src/store/sqlite-store.ts';
import { paragraph, pick, seededRandom, sentencePool } from './corpus.ts';
import { printTable, rssMegabytes } from './measure.ts';

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
      const store = await openSqliteStore({ dataDir: path.join(workDirectory, `data-${label.length}`) });
      const summary = await ingestPaths({
        store,
        embedder: createHashedNgramEmbedder(),
        collection: 'bench',
        paths: [directory],
      });
      if (summary.failed.length > 0)
        throw new Error(`bench ingest failed: ${JSON.stringify(summary.failed[0])}`);
      const again = await ingestPaths({
        store,
        embedder: createHashedNgramEmbedder(),
        collection: 'bench',
        paths: [directory],
      });
      results.push([
        label,
        units,
        summary.chunks,
        summary.seconds,
        Math.round(units / summary.seconds),
        Math.round(summary.chunks / summary.seconds),
        again.seconds,
        rssMegabytes(),
      ]);
      await store.close();
    }
    printTable(
      'Ingest (hashed n-gram embedder, 256 dims; embedded SQLite store)',
      ['input', 'units', 'chunks', 'seconds', 'units/s', 'chunks/s', 're-ingest s (unchanged)', 'RSS MB'],
      results,
    );
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

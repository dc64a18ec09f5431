import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadIngestConfig } from '../src/config.ts';
import { createHashedNgramEmbedder } from '../src/embeddings/hashed-ngrams.ts';
import { ingestPaths } from '../src/ingest-pipeline.ts';
import { openKnowledgeBase } from '../src/knowledge-base.ts';
import { openSqliteStore } from '../src/store/sqlite-store.ts';
import { paragraph, pick, queryFrom, seededRandom, sentencePool } from './corpus.ts';
import { percentile, printTable, rssMegabytes } from './measure.ts';

/** `pnpm bench search`: hybrid query latency and memory at 1k, 10k and 100k chunks. */
export async function runSearchBench(options: { sizes?: number[]; queries?: number } = {}) {
  const sizes = options.sizes ?? (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
  const queryCount = options.queries ?? 300;
  const pool = sentencePool();
  const rows: Array<Array<string | number>> = [];
  for (const size of sizes) {
    const random = seededRandom(size);
    const workDirectory = mkdtempSync(path.join(tmpdir(), 'naparnik-bench-search-'));
    try {
      const records = Array.from({ length: size }, (_, index) =>
        JSON.stringify({
          id: `doc-${index}`,
          question: pick(pool, random),
          answer: paragraph(pool, random, 2 + Math.floor(random() * 3)),
          tags: [`тема ${index % 20}`],
        }),
      );
      const file = path.join(workDirectory, 'corpus.jsonl');
      writeFileSync(file, records.join('\n'));
      const dataDir = path.join(workDirectory, 'data');
      const writer = await openSqliteStore({ dataDir });
      const ingest = await ingestPaths({
        store: writer,
        embedder: createHashedNgramEmbedder(),
        collection: 'bench',
        paths: [file],
      });
      await writer.close();

      const openedAt = performance.now();
      const kb = await openKnowledgeBase({ dataDir, config: loadIngestConfig({}) });
      const openMs = performance.now() - openedAt;
      const queries = Array.from({ length: queryCount }, () => queryFrom(pool, random));
      for (const query of queries.slice(0, 20)) await kb.search('bench', query, { topK: 10 });
      const latencies: number[] = [];
      const cpu: number[] = [];
      const filtered: number[] = [];
      for (const query of queries) {
        const started = performance.now();
        const cpuBefore = process.cpuUsage();
        await kb.search('bench', query, { topK: 10 });
        const cpuUsed = process.cpuUsage(cpuBefore);
        latencies.push(performance.now() - started);
        cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
      }
      for (const query of queries.slice(0, 100)) {
        const started = performance.now();
        await kb.search('bench', query, { topK: 10, filter: { tags: ['тема 3'] } });
        filtered.push(performance.now() - started);
      }
      rows.push([
        size,
        Math.round(size / ingest.seconds),
        openMs.toFixed(0),
        percentile(latencies, 0.5).toFixed(1),
        percentile(latencies, 0.95).toFixed(1),
        percentile(cpu, 0.95).toFixed(1),
        percentile(filtered, 0.95).toFixed(1),
        rssMegabytes(),
      ]);
      await kb.close();
    } finally {
      rmSync(workDirectory, { recursive: true, force: true });
    }
  }
  printTable(
    `kb.search (hybrid retriever), ${queryCount} queries, top 10`,
    [
      'chunks',
      'ingest chunks/s',
      'open ms',
      'p50 ms',
      'p95 ms',
      'p95 CPU ms',
      'p95 ms with tag filter',
      'RSS MB',
    ],
    rows,
  );
}

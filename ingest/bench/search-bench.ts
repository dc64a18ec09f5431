import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { percentile, printTable, rssMegabytes } from '../../scripts/bench-support.ts';
import { loadIngestConfig } from '../src/config.ts';
import { createHashedNgramEmbedder } from '../src/embeddings/hashed-ngrams.ts';
import { ingestPaths } from '../src/ingest-pipeline.ts';
import { openKnowledgeBase } from '../src/knowledge-base.ts';
import { openSqliteStore } from '../src/store/sqlite-store.ts';
import { createVectorIndex, EXACT_THRESHOLD } from '../src/store/vector-index.ts';
import { paragraph, pick, queryFrom, seededRandom, sentencePool } from './corpus.ts';

/**
 * `pnpm bench search`: hybrid query latency and memory at 1k, 10k and 100k chunks, the first
 * search of a process (right after ingest, and after reopening the store), and how many of the
 * exact top-10 vector neighbours the approximate vector search finds.
 */
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

      const queries = Array.from({ length: queryCount }, () => queryFrom(pool, random));
      /** The first search of a fresh process: loads the collection's in-memory indexes. */
      const firstSearch = async () => {
        const kb = await openKnowledgeBase({ dataDir, config: loadIngestConfig({}) });
        const started = performance.now();
        const cpuBefore = process.cpuUsage();
        await kb.search('bench', queries[0]!, { topK: 10 });
        const cpuUsed = process.cpuUsage(cpuBefore);
        const elapsed = performance.now() - started;
        await kb.close();
        return `${elapsed.toFixed(0)} / ${((cpuUsed.user + cpuUsed.system) / 1000).toFixed(0)}`;
      };
      const afterIngestMs = await firstSearch();
      const afterReopenMs = await firstSearch();

      const openedAt = performance.now();
      const kb = await openKnowledgeBase({ dataDir, config: loadIngestConfig({}) });
      const openMs = performance.now() - openedAt;
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
      const rss = rssMegabytes();
      await kb.close();
      const recall = await vectorRecall(dataDir, queries.slice(0, 100));
      rows.push([
        size,
        Math.round(size / ingest.seconds),
        openMs.toFixed(0),
        afterIngestMs,
        afterReopenMs,
        percentile(latencies, 0.5).toFixed(1),
        percentile(latencies, 0.95).toFixed(1),
        percentile(cpu, 0.95).toFixed(1),
        percentile(filtered, 0.95).toFixed(1),
        recall,
        rss,
      ]);
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
      '1st search after ingest ms / CPU ms',
      '1st search after reopen ms / CPU ms',
      'p50 ms',
      'p95 ms',
      'p95 CPU ms',
      'p95 ms with tag filter',
      'vector recall@10 vs exact',
      'RSS MB',
    ],
    rows,
  );
}

/**
 * Share of the exact top-10 vector neighbours that the store's approximate vector search finds,
 * over the bench queries: both searches run on one index loaded from the bench store's vectors.
 */
async function vectorRecall(dataDir: string, queries: string[]): Promise<string> {
  const database = new DatabaseSync(path.join(dataDir, 'knowledge.sqlite'), { readOnly: true });
  const rows = database.prepare('SELECT id, embedding FROM chunks').all();
  database.close();
  if (rows.length < EXACT_THRESHOLD) return 'exact';
  const embedder = createHashedNgramEmbedder();
  const index = createVectorIndex(embedder.dimensions);
  index.reserve(rows.length);
  for (const row of rows) {
    const bytes = row.embedding as Uint8Array;
    index.add(row.id as number, new Float32Array(bytes.slice().buffer), 'faq', 'ru');
  }
  let found = 0;
  for (const query of queries) {
    const vector = await embedder.embedQuery(query);
    // The store asks for 60 candidates per retriever; the top 10 of them is what matters.
    const exact = new Set(
      index
        .search(vector, 60, undefined, { exact: true })
        .slice(0, 10)
        .map((match) => match.id),
    );
    found += index
      .search(vector, 60)
      .slice(0, 10)
      .filter((match) => exact.has(match.id)).length;
  }
  return (found / (queries.length * 10)).toFixed(3);
}

import { percentile, printTable, rssMegabytes } from '../../scripts/bench-support.ts';
import { buildHistoryIndex, type PastQuestion } from '../src/retrieval/history-index.ts';
import { queryFrom, seededRandom, sentencePool } from './corpus.ts';

/**
 * `pnpm bench history`: what the past questions cost a search as the history grows — building
 * the history's indexes (paid at each refresh, `stored-history.ts`), the first vote (which builds
 * the n-gram postings) and the votes of later questions. Past questions are customer-like
 * fragments of real Russian sentences, each answered by one of 300 documents.
 */
export async function runHistoryBench(options: { sizes?: number[]; queries?: number } = {}) {
  const sizes = options.sizes ?? (process.env.BENCH_SIZES ?? '2000,16000,50000').split(',').map(Number);
  const queryCount = options.queries ?? 200;
  const pool = sentencePool();
  const rows: Array<Array<string | number>> = [];
  for (const size of sizes) {
    const random = seededRandom(size);
    const history: PastQuestion[] = Array.from({ length: size }, () => ({
      text: queryFrom(pool, random),
      documentIds: [`doc-${Math.floor(random() * 300)}`],
    }));
    const queries = Array.from({ length: queryCount }, () => queryFrom(pool, random));
    let started = performance.now();
    const index = buildHistoryIndex(history);
    const build = performance.now() - started;
    started = performance.now();
    index.explainedVotes(queries[0]!);
    const first = performance.now() - started;
    const times = queries.slice(1).map((query) => {
      const start = performance.now();
      index.explainedVotes(query);
      return performance.now() - start;
    });
    rows.push([
      size,
      Math.round(build),
      Math.round(first),
      percentile(times, 0.5).toFixed(1),
      percentile(times, 0.95).toFixed(1),
      rssMegabytes(),
    ]);
  }
  printTable(
    'history votes (one process, hashed embedder not involved)',
    ['past questions', 'build ms', 'first vote ms', 'vote p50 ms', 'vote p95 ms', 'RSS MB'],
    rows,
  );
}

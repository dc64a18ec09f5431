import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { panelsSvg, writeChart } from '../../scripts/bench-chart.ts';
import { percentile, printTable, rssMegabytes } from '../../scripts/bench-support.ts';
import { findPostgresBinaries, type RunningPostgres, startPostgres } from '../../scripts/postgres.ts';
import { loadIngestConfig } from '../src/config.ts';
import { createHashedNgramEmbedder } from '../src/embeddings/hashed-ngrams.ts';
import { ingestPaths } from '../src/ingest-pipeline.ts';
import { openKnowledgeBase } from '../src/knowledge-base.ts';
import type { KnowledgeStore } from '../src/store/knowledge-store.ts';
import { openPostgresStore } from '../src/store/postgres-store.ts';
import { openSqliteStore } from '../src/store/sqlite-store.ts';
import { paragraph, pick, queryFrom, seededRandom, sentencePool } from './corpus.ts';
import { measureTsvector, rutubeLexicalRecall } from './tsvector-bench.ts';

/**
 * `pnpm bench scale [--sizes 1000,10000,100000] [--backends sqlite,postgres]`: how cost grows with
 * the knowledge base, on the embedded store and on PostgreSQL. For each size: ingest time and store
 * size; then a fresh process (a new replica) opens the knowledge base, answers its first search,
 * and answers the queries whose p50/p95 and RSS are reported; then, on the embedded store, a
 * restarted process answers its first search from the collection index the first one saved
 * (retrieval/saved-index.ts). On PostgreSQL it also measures the alternative
 * lexical index, a `tsvector` column with a GIN index over the same stems
 * (docs/decisions/0017-postgresql-knowledge-store.md).
 *
 * PostgreSQL: DATABASE_URL when set (each size in a schema of its own, dropped after), else a
 * throwaway cluster from the machine's PostgreSQL packages, else PostgreSQL is left out.
 */
const QUERIES = 200;
const SELF = fileURLToPath(import.meta.url);

type Backend = 'sqlite' | 'postgres';

interface ReplicaFigures {
  openMs: number;
  firstSearchMs: number;
  p50: number;
  p95: number;
  lexicalP50: number;
  lexicalP95: number;
  /** The first search after one document was written: the collection index brought up to date. */
  afterWriteMs: number;
  rssMb: number;
}

/** A restarted replica: its first search, from the collection index saved by the one before. */
interface RestartFigures {
  openMs: number;
  firstSearchMs: number;
  /** After the first search and 20 more. */
  rssMb: number;
}

function argument(name: string): string | undefined {
  const argv = process.argv;
  const at = argv.findIndex((each) => each === name || each.startsWith(`${name}=`));
  return at < 0 ? undefined : argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1];
}

function backendsFromArguments(): Set<Backend> {
  const value = argument('--backends') ?? 'sqlite,postgres';
  const backends = value.split(',');
  if (backends.some((backend) => backend !== 'sqlite' && backend !== 'postgres'))
    throw new Error(`--backends: sqlite and/or postgres, comma-separated, got "${value}"`);
  return new Set(backends as Backend[]);
}

/** `--memory build,saved` (the default) or `none`: which memory children run (each loads the whole store). */
function memoryRunsFromArguments(): Array<'build' | 'saved'> {
  const value = argument('--memory') ?? 'build,saved';
  if (value === 'none') return [];
  const runs = value.split(',');
  if (runs.some((run) => run !== 'build' && run !== 'saved'))
    throw new Error(`--memory: build and/or saved, or none, got "${value}"`);
  return runs as Array<'build' | 'saved'>;
}

/** Each size's figures as soon as they are measured (stderr), so a long run that is stopped keeps them. */
function progress(figures: unknown) {
  process.stderr.write(`${new Date().toISOString()} ${JSON.stringify(figures)}\n`);
}

function sizesFromArguments(): number[] {
  const value = argument('--sizes');
  const sizes = (value ?? process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 100)) {
    throw new Error(`--sizes: whole numbers of chunks, at least 100 each, got "${value}"`);
  }
  return sizes;
}

function queriesFor(size: number): string[] {
  const pool = sentencePool();
  const random = seededRandom(size + 1);
  return Array.from({ length: QUERIES }, () => queryFrom(pool, random));
}

/** Records per corpus file: each file stays under the ingest's 50 MB limit (`NAPARNIK_MAX_FILE_MB`). */
const RECORDS_PER_FILE = 50_000;

/** The synthetic FAQ corpus, in a folder of JSONL files; returns the folder. */
function writeCorpus(directory: string, size: number): string {
  const pool = sentencePool();
  const random = seededRandom(size);
  const folder = path.join(directory, 'corpus');
  mkdirSync(folder);
  for (let first = 0; first < size; first += RECORDS_PER_FILE) {
    const lines: string[] = [];
    for (let index = first; index < Math.min(size, first + RECORDS_PER_FILE); index++) {
      lines.push(
        JSON.stringify({
          id: `doc-${index}`,
          question: pick(pool, random),
          answer: paragraph(pool, random, 2 + Math.floor(random() * 3)),
          tags: [`тема ${index % 20}`],
        }),
      );
    }
    writeFileSync(
      path.join(folder, `corpus-${String(first / RECORDS_PER_FILE).padStart(3, '0')}.jsonl`),
      lines.join('\n'),
    );
  }
  return folder;
}

/** Runs in a child process: a replica that has only the store's address. */
async function measureReplica(backend: Backend, target: string, size: number): Promise<ReplicaFigures> {
  const config = loadIngestConfig(
    backend === 'postgres' ? { DATABASE_URL: target } : { NAPARNIK_DATA_DIR: target },
  );
  const queries = queriesFor(size);
  const openedAt = performance.now();
  const kb = await openKnowledgeBase({ config });
  const openMs = performance.now() - openedAt;
  const firstAt = performance.now();
  await kb.search('bench', queries[0]!, { topK: 10 });
  const firstSearchMs = performance.now() - firstAt;
  for (const query of queries.slice(0, 20)) await kb.search('bench', query, { topK: 10 });
  const latencies: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    await kb.search('bench', query, { topK: 10 });
    latencies.push(performance.now() - started);
  }
  // The store's lexical candidates alone: what the tsvector alternative is compared with.
  const lexical: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    await kb.store.searchCandidates('bench', { text: query, lexicalTopK: 60, vectorTopK: 0 });
    lexical.push(performance.now() - started);
  }
  const rssMb = rssMegabytes();
  // One document written (a new FAQ entry), then a search: what an edit in the console costs the
  // next search of every replica.
  const written = mkdtempSync(path.join(tmpdir(), 'naparnik-bench-write-'));
  let afterWriteMs: number;
  try {
    const file = path.join(written, 'one.jsonl');
    writeFileSync(file, JSON.stringify({ id: 'doc-written', question: queries[1], answer: queries[2] }));
    await kb.ingest([file], { collection: 'bench' });
    const writtenAt = performance.now();
    await kb.search('bench', queries[3]!, { topK: 10 });
    afterWriteMs = performance.now() - writtenAt;
    await kb.store.deleteDocuments('bench', ['doc-written']);
  } finally {
    rmSync(written, { recursive: true, force: true });
  }
  await kb.close();
  return {
    afterWriteMs,
    openMs,
    firstSearchMs,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    lexicalP50: percentile(lexical, 0.5),
    lexicalP95: percentile(lexical, 0.95),
    rssMb,
  };
}

/** Runs in a child process: a replica restarted on the store the replica before it searched. */
async function measureRestart(target: string, size: number): Promise<RestartFigures> {
  const queries = queriesFor(size);
  const openedAt = performance.now();
  const kb = await openKnowledgeBase({ config: loadIngestConfig({ NAPARNIK_DATA_DIR: target }) });
  const openMs = performance.now() - openedAt;
  const firstAt = performance.now();
  await kb.search('bench', queries[0]!, { topK: 10 });
  const firstSearchMs = performance.now() - firstAt;
  for (const query of queries.slice(1, 21)) await kb.search('bench', query, { topK: 10 });
  const rssMb = rssMegabytes();
  await kb.close();
  return { openMs, firstSearchMs, rssMb };
}

function inChild<T>(mode: string, backend: Backend, target: string, size: number, flags: string[] = []): T {
  const result = spawnSync(process.execPath, [...flags, SELF, mode, backend, target, String(size)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${mode} (${backend}, ${size}) failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as T;
}

const replicaInChild = (backend: Backend, target: string, size: number) =>
  inChild<ReplicaFigures>('replica', backend, target, size);

interface MemoryStage {
  stage: string;
  rssMb: number;
  heapMb: number;
  /** What V8 keeps committed for its heap (used or not): RSS V8 has not given back. */
  heapTotalMb: number;
  /** Typed arrays and Buffers (process.memoryUsage().arrayBuffers). */
  arrayBuffersMb: number;
}

/**
 * Runs in a child process started with --expose-gc: what a replica's memory holds, loaded one part
 * at a time in the order a first search loads them (the store's lexical index, its vector index,
 * then the retriever's collection index), each figure taken after a full garbage collection.
 */
async function measureMemory(target: string, size: number): Promise<MemoryStage[]> {
  const stages: MemoryStage[] = [];
  const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);
  const snapshot = async (stage: string) => {
    // Let deferred work run first (the lexical snapshot is saved on the next turn).
    await new Promise((resolve) => setImmediate(resolve));
    (globalThis as { gc?: () => void }).gc?.();
    const usage = process.memoryUsage();
    stages.push({
      stage,
      rssMb: megabytes(usage.rss),
      heapMb: megabytes(usage.heapUsed),
      heapTotalMb: megabytes(usage.heapTotal),
      arrayBuffersMb: megabytes(usage.arrayBuffers),
    });
  };
  const query = queriesFor(size)[0]!;
  await snapshot('modules loaded');
  const kb = await openKnowledgeBase({ config: loadIngestConfig({ NAPARNIK_DATA_DIR: target }) });
  await snapshot('knowledge base open');
  await kb.store.searchCandidates('bench', { text: query, lexicalTopK: 60, vectorTopK: 0 });
  await snapshot('+ store lexical index (BM25 postings over stems)');
  const vector = await kb.embedder.embedQuery(query);
  await kb.store.searchCandidates('bench', { text: '', vector, lexicalTopK: 0, vectorTopK: 60 });
  await snapshot('+ store vector index (Float32 vectors, sign bits)');
  await kb.search('bench', query, { topK: 10 });
  await snapshot('+ retriever collection index (first kb.search)');
  for (const text of queriesFor(size)) await kb.search('bench', text, { topK: 10 });
  await snapshot(`after ${QUERIES} kb.search queries`);
  await kb.close();
  return stages;
}

/** `from`: 'build' removes the saved collection index first, so the child builds it from the chunks. */
function memoryInChild(target: string, size: number, from: 'build' | 'saved'): MemoryStage[] {
  if (from === 'build') rmSync(path.join(target, 'indexes'), { recursive: true, force: true });
  return inChild<MemoryStage[]>('memory', 'sqlite', target, size, ['--expose-gc']);
}

function directorySize(directory: string): number {
  return readdirSync(directory).reduce((sum, name) => sum + statSync(path.join(directory, name)).size, 0);
}

async function withSchema<T>(
  adminUrl: string,
  work: (url: string, schema: string) => Promise<T>,
): Promise<T> {
  const schema = `bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(adminUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  try {
    return await work(url.toString(), schema);
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

function inMemoryLexicalRow(size: number, store: string, replica: ReplicaFigures) {
  return [
    size,
    `in-memory index (${store} store)`,
    '—',
    '—',
    replica.lexicalP50.toFixed(1),
    replica.lexicalP95.toFixed(1),
  ];
}

export async function runScaleBench() {
  const sizes = sizesFromArguments();
  const backends = backendsFromArguments();
  const memoryRuns = memoryRunsFromArguments();
  let postgres: RunningPostgres | undefined;
  let adminUrl = process.env.DATABASE_URL || undefined;
  if (!backends.has('postgres')) adminUrl = undefined;
  else if (!adminUrl && findPostgresBinaries()) {
    postgres = await startPostgres();
    adminUrl = postgres.url;
  }
  const rows: Array<Array<string | number>> = [];
  const lexicalRows: Array<Array<string | number>> = [];
  const memoryRows: Array<Array<string | number>> = [];
  const savedRows: Array<Array<string | number>> = [];
  const figures: Array<{
    backend: string;
    chunks: number;
    ingestSeconds: number;
    storeMb: number;
    p95Ms: number;
    rssMb: number;
  }> = [];
  let recall: Array<Array<string | number>> | undefined;
  try {
    for (const size of sizes) {
      const workDirectory = mkdtempSync(path.join(tmpdir(), 'naparnik-bench-scale-'));
      try {
        const corpus = writeCorpus(workDirectory, size);
        const ingest = async (store: KnowledgeStore) => {
          const started = performance.now();
          const summary = await ingestPaths({
            store,
            embedder: createHashedNgramEmbedder(),
            collection: 'bench',
            paths: [corpus],
          });
          await store.close();
          // A corpus the ingest could not read in full would measure a smaller store than it says.
          if (summary.chunks !== size)
            throw new Error(
              `ingest of ${size} records gave ${summary.chunks} chunks: ${JSON.stringify(summary).slice(0, 500)}`,
            );
          return { seconds: (performance.now() - started) / 1000, chunks: summary.chunks };
        };
        const row = (
          backend: string,
          ingested: { seconds: number; chunks: number },
          megabytes: number,
          replica: ReplicaFigures,
          restart?: RestartFigures,
        ) => {
          figures.push({
            backend,
            chunks: ingested.chunks,
            ingestSeconds: ingested.seconds,
            storeMb: megabytes,
            p95Ms: replica.p95,
            rssMb: replica.rssMb,
          });
          return [
            backend,
            ingested.chunks,
            ingested.seconds.toFixed(1),
            megabytes.toFixed(0),
            replica.openMs.toFixed(0),
            replica.firstSearchMs.toFixed(0),
            replica.afterWriteMs.toFixed(0),
            replica.p50.toFixed(1),
            replica.p95.toFixed(1),
            replica.rssMb,
            restart ? restart.firstSearchMs.toFixed(0) : '—',
            restart ? restart.rssMb : '—',
          ];
        };

        const dataDir = path.join(workDirectory, 'data');
        if (backends.has('sqlite')) {
          const embedded = await ingest(await openSqliteStore({ dataDir }));
          const storeMb = directorySize(dataDir) / 1024 / 1024;
          const embeddedReplica = replicaInChild('sqlite', dataDir, size);
          // The replica saved its collection index when it closed: a restart starts from it.
          const savedMb = directorySize(path.join(dataDir, 'indexes')) / 1024 / 1024;
          const restart = inChild<RestartFigures>('restart', 'sqlite', dataDir, size);
          rows.push(row('embedded (SQLite)', embedded, storeMb, embeddedReplica, restart));
          progress({ size, embedded, storeMb, savedMb, embeddedReplica, restart });
          savedRows.push([
            size,
            savedMb.toFixed(0),
            restart.openMs.toFixed(0),
            restart.firstSearchMs.toFixed(0),
          ]);
          for (const from of memoryRuns) {
            let previous: MemoryStage | undefined;
            for (const stage of memoryInChild(dataDir, size, from)) {
              const delta = (now: number, before: number | undefined) =>
                before === undefined ? '—' : `${now - before >= 0 ? '+' : ''}${now - before}`;
              memoryRows.push([
                size,
                from === 'build' ? 'built from the chunks' : 'read from the saved file',
                stage.stage,
                stage.rssMb,
                delta(stage.rssMb, previous?.rssMb),
                delta(stage.heapMb, previous?.heapMb),
                delta(stage.heapTotalMb, previous?.heapTotalMb),
                delta(stage.arrayBuffersMb, previous?.arrayBuffersMb),
              ]);
              previous = stage;
            }
          }
          lexicalRows.push(inMemoryLexicalRow(size, 'SQLite', embeddedReplica));
        }

        if (adminUrl && backends.has('postgres')) {
          await withSchema(adminUrl, async (url, schema) => {
            const ingested = await ingest(await openPostgresStore({ connectionString: url }));
            const client = new pg.Client({ connectionString: url });
            await client.connect();
            await client.query('VACUUM ANALYZE');
            const bytes = (
              await client.query<{ bytes: string }>(
                `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
                [schema],
              )
            ).rows[0]!.bytes;
            await client.end();
            const replica = replicaInChild('postgres', url, size);
            rows.push(row('PostgreSQL', ingested, Number(bytes) / 1024 / 1024, replica));
            lexicalRows.push(inMemoryLexicalRow(size, 'PostgreSQL', replica));
            const tsvector = await measureTsvector(url, schema, queriesFor(size));
            lexicalRows.push([
              size,
              'tsvector + GIN, ts_rank_cd (PostgreSQL)',
              tsvector.buildMs.toFixed(0),
              tsvector.megabytes.toFixed(0),
              tsvector.p50.toFixed(1),
              tsvector.p95.toFixed(1),
            ]);
          });
        }
      } finally {
        rmSync(workDirectory, { recursive: true, force: true });
      }
    }
    if (adminUrl) {
      const url = adminUrl;
      recall = await withSchema(url, (schemaUrl) => rutubeLexicalRecall(schemaUrl));
    }
  } finally {
    postgres?.stop();
  }
  printTable(
    `How cost grows: ingest (hashed embedder), store size, a fresh replica's open and first search, then ${QUERIES} kb.search queries (top 10)`,
    [
      'backend',
      'chunks',
      'ingest s',
      'store MB',
      'open ms',
      '1st search ms',
      'search after a write ms',
      'p50 ms',
      'p95 ms',
      'replica RSS MB',
      '1st search after a restart ms',
      'restarted replica RSS MB',
    ],
    rows,
  );
  printTable(
    'A restarted embedded replica: the collection index saved with the store, and its first search',
    ['chunks', 'saved index MB', 'open ms', '1st search ms'],
    savedRows,
  );
  printTable(
    'What an embedded replica holds in memory, loaded part by part (MB; deltas after a full GC)',
    [
      'chunks',
      'collection index',
      'after',
      'RSS',
      'Δ RSS',
      'Δ JS heap used',
      'Δ JS heap committed',
      'Δ typed arrays',
    ],
    memoryRows,
  );
  printTable(
    'Lexical candidates (top 60): our in-memory index vs tsvector/GIN over the same stems',
    ['chunks', 'lexical index', 'build ms', 'size MB', 'p50 ms', 'p95 ms'],
    lexicalRows,
  );
  if (recall) {
    printTable(
      'RUTUBE dev questions (326 FAQ entries, 400 questions): recall by document of the lexical candidates and of kb.search on PostgreSQL',
      ['ranking', 'R@1', 'R@5'],
      recall,
    );
  }
  const charted = [...new Set(figures.map((figure) => figure.backend))];
  const panel = (title: string, unit: string, value: (figure: (typeof figures)[number]) => number) => ({
    title,
    unit,
    series: charted.map((name) => ({
      name,
      points: figures
        .filter((figure) => figure.backend === name)
        .map((figure) => ({ x: figure.chunks, y: Number(value(figure).toPrecision(3)) })),
    })),
  });
  const chart = writeChart(
    'scale.svg',
    panelsSvg(
      [
        panel('ingest', 's', (figure) => figure.ingestSeconds),
        panel('store size', 'MB', (figure) => figure.storeMb),
        panel('kb.search p95', 'ms', (figure) => figure.p95Ms),
        panel('replica RSS', 'MB', (figure) => figure.rssMb),
      ],
      'chunks',
    ),
  );
  process.stdout.write(`\nChart: ${chart}\n`);
  if (!adminUrl && backends.has('postgres'))
    process.stdout.write('\nPostgreSQL left out: set DATABASE_URL or install postgresql.\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF && process.argv[2] === 'memory') {
  const [, , , , target, size] = process.argv;
  process.stdout.write(`${JSON.stringify(await measureMemory(target!, Number(size)))}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF && process.argv[2] === 'restart') {
  const [, , , , target, size] = process.argv;
  process.stdout.write(`${JSON.stringify(await measureRestart(target!, Number(size)))}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF && process.argv[2] === 'replica') {
  const [, , , backend, target, size] = process.argv;
  const figures = await measureReplica(backend as Backend, target!, Number(size));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

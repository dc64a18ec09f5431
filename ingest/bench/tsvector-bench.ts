import { readFileSync } from 'node:fs';
import pg from 'pg';
import { percentile } from '../../scripts/bench-support.ts';
import { loadIngestConfig } from '../src/config.ts';
import { createHashedNgramEmbedder } from '../src/embeddings/hashed-ngrams.ts';
import { ingestPaths } from '../src/ingest-pipeline.ts';
import { openKnowledgeBase } from '../src/knowledge-base.ts';
import { openPostgresStore } from '../src/store/postgres-store.ts';
import { queryStems } from '../src/store/stems.ts';
import { datasetPath } from '../src/test-support/shared-datasets.ts';

/**
 * The lexical index PostgreSQL could keep itself: a `tsvector` per chunk over our Snowball stems
 * (the 'simple' configuration keeps them as they are; title weighted A), a GIN index, ranked by
 * `ts_rank_cd` — measured against our in-memory BM25 index for the choice in
 * docs/decisions/0017-postgresql-knowledge-store.md.
 */
async function buildTsvector(client: pg.Client): Promise<number> {
  const builtAt = performance.now();
  await client.query(`CREATE TABLE bench_tsv AS
    SELECT chunk_rowid, collection_id,
           setweight(to_tsvector('simple', title), 'A') || to_tsvector('simple', body) AS tsv
    FROM kb_chunk_stems`);
  await client.query('CREATE INDEX bench_tsv_gin ON bench_tsv USING gin (tsv)');
  await client.query('ANALYZE bench_tsv');
  return performance.now() - builtAt;
}

/** The best `limit` chunks for the query's stems, any of them (OR), as (row id, document id). */
async function tsvectorSearch(client: pg.Client, text: string, limit: number) {
  const stems = queryStems(text);
  if (stems.length === 0) return [];
  return (
    await client.query<{ chunk_rowid: string; document_id: string }>(
      `WITH q AS (SELECT to_tsquery('simple', array_to_string(ARRAY(SELECT quote_literal(s) FROM unnest($1::text[]) s), ' | ')) AS query)
       SELECT t.chunk_rowid, c.document_id FROM (
         SELECT chunk_rowid, ts_rank_cd(tsv, q.query) AS rank FROM bench_tsv, q
         WHERE tsv @@ q.query ORDER BY rank DESC LIMIT $2
       ) t JOIN kb_chunks c ON c.id = t.chunk_rowid ORDER BY t.rank DESC`,
      [stems, limit],
    )
  ).rows;
}

export async function measureTsvector(url: string, schema: string, queries: readonly string[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const buildMs = await buildTsvector(client);
    const bytes = (
      await client.query<{ bytes: string }>(
        `SELECT pg_total_relation_size(quote_ident($1) || '.bench_tsv') AS bytes`,
        [schema],
      )
    ).rows[0]!.bytes;
    const latencies: number[] = [];
    for (const query of queries) {
      const started = performance.now();
      await tsvectorSearch(client, query, 60);
      latencies.push(performance.now() - started);
    }
    return {
      buildMs,
      megabytes: Number(bytes) / 1024 / 1024,
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
    };
  } finally {
    await client.end();
  }
}

interface RutubeCase {
  query: string;
  relevant: string[];
}

/** Recall@1 and @5 by document: the first documents of each ranking, in order, without repeats. */
function recall(rankings: string[][], cases: RutubeCase[]) {
  const at = (k: number) =>
    rankings.filter((documents, index) =>
      [...new Set(documents)].slice(0, k).some((id) => cases[index]!.relevant.includes(id)),
    ).length / cases.length;
  return [at(1).toFixed(3), at(5).toFixed(3)];
}

export async function rutubeLexicalRecall(url: string): Promise<Array<Array<string>>> {
  const cases = readFileSync(datasetPath('rutube-support', 'cases-dev.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RutubeCase);
  const embedder = createHashedNgramEmbedder();
  const store = await openPostgresStore({ connectionString: url });
  await ingestPaths({
    store,
    embedder,
    collection: 'rutube',
    paths: [datasetPath('rutube-support', 'kb.jsonl')],
  });
  const inMemory: string[][] = [];
  for (const { query } of cases) {
    const candidates = await store.searchCandidates('rutube', {
      text: query,
      lexicalTopK: 60,
      vectorTopK: 0,
    });
    inMemory.push(candidates.lexical.map((hit) => hit.documentId));
  }
  const kb = await openKnowledgeBase({ store, embedder, config: loadIngestConfig({}) });
  const searched: string[][] = [];
  for (const { query } of cases) {
    searched.push((await kb.search('rutube', query, { topK: 10 })).map((hit) => hit.documentId));
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tsvector: string[][] = [];
  try {
    await buildTsvector(client);
    for (const { query } of cases) {
      tsvector.push((await tsvectorSearch(client, query, 60)).map((row) => row.document_id));
    }
  } finally {
    await client.end();
  }
  await kb.close();
  return [
    ['lexical candidates: our in-memory BM25 over stems', ...recall(inMemory, cases)],
    ['lexical candidates: tsvector + GIN, ts_rank_cd over the same stems', ...recall(tsvector, cases)],
    ['kb.search (the retriever over the store’s candidates), PostgreSQL store', ...recall(searched, cases)],
  ];
}

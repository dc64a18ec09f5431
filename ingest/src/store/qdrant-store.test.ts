import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadIngestConfig } from '../config.ts';
import { createHashedNgramEmbedder } from '../embeddings/hashed-ngrams.ts';
import { DEMO_KB_PATHS, openKnowledgeBase } from '../knowledge-base.ts';
import type { Chunk } from '../model.ts';
import { createQdrantStandIn } from '../test-support/qdrant-stand-in.ts';
import { composeKnowledgeStore, type VectorFusion } from './composed-store.ts';
import { describeKnowledgeStoreConformance } from './knowledge-store.conformance.ts';
import type { KnowledgeStore, StoredDocument } from './knowledge-store.ts';
import { pointId, qdrantCollectionName } from './qdrant-points.ts';
import { createQdrantVectors } from './qdrant-vectors.ts';
import { openSqliteStore } from './sqlite-store.ts';

/*
 * No Qdrant server can run on this machine: msw stands in for Qdrant here, with handlers written
 * from Qdrant's documented REST API (test-support/qdrant-stand-in.ts). The same conformance suite
 * runs against a real Qdrant in qdrant-store.server.test.ts when QDRANT_URL is set.
 */
const standIn = createQdrantStandIn();
const server = setupServer(...standIn.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const directories: string[] = [];
function freshDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-qdrant-'));
  directories.push(directory);
  return directory;
}
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

async function openComposed(
  options: {
    fusion?: VectorFusion;
    tenant?: string;
    timeoutMs?: number;
    apiKey?: string;
    dataDir?: string;
  } = {},
): Promise<KnowledgeStore> {
  const tenant = options.tenant ?? 'default';
  return composeKnowledgeStore({
    relational: await openSqliteStore({ dataDir: options.dataDir ?? freshDirectory(), tenant }),
    vectors: createQdrantVectors({
      url: standIn.url,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      tenant,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    }),
    fusion: options.fusion ?? 'service',
  });
}

for (const fusion of ['service', 'qdrant'] as const) {
  describeKnowledgeStoreConformance(`sqlite + Qdrant (msw stand-in), fusion in ${fusion}`, async () => {
    standIn.reset();
    return openComposed({ fusion });
  });
}

const embedder = createHashedNgramEmbedder({ dimensions: 32 });
const qdrantName = qdrantCollectionName(embedder);

async function documentOf(
  documentId: string,
  texts: string[],
  extra: Partial<Chunk> = {},
): Promise<StoredDocument> {
  const chunks: Chunk[] = texts.map((text, ordinal) => ({
    chunkId: `${documentId}#${ordinal}`,
    documentId,
    ordinal,
    kind: 'faq',
    title: text.split('.')[0]!,
    titlePath: [],
    text,
    language: 'ru',
    tags: [],
    source: `${documentId}.md`,
    ...extra,
  }));
  const vectors = await embedder.embedDocuments(texts);
  return {
    documentId,
    kind: 'faq',
    title: texts[0]!,
    contentHash: `hash-${texts.join('|')}`,
    source: `${documentId}.md`,
    sourcePath: `/kb/${documentId}.md`,
    chunks: chunks.map((chunk, index) => ({ ...chunk, vector: vectors[index]! })),
  };
}

/** A fresh stand-in and store with collection 'shop' holding these documents. */
async function shopWith(
  documents: Array<Promise<StoredDocument>>,
  options: Parameters<typeof openComposed>[0] = {},
): Promise<KnowledgeStore> {
  standIn.reset();
  const store = await openComposed(options);
  await store.ensureCollection('shop', embedder);
  await store.upsertDocuments('shop', await Promise.all(documents));
  return store;
}

const requestsTo = (suffix: string) => standIn.requests.filter((request) => request.path.includes(suffix));

describe('Qdrant vectors (msw stands in for Qdrant)', () => {
  it('creates one collection per embedder: a dense and a sparse IDF vector, payload indexes, the tenant field is_tenant', async () => {
    standIn.reset();
    const store = await openComposed();
    await store.ensureCollection('shop', embedder);
    await store.ensureCollection('other', embedder);
    expect(qdrantName).toMatch(/^naparnik-hashed-ngrams-v1-32-d32-[0-9a-f]{8}$/u);
    const creates = standIn.requests.filter(
      (request) => request.method === 'PUT' && request.path === `/collections/${qdrantName}`,
    );
    expect(creates).toHaveLength(1);
    expect(creates[0]!.body).toEqual({
      vectors: { dense: { size: 32, distance: 'Cosine' } },
      sparse_vectors: { stems: { modifier: 'idf' } },
    });
    const indexes = requestsTo('/index').map((request) => request.body);
    expect(indexes).toContainEqual({
      field_name: 'tenant',
      field_schema: { type: 'keyword', is_tenant: true },
    });
    expect(indexes.map((body) => (body as { field_name: string }).field_name).sort()).toEqual([
      'collection',
      'documentId',
      'kind',
      'language',
      'tags',
      'tenant',
      'validFrom',
      'validUntil',
    ]);
    // Another embedder (or the same model at another size) gets a collection of its own.
    await store.ensureCollection('wide', createHashedNgramEmbedder({ dimensions: 64 }));
    expect(standIn.collections.size).toBe(2);
    await store.close();
  });

  it('keys points by a UUID derived from the chunk: writing a document twice leaves one point per chunk', async () => {
    standIn.reset();
    const store = await openComposed();
    await store.ensureCollection('shop', embedder);
    const document = await documentOf('faq-delivery', ['Доставка курьером. Стоит 300 рублей.'], {
      tags: ['Доставка'],
      metadata: { validUntil: '2030-01-01' },
    });
    await store.upsertDocuments('shop', [document]);
    await store.upsertDocuments('shop', [document]);
    const points = [...standIn.collections.get(qdrantName)!.points.values()];
    expect(points.map((point) => point.id)).toEqual([pointId('default', 'shop', 'faq-delivery#0')]);
    expect(pointId('default', 'shop', 'faq-delivery#0')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u,
    );
    expect(points[0]!.payload).toEqual({
      tenant: 'default',
      collection: 'shop',
      documentId: 'faq-delivery',
      chunkId: 'faq-delivery#0',
      kind: 'faq',
      language: 'ru',
      tags: [expect.stringMatching(/^t_[0-9a-f]{12}$/u)],
      validUntil: Date.parse('2030-01-02T00:00:00Z'),
    });
    const upsert = requestsTo('/points?wait=true').at(-1)!;
    const body = upsert.body as {
      points: Array<{ vector: { dense: number[]; stems: { indices: number[] } } }>;
    };
    expect(body.points[0]!.vector.dense).toHaveLength(32);
    expect(body.points[0]!.vector.stems.indices.length).toBeGreaterThan(2);
    await store.close();
  });

  it('removes the points of chunks a replaced document no longer has, and all of a deleted document', async () => {
    const store = await shopWith([
      documentOf('faq-delivery', ['Доставка курьером.', 'Доставка почтой.', 'Самовывоз.']),
      documentOf('faq-return', ['Возврат в течение 14 дней.']),
    ]);
    await store.upsertDocuments('shop', [await documentOf('faq-delivery', ['Доставка курьером.'])]);
    const removal = requestsTo('/points/delete').at(-1)!;
    expect(removal.body).toEqual({
      filter: {
        must: [
          { key: 'tenant', match: { value: 'default' } },
          { key: 'collection', match: { value: 'shop' } },
          { key: 'documentId', match: { any: ['faq-delivery'] } },
        ],
        must_not: [{ has_id: [pointId('default', 'shop', 'faq-delivery#0')] }],
      },
    });
    const chunkIds = () =>
      [...standIn.collections.get(qdrantName)!.points.values()].map((point) => point.payload.chunkId).sort();
    expect(chunkIds()).toEqual(['faq-delivery#0', 'faq-return#0']);
    expect(await store.deleteDocuments('shop', ['faq-return'])).toBe(1);
    expect(chunkIds()).toEqual(['faq-delivery#0']);
    await store.close();
  });

  it('fuses in Qdrant through the Query API: dense and sparse prefetches, RRF with k 61 and the weights, the filter in each', async () => {
    const store = await shopWith(
      [
        documentOf('faq-delivery', ['Доставка курьером стоит 300 рублей.']),
        documentOf('faq-return', ['Возврат украшений в течение 14 дней.']),
      ],
      { fusion: 'qdrant' },
    );
    const text = 'сколько стоит доставка';
    const hits = await store.search('shop', {
      text,
      vector: await embedder.embedQuery(text),
      topK: 3,
      weights: { lexical: 1, vector: 0.5 },
      filter: { kinds: ['faq'], languages: ['RU'], validAt: '2026-12-06T12:00:00Z' },
    });
    expect(hits[0]?.documentId).toBe('faq-delivery');
    expect(hits[0]?.signals).toMatchObject({ lexicalRank: 1, vectorRank: 1 });
    const batch = requestsTo('/points/query/batch').at(-1)!.body as {
      searches: Array<Record<string, unknown>>;
    };
    const filter = {
      must: [
        { key: 'tenant', match: { value: 'default' } },
        { key: 'collection', match: { value: 'shop' } },
        { key: 'kind', match: { any: ['faq'] } },
        { key: 'language', match: { any: ['ru'] } },
        {
          should: [
            { is_empty: { key: 'validFrom' } },
            { key: 'validFrom', range: { lte: Date.parse('2026-12-06T12:00:00Z') } },
          ],
        },
        {
          should: [
            { is_empty: { key: 'validUntil' } },
            { key: 'validUntil', range: { gt: Date.parse('2026-12-06T12:00:00Z') } },
          ],
        },
      ],
    };
    expect(batch.searches[0]).toMatchObject({
      prefetch: [
        { using: 'dense', filter, limit: 60 },
        { using: 'stems', filter, limit: 60, query: { indices: expect.any(Array), values: [1, 1, 1] } },
      ],
      query: { rrf: { k: 61, weights: [0.5, 1] } },
      filter,
      with_payload: ['chunkId', 'documentId'],
    });
    // The fused list's own order and scores are the hits'.
    expect(hits[0]!.score).toBeCloseTo(0.5 / 61 + 1 / 61, 10);
    await store.close();
  });

  it('asks Qdrant only for the dense search when fusing in the service; the lexical index stays in SQLite', async () => {
    const store = await shopWith([documentOf('faq-delivery', ['Доставка курьером стоит 300 рублей.'])], {
      fusion: 'service',
    });
    const candidates = await store.searchCandidates('shop', {
      text: 'доставка',
      vector: await embedder.embedQuery('доставка'),
      lexicalTopK: 10,
      vectorTopK: 5,
    });
    expect(candidates.lexical.map((hit) => hit.chunkId)).toEqual(['faq-delivery#0']);
    expect(candidates.vector.map((hit) => hit.chunkId)).toEqual(['faq-delivery#0']);
    const batch = requestsTo('/points/query/batch').at(-1)!.body as { searches: Array<{ using: string }> };
    expect(batch.searches.map((search) => search.using)).toEqual(['dense']);
    await store.close();
  });

  it('keeps tenants apart in one Qdrant collection by the tenant field', async () => {
    standIn.reset();
    const first = await openComposed({ tenant: 'brand-a' });
    const second = await openComposed({ tenant: 'brand-b' });
    for (const store of [first, second]) await store.ensureCollection('shop', embedder);
    await first.upsertDocuments('shop', [await documentOf('a-delivery', ['Доставка дронами в Москве.'])]);
    await second.upsertDocuments('shop', [await documentOf('b-delivery', ['Доставка дронами в Казани.'])]);
    expect(standIn.collections.size).toBe(1);
    expect(standIn.collections.get(qdrantName)!.points.size).toBe(2);
    const vector = await embedder.embedQuery('доставка дронами');
    const seen = await second.searchCandidates('shop', { text: '', vector, lexicalTopK: 0, vectorTopK: 10 });
    expect(seen.vector.map((hit) => hit.documentId)).toEqual(['b-delivery']);
    await first.close();
    await second.close();
  });

  it('leaves an expired entry out inside Qdrant', async () => {
    const store = await shopWith(
      [
        documentOf('promo-old', ['Скидка 20% на серьги.'], { metadata: { validUntil: '2025-12-31' } }),
        documentOf('promo-new', ['Скидка 10% на серьги.'], { metadata: { validFrom: '2026-01-01' } }),
      ],
      { fusion: 'qdrant' },
    );
    const candidates = await store.searchCandidates('shop', {
      text: 'скидка на серьги',
      vector: await embedder.embedQuery('скидка на серьги'),
      lexicalTopK: 10,
      vectorTopK: 10,
      filter: { validAt: '2026-06-01T00:00:00Z' },
    });
    expect(new Set([...candidates.lexical, ...candidates.vector].map((hit) => hit.documentId))).toEqual(
      new Set(['promo-new']),
    );
    await store.close();
  });

  describe('when Qdrant fails', () => {
    const qdrantError = (status: number, error: string) =>
      HttpResponse.json({ status: { error }, time: 0.001 }, { status });

    const denseCandidates = async (store: KnowledgeStore) =>
      store.searchCandidates('shop', {
        text: '',
        vector: await embedder.embedQuery('доставка'),
        lexicalTopK: 0,
        vectorTopK: 3,
      });
    const seeded = async (options: { timeoutMs?: number } = {}) => ({
      store: await shopWith([documentOf('faq-delivery', ['Доставка курьером.'])], options),
    });

    it('turns a 500 with Qdrant’s error JSON into a clear error and writes nothing to the relational store', async () => {
      const { store } = await seeded();
      server.use(
        http.put(`${standIn.url}/collections/:name/points`, () =>
          qdrantError(500, 'Service internal error: RocksDB write failed: No space left on device'),
        ),
      );
      const write = store.upsertDocuments('shop', [
        await documentOf('faq-delivery', ['Доставка курьером за 500 рублей.']),
        await documentOf('faq-new', ['Гравировка бесплатно.']),
      ]);
      await expect(write).rejects.toMatchObject({
        name: 'StoreError',
        code: 'vector-store-failed',
        message: expect.stringMatching(
          /Qdrant at http:\/\/qdrant\.stand-in:6333 \(QDRANT_URL\) failed while writing 2 points to naparnik-.*: HTTP 500: Service internal error: RocksDB write failed/u,
        ),
      });
      expect(
        (await store.listDocuments('shop')).map((record) => [record.documentId, record.contentHash]),
      ).toEqual([['faq-delivery', 'hash-Доставка курьером.']]);
      const chunks = await store.listChunks('shop');
      expect(chunks.map((chunk) => chunk.text)).toEqual(['Доставка курьером.']);
      await store.close();
    });

    it('reports a 400 (wrong input) with Qdrant’s own words', async () => {
      const { store } = await seeded();
      server.use(
        http.post(`${standIn.url}/collections/:name/points/query/batch`, () =>
          qdrantError(
            400,
            'Bad request: Index required but not found for "tenant" of one of the following types: [keyword]',
          ),
        ),
      );
      await expect(denseCandidates(store)).rejects.toThrow(
        /while searching naparnik-.*: HTTP 400: Bad request: Index required but not found/u,
      );
      await store.close();
    });

    it('gives up on a request that takes longer than the timeout, naming it, and leaves the relational store as it was', async () => {
      const { store } = await seeded({ timeoutMs: 150 });
      server.use(
        http.post(`${standIn.url}/collections/:name/points/delete`, async () => {
          await delay(2_000);
          return HttpResponse.json({
            result: { operation_id: 1, status: 'completed' },
            status: 'ok',
            time: 2,
          });
        }),
      );
      await expect(store.deleteDocuments('shop', ['faq-delivery'])).rejects.toThrow(
        /Qdrant at http:\/\/qdrant\.stand-in:6333 \(QDRANT_URL\) did not answer within 150 ms while deleting the points of 1 documents/u,
      );
      expect((await store.listDocuments('shop')).map((record) => record.documentId)).toEqual([
        'faq-delivery',
      ]);
      await store.close();
    });

    it('sends QDRANT_API_KEY as the api-key header, and says so when the key is refused', async () => {
      standIn.reset();
      standIn.requireApiKey('right-key');
      const refused = await openComposed({ apiKey: 'wrong-key' });
      await expect(refused.ensureCollection('shop', embedder)).rejects.toThrow(
        /failed while preparing collection naparnik-.*: HTTP 401: Invalid API key/u,
      );
      await refused.close();
      const accepted = await openComposed({ apiKey: 'right-key' });
      await accepted.ensureCollection('shop', embedder);
      expect(standIn.requests.at(-1)!.headers.get('api-key')).toBe('right-key');
      await accepted.close();
    });

    it('names the missing collection when someone deleted it in Qdrant', async () => {
      const { store } = await seeded();
      standIn.collections.clear();
      await expect(denseCandidates(store)).rejects.toThrow(
        /HTTP 404: Not found: Collection `naparnik-.*` doesn't exist!/u,
      );
      await store.close();
    });
  });

  it('serves the knowledge base opened with QDRANT_URL: ingest writes the vectors to Qdrant, kb.search finds by them', async () => {
    standIn.reset();
    const config = loadIngestConfig({ QDRANT_URL: standIn.url, NAPARNIK_DATA_DIR: freshDirectory() });
    const kb = await openKnowledgeBase({ config });
    expect(kb.store.backend).toBe('sqlite+qdrant');
    const summary = await kb.ingest(DEMO_KB_PATHS, { collection: 'demo' });
    const points = standIn.collections.get(qdrantCollectionName(kb.embedder))!.points;
    expect(points.size).toBe(summary.chunks);
    const hits = await kb.search('demo', 'Сколько стоит доставка курьером?');
    expect(hits[0]?.text).toMatch(/доставк/iu);
    expect(hits.some((hit) => hit.signals.vectorSimilarity !== undefined)).toBe(true);
    await kb.close();
  }, 30_000);
});

import { afterAll, describe, expect, it } from 'vitest';
import { createHashedNgramEmbedder } from '../embeddings/hashed-ngrams.ts';
import { ingestPaths } from '../ingest-pipeline.ts';
import { DEMO_KB_PATHS } from '../knowledge-base.ts';
import {
  dropTestSchemas,
  freshSchemaUrl,
  reportSkippedPostgres,
  testDatabaseUrl,
} from '../test-support/postgres.ts';
import { describeKnowledgeStoreConformance } from './knowledge-store.conformance.ts';
import { openPostgresStore } from './postgres-store.ts';

reportSkippedPostgres('postgres-store.test.ts');
afterAll(dropTestSchemas);

describe.skipIf(!testDatabaseUrl)('postgres knowledge store', () => {
  describeKnowledgeStoreConformance('postgres', async () =>
    openPostgresStore({ connectionString: await freshSchemaUrl() }),
  );

  const embedder = createHashedNgramEmbedder();

  it('serves a knowledge base ingested by one process to a fresh one that has only the URL', async () => {
    const connectionString = await freshSchemaUrl();
    const writer = await openPostgresStore({ connectionString });
    const summary = await ingestPaths({ store: writer, embedder, collection: 'demo', paths: DEMO_KB_PATHS });
    expect(summary.chunks).toBeGreaterThan(20);

    const reader = await openPostgresStore({ connectionString });
    const query = 'Сколько стоит доставка курьером?';
    const hits = await reader.search('demo', {
      text: query,
      vector: await embedder.embedQuery(query),
      topK: 3,
    });
    expect(hits[0]?.text).toMatch(/доставк/iu);
    expect((await reader.stats('demo')).chunks).toBe(summary.chunks);

    // The writer deletes and replaces documents: the reader's loaded indexes catch up.
    const found = hits[0]!.documentId;
    await writer.deleteDocuments('demo', [found]);
    const after = await reader.search('demo', {
      text: query,
      vector: await embedder.embedQuery(query),
      topK: 10,
    });
    expect(after.some((hit) => hit.documentId === found)).toBe(false);
    await writer.close();
    await reader.close();
  });

  it('applies its migrations once when several processes open an empty database at the same time', async () => {
    const connectionString = await freshSchemaUrl();
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openPostgresStore({ connectionString })),
    );
    await stores[0]!.ensureCollection('kb', embedder);
    for (const store of stores)
      expect((await store.listCollections()).map((info) => info.name)).toEqual(['kb']);
    await Promise.all(stores.map((store) => store.close()));
  });

  it('keeps tenants apart in one database', async () => {
    const connectionString = await freshSchemaUrl();
    const first = await openPostgresStore({ connectionString, tenant: 'first' });
    const second = await openPostgresStore({ connectionString, tenant: 'second' });
    await first.ensureCollection('kb', embedder);
    expect(await second.getCollection('kb')).toBeUndefined();
    await Promise.all([first.close(), second.close()]);
  });

  it('fails clearly, naming the server but not the password, when it cannot be reached', async () => {
    const failure = openPostgresStore({ connectionString: 'postgres://nobody:secret-word@127.0.0.1:1/none' });
    await expect(failure).rejects.toMatchObject({
      code: 'store-unavailable',
      message: expect.stringContaining('127.0.0.1:1/none (DATABASE_URL)'),
    });
    await expect(failure).rejects.not.toThrow(/secret-word/u);
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, describe } from 'vitest';
import { composeKnowledgeStore } from './composed-store.ts';
import { describeKnowledgeStoreConformance } from './knowledge-store.conformance.ts';
import { createQdrantVectors } from './qdrant-vectors.ts';
import { openSqliteStore } from './sqlite-store.ts';

/*
 * The conformance suite against a real Qdrant: runs when QDRANT_URL is set in the test
 * environment (QDRANT_API_KEY too, if the server needs one), e.g.
 *   docker run --rm -p 6333:6333 qdrant/qdrant
 *   QDRANT_URL=http://localhost:6333 pnpm --filter @naparnik/ingest test qdrant-store.server
 * Each run writes to collections of its own prefix and deletes them afterwards.
 */
const url = process.env.QDRANT_URL || undefined;
const apiKey = process.env.QDRANT_API_KEY || undefined;
if (!url) {
  process.stderr.write(
    'qdrant-store.server.test.ts: skipped, QDRANT_URL is not set (no Qdrant server runs here; ' +
      'qdrant-store.test.ts runs the same suite against an msw stand-in)\n',
  );
}

const prefix = `naparnik-test-${randomBytes(4).toString('hex')}`;
const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  if (!url) return;
  const client = new QdrantClient({ url, ...(apiKey ? { apiKey } : {}), checkCompatibility: false });
  for (const collection of (await client.getCollections()).collections)
    if (collection.name.startsWith(prefix)) await client.deleteCollection(collection.name);
});

describe.skipIf(!url)('Qdrant knowledge store against a real server', () => {
  for (const fusion of ['service', 'qdrant'] as const) {
    describeKnowledgeStoreConformance(`sqlite + Qdrant at QDRANT_URL, fusion in ${fusion}`, async () => {
      const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-qdrant-server-'));
      directories.push(directory);
      // A tenant of its own per store: the stores share the run's Qdrant collection.
      const tenant = `t-${randomBytes(4).toString('hex')}`;
      return composeKnowledgeStore({
        relational: await openSqliteStore({ dataDir: directory, tenant }),
        vectors: createQdrantVectors({
          url: url!,
          ...(apiKey ? { apiKey } : {}),
          tenant,
          collectionPrefix: prefix,
        }),
        fusion,
      });
    });
  }
});

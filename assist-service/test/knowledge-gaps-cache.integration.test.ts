import {
  dropTestSchemas,
  freshSchemaUrl,
  reportSkippedPostgres,
  testDatabaseUrl,
} from '@naparnik/ingest/test-support/postgres';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { knowledgeGapsResponseSchema } from '../src/contract/index.ts';
import { startTestService, type TestService, temporaryDataDir } from './harness.ts';

/**
 * GET /v1/knowledge-gaps reuses its clusters while the period's signals are unchanged, and never
 * once another replica has written one: two real services on one store, on each backend the
 * service has (two services on one data folder's SQLite files; two on one PostgreSQL schema, as
 * replicas run). Reuse is read from the services' own counters, not from timings.
 */
reportSkippedPostgres('knowledge-gaps-cache.integration.test.ts (the PostgreSQL half)');
afterAll(dropTestSchemas);

const HOUR = 3_600_000;

const backends = [
  {
    name: 'sqlite',
    available: true,
    async start(): Promise<[TestService, TestService]> {
      const dataDir = temporaryDataDir();
      const first = await startTestService({ dataDir, keepData: true });
      // The second service opens the same files: another process's view of the same stores.
      const second = await startTestService({ dataDir });
      return [first, second];
    },
  },
  {
    name: 'postgres',
    available: testDatabaseUrl !== undefined,
    async start(): Promise<[TestService, TestService]> {
      const knowledge = { ...loadConfig({}).knowledge, databaseUrl: await freshSchemaUrl() };
      const first = await startTestService({ config: { knowledge } });
      const second = await startTestService({ config: { knowledge } });
      return [first, second];
    },
  },
];

for (const backend of backends) {
  describe.skipIf(!backend.available)(`knowledge gaps cache (${backend.name})`, () => {
    const services: TestService[] = [];
    afterEach(async () => {
      // The one that keeps its data first; the other removes the folder they share.
      for (const service of services.splice(0)) await service.dispose();
    });

    const gap = (service: TestService, id: string, query: string, hoursAgo: number) =>
      service.events.recordKnowledgeGap({
        id,
        collection: 'demo',
        query,
        language: 'ru',
        bestScore: 0.1,
        createdAt: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
      });
    const gaps = async (service: TestService, query = '') => {
      const response = await service.get(`/v1/knowledge-gaps${query}`);
      expect(response.status).toBe(200);
      return knowledgeGapsResponseSchema.parse(await response.json());
    };

    it('serves a repeated request from the cache, and recomputes once another replica records a gap', async () => {
      const [first, second] = await backend.start();
      services.push(first, second);
      await gap(first, 'gap-1', 'Можно ли оплатить заказ долями?', 5);
      await gap(first, 'gap-2', 'Оплата долями доступна?', 4);
      await gap(first, 'gap-3', 'Есть ли подарочная упаковка?', 3);

      const cold = await gaps(first);
      expect(cold).toMatchObject({ records: 3, cached: false });
      expect(first.gapClusters.stats()).toEqual({ clustered: 1, reused: 0 });

      // Nothing new: the same clusters, no clustering ran (the default period has slid meanwhile).
      const warm = await gaps(first);
      expect(warm.cached).toBe(true);
      expect(warm.clusters).toEqual(cold.clusters);
      expect(first.gapClusters.stats()).toEqual({ clustered: 1, reused: 1 });

      // The other replica records a gap: the first one's next answer has it.
      await gap(second, 'gap-4', 'Можно ли оплатить долями подарочный сертификат?', 1);
      const after = await gaps(first);
      expect(after).toMatchObject({ records: 4, cached: false });
      expect(after.clusters.reduce((sum, cluster) => sum + cluster.size, 0)).toBe(4);
      expect(
        after.clusters.flatMap((cluster) => cluster.examples.map((example) => example.question)),
      ).toContain('Можно ли оплатить долями подарочный сертификат?');
      expect(first.gapClusters.stats()).toEqual({ clustered: 2, reused: 1 });
      // The second replica never clustered: its first answer is computed, and equal.
      const fromSecond = await gaps(second);
      expect(fromSecond).toMatchObject({ records: 4, cached: false });
      expect(fromSecond.clusters).toEqual(after.clusters);
      expect((await gaps(first)).cached).toBe(true);
    });

    it('keeps one entry per period and collection, each reused while its own signals are unchanged', async () => {
      const [first, second] = await backend.start();
      services.push(first, second);
      await gap(first, 'gap-1', 'Можно ли оплатить заказ долями?', 30);
      await gap(first, 'gap-2', 'Есть ли подарочная упаковка?', 2);
      const period = new URLSearchParams({
        from: new Date(Date.now() - 24 * HOUR).toISOString(),
        to: new Date(Date.now() + HOUR).toISOString(),
      });
      const day = `?${period}`;

      expect(await gaps(first)).toMatchObject({ records: 2, cached: false });
      expect(await gaps(first, day)).toMatchObject({ records: 1, cached: false });
      expect(await gaps(first, `${day}&collection=other`)).toMatchObject({ records: 0, cached: false });
      expect(await gaps(first)).toMatchObject({ records: 2, cached: true });
      expect(await gaps(first, day)).toMatchObject({ records: 1, cached: true });
      expect(first.gapClusters.stats()).toEqual({ clustered: 3, reused: 2 });

      // A new gap in demo changes the answers it falls in, not the answer for another collection.
      await gap(second, 'gap-3', 'Можно ли вернуть серьги?', 1);
      expect(await gaps(first, `${day}&collection=other`)).toMatchObject({ records: 0, cached: true });
      expect(await gaps(first, day)).toMatchObject({ records: 2, cached: false });
      expect(await gaps(first)).toMatchObject({ records: 3, cached: false });
    });
  });
}

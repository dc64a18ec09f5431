import { randomBytes } from 'node:crypto';
import {
  dropTestSchemas,
  freshSchemaUrl,
  reportSkippedPostgres,
  testDatabaseUrl,
} from '@naparnik/ingest/test-support/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assistResponseSchema,
  documentEditSchema,
  saveContentResponseSchema,
  searchResponseSchema,
  versionsResponseSchema,
} from '../src/contract/index.ts';
import { sampleRecipe } from '../src/recipes/fixtures/recipes.ts';
import { assistBody } from './harness.ts';
import { type SpawnedService, spawnAssistService } from './spawned-service.ts';

/**
 * Two real service processes (as `pnpm start` runs them), each with its own empty data folder, on
 * one throwaway PostgreSQL (scripts/postgres.ts): a scripted session is spread over both, as a
 * load balancer would spread it, and every answer must be the same whichever replica gives it.
 */
reportSkippedPostgres('replicas.integration.test.ts');
afterAll(dropTestSchemas);

const ASSIST_QUOTA = 3;

describe.skipIf(!testDatabaseUrl)('two replicas on one PostgreSQL', () => {
  let first: SpawnedService;
  let second: SpawnedService;
  const json = (body: unknown): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const withToken = (token: string, init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
  });

  beforeAll(async () => {
    const environment = {
      DATABASE_URL: await freshSchemaUrl(),
      ASSIST_ADMIN_TOKEN: `replica-admin-${randomBytes(16).toString('hex')}`,
      NAPARNIK_ASSIST_QUOTA_PER_TOKEN_DAY: String(ASSIST_QUOTA),
      // What every replica of a deployment shares (docs/deploy.md).
      NAPARNIK_PRIVACY_KEY: randomBytes(24).toString('hex'),
    };
    // One after the other, as a rolling start: the first ingests the demo knowledge base, the
    // second finds it in the database and ingests nothing.
    first = await spawnAssistService(environment);
    second = await spawnAssistService(environment);
  }, 240_000);
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it('serves the knowledge base the first replica ingested from the second, with an empty data folder', async () => {
    const [one, two] = await Promise.all(
      [first, second].map(
        async (replica) => (await (await replica.request('/v1/collections')).json()) as unknown,
      ),
    );
    expect(two).toEqual(one);
    const search = { collection: 'demo', query: 'сколько идёт доставка', topK: 3 };
    const searchOn = async (replica: SpawnedService) =>
      searchResponseSchema.parse(await (await replica.request('/v1/search', json(search))).json());
    const hitsOne = await searchOn(first);
    const hitsTwo = await searchOn(second);
    expect(hitsTwo.hits.map((hit) => hit.chunkId)).toEqual(hitsOne.hits.map((hit) => hit.chunkId));
    expect(hitsOne.hits.length).toBeGreaterThan(0);
  });

  it('records feedback on one replica for a set made by the other, and both report the same analytics', async () => {
    const answer = assistResponseSchema.parse(
      await (
        await first.request(
          '/v1/assist',
          json(assistBody([{ role: 'customer', text: 'Сколько стоит доставка курьером?' }])),
        )
      ).json(),
    );
    const setId = answer.suggestionSetId;
    for (const [replica, type] of [
      [second, 'suggestion-shown'],
      [first, 'suggestion-inserted'],
    ] as const) {
      const response = await replica.request(
        '/v1/feedback',
        json({ eventId: `${type}-${setId}`, type, suggestionSetId: setId, suggestionIndex: 0 }),
      );
      expect(response.status, type).toBeLessThan(300);
    }
    // The same event sent to the other replica is a duplicate there too.
    const again = await first.request(
      '/v1/feedback',
      json({
        eventId: `suggestion-shown-${setId}`,
        type: 'suggestion-shown',
        suggestionSetId: setId,
        suggestionIndex: 0,
      }),
    );
    expect(await again.json()).toMatchObject({ duplicate: true });
    const [eventsOne, eventsTwo] = await Promise.all(
      [first, second].map(async (replica) =>
        (await replica.request(`/v1/feedback/events?suggestionSetId=${setId}`)).json(),
      ),
    );
    expect(eventsTwo).toEqual(eventsOne);
    expect(JSON.stringify(eventsOne)).toContain('suggestion-inserted');
    // One period for both: the default ends "now", which differs by a few milliseconds per request.
    const hour = 3_600_000;
    const period = {
      from: new Date(Date.now() - 24 * hour).toISOString(),
      to: new Date(Date.now() + hour).toISOString(),
    };
    const funnel = `/v1/analytics/funnel?${new URLSearchParams(period)}`;
    const [funnelOne, funnelTwo] = await Promise.all(
      [first, second].map(async (replica) => (await replica.request(funnel)).json()),
    );
    expect(funnelTwo).toEqual(funnelOne);
    expect(JSON.stringify(funnelOne)).toMatch(/"inserted":\s*1/u);
  });

  it('serves a recipe published on one replica from the other, and withdraws it everywhere', async () => {
    const domain = 'desk.replicas.example.ru';
    const put = (replica: SpawnedService, version: number) =>
      replica.request(`/v1/recipes/${domain}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sampleRecipe(domain, version)),
      });
    expect((await put(first, 1)).status).toBe(201);
    const served = await second.request(`/v1/recipes/${domain}`);
    expect(served.status).toBe(200);
    expect(await served.json()).toMatchObject({ recipe: { version: 1 } });
    // The second replica knows version 1 is taken.
    expect((await put(second, 1)).status).toBe(409);
    expect((await second.request(`/v1/recipes/${domain}`, { method: 'DELETE' })).status).toBeLessThan(300);
    expect((await first.request(`/v1/recipes/${domain}`)).status).toBe(404);
  });

  it('counts one assist quota over both replicas and refuses a revoked token on both at once', async () => {
    const created = (await (
      await first.request('/v1/tokens', json({ name: 'anna', role: 'operator' }))
    ).json()) as { token: string; record: { id: string } };
    const ask = (replica: SpawnedService) =>
      fetch(
        `${replica.url}/v1/assist`,
        withToken(created.token, json(assistBody([{ role: 'customer', text: 'Где мой заказ?' }]))),
      );
    const statuses: number[] = [];
    for (let index = 0; index <= ASSIST_QUOTA; index++)
      statuses.push((await ask(index % 2 ? second : first)).status);
    expect(statuses).toEqual([...Array(ASSIST_QUOTA).fill(200), 429]);
    expect((await ask(first)).status).toBe(429);

    // Another route still works for the token on both until it is revoked on one of them.
    const collections = (replica: SpawnedService) =>
      fetch(`${replica.url}/v1/collections`, withToken(created.token));
    expect((await collections(second)).status).toBe(200);
    expect((await first.request(`/v1/tokens/${created.record.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await collections(second)).status).toBe(401);
    expect((await collections(first)).status).toBe(401);
  });

  it('keeps a console session opened on one replica on the other, and closes it on both', async () => {
    const signIn = await fetch(`${first.url}/v1/session`, json({ token: first.token }));
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const session = await fetch(`${second.url}/v1/session`, { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ csrfToken, role: 'admin' });
    expect(
      (
        await fetch(`${second.url}/v1/session`, {
          method: 'DELETE',
          headers: { cookie, 'x-csrf-token': csrfToken },
        })
      ).status,
    ).toBe(204);
    expect((await fetch(`${first.url}/v1/session`, { headers: { cookie } })).status).toBe(401);
  });

  it('shows an edit saved on one replica and a rollback made on the other on both, versions and served text alike', async () => {
    const document = '/v1/collections/demo/documents/faq-delivery-times';
    const read = async (replica: SpawnedService, pathname: string) => {
      const response = await replica.request(pathname);
      const body = await response.text();
      expect(response.status, body).toBe(200);
      return JSON.parse(body) as unknown;
    };
    const editOn = async (replica: SpawnedService) =>
      documentEditSchema.parse(await read(replica, `${document}/edit`));
    const versionsOn = async (replica: SpawnedService) =>
      versionsResponseSchema.parse(await read(replica, `${document}/versions`));
    const original = await editOn(first);
    expect(original.content).toContain('в течение 1 рабочего дня');
    const saved = await first.request(`${document}/content`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        content: original.content.replace('в течение 1 рабочего дня', 'в тот же день'),
        note: 'правка на первой реплике',
      }),
    });
    expect(saved.status).toBe(200);
    expect(saveContentResponseSchema.parse(await saved.json()).version).toMatchObject({ status: 'served' });
    // The second replica lists the same versions and opens the edited text.
    const afterEdit = await versionsOn(second);
    expect(afterEdit).toEqual(await versionsOn(first));
    expect(afterEdit.versions.map((version) => [version.version, version.status])).toEqual([
      [2, 'served'],
      [1, 'superseded'],
    ]);
    expect((await editOn(second)).content).toContain('в тот же день');

    const rolledBack = await second.request(`${document}/versions/1/rollback`, { method: 'POST' });
    expect(rolledBack.status).toBe(200);
    expect(saveContentResponseSchema.parse(await rolledBack.json()).version).toMatchObject({
      version: 3,
      rollbackOf: 1,
      status: 'served',
    });
    const afterRollback = await versionsOn(first);
    expect(afterRollback).toEqual(await versionsOn(second));
    expect(afterRollback.versions.map((version) => [version.version, version.status])).toEqual([
      [3, 'served'],
      [2, 'superseded'],
      [1, 'superseded'],
    ]);
    for (const replica of [first, second]) {
      const edit = await editOn(replica);
      expect(edit.content).toContain('в течение 1 рабочего дня');
      expect(edit.version).toBe(3);
    }
  });

  it('finds a file uploaded through one replica in searches on the other', async () => {
    const article = [
      '# Доставка дронами',
      '',
      'Доставка дронами работает в пределах МКАД с 9 до 21 часа, стоимость 990 рублей, груз до 3 кг.',
    ].join('\n');
    const upload = await first.request(`/v1/collections/demo/files?path=${encodeURIComponent('drones.md')}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: article,
    });
    expect(upload.status).toBe(201);
    const found = searchResponseSchema.parse(
      await (
        await second.request(
          '/v1/search',
          json({ collection: 'demo', query: 'доставка дронами стоимость', topK: 3 }),
        )
      ).json(),
    );
    expect(found.hits[0]?.text).toContain('дронами');
    // The file itself is shared too: the other replica re-ingests it, then deletes it for both.
    const documentId = found.hits[0]?.documentId ?? '';
    const reingest = await second.request(
      `/v1/collections/demo/documents/${encodeURIComponent(documentId)}/reingest`,
      { method: 'POST' },
    );
    expect(reingest.status).toBe(200);
    const removed = await second.request(`/v1/collections/demo/documents/${encodeURIComponent(documentId)}`, {
      method: 'DELETE',
    });
    expect(await removed.json()).toMatchObject({ fileRemoved: true });
    const gone = await first.request(
      `/v1/collections/demo/documents/${encodeURIComponent(documentId)}/reingest`,
      { method: 'POST' },
    );
    expect(gone.status).toBe(404);
  });
});

import { readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import {
  assistResponseSchema,
  errorBodySchema,
  feedbackEventsResponseSchema,
  sessionResponseSchema,
  tokenCreateResponseSchema,
  tokenListResponseSchema,
} from '../src/contract/index.ts';
import { assistBody, startTestService, type TestService, temporaryDataDir } from './harness.ts';

async function errorOf(response: Response) {
  return errorBodySchema.parse(await response.json()).error;
}

/** A raw request with the Host header we choose (fetch always sends the URL's). */
function withHost(
  url: string,
  path: string,
  host: string,
  token: string,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { hostname, port, path, headers: { host, authorization: `Bearer ${token}` } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

let service: TestService;
beforeAll(async () => {
  service = await startTestService({
    config: {
      trust: {
        ...loadConfig({}).trust,
        allowedHosts: ['localhost', '127.0.0.1', '[::1]', 'naparnik.example.ru'],
        extensionIds: ['abcdefghijklmnopabcdefghijklmnop'],
      },
    },
  });
});
afterAll(async () => {
  await service?.dispose();
});

describe('a token on every route but health', () => {
  it('answers 401 on loopback without a token, for every GET route the OpenAPI document lists', async () => {
    const document = (await (await service.get('/v1/openapi.json')).json()) as {
      paths: Record<string, { get?: unknown }>;
    };
    const routes = Object.entries(document.paths)
      .filter(([path, item]) => item.get && path !== '/v1/health')
      .map(([path]) =>
        path
          .replace('{collection}', 'demo')
          .replace('{domain}', 'desk.example.ru')
          .replace('{documentId}', 'x'),
      );
    expect(routes.length).toBeGreaterThan(8);
    for (const path of routes) {
      const anonymous = await fetch(`${service.url}${path}`);
      expect(anonymous.status, path).toBe(401);
      expect((await errorOf(anonymous)).code, path).toBe('unauthorized');
    }
    expect((await fetch(`${service.url}/v1/health`)).status).toBe(200);
    const post = await fetch(`${service.url}/v1/assist`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(assistBody([{ role: 'customer', text: 'Где заказ?' }])),
    });
    expect(post.status).toBe(401);
  });

  it('refuses an unknown token and a revoked one with 401', async () => {
    expect((await service.as('npk_not-a-token').get('/v1/collections')).status).toBe(401);
    const operator = await service.client({ role: 'operator', name: 'op-revoked' });
    expect((await operator.get('/v1/collections')).status).toBe(200);
    expect((await service.delete('/v1/tokens/op-revoked')).status).toBe(200);
    expect((await operator.get('/v1/collections')).status).toBe(401);
  });

  it('lets an operator assist, search, check drafts and send feedback, and nothing of a manager or lead', async () => {
    const operator = await service.client({ role: 'operator', name: 'op-work' });
    expect((await operator.post('/v1/search', { collection: 'demo', query: 'доставка' })).status).toBe(200);
    expect(
      (
        await operator.post('/v1/check-draft', {
          collection: 'demo',
          channel: 'chat',
          draft: 'Здравствуйте!',
        })
      ).status,
    ).toBe(200);
    expect(
      (await operator.post('/v1/assist', assistBody([{ role: 'customer', text: 'Где мой заказ?' }]))).status,
    ).toBe(200);
    expect((await operator.get('/v1/feedback/events')).status).toBe(403);
    expect((await operator.get('/v1/tokens')).status).toBe(403);
    const forbidden = await operator.post('/v1/tokens', { role: 'admin', name: 'escalate' });
    expect(forbidden.status).toBe(403);
    expect((await errorOf(forbidden)).message).toMatch(/operator token may not manage tokens/u);
  });
});

describe('identity from the token, never the body', () => {
  it("records the token's name as the operator, overriding operator.id and operatorId in bodies", async () => {
    const anna = await service.client({ role: 'operator', name: 'anna' });
    const assist = assistResponseSchema.parse(
      await (
        await anna.post(
          '/v1/assist',
          assistBody([{ role: 'customer', text: 'Где мой заказ 123456?' }], { operator: { id: 'boris' } }),
        )
      ).json(),
    );
    const feedback = await anna.post('/v1/feedback', {
      eventId: `${assist.suggestionSetId}-forged`,
      type: 'suggestion-shown',
      suggestionSetId: assist.suggestionSetId,
      suggestionIndex: 0,
      operatorId: 'boris',
    });
    expect(feedback.status).toBe(200);
    const events = feedbackEventsResponseSchema.parse(
      await (await service.get(`/v1/feedback/events?suggestionSetId=${assist.suggestionSetId}`)).json(),
    );
    expect(events.events.map((event) => event.operatorId)).toEqual(['anna']);
    const funnel = (await (await service.get('/v1/analytics/funnel?bucket=day')).json()) as {
      dimensions: { operators: string[] };
    };
    expect(funnel.dimensions.operators).toContain('anna');
    expect(funnel.dimensions.operators).not.toContain('boris');
  });
});

describe('tokens over HTTP', () => {
  it('creates a token shown once, lists it without the token, and revokes it by id', async () => {
    const created = tokenCreateResponseSchema.parse(
      await (await service.post('/v1/tokens', { role: 'team_lead', name: 'lead-http' })).json(),
    );
    expect(created.token).toMatch(/^npk_[\w-]{43}$/u);
    const listed = await (await service.get('/v1/tokens')).text();
    expect(listed).not.toContain(created.token);
    const tokens = tokenListResponseSchema.parse(JSON.parse(listed)).tokens;
    expect(tokens.find((token) => token.id === created.record.id)).toMatchObject({
      role: 'team_lead',
      tenant: 'default',
      name: 'lead-http',
    });
    expect((await service.post('/v1/tokens', { role: 'operator', name: 'lead-http' })).status).toBe(409);
    expect((await service.delete(`/v1/tokens/${created.record.id}`)).status).toBe(200);
    expect((await service.delete(`/v1/tokens/${created.record.id}`)).status).toBe(404);
  });

  it("does not let a tenant's admin make tokens for another tenant", async () => {
    const tenantAdmin = await service.client({ role: 'admin', name: 'admin-a', tenant: 'tenant-a' });
    expect(
      (await tenantAdmin.post('/v1/tokens', { role: 'operator', name: 'x', tenant: 'tenant-b' })).status,
    ).toBe(403);
    expect((await tenantAdmin.post('/v1/tokens', { role: 'operator', name: 'op-a' })).status).toBe(201);
    const seen = tokenListResponseSchema.parse(await (await tenantAdmin.get('/v1/tokens')).json()).tokens;
    expect(new Set(seen.map((token) => token.tenant))).toEqual(new Set(['tenant-a']));
  });
});

describe('requests a web page could forge', () => {
  it('answers 421 to a Host it is not known by (DNS rebinding), and serves an allowed one', async () => {
    const rebound = await withHost(service.url, '/v1/feedback/events', 'evil.example:8787', service.token);
    expect(rebound.status).toBe(421);
    expect(rebound.body).toContain('NAPARNIK_ALLOWED_HOSTS');
    expect((await withHost(service.url, '/v1/health', 'evil.example', service.token)).status).toBe(421);
    expect(
      (await withHost(service.url, '/v1/collections', 'naparnik.example.ru:443', service.token)).status,
    ).toBe(200);
    expect((await withHost(service.url, '/v1/collections', 'localhost:8787', service.token)).status).toBe(
      200,
    );
  });

  it('refuses text/plain and untyped write bodies with 415, before reading them', async () => {
    const body = JSON.stringify({ collection: 'demo', query: 'доставка' });
    for (const headers of [{ 'content-type': 'text/plain;charset=UTF-8' }, {}]) {
      const response = await fetch(`${service.url}/v1/search`, {
        method: 'POST',
        headers: { authorization: `Bearer ${service.token}`, ...headers },
        body: new Blob([body]),
      });
      expect(response.status).toBe(415);
      expect((await errorOf(response)).code).toBe('unsupported-media-type');
    }
  });

  it('gives CORS and Private Network Access to the configured extension id only', async () => {
    const preflight = (origin: string) =>
      fetch(`${service.url}/v1/assist`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
          'access-control-request-private-network': 'true',
        },
      });
    const allowed = await preflight('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
    );
    expect(allowed.headers.get('access-control-allow-private-network')).toBe('true');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization/u);
    for (const origin of ['chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba', 'https://evil.example']) {
      const refused = await preflight(origin);
      expect(refused.status, origin).toBe(403);
      expect(refused.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(refused.headers.get('access-control-allow-private-network'), origin).toBeNull();
    }
  });
});

describe('the console session', () => {
  async function signIn(token: string) {
    const response = await fetch(`${service.url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    return response;
  }

  it('exchanges a token for an HttpOnly, SameSite=Strict cookie and wants the CSRF header on writes', async () => {
    const lead = await service.client({ role: 'team_lead', name: 'lead-console-session' });
    const response = await signIn(lead.token);
    expect(response.status).toBe(200);
    const session = sessionResponseSchema.parse(await response.json());
    expect(session).toMatchObject({ name: 'lead-console-session', role: 'team_lead', tenant: 'default' });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^naparnik_session=[\w-]{43}; /u);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure'); // plain HTTP here; over TLS it is Secure
    const jar = { cookie: cookie.split(';')[0] ?? '' };

    expect((await fetch(`${service.url}/v1/analytics/funnel`, { headers: jar })).status).toBe(200);
    const again = sessionResponseSchema.parse(
      await (await fetch(`${service.url}/v1/session`, { headers: jar })).json(),
    );
    expect(again.csrfToken).toBe(session.csrfToken);

    const search = (headers: Record<string, string>) =>
      fetch(`${service.url}/v1/search`, {
        method: 'POST',
        headers: { ...jar, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ collection: 'demo', query: 'доставка' }),
      });
    expect((await search({})).status).toBe(403);
    expect((await search({ 'x-csrf-token': 'guessed' })).status).toBe(403);
    expect((await search({ 'x-csrf-token': session.csrfToken })).status).toBe(200);

    const signOut = await fetch(`${service.url}/v1/session`, {
      method: 'DELETE',
      headers: { ...jar, 'x-csrf-token': session.csrfToken },
    });
    expect(signOut.status).toBe(204);
    expect(signOut.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await fetch(`${service.url}/v1/analytics/funnel`, { headers: jar })).status).toBe(401);
  });

  it('refuses a wrong token at sign-in and ends the session when its token is revoked', async () => {
    expect((await signIn('npk_wrong')).status).toBe(401);
    const operator = await service.client({ role: 'operator', name: 'op-session-revoked' });
    const response = await signIn(operator.token);
    const jar = { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
    expect((await fetch(`${service.url}/v1/collections`, { headers: jar })).status).toBe(200);
    await service.delete('/v1/tokens/op-session-revoked');
    expect((await fetch(`${service.url}/v1/collections`, { headers: jar })).status).toBe(401);
  });
});

describe('rate limits and quotas', () => {
  it('answers 429 with Retry-After past the per-token limit', async () => {
    const limited = await startTestService({
      config: { trust: { ...loadConfig({}).trust, rateLimitPerToken: 3 } },
    });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 4; index++) statuses.push((await limited.get('/v1/collections')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await limited.get('/v1/collections');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await errorOf(refused)).code).toBe('rate-limited');
      // Health is not counted against anyone.
      expect((await fetch(`${limited.url}/v1/health`)).status).toBe(200);
    } finally {
      await limited.dispose();
    }
  });

  it('holds the per-tenant limit across tokens, and not across tenants', async () => {
    const limited = await startTestService({
      config: { trust: { ...loadConfig({}).trust, rateLimitPerTenant: 4 } },
    });
    try {
      const operator = await limited.client({ role: 'operator', name: 'op-limited' }); // hit 1
      const other = await limited.client({ role: 'operator', name: 'op-elsewhere', tenant: 'other' }); // hit 2
      expect((await operator.get('/v1/collections')).status).toBe(200); // 3
      expect((await limited.get('/v1/collections')).status).toBe(200); // 4
      const refused = await operator.get('/v1/collections');
      expect(refused.status).toBe(429);
      expect((await errorOf(refused)).message).toContain('tenant');
      expect((await other.get('/v1/recipes')).status).toBe(200);
    } finally {
      await limited.dispose();
    }
  });

  it("takes nothing of a token's daily assist quota for a request the tenant's minute refuses", async () => {
    let now = Date.parse('2026-12-06T10:00:00.000Z');
    const limited = await startTestService({
      clock: { now: () => new Date(now) },
      config: { trust: { ...loadConfig({}).trust, rateLimitPerTenant: 3, assistQuotaPerTokenDay: 2 } },
    });
    try {
      const body = assistBody([{ role: 'customer', text: 'Где мой заказ?' }]);
      const operator = await limited.client({ role: 'operator', name: 'op-quota' }); // tenant hit 1
      expect((await limited.get('/v1/collections')).status).toBe(200); // 2
      expect((await limited.get('/v1/collections')).status).toBe(200); // 3
      for (let index = 0; index < 4; index++) {
        const refused = await operator.post('/v1/assist', body);
        expect((await errorOf(refused)).message).toContain('tenant');
      }
      now += 60_000;
      const statuses: number[] = [];
      for (let index = 0; index < 3; index++) statuses.push((await operator.post('/v1/assist', body)).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await limited.dispose();
    }
  });

  it('counts assist requests against the daily quota per token', async () => {
    const limited = await startTestService({
      config: { trust: { ...loadConfig({}).trust, assistQuotaPerTokenDay: 1 } },
    });
    try {
      const body = assistBody([{ role: 'customer', text: 'Где мой заказ?' }]);
      expect((await limited.post('/v1/assist', body)).status).toBe(200);
      const over = await limited.post('/v1/assist', body);
      expect(over.status).toBe(429);
      expect((await errorOf(over)).message).toContain('per day');
      // Other routes are not part of the assist quota.
      expect((await limited.post('/v1/search', { collection: 'demo', query: 'доставка' })).status).toBe(200);
    } finally {
      await limited.dispose();
    }
  });
});

describe('first start', () => {
  it('makes an admin token when none exists, keeps it in a 0600 file, and prints the same one after a restart', async () => {
    const dataDir = temporaryDataDir();
    const first = await startTestService({ dataDir, keepData: true, config: { adminToken: undefined } });
    const made = first.firstStartToken;
    await first.dispose();
    expect(made?.created).toBe(true);
    expect(made?.token).toMatch(/^npk_/u);
    expect(statSync(made?.file ?? '').mode & 0o777).toBe(0o600);

    const second = await startTestService({ dataDir, config: { adminToken: undefined } });
    try {
      expect(second.firstStartToken).toMatchObject({ token: made?.token, created: false });
      expect((await second.as(made?.token ?? '').get('/v1/tokens')).status).toBe(200);
    } finally {
      await second.dispose();
    }
  });
});

describe('tenant isolation', () => {
  /** What a client can tell about an error: the status, the code and the message with ids blanked. */
  async function shapeOf(response: Response, ...ids: string[]) {
    const error = await errorOf(response);
    let message = error.message;
    for (const id of ids) message = message.replaceAll(id, '<id>');
    return { status: response.status, code: error.code, message };
  }

  it("gives tenant B's token the same 404 for tenant A's suggestion set as for one that does not exist", async () => {
    const anna = await service.client({ role: 'operator', name: 'anna-a' });
    const set = assistResponseSchema.parse(
      await (
        await anna.post('/v1/assist', assistBody([{ role: 'customer', text: 'Где мой заказ 123456?' }]))
      ).json(),
    );
    const boris = await service.client({ role: 'operator', name: 'boris-b', tenant: 'shop-b' });
    const feedback = (suggestionSetId: string) =>
      boris.post('/v1/feedback', {
        eventId: `${suggestionSetId}-b`,
        type: 'suggestion-shown',
        suggestionSetId,
        suggestionIndex: 0,
      });
    const theirs = await shapeOf(await feedback(set.suggestionSetId), set.suggestionSetId);
    const none = await shapeOf(
      await feedback('00000000-0000-4000-8000-000000000000'),
      '00000000-0000-4000-8000-000000000000',
    );
    expect(theirs).toEqual(none);
    expect(theirs.status).toBe(404);
    // Tenant A's set is untouched: no event of B's landed on it.
    const events = feedbackEventsResponseSchema.parse(
      await (await service.get(`/v1/feedback/events?suggestionSetId=${set.suggestionSetId}`)).json(),
    );
    expect(events.events).toEqual([]);
  });

  it("shows tenant B's team lead none of tenant A's feedback, operators or counts", async () => {
    const lead = await service.client({ role: 'team_lead', name: 'lead-b', tenant: 'shop-b' });
    const aEvents = feedbackEventsResponseSchema.parse(
      await (await service.get('/v1/feedback/events')).json(),
    );
    expect(aEvents.events.length).toBeGreaterThan(0);
    const bEvents = feedbackEventsResponseSchema.parse(await (await lead.get('/v1/feedback/events')).json());
    expect(bEvents.events).toEqual([]);
    const funnel = (await (await lead.get('/v1/analytics/funnel?bucket=day')).json()) as {
      dimensions: { operators: string[]; collections: string[] };
    };
    expect(funnel.dimensions).toMatchObject({ operators: [], collections: [] });
  });

  it("does not let tenant B search, list or read tenant A's knowledge: its collections are its own", async () => {
    const operator = await service.client({ role: 'operator', name: 'op-kb-b', tenant: 'shop-b' });
    const collections = (await (await operator.get('/v1/collections')).json()) as { collections: unknown[] };
    expect(collections.collections).toEqual([]);
    const ready = (await (await operator.get('/v1/ready')).json()) as { collections: number };
    expect(ready.collections).toBe(0);
    const search = (collection: string) => operator.post('/v1/search', { collection, query: 'доставка' });
    expect(await shapeOf(await search('demo'), 'demo')).toEqual(
      await shapeOf(await search('nothing'), 'nothing'),
    );
    const assist = (collection: string) =>
      operator.post('/v1/assist', { ...assistBody([{ role: 'customer', text: 'Где заказ?' }]), collection });
    expect(await shapeOf(await assist('demo'), 'demo')).toEqual(
      await shapeOf(await assist('nothing'), 'nothing'),
    );
    const documents = (collection: string) => operator.get(`/v1/collections/${collection}/documents`);
    expect(await shapeOf(await documents('demo'), 'demo')).toEqual(
      await shapeOf(await documents('nothing'), 'nothing'),
    );
  });

  it("keeps recipes per tenant: B neither sees nor collides with A's", async () => {
    const recipe = JSON.parse(
      readFileSync(
        path.join(
          path.dirname(fileURLToPath(import.meta.url)),
          'fixtures',
          'recipes',
          'teach-desk.recipe.json',
        ),
        'utf8',
      ),
    ) as Record<string, unknown>;
    const domain = String(recipe.domain);
    const managerA = await service.client({ role: 'knowledge_manager', name: 'km-a' });
    const managerB = await service.client({ role: 'knowledge_manager', name: 'km-b', tenant: 'shop-b' });
    expect((await managerA.put(`/v1/recipes/${domain}`, { ...recipe, version: 5 })).status).toBe(201);
    expect(await shapeOf(await managerB.get(`/v1/recipes/${domain}`), domain)).toEqual(
      await shapeOf(await managerB.get('/v1/recipes/unknown.example.ru'), 'unknown.example.ru'),
    );
    expect(((await (await managerB.get('/v1/recipes')).json()) as { recipes: unknown[] }).recipes).toEqual(
      [],
    );
    // Version 1 is above nothing in B's store, though A holds version 5.
    expect((await managerB.put(`/v1/recipes/${domain}`, { ...recipe, version: 1 })).status).toBe(201);
    const latestA = (await (await managerA.get(`/v1/recipes/${domain}`)).json()) as {
      recipe: { version: number };
    };
    expect(latestA.recipe.version).toBe(5);
  });
});

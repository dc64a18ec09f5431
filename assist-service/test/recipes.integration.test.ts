import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorBodySchema,
  publishedRecipeSchema,
  type Recipe,
  recipeEtag,
  recipeListResponseSchema,
  recipeSchema,
  recipeVersionsResponseSchema,
  recipeWithdrawResponseSchema,
} from '../src/contract/index.ts';
import { startTestService, type TestService } from './harness.ts';

const FIXTURE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures/recipes/teach-desk.recipe.json',
);
const base = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Recipe;
const recipe = (changes: Partial<Recipe> = {}): Recipe => recipeSchema.parse({ ...base, ...changes });
/** Unchecked, for bodies the service must refuse. */
const raw = (changes: Record<string, unknown>) => ({ ...base, ...changes });

async function errorOf(response: Response) {
  return errorBodySchema.parse(await response.json()).error;
}

function put(service: TestService, domain: string, body: unknown, headers: Record<string, string> = {}) {
  return service.put(`/v1/recipes/${domain}`, body, headers);
}

function remove(service: TestService, domain: string, headers: Record<string, string> = {}) {
  return service.delete(`/v1/recipes/${domain}`, headers);
}

describe('published recipes', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => {
    await service.dispose();
  });

  it('publishes a recipe and serves it as the latest, with an ETag that answers 304 when unchanged', async () => {
    const published = await put(service, 'desk.example.ru', recipe());
    expect(published.status).toBe(201);
    expect(publishedRecipeSchema.parse(await published.json()).recipe).toEqual(recipe());

    const latest = await service.get('/v1/recipes/desk.example.ru');
    expect(latest.status).toBe(200);
    const etag = latest.headers.get('etag');
    expect(etag).toBe(recipeEtag(recipe()));
    expect(publishedRecipeSchema.parse(await latest.json())).toMatchObject({
      recipe: recipe(),
      withdrawn: false,
    });

    const again = await service.get('/v1/recipes/desk.example.ru', { 'if-none-match': etag ?? '' });
    expect(again.status).toBe(304);
  });

  it('refuses a version that is not newer with 409 naming the stored version, and keeps old versions', async () => {
    await put(service, 'history.example.ru', recipe({ domain: 'history.example.ru', version: 3 }));
    const stale = await put(
      service,
      'history.example.ru',
      recipe({ domain: 'history.example.ru', version: 3 }),
    );
    expect(stale.status).toBe(409);
    const error = await errorOf(stale);
    expect(error.code).toBe('version-conflict');
    expect(error.message).toContain('version 3 is not newer than the stored version 3');
    expect(error.issues).toEqual([{ path: 'version', message: 'must be greater than 3' }]);

    const newer = await put(
      service,
      'history.example.ru',
      recipe({ domain: 'history.example.ru', version: 4, composer: 'textarea[name="reply"]' }),
    );
    expect(newer.status).toBe(201);
    const versions = recipeVersionsResponseSchema.parse(
      await (await service.get('/v1/recipes/history.example.ru/versions')).json(),
    );
    expect(versions.versions.map((entry) => entry.recipe.version)).toEqual([4, 3]);
    const latest = publishedRecipeSchema.parse(
      await (await service.get('/v1/recipes/history.example.ru')).json(),
    );
    expect(latest.recipe.composer).toBe('textarea[name="reply"]');
  });

  it('lists the latest recipe of every domain, or of one domain', async () => {
    await put(service, 'list.example.ru', recipe({ domain: 'list.example.ru', version: 1 }));
    await put(service, 'list.example.ru', recipe({ domain: 'list.example.ru', version: 2 }));
    const all = recipeListResponseSchema.parse(await (await service.get('/v1/recipes')).json());
    const listed = all.recipes.filter((entry) => entry.recipe.domain === 'list.example.ru');
    expect(listed.map((entry) => entry.recipe.version)).toEqual([2]);
    const domains = all.recipes.map((entry) => entry.recipe.domain);
    expect(domains).toEqual(domains.toSorted());
    const one = recipeListResponseSchema.parse(
      await (await service.get('/v1/recipes?domain=list.example.ru')).json(),
    );
    expect(one.recipes.map((entry) => [entry.recipe.domain, entry.recipe.version])).toEqual([
      ['list.example.ru', 2],
    ]);
    const mixedCase = recipeListResponseSchema.parse(
      await (await service.get('/v1/recipes?domain=List.Example.RU')).json(),
    );
    expect(mixedCase.recipes.map((entry) => entry.recipe.domain)).toEqual(['list.example.ru']);
    const invalid = await service.get('/v1/recipes?domain=Not%20A%20Host');
    expect(invalid.status).toBe(400);
    expect((await errorOf(invalid)).issues?.[0]?.path).toBe('domain');
    // IPv6 hosts as the browser writes them (location.host), with or without a port.
    for (const host of ['[::1]', '[fd00::5]:8080']) {
      expect((await put(service, host, recipe({ domain: host, version: 1 }))).status).toBe(201);
      const fetched = await service.get(`/v1/recipes/${encodeURIComponent(host)}`);
      expect(fetched.status).toBe(200);
    }
    expect((await put(service, '[0::1]', raw({ domain: '[0::1]' }))).status).toBe(400);
    expect((await put(service, '[not-ipv6]', raw({ domain: '[not-ipv6]' }))).status).toBe(400);
  });

  it('withdraws a domain: the latest is gone, the history stays, and only a newer version comes back', async () => {
    await put(service, 'gone.example.ru', recipe({ domain: 'gone.example.ru', version: 1 }));
    const withdrawn = await remove(service, 'gone.example.ru');
    expect(withdrawn.status).toBe(200);
    expect(recipeWithdrawResponseSchema.parse(await withdrawn.json())).toEqual({
      domain: 'gone.example.ru',
      withdrawnVersions: 1,
    });
    expect((await service.get('/v1/recipes/gone.example.ru')).status).toBe(404);
    expect((await remove(service, 'gone.example.ru')).status).toBe(404);
    const history = recipeVersionsResponseSchema.parse(
      await (await service.get('/v1/recipes/gone.example.ru/versions')).json(),
    );
    expect(history.versions).toMatchObject([{ withdrawn: true }]);
    expect(
      (await put(service, 'gone.example.ru', recipe({ domain: 'gone.example.ru', version: 1 }))).status,
    ).toBe(409);
    expect(
      (await put(service, 'gone.example.ru', recipe({ domain: 'gone.example.ru', version: 2 }))).status,
    ).toBe(201);
    expect((await service.get('/v1/recipes/gone.example.ru')).status).toBe(200);
  });

  it('rejects malformed recipes with the failing field named', async () => {
    const brokenSelector = await put(
      service,
      'desk.example.ru',
      raw({ version: 10, messageList: '#chat[data-x' }),
    );
    expect(brokenSelector.status).toBe(400);
    expect((await errorOf(brokenSelector)).issues?.[0]?.path).toBe('messageList');

    const injected = await put(service, 'desk.example.ru', raw({ version: 10, composer: 'a{color:red}' }));
    expect((await errorOf(injected)).issues?.[0]?.path).toBe('composer');

    const tooLong = await put(
      service,
      'desk.example.ru',
      raw({ version: 10, message: `.m${'x'.repeat(600)}` }),
    );
    expect((await errorOf(tooLong)).issues?.[0]?.path).toBe('message');

    const otherDomain = await put(
      service,
      'desk.example.ru',
      raw({ version: 10, domain: 'other.example.ru' }),
    );
    expect(otherDomain.status).toBe(400);
    expect((await errorOf(otherDomain)).message).toContain('other.example.ru');

    const unknownField = await put(service, 'desk.example.ru', {
      ...recipe({ version: 10 }),
      script: 'alert(1)',
    });
    expect(unknownField.status).toBe(400);

    expect((await put(service, 'NOT_A_HOST', recipe())).status).toBe(400);
    expect((await service.get('/v1/recipes/nothing.example.ru')).status).toBe(404);
  });

  it('describes the recipe routes in the OpenAPI document', async () => {
    const document = (await (await service.get('/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(document.paths['/v1/recipes/{domain}'] ?? {}).toSorted()).toEqual([
      'delete',
      'get',
      'put',
    ]);
    expect(document.paths['/v1/recipes']?.get).toBeDefined();
    expect(document.paths['/v1/recipes/{domain}/versions']?.get).toBeDefined();
    expect(document.components.schemas.Recipe).toBeDefined();
  });
});

describe('who may publish recipes and read feedback', () => {
  const token = 'admin-token-for-tests-0123456789';
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ config: { adminToken: token } });
  });
  afterAll(async () => {
    await service.dispose();
  });

  it('answers 401 without a token or with an unknown one, 403 to an operator, and publishes for a knowledge manager', async () => {
    const anonymous = await put(service, 'desk.example.ru', recipe(), { authorization: '' });
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).code).toBe('unauthorized');
    const wrong = await put(service, 'desk.example.ru', recipe(), { authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);

    const operator = await service.client({ role: 'operator', name: 'op-recipes' });
    const refused = await operator.put('/v1/recipes/desk.example.ru', recipe());
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).message).toContain('knowledge_manager');
    expect((await operator.delete('/v1/recipes/desk.example.ru')).status).toBe(403);

    const manager = await service.client({ role: 'knowledge_manager', name: 'km-recipes' });
    expect((await manager.put('/v1/recipes/desk.example.ru', recipe())).status).toBe(201);
    // Every token reads them: each operator's extension fetches recipes with its own token.
    expect((await operator.get('/v1/recipes/desk.example.ru')).status).toBe(200);
    expect((await manager.delete('/v1/recipes/desk.example.ru')).status).toBe(200);
  });

  it("keeps operators' feedback events for team leads and admins", async () => {
    expect((await service.get('/v1/feedback/events', { authorization: '' })).status).toBe(401);
    const operator = await service.client({ role: 'operator', name: 'op-events' });
    const manager = await service.client({ role: 'knowledge_manager', name: 'km-events' });
    const lead = await service.client({ role: 'team_lead', name: 'lead-events' });
    expect((await operator.get('/v1/feedback/events')).status).toBe(403);
    expect((await manager.get('/v1/feedback/events')).status).toBe(403);
    expect((await lead.get('/v1/feedback/events')).status).toBe(200);
    expect((await service.get('/v1/feedback/events')).status).toBe(200);
  });

  it('keeps published recipes across a restart in the same data directory', async () => {
    const first = await startTestService({ keepData: true, config: { adminToken: token } });
    await put(first, 'kept.example.ru', recipe({ domain: 'kept.example.ru', version: 7 }), {
      authorization: `Bearer ${token}`,
    });
    await first.dispose();
    const second = await startTestService({ dataDir: first.dataDir });
    try {
      const latest = publishedRecipeSchema.parse(
        await (await second.get('/v1/recipes/kept.example.ru')).json(),
      );
      expect(latest.recipe.version).toBe(7);
    } finally {
      await second.dispose();
    }
  });
});

// @vitest-environment node
// The worker runs without a DOM, and happy-dom's fetch would apply a page's CORS rules to it.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  createApp,
  createLogger,
  createOfflineEngine,
  createScriptProfiles,
  loadConfig,
  openSqliteEventStore,
  openSqliteRecipeStore,
} from '@naparnik/assist-service';
import { type Recipe, recipeSchema } from '@naparnik/assist-service/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceClient } from '../src/background/service-client.ts';
import { createWorker } from '../src/background/worker.ts';
import { workerRequestSchema, workerResponseSchemas } from '../src/messaging.ts';
import { memoryStorage, type Settings, settingsSchema } from '../src/settings.ts';
import { chooseRecipe, createRecipeBook, nextVersion, PUBLISHED_KEY } from '../src/teach/recipe-book.ts';
import { loadTeachFixtures } from './support/teach-fixtures.ts';

const ADMIN_TOKEN = 'teach-admin-token-0123456789';
const [fixture] = loadTeachFixtures();
const taught = (changes: Partial<Recipe> = {}): Recipe =>
  recipeSchema.parse({ ...fixture?.recipe, ...changes });
const domain = taught().domain;

/** The real assist service's HTTP app (recipes need no knowledge base), on an ephemeral port. */
let server: Server;
let baseUrl: string;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'naparnik-teach-'));
  const config = {
    ...loadConfig({}),
    port: 0,
    dataDir,
    logLevel: 'silent' as const,
    adminToken: ADMIN_TOKEN,
  };
  const logger = createLogger(config);
  const profiles = createScriptProfiles({ logger });
  const clock = { now: () => new Date() };
  const app = createApp({
    kb: () => undefined,
    events: openSqliteEventStore({ file: ':memory:', tenant: 'default' }),
    recipes: openSqliteRecipeStore({ file: path.join(dataDir, 'recipes.sqlite'), tenant: 'default' }),
    logger,
    clock,
    config,
    profiles,
    engine: createOfflineEngine({ knowledge: () => undefined, profiles, clock, config, logger }),
  });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

async function publish(recipe: Recipe): Promise<number> {
  const response = await fetch(`${baseUrl}/v1/recipes/${recipe.domain}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify(recipe),
  });
  return response.status;
}

/** The worker as main.ts builds it, over the real service, with a clock the test moves. */
function worker(overrides: Partial<Settings> = {}) {
  // Every route needs a token now (issue 13); reading recipes is any role's right.
  const settings = settingsSchema.parse({ serviceUrl: baseUrl, token: ADMIN_TOKEN, ...overrides });
  const requests: Array<{ url: string; ifNoneMatch: string | null; status: number }> = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    requests.push({
      url: String(input),
      ifNoneMatch: new Headers(init?.headers).get('if-none-match'),
      status: response.status,
    });
    return response;
  };
  const client = createServiceClient({ settings: async () => settings, fetch: recordingFetch });
  const clock = { now: 1_000_000 };
  const storage = memoryStorage();
  const book = createRecipeBook({
    storage,
    fetchPublished: (name, etag) => client.publishedRecipe(name, etag),
    now: () => clock.now,
    refreshMs: 60_000,
  });
  const instance = createWorker({ client, settings: async () => settings, recipes: book });
  const ask = async <T>(message: unknown) => {
    const answer = await instance.handleRequest(message);
    const type = (message as { type: keyof typeof workerResponseSchemas }).type;
    return workerResponseSchemas[type].parse(answer) as
      | { ok: true; data: T }
      | { ok: false; error: { code: string } };
  };
  return { ask, book, clock, requests, storage };
}

describe('the worker’s recipe cache over the real service', () => {
  it('serves a published recipe, answers from its cache while fresh, then revalidates with the ETag', async () => {
    expect(await publish(taught({ version: 1 }))).toBe(201);
    const { ask, book, clock, requests } = worker();

    const first = await ask<{ recipe: Recipe; source: string }>({ type: 'recipes:get', domain });
    expect(first).toMatchObject({ ok: true, data: { source: 'published', recipe: { version: 1 } } });
    expect(requests).toHaveLength(1);

    clock.now += 30_000;
    await ask({ type: 'recipes:get', domain });
    expect(requests).toHaveLength(1);

    // Stale: the cached recipe answers at once, the service is asked with the ETag behind it.
    clock.now += 60_000;
    const stale = await ask<{ recipe: Recipe }>({ type: 'recipes:get', domain });
    expect(stale.ok && stale.data.recipe.version).toBe(1);
    await book.idle();
    expect(requests.at(-1)).toMatchObject({ ifNoneMatch: `"${domain}@1"`, status: 304 });

    // An admin publishes version 2; a forced refresh (the panel opening) picks it up.
    expect(await publish(taught({ version: 2, note: 'v2' }))).toBe(201);
    const refreshed = await ask<{ recipe: Recipe }>({ type: 'recipes:get', domain, refresh: true });
    expect(refreshed.ok && refreshed.data.recipe).toMatchObject({ version: 2, note: 'v2' });
    expect(requests.at(-1)).toMatchObject({ ifNoneMatch: `"${domain}@1"`, status: 200 });
  });

  it('keeps answering from the cache when the service cannot be reached', async () => {
    const { ask, storage } = worker();
    await ask({ type: 'recipes:get', domain });
    const offline = worker({ serviceUrl: 'http://127.0.0.1:9' });
    await offline.storage.set(await storage.get(PUBLISHED_KEY));
    const answer = await offline.ask<{ recipe: Recipe | null }>({
      type: 'recipes:get',
      domain,
      refresh: true,
    });
    expect(answer.ok && answer.data.recipe?.domain).toBe(domain);
  });

  it('lets the operator’s own recipe win until the admin publishes a newer version', async () => {
    const { ask } = worker();
    const current = await ask<{ local: Recipe | null; published: Recipe | null }>({
      type: 'recipes:get',
      domain,
    });
    if (!current.ok) throw new Error('recipes:get failed');
    const version = nextVersion(current.data);
    expect(version).toBe((current.data.published?.version ?? 0) + 1);

    const saved = await ask({ type: 'recipes:save-local', recipe: taught({ version, composer: '#mine' }) });
    expect(saved).toMatchObject({ ok: true, data: { source: 'local', recipe: { composer: '#mine' } } });
    const listed = await ask<{ recipes: Recipe[] }>({ type: 'recipes:list-local' });
    expect(listed.ok && listed.data.recipes.map((recipe) => recipe.domain)).toEqual([domain]);

    expect(await publish(taught({ version: version + 1 }))).toBe(201);
    const after = await ask({ type: 'recipes:get', domain, refresh: true });
    expect(after).toMatchObject({
      ok: true,
      data: { source: 'published', recipe: { version: version + 1 } },
    });

    await ask({ type: 'recipes:delete-local', domain });
    const gone = await ask<{ local: Recipe | null }>({ type: 'recipes:get', domain });
    expect(gone.ok && gone.data.local).toBeNull();
  });

  it('forgets a withdrawn recipe on the next refresh', async () => {
    const other = taught({ domain: 'withdrawn.example.ru', version: 1 });
    expect(await publish(other)).toBe(201);
    const { ask } = worker();
    expect(await ask({ type: 'recipes:get', domain: other.domain })).toMatchObject({
      ok: true,
      data: { source: 'published' },
    });
    await fetch(`${baseUrl}/v1/recipes/${other.domain}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(await ask({ type: 'recipes:get', domain: other.domain, refresh: true })).toMatchObject({
      ok: true,
      data: { recipe: null, source: null },
    });
  });
});

describe('recipe messages', () => {
  it('refuses a recipe with a broken selector or a domain that is not a host before it reaches storage', async () => {
    const { ask, storage } = worker();
    const broken = await ask({ type: 'recipes:save-local', recipe: { ...taught(), messageList: '#a[' } });
    expect(broken).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
    expect(
      workerRequestSchema.safeParse({ type: 'recipes:get', domain: 'https://desk.example.ru' }).success,
    ).toBe(false);
    expect(await storage.get(null)).toEqual({});
  });

  it('answers not-configured from a worker built without recipes', async () => {
    const settings = settingsSchema.parse({ serviceUrl: baseUrl });
    const bare = createWorker({
      client: createServiceClient({ settings: async () => settings }),
      settings: async () => settings,
    });
    expect(await bare.handleRequest({ type: 'recipes:list-local' })).toMatchObject({
      ok: false,
      error: { code: 'not-configured' },
    });
  });

  it('chooses the newer version, and the operator’s own on a tie', () => {
    const local = taught({ version: 3 });
    expect(chooseRecipe(local, taught({ version: 3 })).source).toBe('local');
    expect(chooseRecipe(local, taught({ version: 4 })).source).toBe('published');
    expect(chooseRecipe(null, null)).toEqual({ recipe: null, source: null, local: null, published: null });
  });
});

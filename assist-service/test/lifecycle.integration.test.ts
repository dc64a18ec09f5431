import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { assistResponseSchema, errorBodySchema } from '../src/contract/index.ts';
import { openSqliteEventStore } from '../src/feedback/sqlite-event-store.ts';
import { openSqliteRecipeStore } from '../src/recipes/sqlite-recipe-store.ts';
import { createScriptProfiles } from '../src/retrieval/script-profiles.ts';
import { assistBody, startTestService, temporaryDataDir, testAdminToken } from './harness.ts';

describe('service lifecycle', () => {
  it('answers 503 with Retry-After while the knowledge base is not open, and stays alive', async () => {
    const events = openSqliteEventStore({ file: ':memory:', tenant: 'default' });
    const token = testAdminToken();
    const app = createApp({
      kb: () => undefined,
      events,
      recipes: openSqliteRecipeStore({ file: ':memory:', tenant: 'default' }),
      logger: pino({ level: 'silent' }),
      clock: { now: () => new Date() },
      config: loadConfig({ ASSIST_ADMIN_TOKEN: token }),
      engine: {
        id: 'never',
        assist: () => Promise.reject(new Error('not reached')),
      },
      profiles: createScriptProfiles(),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const [path, body] of [
        ['/v1/assist', assistBody([{ role: 'customer', text: 'Где заказ?' }])],
        ['/v1/search', { collection: 'demo', query: 'заказ' }],
        ['/v1/check-draft', { collection: 'demo', channel: 'chat', draft: 'Привет' }],
      ] as const) {
        const response = await fetch(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        expect(errorBodySchema.parse(await response.json()).error.code).toBe('not-ready');
      }
      expect((await fetch(`${url}/v1/ready`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
        503,
      );
      expect((await fetch(`${url}/v1/health`)).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await events.close();
    }
  });

  it('keeps suggestion sets, feedback and knowledge gaps across a restart, without re-ingesting', async () => {
    const dataDir = temporaryDataDir();
    const first = await startTestService({ dataDir, keepData: true });
    const assist = assistResponseSchema.parse(
      await (
        await first.post('/v1/assist', assistBody([{ role: 'customer', text: 'Где мой заказ 123456?' }]))
      ).json(),
    );
    await first.post(
      '/v1/assist',
      assistBody([{ role: 'customer', text: 'Принимаете оплату биткоинами и эфиром?' }]),
    );
    const event = {
      eventId: 'restart-1',
      type: 'suggestion-rated',
      rating: 'up',
      suggestionSetId: assist.suggestionSetId,
      suggestionIndex: 0,
    };
    expect((await first.post('/v1/feedback', event)).status).toBe(200);
    const collectionBefore = await (await first.get('/v1/collections')).json();
    await first.dispose();

    const second = await startTestService({ dataDir });
    try {
      expect(await (await second.post('/v1/feedback', event)).json()).toEqual({
        eventId: 'restart-1',
        duplicate: true,
      });
      expect(await second.events.getSuggestionSet(assist.suggestionSetId)).toMatchObject({
        collection: 'demo',
        engine: 'offline',
      });
      expect(await second.events.listKnowledgeGaps()).toHaveLength(1);
      expect(await (await second.get('/v1/collections')).json()).toEqual(collectionBefore);
    } finally {
      await second.dispose();
    }
  });

  it('lets an in-flight streamed answer finish when asked to shut down', async () => {
    const service = await startTestService();
    const pending = service.post(
      '/v1/assist',
      assistBody([{ role: 'customer', text: 'Где мой заказ 123456?' }]),
      {
        accept: 'text/event-stream',
      },
    );
    const response = await pending;
    const closing = service.dispose();
    const text = await response.text();
    await closing;
    expect(text).toContain('event: done');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assistResponseSchema,
  checkDraftResponseSchema,
  collectionsResponseSchema,
  errorBodySchema,
  feedbackEventsResponseSchema,
  healthResponseSchema,
  readyResponseSchema,
  searchResponseSchema,
} from '../src/contract/index.ts';
import { assistBody, startTestService, type TestService } from './harness.ts';

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ config: { bodyLimitBytes: 64 * 1024 } });
});
afterAll(async () => {
  await service.dispose();
});

async function errorOf(response: Response) {
  return errorBodySchema.parse(await response.json()).error;
}

describe('service endpoints', () => {
  it('reports health, readiness and the collections with their statistics', async () => {
    expect(healthResponseSchema.parse(await (await service.get('/v1/health')).json()).status).toBe('ok');
    const ready = readyResponseSchema.parse(await (await service.get('/v1/ready')).json());
    expect(ready).toMatchObject({ ready: true, store: 'sqlite', collections: 1 });
    const { collections } = collectionsResponseSchema.parse(
      await (await service.get('/v1/collections')).json(),
    );
    expect(collections[0]).toMatchObject({ name: 'demo' });
    expect(collections[0]?.byKind.template).toBeGreaterThan(0);
  });

  it("loads every collection's search indexes at start, not in the first operator request", async () => {
    const warmed = service.logs
      .map((line) => JSON.parse(line) as { msg?: string; collection?: string })
      .filter((entry) => entry.msg === 'indexes warmed')
      .map((entry) => entry.collection);
    expect(warmed).toEqual([service.config.demoCollection]);
  });

  it('serves an OpenAPI 3.1 document generated from the contract', async () => {
    const document = (await (await service.get('/v1/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/assist', '/v1/search', '/v1/check-draft', '/v1/feedback', '/v1/ready']),
    );
    expect(document.components.schemas.AssistRequest?.properties).toHaveProperty('conversation');
  });

  it('searches the knowledge base like the CLI does', async () => {
    const response = await service.post('/v1/search', {
      collection: 'demo',
      query: 'сколько идёт доставка',
      topK: 3,
    });
    const body = searchResponseSchema.parse(await response.json());
    expect(body.hits[0]?.documentId).toBe('faq-delivery-time');
    expect(body.hits.length).toBeLessThanOrEqual(3);
  });

  it('filters search by kind and returns nothing for an empty query', async () => {
    const filtered = searchResponseSchema.parse(
      await (
        await service.post('/v1/search', {
          collection: 'demo',
          query: 'заказ',
          filter: { kinds: ['template'] },
        })
      ).json(),
    );
    expect(filtered.hits.every((hit) => hit.kind === 'template')).toBe(true);
    const empty = searchResponseSchema.parse(
      await (await service.post('/v1/search', { collection: 'demo', query: '  ' })).json(),
    );
    expect(empty.hits).toEqual([]);
  });

  it('checks a draft against the script from the knowledge base, with spans to underline', async () => {
    const draft = 'Мы вернём деньги в любом случае.';
    const response = await service.post('/v1/check-draft', { collection: 'demo', channel: 'chat', draft });
    const body = checkDraftResponseSchema.parse(await response.json());
    const types = body.findings.map((finding) => finding.type);
    expect(types).toEqual(expect.arrayContaining(['missing-greeting', 'missing-closing', 'banned-phrase']));
    const banned = body.findings.find((finding) => finding.type === 'banned-phrase')!;
    expect(draft.slice(banned.span!.start, banned.span!.end).toLowerCase()).toContain('вернём деньги');
    expect(banned.suggestion).toBe('Мы вернём деньги, если товар подходит под условия возврата.');
    expect(body.rulesFrom).toContain('script-ru/rules');
  });

  it('does not ask a later reply for a greeting', async () => {
    const response = await service.post('/v1/check-draft', {
      collection: 'demo',
      channel: 'chat',
      draft: 'Заказ уже в пути. Если появятся вопросы, пишите — мы на связи.',
      messages: [
        { role: 'customer', text: 'Где заказ?' },
        { role: 'operator', text: 'Здравствуйте! Сейчас посмотрю.' },
      ],
    });
    const body = checkDraftResponseSchema.parse(await response.json());
    expect(body.findings.map((finding) => finding.type)).not.toContain('missing-greeting');
  });
});

describe('demo desk', () => {
  it('serves the demo helpdesk page at /demo-desk/ so the extension can be tried against this service', async () => {
    const response = await service.get('/demo-desk/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('dd-conversation');
    const bare = await fetch(`${service.url}/demo-desk`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/demo-desk/');
  });

  it('does not serve the demo desk when it is switched off', async () => {
    const quiet = await startTestService({ config: { demoDesk: false } });
    try {
      expect((await quiet.get('/demo-desk/')).status).toBe(404);
    } finally {
      await quiet.dispose();
    }
  });
});

describe('feedback', () => {
  async function suggestionSet() {
    const response = await service.post(
      '/v1/assist',
      assistBody([{ role: 'customer', text: 'Где мой заказ 123456?' }]),
    );
    return assistResponseSchema.parse(await response.json());
  }

  it('records every kind of event once, however often it is sent', async () => {
    const set = await suggestionSet();
    const base = { suggestionSetId: set.suggestionSetId, suggestionIndex: 0 };
    const events = [
      { ...base, eventId: `${set.suggestionSetId}-1`, type: 'suggestion-shown' },
      { ...base, eventId: `${set.suggestionSetId}-2`, type: 'suggestion-inserted' },
      { ...base, eventId: `${set.suggestionSetId}-3`, type: 'suggestion-edited', finalText: 'Заказ в пути!' },
      {
        ...base,
        eventId: `${set.suggestionSetId}-4`,
        type: 'suggestion-rated',
        rating: 'down',
        reason: 'длинно',
      },
      { ...base, eventId: `${set.suggestionSetId}-5`, type: 'suggestion-dismissed' },
    ];
    for (const event of events) {
      const first = await service.post('/v1/feedback', event);
      expect(await first.json()).toEqual({ eventId: event.eventId, duplicate: false });
      const again = await service.post('/v1/feedback', event);
      expect(await again.json()).toEqual({ eventId: event.eventId, duplicate: true });
    }
    const stored = await service.events.listFeedback({ suggestionSetId: set.suggestionSetId });
    expect(stored.map((event) => event.type)).toEqual(events.map((event) => event.type));
    expect(stored.find((event) => event.type === 'suggestion-edited')?.finalText).toBe('Заказ в пути!');
  });

  it('lists the recorded events of a suggestion set over HTTP, oldest first', async () => {
    const set = await suggestionSet();
    const other = await suggestionSet();
    const base = { suggestionSetId: set.suggestionSetId, suggestionIndex: 0 };
    await service.post('/v1/feedback', {
      ...base,
      eventId: `${set.suggestionSetId}-a`,
      type: 'suggestion-inserted',
    });
    await service.post('/v1/feedback', {
      ...base,
      eventId: `${set.suggestionSetId}-b`,
      type: 'suggestion-edited',
      finalText: 'Заказ 123456 приедет завтра.',
    });
    await service.post('/v1/feedback', {
      suggestionSetId: other.suggestionSetId,
      suggestionIndex: 0,
      eventId: `${other.suggestionSetId}-a`,
      type: 'suggestion-shown',
    });
    const response = await service.get(
      `/v1/feedback/events?suggestionSetId=${encodeURIComponent(set.suggestionSetId)}`,
    );
    expect(response.status).toBe(200);
    const { events } = feedbackEventsResponseSchema.parse(await response.json());
    expect(events.map((event) => [event.type, event.finalText])).toEqual([
      ['suggestion-inserted', undefined],
      ['suggestion-edited', 'Заказ 123456 приедет завтра.'],
    ]);
    const limited = feedbackEventsResponseSchema.parse(
      await (await service.get('/v1/feedback/events?limit=1')).json(),
    );
    expect(limited.events).toHaveLength(1);
  });

  it('pages through every event with the `next` cursor, none twice and none missed', async () => {
    const set = await suggestionSet();
    const base = { suggestionSetId: set.suggestionSetId, suggestionIndex: 0 };
    const sent = [
      'suggestion-shown',
      'suggestion-inserted',
      'suggestion-edited',
      'suggestion-rated',
      'suggestion-dismissed',
    ];
    for (const [index, type] of sent.entries()) {
      await service.post('/v1/feedback', {
        ...base,
        eventId: `${set.suggestionSetId}-page-${index}`,
        type,
        ...(type === 'suggestion-edited' ? { finalText: 'Готово.' } : {}),
        ...(type === 'suggestion-rated' ? { rating: 'up' } : {}),
      });
    }
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const query = new URLSearchParams({
        suggestionSetId: set.suggestionSetId,
        limit: '2',
        ...(after ? { after } : {}),
      });
      const body = feedbackEventsResponseSchema.parse(
        await (await service.get(`/v1/feedback/events?${query}`)).json(),
      );
      seen.push(...body.events.map((event) => event.type));
      after = body.next;
      if (!after) break;
    }
    expect(seen).toEqual(sent);
    const broken = await service.get('/v1/feedback/events?after=not-a-cursor');
    expect(broken.status).toBe(400);
    expect((await errorOf(broken)).issues?.[0]?.path).toBe('after');
  });

  it('names the bad query parameter when listing events', async () => {
    const response = await service.get('/v1/feedback/events?limit=5000');
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid-request');
    expect(error.issues?.[0]?.path).toBe('limit');
  });

  it("refuses feedback sent as text/plain (what a page's no-cors POST or sendBeacon sends) with 415", async () => {
    const set = await suggestionSet();
    const response = await service.post(
      '/v1/feedback',
      {
        eventId: `${set.suggestionSetId}-beacon`,
        type: 'suggestion-shown',
        suggestionSetId: set.suggestionSetId,
        suggestionIndex: 0,
      },
      { 'content-type': 'text/plain;charset=UTF-8' },
    );
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported-media-type');
  });

  it('answers 404 for an unknown suggestion set and 400 for an index it does not have', async () => {
    const unknown = await service.post('/v1/feedback', {
      eventId: 'x-1',
      type: 'suggestion-shown',
      suggestionSetId: 'no-such-set',
      suggestionIndex: 0,
    });
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('suggestion-set-not-found');
    const set = await suggestionSet();
    const outOfRange = await service.post('/v1/feedback', {
      eventId: 'x-2',
      type: 'suggestion-shown',
      suggestionSetId: set.suggestionSetId,
      suggestionIndex: 9,
    });
    expect(outOfRange.status).toBe(400);
    expect((await errorOf(outOfRange)).issues?.[0]?.path).toBe('suggestionIndex');
  });
});

describe('bad input', () => {
  it('answers invalid JSON with 400 invalid-json', async () => {
    const response = await service.post('/v1/assist', '{"collection": "demo", ');
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid-json');
  });

  it('lists the paths of every invalid field', async () => {
    const response = await service.post('/v1/assist', {
      collection: 'demo',
      conversation: { channel: 'fax', messages: [{ role: 'robot', text: 5 }] },
    });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid-request');
    expect(error.issues?.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        'conversation.channel',
        'conversation.messages.0.role',
        'conversation.messages.0.text',
      ]),
    );
  });

  it('answers a body over the limit with 413', async () => {
    const response = await service.post(
      '/v1/assist',
      assistBody([{ role: 'customer', text: 'я'.repeat(70_000) }]),
    );
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('payload-too-large');
  });

  it('answers a form-encoded body with 415', async () => {
    const response = await service.post('/v1/search', 'query=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(415);
  });

  it('answers an unknown route with a JSON 404 and never shows a stack', async () => {
    const response = await service.get('/v1/nothing-here');
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text).not.toMatch(/at .*\.ts:\d+/u);
    expect(JSON.parse(text).error.code).toBe('not-found');
  });

  it('echoes a valid X-Request-Id and replaces an unsafe one', async () => {
    const kept = await service.get('/v1/health', { 'x-request-id': 'panel-42' });
    expect(kept.headers.get('x-request-id')).toBe('panel-42');
    const replaced = await service.get('/v1/health', { 'x-request-id': 'bad id\twith spaces' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/u);
  });

  it('gives CORS to no origin but its own when no extension id is configured', async () => {
    const extension = await service.get('/v1/health', { origin: 'chrome-extension://abcdefghijklmnop' });
    expect(extension.headers.get('access-control-allow-origin')).toBeNull();
    const site = await service.get('/v1/health', { origin: 'https://evil.example' });
    expect(site.headers.get('access-control-allow-origin')).toBeNull();
  });
});

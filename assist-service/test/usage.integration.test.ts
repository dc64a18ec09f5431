import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, usageResponseSchema } from '../src/contract/index.ts';
import type { SuggestionSetRecord } from '../src/feedback/event-store.ts';
import { startTestService, type TestService } from './harness.ts';

/**
 * `GET /v1/analytics/usage` on a real service: suggestion sets with their model usage written
 * into the real event store, summed by the route per day, engine and model.
 */
let service: TestService;

const base: SuggestionSetRecord = {
  id: 'set',
  collection: 'demo',
  engine: 'claude',
  channel: 'chat',
  language: 'ru',
  confidence: { score: 0.8, level: 'high' },
  suggestions: [],
  createdAt: '2026-12-01T10:00:00.000Z',
};

const usage = (model: string, costUsd: number | null, inputTokens = 1000) => ({
  model,
  inputTokens,
  outputTokens: 100,
  cacheReadTokens: 2000,
  cacheWriteTokens: 0,
  costUsd,
});

beforeAll(async () => {
  service = await startTestService({ clock: { now: () => new Date('2026-12-06T12:00:00.000Z') } });
  const sets: SuggestionSetRecord[] = [
    { ...base, id: 'a', usage: usage('claude-haiku-5-5', 0.001) },
    { ...base, id: 'b', usage: usage('claude-haiku-5-5', 0.002, 3000) },
    { ...base, id: 'c', engine: 'openai-compatible', usage: usage('qwen-local', null) },
    { ...base, id: 'd', createdAt: '2026-12-05T23:59:59.000Z', usage: usage('claude-haiku-5-5', 0.004) },
    // Before the default range, and an offline set with no usage: neither is counted.
    { ...base, id: 'e', createdAt: '2026-10-01T10:00:00.000Z', usage: usage('claude-haiku-5-5', 0.5) },
    { ...base, id: 'f', engine: 'offline' },
  ];
  for (const set of sets) await service.events.saveSuggestionSet(set);
}, 60_000);
afterAll(async () => {
  await service?.dispose();
});

describe('GET /v1/analytics/usage', () => {
  it('sums tokens, cache reads and cost per day, engine and model over the last 30 days by default', async () => {
    const response = await service.get('/v1/analytics/usage');
    expect(response.status).toBe(200);
    const body = usageResponseSchema.parse(await response.json());
    expect(body.from).toBe('2026-11-07');
    expect(body.to).toBe('2026-12-06');
    expect(body.days).toEqual([
      {
        day: '2026-12-01',
        engine: 'claude',
        model: 'claude-haiku-5-5',
        sets: 2,
        inputTokens: 4000,
        outputTokens: 200,
        cacheReadTokens: 4000,
        cacheWriteTokens: 0,
        costUsd: expect.closeTo(0.003, 9),
        unpriced: 0,
      },
      expect.objectContaining({
        day: '2026-12-01',
        engine: 'openai-compatible',
        model: 'qwen-local',
        unpriced: 1,
        costUsd: 0,
      }),
      expect.objectContaining({ day: '2026-12-05', engine: 'claude', sets: 1 }),
    ]);
    expect(body.totals).toMatchObject({ sets: 4, inputTokens: 6000, unpriced: 1 });
    expect(body.totals.costUsd).toBeCloseTo(0.007, 9);
  });

  it('includes both ends of the range asked for', async () => {
    const body = usageResponseSchema.parse(
      await (await service.get('/v1/analytics/usage?from=2026-12-05&to=2026-12-05')).json(),
    );
    expect(body.days.map((row) => row.day)).toEqual(['2026-12-05']);
    expect(body.totals.sets).toBe(1);
  });

  it('says which parameter is wrong: not a day, from after to, a range over a year', async () => {
    for (const [query, message] of [
      ['from=1.12.2026', /query parameters/u],
      ['from=2026-12-06&to=2026-12-01', /from \(2026-12-06\) is after to/u],
      ['from=2024-01-01&to=2026-12-01', /at most 366 days/u],
    ] as const) {
      const response = await service.get(`/v1/analytics/usage?${query}`);
      expect(response.status).toBe(400);
      expect(errorBodySchema.parse(await response.json()).error.message).toMatch(message);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { type StoreBackend, storeOpener } from '../storage/conformance-backends.ts';
import type { HitResult, LimitCheck, RateCounters } from './rate-limit.ts';

const start = Date.parse('2026-12-06T10:00:00.000Z');
const MINUTE = 60_000;
const DAY = 86_400_000;

const tokenMinute = (token: string, limit: number): LimitCheck => ({
  limiter: 'token-minute',
  key: `token:${token}`,
  limit,
  windowMs: MINUTE,
});
const tenantMinute = (tenant: string, limit: number): LimitCheck => ({
  limiter: 'tenant-minute',
  key: `tenant:${tenant}`,
  limit,
  windowMs: MINUTE,
});
const tokenDay = (token: string, limit: number): LimitCheck => ({
  limiter: 'assist-token-day',
  key: `token:${token}`,
  limit,
  windowMs: DAY,
});

const allowed = (answers: HitResult[]) => answers.filter((answer) => answer.allowed).length;

/**
 * What every RateCounters does: in memory (one process: the SQLite deployment) and shared in
 * PostgreSQL; run by src/storage/stores.test.ts. Each `open` of the PostgreSQL place is another
 * replica with its own pool, so concurrent hits through two opens race in the database.
 */
export function describeRateCountersConformance(backend: StoreBackend<RateCounters>): void {
  describe.skipIf(!backend.available)(`rate limits on ${backend.name}`, () => {
    const open = storeOpener(backend);

    it('lets `limit` hits a window through, refuses the rest without counting them, and starts again next window', async () => {
      // Two counters on the same data: two replicas counting one token.
      const [one, two] = [await open(''), await open('')];
      const answers = await Promise.all(
        Array.from({ length: 5 }, (_, index) =>
          (index % 2 === 0 ? one : two).hit([tokenMinute('a', 3)], start + index),
        ),
      );
      expect(allowed(answers)).toBe(3);
      // Which two of the five concurrent hits lose the race is the database's choice, not their order.
      const refused = { allowed: false, retryAfterSeconds: 60, refused: 0 };
      expect(answers.filter((answer) => !answer.allowed)).toEqual([refused, refused]);
      expect(await one.hit([tokenMinute('b', 3)], start + 10)).toEqual({ allowed: true });
      expect(await two.hit([tokenMinute('a', 3)], start + MINUTE)).toEqual({ allowed: true });
    });

    it('takes nothing of the token quota for a request the tenant limit refuses', async () => {
      const counters = await open('');
      // The tenant's minute is used up by another operator.
      for (let index = 0; index < 2; index++) {
        expect(await counters.hit([tokenMinute('other', 10), tenantMinute('acme', 2)], start)).toEqual({
          allowed: true,
        });
      }
      // Anna's five requests are all refused by the tenant limit, the second check…
      for (let index = 0; index < 5; index++) {
        expect(
          await counters.hit(
            [tokenMinute('anna', 3), tenantMinute('acme', 2), tokenDay('anna', 3)],
            start + 1,
          ),
        ).toMatchObject({ allowed: false, refused: 1 });
      }
      // …so next minute her token has its whole minute and its whole day left.
      const next = start + MINUTE;
      const answers: HitResult[] = [];
      for (let index = 0; index < 4; index++) {
        answers.push(
          await counters.hit([tokenMinute('anna', 3), tenantMinute('acme', 100), tokenDay('anna', 3)], next),
        );
      }
      expect(answers.map((answer) => answer.allowed)).toEqual([true, true, true, false]);
      expect(answers[3]).toMatchObject({ refused: 0 });
    });

    it('takes nothing of the tenant limit for a request the token limit refuses', async () => {
      const counters = await open('');
      expect(await counters.hit([tokenMinute('anna', 1), tenantMinute('acme', 3)], start)).toEqual({
        allowed: true,
      });
      for (let index = 0; index < 5; index++) {
        expect(await counters.hit([tokenMinute('anna', 1), tenantMinute('acme', 3)], start)).toMatchObject({
          allowed: false,
          refused: 0,
        });
      }
      // The tenant has used 1 of its 3: two more of its operators get through.
      expect(await counters.hit([tokenMinute('boris', 5), tenantMinute('acme', 3)], start)).toEqual({
        allowed: true,
      });
      expect(await counters.hit([tokenMinute('vera', 5), tenantMinute('acme', 3)], start)).toEqual({
        allowed: true,
      });
      expect(await counters.hit([tokenMinute('vera', 5), tenantMinute('acme', 3)], start)).toMatchObject({
        allowed: false,
        refused: 1,
      });
    });

    it('counts no refused request under concurrency: every counter ends at the requests let through', async () => {
      const [one, two] = [await open(''), await open('')];
      // 4 operators × 6 concurrent requests against a tenant limit of 10 and token limits of 4.
      const operators = ['anna', 'boris', 'vera', 'gleb'];
      const requests = operators.flatMap((operator) =>
        Array.from({ length: 6 }, (_, index) => ({ operator, via: index % 2 === 0 ? one : two })),
      );
      const answers = await Promise.all(
        requests.map(({ operator, via }) =>
          via.hit([tokenMinute(operator, 4), tenantMinute('acme', 10)], start),
        ),
      );
      expect(allowed(answers)).toBe(10);
      const perOperator = operators.map(
        (operator) =>
          answers.filter((answer, index) => answer.allowed && requests[index]?.operator === operator).length,
      );
      expect(perOperator.every((count) => count <= 4)).toBe(true);
      // What each token has left is exactly its limit minus what it was let through: probing one
      // hit at a time with the tenant limit out of the way finds each token's remaining quota.
      for (const [index, operator] of operators.entries()) {
        let more = 0;
        while ((await one.hit([tokenMinute(operator, 4)], start + 1)).allowed) more += 1;
        expect(more, operator).toBe(4 - (perOperator[index] ?? 0));
      }
    });

    it('keeps no counter for a limit that is switched off', async () => {
      const counters = await open('');
      for (let index = 0; index < 3; index++) {
        expect(await counters.hit([tokenMinute('anna', 0), tenantMinute('acme', 2)], start)).toMatchObject({
          allowed: index < 2,
        });
      }
      expect(await counters.hit([], start)).toEqual({ allowed: true });
    });
  });
}

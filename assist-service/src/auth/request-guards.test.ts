import { describe, expect, it } from 'vitest';
import { memoryRateCounters } from './rate-limit.ts';
import { hostName, isJsonContentType } from './request-guards.ts';

describe('request guards', () => {
  it('reads the host name of a Host header without its port, IPv6 literals included', () => {
    expect(hostName('127.0.0.1:8787')).toBe('127.0.0.1');
    expect(hostName('[::1]:8787')).toBe('[::1]');
    expect(hostName('LocalHost')).toBe('localhost');
    expect(hostName('evil.example:80')).toBe('evil.example');
    expect(hostName('[::1')).toBeUndefined();
    expect(hostName(undefined)).toBeUndefined();
  });

  it('takes JSON and +json as JSON, and neither text/plain, forms nor a missing type', () => {
    expect(
      ['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json'].map(
        isJsonContentType,
      ),
    ).toEqual([true, true, true]);
    expect(
      ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data', undefined].map(
        isJsonContentType,
      ),
    ).toEqual([false, false, false, false]);
  });

  it('counts hits per key in fixed windows and says how long until the window turns', () => {
    const counters = memoryRateCounters();
    const minute = (key: string) => [{ limiter: 'minute', key, limit: 2, windowMs: 60_000 }];
    const start = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
    expect(counters.hit(minute('a'), start).allowed).toBe(true);
    expect(counters.hit(minute('a'), start + 1000).allowed).toBe(true);
    expect(counters.hit(minute('a'), start + 15_000)).toEqual({
      allowed: false,
      retryAfterSeconds: 45,
      refused: 0,
    });
    expect(counters.hit(minute('b'), start + 15_000).allowed).toBe(true);
    expect(counters.hit(minute('a'), start + 60_000).allowed).toBe(true);
  });
});

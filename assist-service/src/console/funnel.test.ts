import { describe, expect, it } from 'vitest';
import type { FunnelQuery } from '../contract/index.ts';
import { bucketStart, funnelPeriod } from './funnel.ts';

const at = (iso: string) => Date.parse(iso);
const query = (overrides: Partial<FunnelQuery> = {}): FunnelQuery => ({
  bucket: 'hour',
  offsetMinutes: 0,
  ...overrides,
});

describe('bucketStart', () => {
  it('starts 15-minute and hour buckets on the boundary in the given zone', () => {
    expect(new Date(bucketStart(at('2026-12-06T10:44:59.999Z'), '15m', 0)).toISOString()).toBe(
      '2026-12-06T10:30:00.000Z',
    );
    // India is UTC+5:30: its hours start at half past in UTC.
    expect(new Date(bucketStart(at('2026-12-06T10:20:00Z'), 'hour', 330)).toISOString()).toBe(
      '2026-12-06T09:30:00.000Z',
    );
  });

  it('starts days at local midnight and weeks on local Monday', () => {
    // 23:30 UTC on Sunday 6 December is already Monday 7 December in Moscow (UTC+3).
    expect(new Date(bucketStart(at('2026-12-06T23:30:00Z'), 'day', 180)).toISOString()).toBe(
      '2026-12-06T21:00:00.000Z',
    );
    expect(new Date(bucketStart(at('2026-12-06T23:30:00Z'), 'week', 180)).toISOString()).toBe(
      '2026-12-06T21:00:00.000Z',
    );
    expect(new Date(bucketStart(at('2026-12-06T20:59:00Z'), 'week', 180)).toISOString()).toBe(
      '2026-11-29T21:00:00.000Z',
    );
    expect(new Date(bucketStart(at('1970-01-01T00:00:00Z'), 'week', 0)).toISOString()).toBe(
      '1969-12-29T00:00:00.000Z',
    );
  });
});

describe('funnelPeriod', () => {
  it('aligns the start to a bucket and lists every bucket up to the end', () => {
    const period = funnelPeriod(
      query({ bucket: 'hour', from: '2026-12-06T08:10:00Z', to: '2026-12-06T10:05:00Z' }),
      new Date(),
    );
    expect(period.starts.map((start) => new Date(start).toISOString())).toEqual([
      '2026-12-06T08:00:00.000Z',
      '2026-12-06T09:00:00.000Z',
      '2026-12-06T10:00:00.000Z',
    ]);
  });

  it('defaults to a span that suits the bucket, ending now', () => {
    const now = new Date('2026-12-06T12:00:00Z');
    expect(funnelPeriod(query({ bucket: '15m' }), now).starts).toHaveLength(96);
    expect(funnelPeriod(query({ bucket: 'day' }), now).starts).toHaveLength(31);
  });
});

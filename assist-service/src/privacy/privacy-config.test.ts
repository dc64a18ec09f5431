import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { retentionDaysFor } from './privacy-config.ts';

describe('privacy settings', () => {
  it('keeps rows 90 days, enforced hourly, unless told otherwise', () => {
    const { privacy, eventsMaxSizeBytes } = loadConfig({});
    expect(privacy).toMatchObject({ retentionDays: 90, retentionIntervalMinutes: 60, retentionPolicy: {} });
    expect(privacy.hashKey).toBeUndefined();
    expect(eventsMaxSizeBytes).toBeUndefined();
  });

  it('takes a tenant’s own figure first, then the `*` figure, then the default', () => {
    const { privacy } = loadConfig({
      NAPARNIK_RETENTION_DAYS: '30',
      NAPARNIK_RETENTION_POLICY:
        '{"acme": {"feedback_events": 7}, "*": {"feedback_events": 14, "history": 60}}',
      EVENTS_MAX_SIZE: '500mb',
    });
    expect(retentionDaysFor(privacy, 'acme', 'feedback_events')).toBe(7);
    expect(retentionDaysFor(privacy, 'other', 'feedback_events')).toBe(14);
    expect(retentionDaysFor(privacy, 'acme', 'suggestion_sets')).toBe(30);
    expect(retentionDaysFor(privacy, 'acme', 'history', 365)).toBe(60);
    expect(loadConfig({ EVENTS_MAX_SIZE: '500mb' }).eventsMaxSizeBytes).toBe(500 * 1024 ** 2);
  });

  it.each([
    ['NAPARNIK_RETENTION_POLICY', 'not json', /NAPARNIK_RETENTION_POLICY: JSON like/u],
    [
      'NAPARNIK_RETENTION_POLICY',
      '{"acme": {"gaps": 5}}',
      /NAPARNIK_RETENTION_POLICY: retention policy: acme/u,
    ],
    [
      'NAPARNIK_RETENTION_POLICY',
      '{"acme": {"feedback_events": -1}}',
      /retention policy: acme\.feedback_events/u,
    ],
    ['NAPARNIK_RETENTION_DAYS', 'ninety', /NAPARNIK_RETENTION_DAYS/u],
    ['NAPARNIK_PRIVACY_KEY', 'short', /NAPARNIK_PRIVACY_KEY: at least 16 characters/u],
    ['EVENTS_MAX_SIZE', 'huge', /EVENTS_MAX_SIZE/u],
  ])('refuses %s=%s with a message naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});

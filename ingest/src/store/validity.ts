/**
 * Validity windows of knowledge entries, in one place: the search filter (`validAt`), the KB
 * format's check of a template and the console's "expired" status all read them here. No imports:
 * the format schema (a pure subpath other packages import) uses it too.
 */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/u;
const BOUND = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/u;
const DAY_MS = 86_400_000;

/** What the KB formats accept as `validFrom`/`validUntil`: an ISO date, or a date-time with its offset. */
export const VALIDITY_BOUND_MESSAGE =
  'a date (2026-12-31) or a date-time with its offset (2026-12-31T18:00:00+03:00)';

export function isValidityBound(value: string): boolean {
  return BOUND.test(value) && !Number.isNaN(Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value));
}

/**
 * A knowledge entry's validity window, from its metadata's `validFrom` / `validUntil` (the KB
 * format's fields: an ISO date or date-time). A date alone is a whole day in UTC: valid from the
 * start of the `validFrom` day through the end of the `validUntil` day. Absent: no bound.
 */
export function validityWindow(metadata: Record<string, unknown> | undefined): {
  from?: number;
  until?: number;
} {
  const bound = (value: unknown, endOfDay: boolean): number | undefined => {
    if (typeof value !== 'string') return undefined;
    const time = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(time)) return undefined;
    return DATE_ONLY.test(value) && endOfDay ? time + DAY_MS : time;
  };
  const from = bound(metadata?.validFrom, false);
  const until = bound(metadata?.validUntil, true);
  return { ...(from !== undefined ? { from } : {}), ...(until !== undefined ? { until } : {}) };
}

/** Whether an entry may be retrieved at `at` (ISO instant): from ≤ at < until. */
export function isValidAt(metadata: Record<string, unknown> | undefined, at: string | number): boolean {
  const time = typeof at === 'number' ? at : Date.parse(at);
  const { from, until } = validityWindow(metadata);
  return (from === undefined || from <= time) && (until === undefined || time < until);
}

import {
  ANALYTICS_DIMENSIONS,
  type AnalyticsCounts,
  type AnalyticsDimension,
  type AnalyticsFilter,
  type AnalyticsHistogram,
  type AnalyticsMeasure,
  type AnalyticsRateRow,
  type AnalyticsRatesResponse,
} from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { OutcomeCountRow, OutcomeFilter } from '../feedback/analytics-queries.ts';
import { ROLLUP_MEASURE_EDGES } from '../feedback/outcome-rollups.ts';
import { type FunnelPeriod, periodFields } from './funnel.ts';

const DAY = 86_400_000;
/** The period of a query that names none and has no buckets to fill a screen with. */
export const DEFAULT_SPAN_MS = 30 * DAY;
/** The longest period one query may count over. */
export const MAX_SPAN_MS = 400 * DAY;

/** The instants a query asks for: [from, to), default the last 30 days. */
export function analyticsRange(
  query: { from?: string; to?: string },
  now: Date,
): { fromMs: number; toMs: number } {
  const toMs = query.to ? Date.parse(query.to) : now.getTime();
  const fromMs = query.from ? Date.parse(query.from) : toMs - DEFAULT_SPAN_MS;
  if (fromMs >= toMs) {
    throw new ServiceError('invalid-request', 'The period is empty.', {
      issues: [{ path: 'from', message: 'must be before `to`' }],
    });
  }
  if (toMs - fromMs > MAX_SPAN_MS) {
    throw new ServiceError('invalid-request', 'The period is longer than 400 days.', {
      issues: [{ path: 'from', message: 'ask for at most 400 days at a time' }],
    });
  }
  return { fromMs, toMs };
}

/** The store's filter for a query's period and dimension filters. */
export function outcomeFilterOf(
  query: AnalyticsFilter,
  range: { fromMs: number; toMs: number },
): OutcomeFilter {
  const filter: OutcomeFilter = { ...range };
  for (const dimension of ANALYTICS_DIMENSIONS) {
    const value = query[dimension];
    if (value !== undefined) filter[dimension] = value;
  }
  return filter;
}

export const emptyCounts = (): AnalyticsCounts => ({
  shown: 0,
  inserted: 0,
  sentAsIs: 0,
  sentEdited: 0,
  dismissed: 0,
  ratedDown: 0,
  degraded: 0,
});

const COUNT_NAMES = Object.keys(emptyCounts()) as Array<keyof AnalyticsCounts>;

function addCounts(target: AnalyticsCounts, source: AnalyticsCounts): void {
  for (const name of COUNT_NAMES) target[name] += source[name];
}

export function ratesOf(counts: AnalyticsCounts): AnalyticsRateRow['rates'] {
  const share = (count: number) => (counts.shown === 0 ? null : count / counts.shown);
  return {
    inserted: share(counts.inserted),
    sentAsIs: share(counts.sentAsIs),
    sentEdited: share(counts.sentEdited),
    dismissed: share(counts.dismissed),
    ratedDown: share(counts.ratedDown),
    degraded: share(counts.degraded),
  };
}

const countsOf = (row: OutcomeCountRow): AnalyticsCounts =>
  Object.fromEntries(COUNT_NAMES.map((name) => [name, row[name]])) as AnalyticsCounts;

/**
 * Rates per bucket (× breakdown value): every bucket of the period, empty ones included, so a
 * chart's time axis has no holes; with a breakdown, the `top` values by suggestions shown.
 */
export function buildRates(
  rows: readonly OutcomeCountRow[],
  period: FunnelPeriod,
  options: { breakdown?: AnalyticsDimension; top: number },
): AnalyticsRatesResponse {
  const totals = emptyCounts();
  const byKey = new Map<string | null, number>();
  for (const row of rows) {
    addCounts(totals, countsOf(row));
    if (options.breakdown) byKey.set(row.key ?? null, (byKey.get(row.key ?? null) ?? 0) + row.shown);
  }
  const keys = options.breakdown
    ? [...byKey]
        .sort((left, right) => right[1] - left[1] || String(left[0]).localeCompare(String(right[0])))
        .slice(0, options.top)
        .map(([key]) => key)
    : [];
  const cell = new Map<string, OutcomeCountRow>();
  for (const row of rows) cell.set(`${row.bucketStartMs}|${row.key ?? ''}|${row.key === null}`, row);
  const result: AnalyticsRateRow[] = [];
  period.starts.forEach((start, index) => {
    const end = Math.min(period.starts[index + 1] ?? period.to, period.to);
    for (const key of options.breakdown ? keys : [undefined]) {
      const found = cell.get(`${start}|${key ?? ''}|${key === null}`);
      const counts = found ? countsOf(found) : emptyCounts();
      result.push({
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        ...(key !== undefined ? { key } : {}),
        ...counts,
        rates: ratesOf(counts),
      });
    }
  });
  return {
    ...periodFields(period),
    ...(options.breakdown ? { breakdown: options.breakdown } : {}),
    keys,
    rows: result,
    totals: { ...totals, rates: ratesOf(totals) },
  };
}

/**
 * Bin edges per measure: where the team's questions about speed and editing fall apart. The bins the
 * pre-aggregates keep, so a year's histograms are read from them (a new edge needs a migration that
 * refills them, decision 0044).
 */
export const HISTOGRAM_EDGES: Record<AnalyticsMeasure, readonly number[]> = ROLLUP_MEASURE_EDGES;

/** A histogram of a measure with its mean and percentiles estimated from the bins. */
export function buildHistogram(
  measure: AnalyticsMeasure,
  result: { bins: number[]; count: number; sum: number },
): AnalyticsHistogram {
  const edges = HISTOGRAM_EDGES[measure];
  const percentile = (fraction: number): number | null => {
    if (result.count === 0) return null;
    let seen = 0;
    for (let index = 0; index < result.bins.length; index += 1) {
      seen += result.bins[index]!;
      if (seen >= fraction * result.count) return edges[index + 1] ?? null;
    }
    return null;
  };
  return {
    measure,
    unit: measure === 'editDistance' ? 'characters' : 'ms',
    bins: edges.map((from, index) => ({
      from,
      to: edges[index + 1] ?? null,
      count: result.bins[index] ?? 0,
    })),
    count: result.count,
    mean: result.count === 0 ? null : result.sum / result.count,
    p50: percentile(0.5),
    p90: percentile(0.9),
  };
}

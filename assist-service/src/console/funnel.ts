import {
  type AnalyticsCounts,
  type AnalyticsOutcome,
  type AnalyticsRateRow,
  type AnalyticsRatesResponse,
  FUNNEL_STAGES,
  type FunnelBucket,
  type FunnelQuery,
  type FunnelResponse,
  type FunnelStage,
  type FunnelSuggestion,
} from '../contract/index.ts';
import { ServiceError } from '../errors.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Bucket lengths; a week starts on Monday, as in Russia. */
const BUCKET_MS: Record<FunnelBucket, number> = {
  '15m': 15 * MINUTE,
  hour: 60 * MINUTE,
  day: DAY,
  week: 7 * DAY,
};

/** The period shown when the query names none: a screenful of buckets. */
const DEFAULT_SPAN_MS: Record<FunnelBucket, number> = {
  '15m': DAY,
  hour: 2 * DAY,
  day: 30 * DAY,
  week: 12 * 7 * DAY,
};

/** More buckets than this is a query for a report, not a chart: ask for a coarser bucket. */
export const MAX_BUCKETS = 2000;

/** The start (UTC ms) of the bucket holding `time`, buckets aligned in the zone `offsetMinutes` east of UTC. */
export function bucketStart(time: number, bucket: FunnelBucket, offsetMinutes: number): number {
  const offset = offsetMinutes * MINUTE;
  const local = time + offset;
  if (bucket === 'week') {
    // 1970-01-01 was a Thursday: shift by three days so that weeks start on Monday.
    const days = Math.floor(local / DAY);
    const monday = Math.floor((days + 3) / 7) * 7 - 3;
    return monday * DAY - offset;
  }
  const size = BUCKET_MS[bucket];
  return Math.floor(local / size) * size - offset;
}

export interface FunnelPeriod {
  bucket: FunnelBucket;
  offsetMinutes: number;
  /** Aligned to a bucket start. */
  from: number;
  to: number;
  starts: number[];
}

/** The period a query asks for, aligned to its buckets. */
export function funnelPeriod(query: FunnelQuery, now: Date): FunnelPeriod {
  const to = query.to ? Date.parse(query.to) : now.getTime();
  const requestedFrom = query.from ? Date.parse(query.from) : to - DEFAULT_SPAN_MS[query.bucket];
  if (requestedFrom >= to) {
    throw new ServiceError('invalid-request', 'The period is empty.', {
      issues: [{ path: 'from', message: 'must be before `to`' }],
    });
  }
  const from = bucketStart(requestedFrom, query.bucket, query.offsetMinutes);
  const starts: number[] = [];
  for (let start = from; start < to; start = nextStart(start, query.bucket)) {
    starts.push(start);
    if (starts.length > MAX_BUCKETS) {
      throw new ServiceError('invalid-request', `The period spans more than ${MAX_BUCKETS} buckets.`, {
        issues: [{ path: 'bucket', message: 'choose a coarser bucket or a shorter period' }],
      });
    }
  }
  return { bucket: query.bucket, offsetMinutes: query.offsetMinutes, from, to, starts };
}

function nextStart(start: number, bucket: FunnelBucket): number {
  return start + BUCKET_MS[bucket];
}

/** How a response names its period. */
export function periodFields(period: FunnelPeriod) {
  return {
    bucket: period.bucket,
    from: new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
    offsetMinutes: period.offsetMinutes,
  };
}

const funnelRow = <Row extends AnalyticsCounts & { rates: AnalyticsRateRow['rates'] }>(row: Row) => ({
  shown: row.shown,
  inserted: row.inserted,
  sentAsIs: row.sentAsIs,
  sentEdited: row.sentEdited,
  dismissed: row.dismissed,
  rates: {
    inserted: row.rates.inserted,
    sentAsIs: row.rates.sentAsIs,
    sentEdited: row.rates.sentEdited,
    dismissed: row.rates.dismissed,
  },
});

/**
 * The older funnel's answer (`/v1/analytics/funnel`), read off the dashboard's rates: one way of
 * counting, the `suggestion_outcomes` rollup; the funnel shows five of its seven counts.
 */
export function funnelFromRates(
  rates: AnalyticsRatesResponse,
  query: FunnelQuery,
  dismissReasons: FunnelResponse['dismissReasons'],
  dimensions: FunnelResponse['dimensions'],
): FunnelResponse {
  return {
    bucket: rates.bucket,
    from: rates.from,
    to: rates.to,
    offsetMinutes: rates.offsetMinutes,
    filters: {
      ...(query.operator ? { operator: query.operator } : {}),
      ...(query.collection ? { collection: query.collection } : {}),
      ...(query.engine ? { engine: query.engine } : {}),
    },
    rows: rates.rows.map((row) => ({ start: row.start, end: row.end, ...funnelRow(row) })),
    totals: funnelRow(rates.totals),
    dismissReasons,
    dimensions,
  };
}

/** An outcome behind a number as the older funnel lists it: its five stages, its text from the set. */
export function funnelSuggestionOf(outcome: AnalyticsOutcome, text: string | undefined): FunnelSuggestion {
  return {
    suggestionSetId: outcome.suggestionSetId,
    suggestionIndex: outcome.suggestionIndex,
    shownAt: outcome.shownAt,
    collection: outcome.collection,
    engine: outcome.engine,
    ...(outcome.operatorId !== undefined ? { operatorId: outcome.operatorId } : {}),
    ...(outcome.title !== undefined ? { title: outcome.title } : {}),
    ...(text !== undefined ? { text } : {}),
    stages: outcome.stages.filter((stage): stage is FunnelStage =>
      (FUNNEL_STAGES as readonly string[]).includes(stage),
    ),
    ...(outcome.dismissReason !== undefined ? { dismissReason: outcome.dismissReason } : {}),
  };
}

import type {
  FunnelBucket,
  FunnelCounts,
  FunnelQuery,
  FunnelResponse,
  FunnelRow,
  FunnelStage,
  FunnelSuggestion,
} from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { FunnelDimensions, FunnelUnit } from '../feedback/funnel-queries.ts';
import { sameText } from '../feedback/outcomes.ts';

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

/** Every stage a shown suggestion reached. */
export function unitStages(unit: FunnelUnit): FunnelStage[] {
  const stages: FunnelStage[] = ['shown'];
  if (unit.inserted) stages.push('inserted');
  if (unit.sentText !== undefined) {
    stages.push(
      unit.suggestionText !== undefined && sameText(unit.sentText, unit.suggestionText)
        ? 'sent-as-is'
        : 'sent-edited',
    );
  }
  if (unit.dismissed) stages.push('dismissed');
  return stages;
}

const emptyCounts = (): FunnelCounts => ({ shown: 0, inserted: 0, sentAsIs: 0, sentEdited: 0, dismissed: 0 });

const COUNT_OF_STAGE: Record<FunnelStage, keyof FunnelCounts> = {
  shown: 'shown',
  inserted: 'inserted',
  'sent-as-is': 'sentAsIs',
  'sent-edited': 'sentEdited',
  dismissed: 'dismissed',
};

function rates(counts: FunnelCounts): FunnelRow['rates'] {
  const share = (count: number) => (counts.shown === 0 ? null : count / counts.shown);
  return {
    inserted: share(counts.inserted),
    sentAsIs: share(counts.sentAsIs),
    sentEdited: share(counts.sentEdited),
    dismissed: share(counts.dismissed),
  };
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

/** Counts the units into the period's buckets (by when each suggestion was first shown). */
export function buildFunnel(
  units: readonly FunnelUnit[],
  period: FunnelPeriod,
  query: FunnelQuery,
  dimensions: FunnelDimensions,
): FunnelResponse {
  const counts = period.starts.map(emptyCounts);
  const indexOf = new Map(period.starts.map((start, index) => [start, index]));
  const totals = emptyCounts();
  const reasons = new Map<string, number>();
  for (const unit of units) {
    const index = indexOf.get(bucketStart(Date.parse(unit.shownAt), period.bucket, period.offsetMinutes));
    if (index === undefined) continue;
    const bucket = counts[index]!;
    for (const stage of unitStages(unit)) {
      bucket[COUNT_OF_STAGE[stage]] += 1;
      totals[COUNT_OF_STAGE[stage]] += 1;
    }
    if (unit.dismissed)
      reasons.set(unit.dismissReason ?? '', (reasons.get(unit.dismissReason ?? '') ?? 0) + 1);
  }
  const rows: FunnelRow[] = period.starts.map((start, index) => {
    const bucketCounts = counts[index]!;
    const end = Math.min(nextStart(start, period.bucket), period.to);
    return {
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      ...bucketCounts,
      rates: rates(bucketCounts),
    };
  });
  return {
    ...periodFields(period),
    filters: {
      ...(query.operator ? { operator: query.operator } : {}),
      ...(query.collection ? { collection: query.collection } : {}),
      ...(query.engine ? { engine: query.engine } : {}),
    },
    rows,
    totals: { ...totals, rates: rates(totals) },
    dismissReasons: [...reasons]
      .map(([reason, count]) => ({ reason, count }))
      .sort((left, right) => right.count - left.count || left.reason.localeCompare(right.reason)),
    dimensions,
  };
}

/** The suggestions behind one funnel number, newest first. */
export function funnelSuggestions(units: readonly FunnelUnit[], stage: FunnelStage): FunnelSuggestion[] {
  const result: FunnelSuggestion[] = [];
  for (const unit of units) {
    const stages = unitStages(unit);
    if (!stages.includes(stage)) continue;
    result.push({
      suggestionSetId: unit.suggestionSetId,
      suggestionIndex: unit.suggestionIndex,
      shownAt: unit.shownAt,
      collection: unit.collection,
      engine: unit.engine,
      ...(unit.operatorId !== undefined ? { operatorId: unit.operatorId } : {}),
      ...(unit.suggestionTitle !== undefined ? { title: unit.suggestionTitle } : {}),
      ...(unit.suggestionText !== undefined ? { text: unit.suggestionText } : {}),
      stages,
      ...(unit.dismissReason !== undefined ? { dismissReason: unit.dismissReason } : {}),
    });
  }
  return result.reverse();
}

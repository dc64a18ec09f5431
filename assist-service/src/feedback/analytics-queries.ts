import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import {
  ANALYTICS_DIMENSIONS,
  ANALYTICS_STAGES,
  type AnalyticsDimension,
  type AnalyticsMeasure,
  type AnalyticsStage,
} from '../contract/index.ts';
import type { Queryable } from '../storage/postgres-database.ts';
import { querySetList, type SetListFilter } from './set-lists.ts';

/**
 * The console's analytics, counted in SQL over `suggestion_outcomes` (one row per shown suggestion,
 * feedback/outcomes.ts) and `knowledge_gaps`. Every aggregate reads the covering index
 * `suggestion_outcomes_covering` in time order and groups in the database, so a year's outcomes never
 * travel to JavaScript (decision 0020). Plain SQL: integer arithmetic for buckets, CASE for bins.
 */

export const OUTCOME_DIMENSIONS = ANALYTICS_DIMENSIONS;
export type OutcomeDimension = AnalyticsDimension;

const COLUMN: Record<OutcomeDimension, string> = {
  operator: 'operator_id',
  collection: 'collection',
  topic: 'topic',
  channel: 'channel',
  document: 'document',
  engine: 'engine',
  promptVersion: 'prompt_version',
};

export type OutcomeBucket = '15m' | 'hour' | 'day' | 'week';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const BUCKET_MS: Record<Exclude<OutcomeBucket, 'week'>, number> = {
  '15m': 15 * MINUTE,
  hour: 60 * MINUTE,
  day: DAY,
};

/** Shown in [fromMs, toMs) and, for each dimension named, equal to it. */
export type OutcomeFilter = { fromMs: number; toMs: number } & Partial<Record<OutcomeDimension, string>>;

export interface OutcomeGrouping {
  bucket?: { size: OutcomeBucket; offsetMinutes: number };
  dimension?: OutcomeDimension;
}

export interface OutcomeCounts {
  shown: number;
  inserted: number;
  sentAsIs: number;
  sentEdited: number;
  dismissed: number;
  ratedDown: number;
  degraded: number;
}

export interface OutcomeCountRow extends OutcomeCounts {
  /** The bucket's first instant (UTC ms), when grouped by bucket. */
  bucketStartMs?: number;
  /** The dimension's value, when grouped by one; null when the outcome has none (no topic, …). */
  key?: string | null;
}

/** What a histogram or a suggestion list can measure. */
export type OutcomeMeasure = AnalyticsMeasure;

/** The column and the rows a measure is taken over. */
const MEASURE: Record<OutcomeMeasure, { column: string; where: string }> = {
  editDistance: { column: 'edit_distance', where: 'edit_distance IS NOT NULL' },
  replyWithSuggestion: { column: 'reply_ms', where: 'reply_ms IS NOT NULL AND inserted = 1' },
  replyWithoutSuggestion: { column: 'reply_ms', where: 'reply_ms IS NOT NULL AND inserted = 0' },
  // Once per set: on its first suggestion's row.
  firstSuggestion: {
    column: 'first_suggestion_ms',
    where: 'first_suggestion_ms IS NOT NULL AND suggestion_index = 0',
  },
};

export type OutcomeStage = AnalyticsStage;

const STAGE_WHERE: Record<OutcomeStage, string> = {
  shown: '1 = 1',
  inserted: 'inserted = 1',
  'sent-as-is': 'sent_as_is = 1',
  'sent-edited': 'sent_edited = 1',
  dismissed: 'dismissed = 1',
  'rated-down': 'rated_down = 1',
  degraded: 'degraded = 1',
};

/** One shown suggestion as a list behind a number shows it; operators' sent texts are not in it. */
export interface OutcomeRecord {
  suggestionSetId: string;
  suggestionIndex: number;
  shownAt: string;
  operatorId?: string;
  collection: string;
  engine: string;
  channel: string;
  topic?: string;
  document?: string;
  promptVersion?: string;
  title?: string;
  stages: OutcomeStage[];
  dismissReason?: string;
  ratingReason?: string;
  editDistance?: number;
  replyMs?: number;
  firstSuggestionMs?: number;
}

export interface OutcomeListOptions {
  stage: OutcomeStage;
  /** Only outcomes whose measure lies in [min, max). */
  measure?: { name: OutcomeMeasure; min?: number; max?: number };
  /** Only outcomes with this reason (dismissed or rated-down, by stage). */
  reason?: string;
  limit: number;
}

type Row = Record<string, unknown>;
type Parameters = Record<string, SQLInputValue>;

/**
 * Runs one statement written with `:name` parameters and returns its rows: the queries below are
 * the same text on both backends, only how they are run differs.
 */
export type NamedQuery = (sql: string, parameters: Parameters) => Promise<Row[]>;

/** node:sqlite binds `:name` parameters itself. */
export function sqliteNamedQuery(database: DatabaseSync): NamedQuery {
  return async (sql, parameters) => database.prepare(sql).all(parameters) as Row[];
}

/** PostgreSQL numbers its parameters: each `:name` becomes `$n`, the same name the same `$n`. */
export function postgresNamedQuery(database: Queryable): NamedQuery {
  return (sql, parameters) => {
    const names: string[] = [];
    const numbered = sql.replace(/:([A-Za-z]\w*)/gu, (_, name: string) => {
      if (!(name in parameters)) throw new Error(`Analytics query: no value for :${name}.`);
      const at = names.indexOf(name);
      if (at >= 0) return `$${at + 1}`;
      names.push(name);
      return `$${names.length}`;
    });
    return database.rows<Row>(
      numbered,
      names.map((name) => parameters[name]),
    );
  };
}

function whereOf(tenant: string, filter: OutcomeFilter): { sql: string; parameters: Parameters } {
  const clauses = ['tenant = :tenant', 'shown_ms >= :fromMs', 'shown_ms < :toMs'];
  const parameters: Parameters = { tenant, fromMs: filter.fromMs, toMs: filter.toMs };
  for (const dimension of OUTCOME_DIMENSIONS) {
    const value = filter[dimension];
    if (value === undefined) continue;
    clauses.push(`${COLUMN[dimension]} = :${dimension}`);
    parameters[dimension] = value;
  }
  return { sql: clauses.join(' AND '), parameters };
}

/** The bucket index of `shown_ms` in SQL, and the bucket's start from its index. */
function bucketOf(bucket: { size: OutcomeBucket; offsetMinutes: number }) {
  const offset = bucket.offsetMinutes * MINUTE;
  if (bucket.size === 'week') {
    // 1970-01-01 was a Thursday: shifted by three days, weeks start on Monday (console/funnel.ts).
    return {
      sql: `((shown_ms + ${offset}) / ${DAY} + 3) / 7`,
      start: (index: number) => (index * 7 - 3) * DAY - offset,
    };
  }
  const size = BUCKET_MS[bucket.size];
  return { sql: `(shown_ms + ${offset}) / ${size}`, start: (index: number) => index * size - offset };
}

/** Each count and the column it sums (shown counts rows). */
const COUNT_COLUMNS: Record<keyof OutcomeCounts, string> = {
  shown: 'shown',
  inserted: 'inserted',
  sentAsIs: 'sent_as_is',
  sentEdited: 'sent_edited',
  dismissed: 'dismissed',
  ratedDown: 'rated_down',
  degraded: 'degraded',
};

const counts = (row: Row) =>
  Object.fromEntries(
    Object.entries(COUNT_COLUMNS).map(([name, column]) => [name, Number(row[column] ?? 0)]),
  ) as unknown as OutcomeCounts;

const SUMS = Object.values(COUNT_COLUMNS)
  .map((column) => (column === 'shown' ? 'COUNT(*) AS shown' : `SUM(${column}) AS ${column}`))
  .join(', ');

/** Funnel counts in the filter, by bucket and/or by one dimension's values. */
export async function queryOutcomeCounts(
  query: NamedQuery,
  tenant: string,
  filter: OutcomeFilter,
  grouping: OutcomeGrouping,
): Promise<OutcomeCountRow[]> {
  const where = whereOf(tenant, filter);
  const bucket = grouping.bucket ? bucketOf(grouping.bucket) : undefined;
  const groups = [
    ...(bucket ? [`${bucket.sql} AS bucket_index`] : []),
    ...(grouping.dimension ? [`${COLUMN[grouping.dimension]} AS dimension_key`] : []),
  ];
  // Ordered, so that the same rows read the same whatever order they were written in (an import
  // writes many per statement, a hash aggregate's order follows the table's layout).
  const groupBy = [...(bucket ? ['bucket_index'] : []), ...(grouping.dimension ? ['dimension_key'] : [])];
  const sql = `SELECT ${[...groups, SUMS].join(', ')}
    FROM suggestion_outcomes WHERE ${where.sql}
    ${groupBy.length > 0 ? `GROUP BY ${groupBy.join(', ')} ORDER BY ${groupBy.join(', ')}` : ''}`;
  const rows = await query(sql, where.parameters);
  return rows
    .filter((row) => groupBy.length > 0 || Number(row.shown) > 0)
    .map((row) => ({
      ...(bucket ? { bucketStartMs: bucket.start(Number(row.bucket_index)) } : {}),
      ...(grouping.dimension
        ? { key: typeof row.dimension_key === 'string' ? row.dimension_key : null }
        : {}),
      ...counts(row),
    }));
}

export interface HistogramResult {
  bins: number[];
  count: number;
  sum: number;
}

/**
 * For each measure, how many outcomes' value falls in each bin [edges[i], edges[i+1]) (the last bin
 * open above), their count and their sum (for the mean): every measure in one pass over the period.
 */
export async function queryOutcomeHistograms(
  query: NamedQuery,
  tenant: string,
  filter: OutcomeFilter,
  requests: ReadonlyArray<{ measure: OutcomeMeasure; edges: readonly number[] }>,
): Promise<HistogramResult[]> {
  const where = whereOf(tenant, filter);
  const columns: string[] = [];
  requests.forEach(({ measure, edges }, index) => {
    const { column, where: measureWhere } = MEASURE[measure];
    const counted = `${measureWhere} AND ${column} >= ${Number(edges[0] ?? 0)}`;
    columns.push(`SUM(CASE WHEN ${counted} THEN 1 ELSE 0 END) AS count_${index}`);
    columns.push(`SUM(CASE WHEN ${counted} THEN ${column} ELSE 0 END) AS sum_${index}`);
    edges.forEach((edge, bin) => {
      const upper = edges[bin + 1];
      const range = `${column} >= ${Number(edge)}${upper === undefined ? '' : ` AND ${column} < ${Number(upper)}`}`;
      columns.push(`SUM(CASE WHEN ${measureWhere} AND ${range} THEN 1 ELSE 0 END) AS bin_${index}_${bin}`);
    });
  });
  const [row = {}] = await query(
    `SELECT ${columns.join(', ')} FROM suggestion_outcomes WHERE ${where.sql}`,
    where.parameters,
  );
  return requests.map(({ edges }, index) => ({
    bins: edges.map((_, bin) => Number(row[`bin_${index}_${bin}`] ?? 0)),
    count: Number(row[`count_${index}`] ?? 0),
    sum: Number(row[`sum_${index}`] ?? 0),
  }));
}

/** Reasons given for dismissals or thumbs down in the filter, most frequent first; '' is none given. */
export async function queryOutcomeReasons(
  query: NamedQuery,
  tenant: string,
  filter: OutcomeFilter,
  kind: 'dismissed' | 'rated-down',
): Promise<Array<{ reason: string; count: number }>> {
  const where = whereOf(tenant, filter);
  const column = kind === 'dismissed' ? 'dismiss_reason' : 'rating_reason';
  const flag = kind === 'dismissed' ? 'dismissed' : 'rated_down';
  return (
    await query(
      `SELECT COALESCE(${column}, '') AS reason, COUNT(*) AS count FROM suggestion_outcomes
         WHERE ${where.sql} AND ${flag} = 1 GROUP BY reason ORDER BY count DESC, reason LIMIT 100`,
      where.parameters,
    )
  ).map((row) => ({ reason: String(row.reason), count: Number(row.count) }));
}

/** Who and how (few values each), and what about (topics, templates: many). */
const DIMENSION_GROUPS: ReadonlyArray<readonly OutcomeDimension[]> = [
  ['operator', 'collection', 'engine', 'channel', 'promptVersion'],
  ['topic', 'document'],
];

/** Every value each dimension takes in the filter's period (for the console's filter lists). */
export async function queryOutcomeDimensionValues(
  query: NamedQuery,
  tenant: string,
  filter: OutcomeFilter,
): Promise<Record<OutcomeDimension, string[]>> {
  const where = whereOf(tenant, filter);
  const values = Object.fromEntries(
    OUTCOME_DIMENSIONS.map((dimension) => [dimension, new Set<string>()]),
  ) as Record<OutcomeDimension, Set<string>>;
  // One pass per group: grouping all seven at once builds a temporary tree as large as the year's
  // outcomes (every template × operator × topic…); these groups stay small (`pnpm bench console`).
  for (const group of DIMENSION_GROUPS) {
    const columns = group.map((dimension) => COLUMN[dimension]).join(', ');
    const rows = await query(
      `SELECT ${columns} FROM suggestion_outcomes WHERE ${where.sql} GROUP BY ${columns}`,
      where.parameters,
    );
    for (const row of rows) {
      for (const dimension of group) {
        const value = row[COLUMN[dimension]];
        if (typeof value === 'string') values[dimension].add(value);
      }
    }
  }
  return Object.fromEntries(
    OUTCOME_DIMENSIONS.map((dimension) => [dimension, [...values[dimension]].sort()]),
  ) as Record<OutcomeDimension, string[]>;
}

const optional = (value: unknown) => (typeof value === 'string' ? value : undefined);
const optionalNumber = (value: unknown) =>
  typeof value === 'number' || typeof value === 'bigint' ? Number(value) : undefined;

function stagesOf(row: Row): OutcomeStage[] {
  return ANALYTICS_STAGES.filter((stage) => {
    if (stage === 'shown') return true;
    const column = STAGE_WHERE[stage].split(' = ')[0]!;
    return Number(row[column]) === 1;
  });
}

/** The outcomes behind a number, newest first, at most `limit`, and how many there are. */
export async function queryOutcomeList(
  query: NamedQuery,
  tenant: string,
  filter: OutcomeFilter,
  options: OutcomeListOptions,
): Promise<{ total: number; outcomes: OutcomeRecord[] }> {
  const where = whereOf(tenant, filter);
  const clauses = [where.sql, STAGE_WHERE[options.stage]];
  const parameters: Parameters = { ...where.parameters, limit: options.limit };
  if (options.measure) {
    const { column, where: measureWhere } = MEASURE[options.measure.name];
    clauses.push(measureWhere);
    if (options.measure.min !== undefined) {
      clauses.push(`${column} >= :measureMin`);
      parameters.measureMin = options.measure.min;
    }
    if (options.measure.max !== undefined) {
      clauses.push(`${column} < :measureMax`);
      parameters.measureMax = options.measure.max;
    }
  }
  if (options.reason !== undefined) {
    clauses.push(options.stage === 'rated-down' ? 'rating_reason = :reason' : 'dismiss_reason = :reason');
    parameters.reason = options.reason;
  }
  const sql = clauses.join(' AND ');
  const { limit: _limit, ...countParameters } = parameters;
  const [counted] = await query(
    `SELECT COUNT(*) AS total FROM suggestion_outcomes WHERE ${sql}`,
    countParameters,
  );
  const total = Number(counted?.total ?? 0);
  const rows = await query(
    `SELECT * FROM suggestion_outcomes WHERE ${sql}
       ORDER BY shown_ms DESC, suggestion_set_id DESC, suggestion_index DESC LIMIT :limit`,
    parameters,
  );
  const outcomes = rows.map((row): OutcomeRecord => {
    const fields = {
      operatorId: optional(row.operator_id),
      topic: optional(row.topic),
      document: optional(row.document),
      promptVersion: optional(row.prompt_version),
      title: optional(row.title),
      dismissReason: optional(row.dismiss_reason),
      ratingReason: optional(row.rating_reason),
      editDistance: optionalNumber(row.edit_distance),
      replyMs: optionalNumber(row.reply_ms),
      firstSuggestionMs: optionalNumber(row.first_suggestion_ms),
    };
    return {
      suggestionSetId: String(row.suggestion_set_id),
      suggestionIndex: Number(row.suggestion_index),
      shownAt: String(row.shown_at),
      collection: String(row.collection),
      engine: String(row.engine),
      channel: String(row.channel),
      stages: stagesOf(row),
      ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
    };
  });
  return { total, outcomes };
}

/** Knowledge gaps logged in [fromMs, toMs) per bucket (gaps have a collection and a topic, no operator). */
export async function queryGapCounts(
  query: NamedQuery,
  tenant: string,
  filter: { fromMs: number; toMs: number; collection?: string; topic?: string },
  bucket: { size: OutcomeBucket; offsetMinutes: number },
): Promise<Array<{ bucketStartMs: number; count: number }>> {
  // Gaps are few next to outcomes (one per unanswered request): their times are bucketed here.
  const clauses = ['tenant = :tenant', 'created_at >= :from', 'created_at < :to'];
  const parameters: Parameters = {
    tenant,
    from: new Date(filter.fromMs).toISOString(),
    to: new Date(filter.toMs).toISOString(),
  };
  if (filter.collection !== undefined) {
    clauses.push('collection = :collection');
    parameters.collection = filter.collection;
  }
  if (filter.topic !== undefined) {
    clauses.push('topic = :topic');
    parameters.topic = filter.topic;
  }
  const rows = await query(
    `SELECT created_at FROM knowledge_gaps WHERE ${clauses.join(' AND ')}`,
    parameters,
  );
  const { start } = bucketOf(bucket);
  const offset = bucket.offsetMinutes * MINUTE;
  const counts = new Map<number, number>();
  for (const row of rows) {
    const time = Date.parse(String(row.created_at)) + offset;
    const index =
      bucket.size === 'week'
        ? Math.floor((Math.floor(time / DAY) + 3) / 7)
        : Math.floor(time / BUCKET_MS[bucket.size]);
    const bucketStart = start(index);
    counts.set(bucketStart, (counts.get(bucketStart) ?? 0) + 1);
  }
  return [...counts]
    .map(([bucketStartMs, count]) => ({ bucketStartMs, count }))
    .sort((a, b) => a.bucketStartMs - b.bucketStartMs);
}

/** The EventStore's analytics methods over either backend's query runner (feedback/event-store.ts). */
export function outcomeQueries(query: NamedQuery, tenant: string, ensureOpen: () => void) {
  return {
    async outcomeCounts(filter: OutcomeFilter, grouping: OutcomeGrouping) {
      ensureOpen();
      return queryOutcomeCounts(query, tenant, filter, grouping);
    },
    async outcomeHistograms(
      filter: OutcomeFilter,
      requests: ReadonlyArray<{ measure: OutcomeMeasure; edges: readonly number[] }>,
    ) {
      ensureOpen();
      return queryOutcomeHistograms(query, tenant, filter, requests);
    },
    async outcomeReasons(filter: OutcomeFilter, kind: 'dismissed' | 'rated-down') {
      ensureOpen();
      return queryOutcomeReasons(query, tenant, filter, kind);
    },
    async outcomeDimensionValues(filter: OutcomeFilter) {
      ensureOpen();
      return queryOutcomeDimensionValues(query, tenant, filter);
    },
    async listOutcomes(filter: OutcomeFilter, options: OutcomeListOptions) {
      ensureOpen();
      return queryOutcomeList(query, tenant, filter, options);
    },
    async gapCounts(
      filter: { fromMs: number; toMs: number; collection?: string; topic?: string },
      bucket: { size: OutcomeBucket; offsetMinutes: number },
    ) {
      ensureOpen();
      return queryGapCounts(query, tenant, filter, bucket);
    },
    async listSets(behind: 'gaps' | 'usage', filter: SetListFilter, limit: number) {
      ensureOpen();
      return querySetList(query, tenant, behind, filter, limit);
    },
  };
}

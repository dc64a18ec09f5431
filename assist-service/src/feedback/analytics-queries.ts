import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import {
  ANALYTICS_DIMENSIONS,
  ANALYTICS_STAGES,
  type AnalyticsDimension,
  type AnalyticsMeasure,
  type AnalyticsStage,
} from '../contract/index.ts';
import type { Queryable } from '../storage/postgres-database.ts';
import { DIMENSION_COLUMN, ROLLUP_MEASURE_EDGES } from './outcome-rollups.ts';
import {
  filteredDimensions,
  planRollups,
  type RollupPlan,
  type RollupUse,
  rollupSourceOf,
  rollupTablesFor,
  unionOfParts,
} from './rollup-plan.ts';
import { querySetList, type SetListFilter } from './set-lists.ts';

/**
 * The console's analytics, counted in SQL over `suggestion_outcomes` (one row per shown suggestion,
 * feedback/outcomes.ts) and `knowledge_gaps`. Every aggregate reads the covering index
 * `suggestion_outcomes_covering` in time order and groups in the database, so a year's outcomes never
 * travel to JavaScript (decision 0020). Plain SQL: integer arithmetic for buckets, CASE for bins.
 * Periods of days and more read the hourly and daily pre-aggregates for their whole hours and days
 * and the outcome rows only at their ends (rollup-plan.ts, decision 0044): the same answers, summed
 * in the same statement, so grouped rows come back in the same order.
 */

export const OUTCOME_DIMENSIONS = ANALYTICS_DIMENSIONS;
export type OutcomeDimension = AnalyticsDimension;

const COLUMN: Record<OutcomeDimension, string> = DIMENSION_COLUMN;

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

/**
 * node:sqlite binds `:name` parameters itself; a name the statement does not use is let through, as
 * PostgreSQL's numbering leaves it out (a period read from the pre-aggregates alone has no row filter).
 */
export function sqliteNamedQuery(database: DatabaseSync): NamedQuery {
  return async (sql, parameters) => {
    const statement = database.prepare(sql);
    statement.setAllowUnknownNamedParameters(true);
    return statement.all(parameters) as Row[];
  };
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
  const clauses = [
    'tenant = :tenant',
    'shown_ms >= :fromMs',
    'shown_ms < :toMs',
    ...dimensionClauses(filter),
  ];
  return {
    sql: clauses.join(' AND '),
    parameters: { ...dimensionParameters(tenant, filter), fromMs: filter.fromMs, toMs: filter.toMs },
  };
}

/** `column = :dimension` for each dimension the filter names. */
const dimensionClauses = (filter: OutcomeFilter) =>
  filteredDimensions(filter, OUTCOME_DIMENSIONS).map((dimension) => `${COLUMN[dimension]} = :${dimension}`);

function dimensionParameters(tenant: string, filter: OutcomeFilter): Parameters {
  const parameters: Parameters = { tenant };
  for (const dimension of filteredDimensions(filter, OUTCOME_DIMENSIONS))
    parameters[dimension] = filter[dimension]!;
  return parameters;
}

/** The outcome rows of one span of a plan, with the filter's dimensions. */
const outcomeWhere = (filter: OutcomeFilter) => (span: string) =>
  ['tenant = :tenant', span, ...dimensionClauses(filter)].join(' AND ');

/** The pre-aggregated rows of one span: one dimension's, and one value's when the query filters on it. */
function rollupWhere(source: { dimension: string; value?: string }, parameters: Parameters) {
  parameters.rollupDimension = source.dimension;
  if (source.value !== undefined) parameters.rollupValue = source.value;
  return (span: string) =>
    [
      'tenant = :tenant',
      'dimension = :rollupDimension',
      span,
      ...(source.value !== undefined ? ['has_value = 1', 'value = :rollupValue'] : []),
    ].join(' AND ');
}

/** The outcome rows' spans of a plan, each as a filter the per-row queries take. */
const outcomeSpans = (filter: OutcomeFilter, plan: RollupPlan): OutcomeFilter[] =>
  plan.outcomes.map((span) => ({ ...filter, ...span }));

/** The bucket index of `shown_ms` in SQL, and the bucket's start from its index. */
function bucketOf(bucket: { size: OutcomeBucket; offsetMinutes: number }, column = 'shown_ms') {
  const offset = bucket.offsetMinutes * MINUTE;
  if (bucket.size === 'week') {
    // 1970-01-01 was a Thursday: shifted by three days, weeks start on Monday (console/funnel.ts).
    return {
      sql: `((${column} + ${offset}) / ${DAY} + 3) / 7`,
      start: (index: number) => (index * 7 - 3) * DAY - offset,
    };
  }
  const size = BUCKET_MS[bucket.size];
  return { sql: `(${column} + ${offset}) / ${size}`, start: (index: number) => index * size - offset };
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

const COUNT_COLUMNS_AFTER_SHOWN = Object.values(COUNT_COLUMNS).filter((column) => column !== 'shown');

const SUMS = Object.values(COUNT_COLUMNS)
  .map((column) => (column === 'shown' ? 'COUNT(*) AS shown' : `SUM(${column}) AS ${column}`))
  .join(', ');

/** Funnel counts in the filter, by bucket and/or by one dimension's values. */
export async function queryOutcomeCounts(
  query: NamedQuery,
  tenant: string,
  filter: OutcomeFilter,
  grouping: OutcomeGrouping,
  use: RollupUse = 'auto',
): Promise<OutcomeCountRow[]> {
  const where = whereOf(tenant, filter);
  const plan = planRollups(filter, rollupTablesFor(grouping.bucket), use);
  const source =
    plan && rollupSourceOf(filteredDimensions(filter, OUTCOME_DIMENSIONS), filter, grouping.dimension);
  const column = plan && source ? 'at_ms' : 'shown_ms';
  const bucket = grouping.bucket ? bucketOf(grouping.bucket, column) : undefined;
  const dimensionKey = plan && source ? 'dimension_key' : grouping.dimension && COLUMN[grouping.dimension];
  const groups = [
    ...(bucket ? [`${bucket.sql} AS bucket_index`] : []),
    ...(grouping.dimension ? [`${dimensionKey} AS dimension_key`] : []),
  ];
  // Ordered, so that the same rows read the same whatever order they were written in (an import
  // writes many per statement, a hash aggregate's order follows the table's layout).
  const groupBy = [...(bucket ? ['bucket_index'] : []), ...(grouping.dimension ? ['dimension_key'] : [])];
  const grouped = groupBy.length > 0 ? `GROUP BY ${groupBy.join(', ')} ORDER BY ${groupBy.join(', ')}` : '';
  let sql = `SELECT ${[...groups, SUMS].join(', ')} FROM suggestion_outcomes WHERE ${where.sql} ${grouped}`;
  let parameters = where.parameters;
  if (plan && source) {
    // Each part gives a time and a key per row and the counts it stands for; the sums are the rows'.
    parameters = dimensionParameters(tenant, filter);
    const flags = COUNT_COLUMNS_AFTER_SHOWN.join(', ');
    const key = (expression: string) => (grouping.dimension ? `, ${expression} AS dimension_key` : '');
    const parts = unionOfParts(
      plan,
      parameters,
      (span) =>
        `SELECT shown_ms AS at_ms${key(COLUMN[grouping.dimension ?? 'operator'])}, 1 AS shown, ${flags}
          FROM suggestion_outcomes WHERE ${outcomeWhere(filter)(span)}`,
      (span, table) =>
        `SELECT start_ms AS at_ms${key('CASE WHEN has_value = 1 THEN value END')}, shown, ${flags}
          FROM ${table} WHERE ${rollupWhere(source, parameters)(span)}`,
    );
    const sums = ['shown', ...COUNT_COLUMNS_AFTER_SHOWN].map((name) => `SUM(${name}) AS ${name}`).join(', ');
    sql = `SELECT ${[...groups, sums].join(', ')} FROM (${parts}) AS parts ${grouped}`;
  }
  const rows = await query(sql, parameters);
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
  use: RollupUse = 'auto',
): Promise<HistogramResult[]> {
  const plan = planRollups(filter, rollupTablesFor(), use);
  const binned = requests.every(({ measure, edges }) =>
    edges.every((edge) => ROLLUP_MEASURE_EDGES[measure].includes(edge)),
  );
  if (plan && binned && filteredDimensions(filter, OUTCOME_DIMENSIONS).length === 0)
    return histogramsFromRollups(query, tenant, filter, requests, plan);
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

/**
 * The same from the pre-aggregates' bins (each within one requested bin, the request's edges being
 * among the kept ones) and the outcome rows at the period's ends.
 */
async function histogramsFromRollups(
  query: NamedQuery,
  tenant: string,
  filter: OutcomeFilter,
  requests: ReadonlyArray<{ measure: OutcomeMeasure; edges: readonly number[] }>,
  plan: RollupPlan,
): Promise<HistogramResult[]> {
  const results = requests.map(({ edges }) => ({ bins: edges.map(() => 0), count: 0, sum: 0 }));
  for (const span of outcomeSpans(filter, plan)) {
    const part = await queryOutcomeHistograms(query, tenant, span, requests, 'never');
    part.forEach((result, index) => {
      const total = results[index]!;
      result.bins.forEach((count, bin) => {
        total.bins[bin]! += count;
      });
      total.count += result.count;
      total.sum += result.sum;
    });
  }
  const measures = [...new Set(requests.map(({ measure }) => `'${measure}'`))].join(', ');
  const parameters: Parameters = { tenant };
  const parts = unionOfParts(
    { outcomes: [], rollups: plan.rollups },
    parameters,
    () => '',
    (span, table) =>
      `SELECT dimension, value, shown, measure_sum FROM ${table}
        WHERE tenant = :tenant AND dimension IN (${measures}) AND ${span}`,
  );
  const rows = await query(
    `SELECT dimension, value, SUM(shown) AS count, SUM(measure_sum) AS sum FROM (${parts}) AS parts
      GROUP BY dimension, value`,
    parameters,
  );
  requests.forEach(({ measure, edges }, index) => {
    const total = results[index]!;
    for (const row of rows) {
      const edge = Number(row.value);
      if (row.dimension !== measure || edge < edges[0]!) continue;
      const bin = edges.findLastIndex((lower) => lower <= edge);
      total.bins[bin]! += Number(row.count);
      total.count += Number(row.count);
      total.sum += Number(row.sum);
    }
  });
  return results;
}

/** Reasons given for dismissals or thumbs down in the filter, most frequent first; '' is none given. */
export async function queryOutcomeReasons(
  query: NamedQuery,
  tenant: string,
  filter: OutcomeFilter,
  kind: 'dismissed' | 'rated-down',
  use: RollupUse = 'auto',
): Promise<Array<{ reason: string; count: number }>> {
  const where = whereOf(tenant, filter);
  const column = kind === 'dismissed' ? 'dismiss_reason' : 'rating_reason';
  const flag = kind === 'dismissed' ? 'dismissed' : 'rated_down';
  const plan = planRollups(filter, rollupTablesFor(), use);
  let sql = `SELECT COALESCE(${column}, '') AS reason, COUNT(*) AS count FROM suggestion_outcomes
    WHERE ${where.sql} AND ${flag} = 1 GROUP BY reason ORDER BY count DESC, reason LIMIT 100`;
  let parameters = where.parameters;
  if (plan && filteredDimensions(filter, OUTCOME_DIMENSIONS).length === 0) {
    parameters = { tenant, reasonDimension: kind === 'dismissed' ? 'dismissReason' : 'ratingReason' };
    const parts = unionOfParts(
      plan,
      parameters,
      (span) =>
        `SELECT COALESCE(${column}, '') AS reason, 1 AS counted FROM suggestion_outcomes
          WHERE ${outcomeWhere(filter)(span)} AND ${flag} = 1`,
      // A reason's rows hold only outcomes with that reason, each dismissed (or rated down).
      (span, table) =>
        `SELECT value AS reason, ${flag} AS counted FROM ${table}
          WHERE tenant = :tenant AND dimension = :reasonDimension AND ${span} AND has_value = 1`,
    );
    sql = `SELECT reason, SUM(counted) AS count FROM (${parts}) AS parts
      GROUP BY reason ORDER BY count DESC, reason LIMIT 100`;
  }
  return (await query(sql, parameters)).map((row) => ({
    reason: String(row.reason),
    count: Number(row.count),
  }));
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
  use: RollupUse = 'auto',
): Promise<Record<OutcomeDimension, string[]>> {
  const values = Object.fromEntries(
    OUTCOME_DIMENSIONS.map((dimension) => [dimension, new Set<string>()]),
  ) as Record<OutcomeDimension, Set<string>>;
  const plan = planRollups(filter, rollupTablesFor(), use);
  if (plan && filteredDimensions(filter, OUTCOME_DIMENSIONS).length === 0) {
    for (const span of outcomeSpans(filter, plan)) {
      const part = await queryOutcomeDimensionValues(query, tenant, span, 'never');
      for (const dimension of OUTCOME_DIMENSIONS)
        for (const value of part[dimension]) values[dimension].add(value);
    }
    const parameters: Parameters = { tenant };
    const named = OUTCOME_DIMENSIONS.map((dimension) => `'${dimension}'`).join(', ');
    const parts = unionOfParts(
      { outcomes: [], rollups: plan.rollups },
      parameters,
      () => '',
      (span, table) =>
        `SELECT dimension, value FROM ${table}
          WHERE tenant = :tenant AND dimension IN (${named}) AND ${span} AND has_value = 1`,
    );
    const rows = await query(
      `SELECT dimension, value FROM (${parts}) AS parts GROUP BY dimension, value`,
      parameters,
    );
    for (const row of rows) values[row.dimension as OutcomeDimension].add(String(row.value));
    return Object.fromEntries(
      OUTCOME_DIMENSIONS.map((dimension) => [dimension, [...values[dimension]].sort()]),
    ) as Record<OutcomeDimension, string[]>;
  }
  const where = whereOf(tenant, filter);
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

/**
 * How many outcomes a list has, from the pre-aggregates when one dimension's rows hold them all: a
 * reason's, a measure's bins between two kept edges, or the filter's; else undefined.
 */
async function listTotalFromRollups(
  query: NamedQuery,
  tenant: string,
  filter: OutcomeFilter,
  options: OutcomeListOptions,
  use: RollupUse,
): Promise<number | undefined> {
  const plan = planRollups(filter, rollupTablesFor(), use);
  if (!plan) return undefined;
  const filtered = filteredDimensions(filter, OUTCOME_DIMENSIONS);
  const parameters: Parameters = dimensionParameters(tenant, filter);
  let rollup: (span: string) => string;
  if (options.reason !== undefined || options.measure) {
    const { measure, reason } = options;
    if (filtered.length > 0 || (measure && reason !== undefined)) return undefined;
    if (measure) {
      const kept = ROLLUP_MEASURE_EDGES[measure.name];
      const { min, max } = measure;
      if (min === undefined || !kept.includes(min) || (max !== undefined && !kept.includes(max)))
        return undefined;
      const bins = kept.filter((edge) => edge >= min && (max === undefined || edge < max));
      if (bins.length === 0) return undefined;
      parameters.rollupDimension = measure.name;
      rollup = (span) =>
        `tenant = :tenant AND dimension = :rollupDimension AND ${span} AND value IN (${bins.map((edge) => `'${edge}'`).join(', ')})`;
    } else {
      rollup = rollupWhere(
        { dimension: options.stage === 'rated-down' ? 'ratingReason' : 'dismissReason', value: reason! },
        parameters,
      );
    }
  } else {
    const source = rollupSourceOf(filtered, filter);
    if (!source) return undefined;
    rollup = rollupWhere(source, parameters);
  }
  let total = 0;
  for (const span of outcomeSpans(filter, plan))
    total += (await queryOutcomeList(query, tenant, span, { ...options, limit: 0 }, 'never')).total;
  const stage = options.stage === 'shown' ? 'shown' : STAGE_WHERE[options.stage].split(' = ')[0]!;
  const parts = unionOfParts(
    { outcomes: [], rollups: plan.rollups },
    parameters,
    () => '',
    (span, table) => `SELECT ${stage} AS counted FROM ${table} WHERE ${rollup(span)}`,
  );
  const [row] = await query(`SELECT SUM(counted) AS total FROM (${parts}) AS parts`, parameters);
  return total + Number(row?.total ?? 0);
}

/** The outcomes behind a number, newest first, at most `limit`, and how many there are. */
export async function queryOutcomeList(
  query: NamedQuery,
  tenant: string,
  filter: OutcomeFilter,
  options: OutcomeListOptions,
  use: RollupUse = 'auto',
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
  const rollupTotal = await listTotalFromRollups(query, tenant, filter, options, use);
  const [counted] =
    rollupTotal === undefined
      ? await query(`SELECT COUNT(*) AS total FROM suggestion_outcomes WHERE ${sql}`, countParameters)
      : [{ total: rollupTotal }];
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

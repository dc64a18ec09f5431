import type { SQLInputValue } from 'node:sqlite';
import type { AnalyticsDimension } from '../contract/index.ts';
import { ROLLUP_TABLES, type RollupDimension, type RollupTable } from './outcome-rollups.ts';

/**
 * Which part of a period the pre-aggregates answer (outcome-rollups.ts, decision 0044): the whole
 * UTC days inside it from `outcome_days`, the whole hours left from `outcome_hours`, the minutes at
 * either end from the outcome rows. Only when every outcome of a pre-aggregated hour or day falls in
 * one group of the query: buckets of an hour or more in a zone a whole number of hours from UTC
 * (days and weeks from `outcome_days` only when the zone is UTC), and at most one dimension filter.
 */

/** `auto`: for periods of at least ROLLUP_MIN_PERIOD_MS; `always` and `never` for tests comparing both. */
export type RollupUse = 'auto' | 'always' | 'never';

/** Shorter periods read few outcome rows, and then the rows answer as fast. */
export const ROLLUP_MIN_PERIOD_MS = 3 * 86_400_000;

export interface Span {
  fromMs: number;
  toMs: number;
}

export interface RollupPlan {
  outcomes: Span[];
  rollups: Array<Span & { table: RollupTable }>;
}

/** The pre-aggregates a query may read, largest first, given its buckets. */
export function rollupTablesFor(bucket?: { size: string; offsetMinutes: number }): RollupTable[] {
  if (!bucket) return ['outcome_days', 'outcome_hours'];
  if (bucket.size === '15m' || bucket.offsetMinutes % 60 !== 0) return [];
  if (bucket.size === 'hour' || bucket.offsetMinutes % 1440 !== 0) return ['outcome_hours'];
  return ['outcome_days', 'outcome_hours'];
}

/** The period split into pre-aggregated spans and the outcome rows' spans, or undefined: rows only. */
export function planRollups(
  span: Span,
  tables: readonly RollupTable[],
  use: RollupUse,
): RollupPlan | undefined {
  if (use === 'never' || tables.length === 0) return undefined;
  if (use === 'auto' && span.toMs - span.fromMs < ROLLUP_MIN_PERIOD_MS) return undefined;
  const plan: RollupPlan = { outcomes: [], rollups: [] };
  const split = (fromMs: number, toMs: number, index: number): void => {
    if (fromMs >= toMs) return;
    const table = tables[index];
    if (!table) {
      plan.outcomes.push({ fromMs, toMs });
      return;
    }
    const size = ROLLUP_TABLES[table];
    const first = Math.ceil(fromMs / size) * size;
    const last = Math.floor(toMs / size) * size;
    if (first >= last) {
      split(fromMs, toMs, index + 1);
      return;
    }
    split(fromMs, first, index + 1);
    plan.rollups.push({ table, fromMs: first, toMs: last });
    split(last, toMs, index + 1);
  };
  split(span.fromMs, span.toMs, 0);
  return plan.rollups.length > 0 ? plan : undefined;
}

/** The dimensions a filter names. */
export const filteredDimensions = (
  filter: Partial<Record<AnalyticsDimension, string>>,
  dimensions: readonly AnalyticsDimension[],
) => dimensions.filter((dimension) => filter[dimension] !== undefined);

/**
 * The pre-aggregated rows that hold a query's outcomes: every outcome (`all`), or one dimension's
 * rows when it groups by that dimension or filters on it; undefined when it needs two.
 */
export function rollupSourceOf(
  filtered: readonly AnalyticsDimension[],
  filter: Partial<Record<AnalyticsDimension, string>>,
  group?: AnalyticsDimension,
): { dimension: RollupDimension; value?: string } | undefined {
  const [only, ...others] = filtered;
  if (only === undefined) return { dimension: group ?? 'all' };
  if (others.length > 0 || (group !== undefined && group !== only)) return undefined;
  return { dimension: only, value: filter[only]! };
}

/**
 * One SELECT per span, joined by UNION ALL: `outcomes(where)` for the rows' spans, `rollup(where,
 * table)` for the pre-aggregated ones, each span's bounds as its own parameters.
 */
export function unionOfParts(
  plan: RollupPlan,
  parameters: Record<string, SQLInputValue>,
  outcomes: (where: string) => string,
  rollup: (where: string, table: RollupTable) => string,
): string {
  const parts: string[] = [];
  plan.outcomes.forEach((span, index) => {
    parameters[`outcomesFrom${index}`] = span.fromMs;
    parameters[`outcomesTo${index}`] = span.toMs;
    parts.push(outcomes(`shown_ms >= :outcomesFrom${index} AND shown_ms < :outcomesTo${index}`));
  });
  plan.rollups.forEach((span, index) => {
    parameters[`rollupFrom${index}`] = span.fromMs;
    parameters[`rollupTo${index}`] = span.toMs;
    parts.push(rollup(`start_ms >= :rollupFrom${index} AND start_ms < :rollupTo${index}`, span.table));
  });
  return parts.join(' UNION ALL ');
}

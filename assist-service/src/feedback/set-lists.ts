import type { SQLInputValue } from 'node:sqlite';
import type { AnalyticsSet } from '../contract/index.ts';
import type { NamedQuery } from './analytics-queries.ts';

/**
 * The suggestion sets behind the dashboard's two figures that are not counted over shown
 * suggestions: knowledge gaps over time (`knowledge_gaps`, each logged for a set) and model tokens
 * and cost per day (`suggestion_sets` a model drafted). The same filters as the figures themselves
 * (`queryGapCounts`, `DAILY_USAGE_SELECT`), so a list's total is the number clicked. One SQL text
 * for both backends (`NamedQuery`); times are ISO strings, so string order is time order.
 */

/** Logged (gaps) or created (usage) in [from, to), ISO instants. */
export interface SetListFilter {
  from: string;
  to: string;
  collection?: string;
  topic?: string;
  engine?: string;
  model?: string;
}

type Row = Record<string, unknown>;
type Parameters = Record<string, SQLInputValue>;

const optional = (value: unknown) => (typeof value === 'string' ? value : undefined);
const optionalNumber = (value: unknown) =>
  typeof value === 'number' || typeof value === 'bigint' ? Number(value) : undefined;

/** `column = :name` for each filter given, with its parameter. */
function where(
  base: string[],
  filter: SetListFilter,
  columns: Partial<Record<keyof SetListFilter, string>>,
): { sql: string; parameters: Parameters } {
  const clauses = [...base];
  const parameters: Parameters = { from: filter.from, to: filter.to };
  for (const [name, column] of Object.entries(columns) as Array<[keyof SetListFilter, string]>) {
    const value = filter[name];
    if (value === undefined) continue;
    clauses.push(`${column} = :${name}`);
    parameters[name] = value;
  }
  return { sql: clauses.join(' AND '), parameters };
}

async function listed(
  query: NamedQuery,
  from: string,
  condition: { sql: string; parameters: Parameters },
  select: string,
  order: string,
  limit: number,
): Promise<{ total: number; rows: Row[] }> {
  const [counted] = await query(
    `SELECT COUNT(*) AS total FROM ${from} WHERE ${condition.sql}`,
    condition.parameters,
  );
  const rows = await query(
    `SELECT ${select} FROM ${from} WHERE ${condition.sql} ORDER BY ${order} LIMIT :limit`,
    {
      ...condition.parameters,
      limit,
    },
  );
  return { total: Number(counted?.total ?? 0), rows };
}

const present = (fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));

/** The gaps logged in the filter, newest first, with the set each was logged for. */
async function queryGapSets(
  query: NamedQuery,
  tenant: string,
  filter: SetListFilter,
  limit: number,
): Promise<{ total: number; sets: AnalyticsSet[] }> {
  const condition = where(['g.tenant = :tenant', 'g.created_at >= :from', 'g.created_at < :to'], filter, {
    collection: 'g.collection',
    topic: 'g.topic',
  });
  condition.parameters.tenant = tenant;
  const { total, rows } = await listed(
    query,
    'knowledge_gaps g LEFT JOIN suggestion_sets s ON s.tenant = g.tenant AND s.id = g.suggestion_set_id',
    condition,
    `g.suggestion_set_id, g.created_at, g.collection, g.topic, g.best_score, s.engine, s.channel,
      s.operator_id`,
    'g.created_at DESC, g.id DESC',
    limit,
  );
  const sets = rows.map(
    (row) =>
      ({
        at: String(row.created_at),
        collection: String(row.collection),
        ...present({
          suggestionSetId: optional(row.suggestion_set_id),
          engine: optional(row.engine),
          channel: optional(row.channel),
          topic: optional(row.topic),
          operatorId: optional(row.operator_id),
          bestScore: optionalNumber(row.best_score),
        }),
      }) as AnalyticsSet,
  );
  return { total, sets };
}

/** The sets a model drafted in the filter, newest first, with their tokens and cost. */
async function queryUsageSets(
  query: NamedQuery,
  tenant: string,
  filter: SetListFilter,
  limit: number,
): Promise<{ total: number; sets: AnalyticsSet[] }> {
  const condition = where(
    ['tenant = :tenant', 'model IS NOT NULL', 'created_at >= :from', 'created_at < :to'],
    filter,
    { engine: 'engine', model: 'model' },
  );
  condition.parameters.tenant = tenant;
  const { total, rows } = await listed(
    query,
    'suggestion_sets',
    condition,
    `id, created_at, collection, engine, channel, topic, operator_id, model, input_tokens, output_tokens,
      cache_read_tokens, cache_write_tokens, cost_usd`,
    'created_at DESC, id DESC',
    limit,
  );
  const sets = rows.map(
    (row) =>
      ({
        suggestionSetId: String(row.id),
        at: String(row.created_at),
        collection: String(row.collection),
        costUsd: optionalNumber(row.cost_usd) ?? null,
        ...present({
          engine: optional(row.engine),
          channel: optional(row.channel),
          topic: optional(row.topic),
          operatorId: optional(row.operator_id),
          model: optional(row.model),
          inputTokens: optionalNumber(row.input_tokens),
          outputTokens: optionalNumber(row.output_tokens),
          cacheReadTokens: optionalNumber(row.cache_read_tokens),
          cacheWriteTokens: optionalNumber(row.cache_write_tokens),
        }),
      }) as AnalyticsSet,
  );
  return { total, sets };
}

/** The sets behind a gap count or a day's usage. */
export function querySetList(
  query: NamedQuery,
  tenant: string,
  behind: 'gaps' | 'usage',
  filter: SetListFilter,
  limit: number,
): Promise<{ total: number; sets: AnalyticsSet[] }> {
  return (behind === 'gaps' ? queryGapSets : queryUsageSets)(query, tenant, filter, limit);
}

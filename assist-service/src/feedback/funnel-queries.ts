import type { DatabaseSync } from 'node:sqlite';
import type { Queryable } from '../storage/postgres-database.ts';

/**
 * The values the older funnel's filters can take (`/v1/analytics/funnel`'s `dimensions`): every
 * operator, collection and engine the stored sets and events name. The funnel itself is counted
 * from the `suggestion_outcomes` rollup (analytics-queries.ts), as the dashboard's figures are.
 */
export interface FunnelDimensions {
  operators: string[];
  collections: string[];
  engines: string[];
}

type Row = Record<string, unknown>;

const DIMENSION_QUERIES = {
  operators: `SELECT operator_id AS value FROM suggestion_sets WHERE tenant = :tenant AND operator_id IS NOT NULL
       UNION SELECT operator_id FROM feedback_events WHERE tenant = :tenant AND operator_id IS NOT NULL`,
  collections: 'SELECT DISTINCT collection AS value FROM suggestion_sets WHERE tenant = :tenant',
  engines: 'SELECT DISTINCT engine AS value FROM suggestion_sets WHERE tenant = :tenant',
};

const values = (rows: Row[]) => rows.map((row) => String(row.value)).sort();

/** The operators, collections and engines the stored suggestion sets and events name. */
export function queryFunnelDimensions(database: DatabaseSync, tenant: string): FunnelDimensions {
  const column = (sql: string) => values(database.prepare(sql).all({ tenant }) as Row[]);
  return {
    operators: column(DIMENSION_QUERIES.operators),
    collections: column(DIMENSION_QUERIES.collections),
    engines: column(DIMENSION_QUERIES.engines),
  };
}

/** The same dimensions from the PostgreSQL store. */
export async function queryFunnelDimensionsPostgres(
  database: Queryable,
  tenant: string,
): Promise<FunnelDimensions> {
  const column = async (sql: string) =>
    values(await database.rows<Row>(sql.replaceAll(':tenant', '$1'), [tenant]));
  const [operators, collections, engines] = await Promise.all([
    column(DIMENSION_QUERIES.operators),
    column(DIMENSION_QUERIES.collections),
    column(DIMENSION_QUERIES.engines),
  ]);
  return { operators, collections, engines };
}

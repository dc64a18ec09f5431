import type { DatabaseSync } from 'node:sqlite';
import type { Queryable } from '../storage/postgres-database.ts';

/**
 * The suggestion funnel's raw material: one row per suggestion shown (a suggestion set and an
 * index), with what became of it. The console's analytics (console/funnel.ts) bucket and count
 * these; the classification "sent as is / sent edited" needs the suggestion's text and the
 * operator's, so both are returned and compared there (whitespace aside, as the panel does).
 */
export interface FunnelUnit {
  suggestionSetId: string;
  suggestionIndex: number;
  /** The first `suggestion-shown` event's time (ISO). */
  shownAt: string;
  collection: string;
  engine: string;
  /** The set's operator, else the operator on its shown event. */
  operatorId?: string;
  inserted: boolean;
  /** The text of the last reply the panel reported for it (`suggestion-edited`), if any. */
  sentText?: string;
  dismissed: boolean;
  /** The last dismissal's reason; '' when it gave none. */
  dismissReason?: string;
  suggestionText?: string;
  suggestionTitle?: string;
}

export interface FunnelUnitFilter {
  /** Shown at or after (ISO, UTC). */
  from: string;
  /** Shown before (ISO, UTC). */
  to: string;
  operator?: string;
  collection?: string;
  engine?: string;
}

export interface FunnelDimensions {
  operators: string[];
  collections: string[];
  engines: string[];
}

// Times are stored as ISO strings from Date.toISOString(), so string order is time order.
// One query for both backends: only parameters and the JSON functions differ.
interface Dialect {
  /** tenant, from, to, collection, engine, operator. */
  parameter(name: 'tenant' | 'from' | 'to' | 'collection' | 'engine' | 'operator'): string;
  /** A field of the suggestion with index `sh.idx` in `s.suggestions_json`. */
  suggestionField(field: 'text' | 'title'): string;
}

const SQLITE: Dialect = {
  parameter: (name) => `:${name}`,
  suggestionField: (
    field,
  ) => `(SELECT json_extract(j.value, '$.${field}') FROM json_each(s.suggestions_json) j
          WHERE json_extract(j.value, '$.index') = sh.idx)`,
};

const POSTGRES_PARAMETERS = ['tenant', 'from', 'to', 'collection', 'engine', 'operator'] as const;
const POSTGRES: Dialect = {
  parameter: (name) => `$${POSTGRES_PARAMETERS.indexOf(name) + 1}::text`,
  suggestionField: (
    field,
  ) => `(SELECT j.value->>'${field}' FROM jsonb_array_elements(s.suggestions_json::jsonb) j
          WHERE j.value->'index' = to_jsonb(sh.idx) LIMIT 1)`,
};

function unitsSql({ parameter: p, suggestionField }: Dialect): string {
  return `
WITH shown AS (
  SELECT suggestion_set_id AS set_id, suggestion_index AS idx, MIN(occurred_at) AS shown_at,
         MAX(operator_id) AS operator_id
  FROM feedback_events
  WHERE tenant = ${p('tenant')} AND type = 'suggestion-shown' AND occurred_at >= ${p('from')} AND occurred_at < ${p('to')}
  GROUP BY suggestion_set_id, suggestion_index
)
SELECT sh.set_id, sh.idx, sh.shown_at, COALESCE(s.operator_id, sh.operator_id) AS operator_id,
  s.collection, s.engine,
  EXISTS (SELECT 1 FROM feedback_events e WHERE e.tenant = ${p('tenant')} AND e.suggestion_set_id = sh.set_id
          AND e.suggestion_index = sh.idx AND e.type = 'suggestion-inserted') AS inserted,
  (SELECT e.final_text FROM feedback_events e WHERE e.tenant = ${p('tenant')} AND e.suggestion_set_id = sh.set_id
          AND e.suggestion_index = sh.idx AND e.type = 'suggestion-edited'
          ORDER BY e.occurred_at DESC, e.event_id DESC LIMIT 1) AS sent_text,
  (SELECT COALESCE(e.reason, '') FROM feedback_events e WHERE e.tenant = ${p('tenant')}
          AND e.suggestion_set_id = sh.set_id AND e.suggestion_index = sh.idx
          AND e.type = 'suggestion-dismissed'
          ORDER BY e.occurred_at DESC, e.event_id DESC LIMIT 1) AS dismiss_reason,
  ${suggestionField('text')} AS suggestion_text,
  ${suggestionField('title')} AS suggestion_title
FROM shown sh
JOIN suggestion_sets s ON s.tenant = ${p('tenant')} AND s.id = sh.set_id
WHERE (${p('collection')} IS NULL OR s.collection = ${p('collection')})
  AND (${p('engine')} IS NULL OR s.engine = ${p('engine')})
  AND (${p('operator')} IS NULL OR COALESCE(s.operator_id, sh.operator_id) = ${p('operator')})
ORDER BY sh.shown_at, sh.set_id, sh.idx`;
}

const SQLITE_UNITS_SQL = unitsSql(SQLITE);
const POSTGRES_UNITS_SQL = unitsSql(POSTGRES);

type Row = Record<string, unknown>;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function toFunnelUnit(row: Row): FunnelUnit {
  const operatorId = text(row.operator_id);
  const sentText = text(row.sent_text);
  const dismissReason = text(row.dismiss_reason);
  const suggestionText = text(row.suggestion_text);
  const suggestionTitle = text(row.suggestion_title);
  return {
    suggestionSetId: String(row.set_id),
    suggestionIndex: Number(row.idx),
    shownAt: String(row.shown_at),
    collection: String(row.collection),
    engine: String(row.engine),
    ...(operatorId !== undefined ? { operatorId } : {}),
    // SQLite answers EXISTS with 1, PostgreSQL with true.
    inserted: row.inserted === true || Number(row.inserted) === 1,
    ...(sentText !== undefined ? { sentText } : {}),
    dismissed: dismissReason !== undefined,
    ...(dismissReason !== undefined ? { dismissReason } : {}),
    ...(suggestionText !== undefined ? { suggestionText } : {}),
    ...(suggestionTitle !== undefined ? { suggestionTitle } : {}),
  };
}

const filterValues = (filter: FunnelUnitFilter) => ({
  from: filter.from,
  to: filter.to,
  collection: filter.collection ?? null,
  engine: filter.engine ?? null,
  operator: filter.operator ?? null,
});

/** Every suggestion shown in [from, to) that passes the filters, oldest first. */
export function queryFunnelUnits(
  database: DatabaseSync,
  tenant: string,
  filter: FunnelUnitFilter,
): FunnelUnit[] {
  const rows = database.prepare(SQLITE_UNITS_SQL).all({ tenant, ...filterValues(filter) }) as Row[];
  return rows.map(toFunnelUnit);
}

/** The same units from the PostgreSQL store. */
export async function queryFunnelUnitsPostgres(
  database: Queryable,
  tenant: string,
  filter: FunnelUnitFilter,
): Promise<FunnelUnit[]> {
  const values: Record<string, string | null> = { tenant, ...filterValues(filter) };
  const rows = await database.rows<Row>(
    POSTGRES_UNITS_SQL,
    POSTGRES_PARAMETERS.map((name) => values[name]),
  );
  return rows.map(toFunnelUnit);
}

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

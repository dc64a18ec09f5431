import type { DatabaseSync, SQLInputValue } from 'node:sqlite';

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
const UNITS_SQL = `
WITH shown AS (
  SELECT suggestion_set_id AS set_id, suggestion_index AS idx, MIN(occurred_at) AS shown_at,
         MAX(operator_id) AS operator_id
  FROM feedback_events
  WHERE tenant = :tenant AND type = 'suggestion-shown' AND occurred_at >= :from AND occurred_at < :to
  GROUP BY suggestion_set_id, suggestion_index
)
SELECT sh.set_id, sh.idx, sh.shown_at, COALESCE(s.operator_id, sh.operator_id) AS operator_id,
  s.collection, s.engine,
  EXISTS (SELECT 1 FROM feedback_events e WHERE e.tenant = :tenant AND e.suggestion_set_id = sh.set_id
          AND e.suggestion_index = sh.idx AND e.type = 'suggestion-inserted') AS inserted,
  (SELECT e.final_text FROM feedback_events e WHERE e.tenant = :tenant AND e.suggestion_set_id = sh.set_id
          AND e.suggestion_index = sh.idx AND e.type = 'suggestion-edited'
          ORDER BY e.occurred_at DESC, e.event_id DESC LIMIT 1) AS sent_text,
  (SELECT COALESCE(e.reason, '') FROM feedback_events e WHERE e.tenant = :tenant
          AND e.suggestion_set_id = sh.set_id AND e.suggestion_index = sh.idx
          AND e.type = 'suggestion-dismissed'
          ORDER BY e.occurred_at DESC, e.event_id DESC LIMIT 1) AS dismiss_reason,
  (SELECT json_extract(j.value, '$.text') FROM json_each(s.suggestions_json) j
          WHERE json_extract(j.value, '$.index') = sh.idx) AS suggestion_text,
  (SELECT json_extract(j.value, '$.title') FROM json_each(s.suggestions_json) j
          WHERE json_extract(j.value, '$.index') = sh.idx) AS suggestion_title
FROM shown sh
JOIN suggestion_sets s ON s.tenant = :tenant AND s.id = sh.set_id
WHERE (:collection IS NULL OR s.collection = :collection)
  AND (:engine IS NULL OR s.engine = :engine)
  AND (:operator IS NULL OR COALESCE(s.operator_id, sh.operator_id) = :operator)
ORDER BY sh.shown_at, sh.set_id, sh.idx`;

type Row = Record<string, SQLInputValue>;
const text = (value: SQLInputValue | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** Every suggestion shown in [from, to) that passes the filters, oldest first. */
export function queryFunnelUnits(
  database: DatabaseSync,
  tenant: string,
  filter: FunnelUnitFilter,
): FunnelUnit[] {
  const rows = database.prepare(UNITS_SQL).all({
    tenant,
    from: filter.from,
    to: filter.to,
    collection: filter.collection ?? null,
    engine: filter.engine ?? null,
    operator: filter.operator ?? null,
  }) as Row[];
  return rows.map((row) => {
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
      inserted: Number(row.inserted) === 1,
      ...(sentText !== undefined ? { sentText } : {}),
      dismissed: dismissReason !== undefined,
      ...(dismissReason !== undefined ? { dismissReason } : {}),
      ...(suggestionText !== undefined ? { suggestionText } : {}),
      ...(suggestionTitle !== undefined ? { suggestionTitle } : {}),
    };
  });
}

/** The operators, collections and engines the stored suggestion sets and events name. */
export function queryFunnelDimensions(database: DatabaseSync, tenant: string): FunnelDimensions {
  const column = (sql: string) =>
    (database.prepare(sql).all({ tenant }) as Row[]).map((row) => String(row.value)).sort();
  return {
    operators:
      column(`SELECT operator_id AS value FROM suggestion_sets WHERE tenant = :tenant AND operator_id IS NOT NULL
       UNION SELECT operator_id FROM feedback_events WHERE tenant = :tenant AND operator_id IS NOT NULL`),
    collections: column('SELECT DISTINCT collection AS value FROM suggestion_sets WHERE tenant = :tenant'),
    engines: column('SELECT DISTINCT engine AS value FROM suggestion_sets WHERE tenant = :tenant'),
  };
}

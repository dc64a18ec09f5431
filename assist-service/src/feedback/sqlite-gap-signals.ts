import { DatabaseSync } from 'node:sqlite';
import type { Suggestion } from '../contract/index.ts';
import type { Queryable } from '../storage/postgres-database.ts';
import { sqliteDatabase } from '../storage/sqlite-database.ts';
import type { GapRow, GapSignalFilter, GapSignalStore, OutcomeRow } from './gap-signals.ts';

type Row = Record<string, unknown>;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

// Plain SQL both SQLite and PostgreSQL read ($1, $2… once each, in order): the suggestions' JSON
// is parsed here, not in SQL. `$4`, the collection, is there only when the filter names one.
const gapsSql = (
  collection: boolean,
) => `SELECT id, suggestion_set_id, collection, query, language, created_at
  FROM knowledge_gaps
  WHERE tenant = $1 AND created_at >= $2 AND created_at < $3${collection ? ' AND collection = $4' : ''}
  ORDER BY created_at, id`;

const outcomesSql = (collection: boolean) => `SELECT s.id, s.collection, s.language, s.question,
    s.confidence_level, s.created_at, s.suggestions_json, e.suggestion_index, e.type, e.final_text
  FROM suggestion_sets s
  JOIN feedback_events e ON e.tenant = s.tenant AND e.suggestion_set_id = s.id
  WHERE s.tenant = $1 AND s.created_at >= $2 AND s.created_at < $3${collection ? ' AND s.collection = $4' : ''}
    AND e.type IN ('suggestion-edited', 'suggestion-dismissed')
  ORDER BY s.created_at, s.id, e.suggestion_index, e.occurred_at, e.event_id`;

/**
 * The gap signals of the event store's SQLite file (opened read-mostly beside the event store, as
 * the privacy store is): every row is keyed by tenant, and each call names its tenant.
 */
export function openSqliteGapSignals(options: { file: string }): GapSignalStore {
  const database = new DatabaseSync(options.file);
  database.exec('PRAGMA busy_timeout = 5000');
  return gapSignalsOn(sqliteDatabase(database), () => database.close());
}

/** The same on the event store's tables in PostgreSQL (DATABASE_URL); the pool is the service's. */
export function openPostgresGapSignals(options: { database: Queryable }): GapSignalStore {
  return gapSignalsOn(options.database, () => undefined);
}

function gapSignalsOn(database: Queryable, close: () => void): GapSignalStore {
  const query = (sql: (collection: boolean) => string, tenant: string, filter: GapSignalFilter) =>
    database.rows<Row>(sql(filter.collection !== undefined), [
      tenant,
      filter.from,
      filter.to,
      ...(filter.collection !== undefined ? [filter.collection] : []),
    ]);

  return {
    async listGaps(tenant, filter) {
      return (await query(gapsSql, tenant, filter)).map(
        (row): GapRow => ({
          id: String(row.id),
          ...(text(row.suggestion_set_id) ? { suggestionSetId: String(row.suggestion_set_id) } : {}),
          collection: String(row.collection),
          query: String(row.query),
          language: String(row.language),
          createdAt: String(row.created_at),
        }),
      );
    },
    async listOutcomes(tenant, filter) {
      const rows = await query(outcomesSql, tenant, filter);
      const byKey = new Map<string, OutcomeRow>();
      let parsedSet: { id: string; suggestions: Suggestion[] } | undefined;
      for (const row of rows) {
        const setId = String(row.id);
        const index = Number(row.suggestion_index);
        const key = `${setId}\u0000${index}`;
        let outcome = byKey.get(key);
        if (!outcome) {
          // Rows come set by set: each set's JSON is parsed once.
          if (parsedSet?.id !== setId) {
            parsedSet = { id: setId, suggestions: JSON.parse(String(row.suggestions_json)) as Suggestion[] };
          }
          const suggestion = parsedSet.suggestions.find((candidate) => candidate.index === index);
          const documentId = suggestion?.citations[0]?.documentId;
          const question = text(row.question);
          outcome = {
            suggestionSetId: setId,
            suggestionIndex: index,
            collection: String(row.collection),
            ...(question ? { question } : {}),
            language: String(row.language),
            confidenceLevel: String(row.confidence_level),
            createdAt: String(row.created_at),
            ...(suggestion
              ? {
                  suggestionText: suggestion.text,
                  suggestionTitle: suggestion.title,
                  suggestionKind: suggestion.kind,
                }
              : {}),
            ...(documentId ? { documentId } : {}),
            dismissed: false,
          };
          byKey.set(key, outcome);
        }
        if (row.type === 'suggestion-dismissed') outcome.dismissed = true;
        const sent = text(row.final_text);
        // Events come in time order: the last reply sent wins, as in the funnel.
        if (row.type === 'suggestion-edited' && sent !== undefined) outcome.sentText = sent;
      }
      return [...byKey.values()];
    },
    close,
  };
}

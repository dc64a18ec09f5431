import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { Suggestion } from '../contract/index.ts';
import type { GapRow, GapSignalFilter, GapSignalStore, OutcomeRow } from './gap-signals.ts';

type Row = Record<string, SQLInputValue>;
const text = (value: SQLInputValue | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

// Plain SQL both SQLite and PostgreSQL read: the suggestions' JSON is parsed here, not in SQL.
const GAPS_SQL = `SELECT id, suggestion_set_id, collection, query, language, created_at FROM knowledge_gaps
  WHERE tenant = :tenant AND created_at >= :from AND created_at < :to
    AND (:collection IS NULL OR collection = :collection)
  ORDER BY created_at, id`;

const OUTCOMES_SQL = `SELECT s.id, s.collection, s.language, s.question, s.confidence_level, s.created_at,
    s.suggestions_json, e.suggestion_index, e.type, e.final_text
  FROM suggestion_sets s
  JOIN feedback_events e ON e.tenant = s.tenant AND e.suggestion_set_id = s.id
  WHERE s.tenant = :tenant AND s.created_at >= :from AND s.created_at < :to
    AND (:collection IS NULL OR s.collection = :collection)
    AND e.type IN ('suggestion-edited', 'suggestion-dismissed')
  ORDER BY s.created_at, s.id, e.suggestion_index, e.occurred_at, e.event_id`;

/**
 * The gap signals of the event store's SQLite file (opened read-mostly beside the event store, as
 * the privacy store is): every row is keyed by tenant, and each call names its tenant.
 */
export function openSqliteGapSignals(options: { file: string }): GapSignalStore {
  const database = new DatabaseSync(options.file);
  database.exec('PRAGMA busy_timeout = 5000');
  const gaps = database.prepare(GAPS_SQL);
  const outcomes = database.prepare(OUTCOMES_SQL);
  const parameters = (tenant: string, filter: GapSignalFilter) => ({
    tenant,
    from: filter.from,
    to: filter.to,
    collection: filter.collection ?? null,
  });

  return {
    async listGaps(tenant, filter) {
      return (gaps.all(parameters(tenant, filter)) as Row[]).map(
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
      const rows = outcomes.all(parameters(tenant, filter)) as Row[];
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
    close: () => database.close(),
  };
}

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
 * A row's content as one text, each value with its length before it (so no two rows read alike)
 * and NULL told apart from any text: what the fingerprint hashes. Plain SQL for both backends.
 */
const rowText = (columns: readonly string[]) =>
  columns
    .map((column) => `coalesce(length(CAST(${column} AS TEXT)) || ':' || CAST(${column} AS TEXT), '-')`)
    .join(` || ',' || `);

// Every column the gap items are made of (knowledge-gaps.ts reads nothing else), so that any
// insert, delete or rewrite (a remask, an erasure) of a row in the period changes the fingerprint.
const gapsFingerprintSql = (collection: boolean, hash: (text: string) => string) => `SELECT count(*) AS count,
    sum(${hash(rowText(['id', 'suggestion_set_id', 'collection', 'query', 'language', 'created_at']))}) AS checksum
  FROM knowledge_gaps
  WHERE tenant = $1 AND created_at >= $2 AND created_at < $3${collection ? ' AND collection = $4' : ''}`;

const outcomesFingerprintSql = (
  collection: boolean,
  hash: (text: string) => string,
) => `SELECT count(*) AS count,
    sum(${hash(
      rowText([
        's.id',
        's.collection',
        's.language',
        's.question',
        's.confidence_level',
        's.created_at',
        's.suggestions_json',
        'e.event_id',
        'e.suggestion_index',
        'e.type',
        'e.final_text',
      ]),
    )}) AS checksum
  FROM suggestion_sets s
  JOIN feedback_events e ON e.tenant = s.tenant AND e.suggestion_set_id = s.id
  WHERE s.tenant = $1 AND s.created_at >= $2 AND s.created_at < $3${collection ? ' AND s.collection = $4' : ''}
    AND e.type IN ('suggestion-edited', 'suggestion-dismissed')`;

/** FNV-1a over a text's UTF-16 units: 32 bits, what SQLite's fingerprint sums (it has no hash). */
function fnv1a(text: unknown): number {
  const value = String(text);
  let hash = 0x811c9dc5;
  for (let index = 0; index < value.length; index++) {
    hash ^= value.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The gap signals of the event store's SQLite file (opened read-mostly beside the event store, as
 * the privacy store is): every row is keyed by tenant, and each call names its tenant.
 */
export function openSqliteGapSignals(options: { file: string }): GapSignalStore {
  const database = new DatabaseSync(options.file);
  database.exec('PRAGMA busy_timeout = 5000');
  database.function('naparnik_fnv1a', { deterministic: true, directOnly: true }, fnv1a);
  return gapSignalsOn(
    sqliteDatabase(database),
    (text) => `naparnik_fnv1a(${text})`,
    () => database.close(),
  );
}

/** The same on the event store's tables in PostgreSQL (DATABASE_URL); the pool is the service's. */
export function openPostgresGapSignals(options: { database: Queryable }): GapSignalStore {
  return gapSignalsOn(
    options.database,
    (text) => `hashtextextended(${text}, 0)`,
    () => undefined,
  );
}

function gapSignalsOn(
  database: Queryable,
  hash: (text: string) => string,
  close: () => void,
): GapSignalStore {
  const query = (
    sql: (collection: boolean, hash: (text: string) => string) => string,
    tenant: string,
    filter: GapSignalFilter,
  ) =>
    database.rows<Row>(sql(filter.collection !== undefined, hash), [
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
    async fingerprint(tenant, filter) {
      const [gaps, outcomes] = await Promise.all([
        query(gapsFingerprintSql, tenant, filter),
        query(outcomesFingerprintSql, tenant, filter),
      ]);
      const part = (row: Row | undefined) => `${Number(row?.count ?? 0)}:${String(row?.checksum ?? 0)}`;
      return `${part(gaps[0])}/${part(outcomes[0])}`;
    },
    close,
  };
}

import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { Suggestion } from '../contract/index.ts';
import { refreshOutcomes } from '../feedback/outcomes.ts';
import { maskForStorage, maskSuggestions } from '../feedback/redact-record.ts';
import { migrate } from '../feedback/sqlite-event-store.ts';
import { immediateTransaction } from '../feedback/sqlite-transaction.ts';

/** Whose data: every suggestion set of one conversation, or of one customer (by identifier key). */
export type DataSubject = { conversationId: string } | { customerKey: string };

/** Rows deleted per table; `history` lists the knowledge base's entries to delete by collection. */
export interface ErasureResult {
  suggestionSets: number;
  feedbackEvents: number;
  knowledgeGaps: number;
  history: Array<{ collection: string; ids: string[] }>;
}

/** What the event store holds about a subject, as stored (texts masked). */
export interface SubjectExport {
  suggestionSets: Array<Record<string, unknown>>;
  feedbackEvents: Array<Record<string, unknown>>;
  knowledgeGaps: Array<Record<string, unknown>>;
}

export type EventTable = 'suggestion_sets' | 'feedback_events' | 'knowledge_gaps';

/** The time column each table's retention counts from. */
const TIME_COLUMN: Record<EventTable, string> = {
  suggestion_sets: 'created_at',
  feedback_events: 'received_at',
  knowledge_gaps: 'created_at',
};

export interface PrivacyStore {
  erase(subject: DataSubject): ErasureResult;
  export(subject: DataSubject): SubjectExport;
  /** Deletes rows of `table` created before `cutoff` for each tenant `cutoffFor` gives one for. */
  deleteExpired(table: EventTable, cutoffFor: (tenant: string) => Date | undefined): Record<string, number>;
  /** Masks rows written before redaction-on-write existed; a masked row stays as it is. */
  redactStored(options?: { batch?: number }): Record<EventTable, number>;
  close(): void;
}

type Row = Record<string, SQLInputValue>;

/** The history entry a set's feedback became (feedback/history-learning.ts names it so). */
export const historyIdOfSet = (setId: string) => `feedback:${setId}`;

/**
 * Erasure, export, retention and redaction of what is already stored, on a connection of its own
 * to events.sqlite (WAL: the running service's connection goes on writing meanwhile), so the CLI
 * and the service run the same code. Scoped to one tenant, except retention, which runs each
 * tenant's policy over the whole file.
 */
export function openSqlitePrivacyStore(options: { file: string; tenant: string }): PrivacyStore {
  const database = new DatabaseSync(options.file);
  database.exec('PRAGMA busy_timeout = 5000');
  migrate(database);
  const { tenant } = options;

  function setsOf(subject: DataSubject): Array<{ id: string; collection: string }> {
    const rows =
      'conversationId' in subject
        ? database
            .prepare('SELECT id, collection FROM suggestion_sets WHERE tenant = ? AND conversation_id = ?')
            .all(tenant, subject.conversationId)
        : database
            .prepare(
              `SELECT s.id, s.collection FROM data_subjects d JOIN suggestion_sets s
                 ON s.tenant = d.tenant AND s.id = d.suggestion_set_id
               WHERE d.tenant = ? AND d.kind = 'customer' AND d.subject_key = ?`,
            )
            .all(tenant, subject.customerKey);
    return rows.map((row) => ({ id: String(row.id), collection: String(row.collection) }));
  }

  const transaction = <T>(work: () => T): T => immediateTransaction(database, work);

  const bySet = (table: string) =>
    database.prepare(`SELECT * FROM ${table} WHERE tenant = ? AND suggestion_set_id = ?`);

  return {
    erase(subject) {
      return transaction(() => {
        const sets = setsOf(subject);
        const result: ErasureResult = { suggestionSets: 0, feedbackEvents: 0, knowledgeGaps: 0, history: [] };
        const history = new Map<string, string[]>();
        for (const set of sets) {
          result.feedbackEvents += Number(
            database
              .prepare('DELETE FROM feedback_events WHERE tenant = ? AND suggestion_set_id = ?')
              .run(tenant, set.id).changes,
          );
          result.knowledgeGaps += Number(
            database
              .prepare('DELETE FROM knowledge_gaps WHERE tenant = ? AND suggestion_set_id = ?')
              .run(tenant, set.id).changes,
          );
          database
            .prepare('DELETE FROM data_subjects WHERE tenant = ? AND suggestion_set_id = ?')
            .run(tenant, set.id);
          result.suggestionSets += Number(
            database.prepare('DELETE FROM suggestion_sets WHERE tenant = ? AND id = ?').run(tenant, set.id)
              .changes,
          );
          // The analytics forget the set with it (no set, no outcome rows).
          refreshOutcomes(database, tenant, [set.id]);
          history.set(set.collection, [...(history.get(set.collection) ?? []), historyIdOfSet(set.id)]);
        }
        result.history = [...history].map(([collection, ids]) => ({ collection, ids }));
        return result;
      });
    },

    export(subject) {
      const sets = setsOf(subject);
      const result: SubjectExport = { suggestionSets: [], feedbackEvents: [], knowledgeGaps: [] };
      for (const set of sets) {
        const row = database
          .prepare('SELECT * FROM suggestion_sets WHERE tenant = ? AND id = ?')
          .get(tenant, set.id);
        if (row) {
          const { suggestions_json: suggestions, tenant: _tenant, ...rest } = row as Row;
          result.suggestionSets.push({ ...rest, suggestions: JSON.parse(String(suggestions)) });
        }
        for (const event of bySet('feedback_events').all(tenant, set.id)) {
          const { tenant: _tenant, ...rest } = event as Row;
          result.feedbackEvents.push(rest);
        }
        for (const gap of bySet('knowledge_gaps').all(tenant, set.id)) {
          const { tenant: _tenant, ...rest } = gap as Row;
          result.knowledgeGaps.push(rest);
        }
      }
      return result;
    },

    deleteExpired(table, cutoffFor) {
      const column = TIME_COLUMN[table];
      const tenants = database
        .prepare(`SELECT DISTINCT tenant FROM ${table}`)
        .all()
        .map((row) => String(row.tenant));
      const deleted: Record<string, number> = {};
      for (const each of tenants) {
        const cutoff = cutoffFor(each)?.toISOString();
        if (cutoff === undefined) continue;
        deleted[each] = transaction(() => {
          // The sets whose rows go: their outcome rows are recounted from what is left.
          const touched =
            table === 'knowledge_gaps'
              ? []
              : database
                  .prepare(
                    `SELECT DISTINCT ${table === 'suggestion_sets' ? 'id' : 'suggestion_set_id'} AS id FROM ${table}
                     WHERE tenant = ? AND ${column} < ?`,
                  )
                  .all(each, cutoff)
                  .map((row) => String(row.id));
          const changes = Number(
            database.prepare(`DELETE FROM ${table} WHERE tenant = ? AND ${column} < ?`).run(each, cutoff)
              .changes,
          );
          if (table === 'suggestion_sets' && changes > 0) {
            database
              .prepare(
                `DELETE FROM data_subjects WHERE tenant = ? AND NOT EXISTS
                   (SELECT 1 FROM suggestion_sets s WHERE s.tenant = data_subjects.tenant AND s.id = data_subjects.suggestion_set_id)`,
              )
              .run(each);
          }
          refreshOutcomes(database, each, touched);
          return changes;
        });
      }
      return deleted;
    },

    redactStored(options = {}) {
      const batch = options.batch ?? 500;
      const counts: Record<EventTable, number> = {
        suggestion_sets: 0,
        feedback_events: 0,
        knowledge_gaps: 0,
      };
      const pass = (
        table: EventTable,
        key: string,
        columns: string[],
        mask: (row: Row) => Record<string, SQLInputValue>,
      ) => {
        let last = '';
        let lastTenant = '';
        for (;;) {
          const rows = database
            .prepare(
              `SELECT tenant, ${key}, ${columns.join(', ')} FROM ${table}
               WHERE (tenant, ${key}) > (?, ?) ORDER BY tenant, ${key} LIMIT ?`,
            )
            .all(lastTenant, last, batch) as Row[];
          if (rows.length === 0) return;
          transaction(() => {
            for (const row of rows) {
              const masked = mask(row);
              if (columns.every((column) => masked[column] === row[column])) continue;
              database
                .prepare(
                  `UPDATE ${table} SET ${columns.map((column) => `${column} = ?`).join(', ')} WHERE tenant = ? AND ${key} = ?`,
                )
                .run(
                  ...columns.map((column) => masked[column] ?? null),
                  row.tenant as string,
                  row[key] as string,
                );
              counts[table]++;
            }
          });
          const end = rows.at(-1) as Row;
          lastTenant = String(end.tenant);
          last = String(end[key]);
        }
      };
      const text = (value: SQLInputValue | undefined) =>
        typeof value === 'string' ? maskForStorage(value) : null;
      pass('suggestion_sets', 'id', ['question', 'suggestions_json'], (row) => ({
        question: text(row.question),
        suggestions_json: JSON.stringify(
          maskSuggestions(JSON.parse(String(row.suggestions_json)) as Suggestion[]),
        ),
      }));
      pass('feedback_events', 'event_id', ['final_text', 'reason'], (row) => ({
        final_text: text(row.final_text),
        reason: text(row.reason),
      }));
      pass('knowledge_gaps', 'id', ['query'], (row) => ({ query: text(row.query) ?? '' }));
      return counts;
    },

    close() {
      database.close();
    },
  };
}

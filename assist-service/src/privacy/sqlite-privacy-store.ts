import { DatabaseSync } from 'node:sqlite';
import type { Suggestion } from '../contract/index.ts';
import { refreshOutcomesOn } from '../feedback/outcomes.ts';
import { maskForStorage, maskSuggestions } from '../feedback/redact-record.ts';
import { migrate } from '../feedback/sqlite-event-store.ts';
import type { Queryable, TransactionalDatabase } from '../storage/postgres-database.ts';
import { sqliteDatabase } from '../storage/sqlite-database.ts';
import { RETENTION_TABLES, type RetentionDays } from './privacy-config.ts';

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
  erase(subject: DataSubject): Promise<ErasureResult>;
  export(subject: DataSubject): Promise<SubjectExport>;
  /** Deletes rows of `table` created before `cutoff` for each tenant `cutoffFor` gives one for. */
  deleteExpired(
    table: EventTable,
    cutoffFor: (tenant: string) => Date | undefined,
  ): Promise<Record<string, number>>;
  /** This tenant's retention figures set by its admin (table → days), over the configured policy. */
  retentionSettings(): Promise<RetentionDays>;
  /** Sets this tenant's figures (null clears one, back to the configured policy); what is now stored. */
  setRetentionSettings(
    days: Partial<Record<keyof RetentionDays, number | null>>,
    now: string,
  ): Promise<RetentionDays>;
  /** Every tenant's stored figures, for the retention job (which runs over all tenants). */
  allRetentionSettings(): Promise<Record<string, RetentionDays>>;
  /** Masks rows written before redaction-on-write existed; a masked row stays as it is. */
  redactStored(options?: { batch?: number }): Promise<Record<EventTable, number>>;
  close(): Promise<void>;
}

type Row = Record<string, unknown>;

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
  // Per-tenant retention figures set through /v1/privacy/retention (issue 13); PostgreSQL has the
  // table from SERVICE_MIGRATIONS version 2.
  database.exec(`CREATE TABLE IF NOT EXISTS retention_settings (
    tenant TEXT NOT NULL,
    table_name TEXT NOT NULL,
    days INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant, table_name)
  )`);
  return privacyStoreOn(sqliteDatabase(database), options.tenant, async () => database.close(), false);
}

/** The same on the event store's tables in PostgreSQL (DATABASE_URL); the pool is the service's. */
export function openPostgresPrivacyStore(options: {
  database: TransactionalDatabase;
  tenant: string;
}): PrivacyStore {
  return privacyStoreOn(options.database, options.tenant, async () => undefined, true);
}

/**
 * One implementation for both backends: SQL both accept, parameters as $1, $2… `lockSets`: the
 * outcome recount takes PostgreSQL's per-set lock (feedback/outcomes.ts); SQLite has one writer.
 */
function privacyStoreOn(
  database: TransactionalDatabase,
  tenant: string,
  close: () => Promise<void>,
  lockSets: boolean,
): PrivacyStore {
  async function setsOf(
    client: Queryable,
    subject: DataSubject,
  ): Promise<Array<{ id: string; collection: string }>> {
    const rows =
      'conversationId' in subject
        ? await client.rows<Row>(
            'SELECT id, collection FROM suggestion_sets WHERE tenant = $1 AND conversation_id = $2',
            [tenant, subject.conversationId],
          )
        : await client.rows<Row>(
            `SELECT s.id, s.collection FROM data_subjects d JOIN suggestion_sets s
               ON s.tenant = d.tenant AND s.id = d.suggestion_set_id
             WHERE d.tenant = $1 AND d.kind = 'customer' AND d.subject_key = $2`,
            [tenant, subject.customerKey],
          );
    return rows.map((row) => ({ id: String(row.id), collection: String(row.collection) }));
  }

  const bySet = (client: Queryable, table: string, setId: string) =>
    client.rows<Row>(`SELECT * FROM ${table} WHERE tenant = $1 AND suggestion_set_id = $2`, [tenant, setId]);
  const withoutTenant = ({ tenant: _tenant, ...rest }: Row) => rest;

  function settingsOf(rows: readonly Row[]): Record<string, RetentionDays> {
    const byTenant: Record<string, RetentionDays> = {};
    for (const row of rows) {
      const table = String(row.table_name) as keyof RetentionDays;
      if (!RETENTION_TABLES.includes(table)) continue;
      byTenant[String(row.tenant)] = { ...byTenant[String(row.tenant)], [table]: Number(row.days) };
    }
    return byTenant;
  }
  const retentionSettings = async () =>
    settingsOf(await database.rows<Row>('SELECT * FROM retention_settings WHERE tenant = $1', [tenant]))[
      tenant
    ] ?? {};

  return {
    erase(subject) {
      return database.transaction(async (client) => {
        const sets = await setsOf(client, subject);
        const result: ErasureResult = { suggestionSets: 0, feedbackEvents: 0, knowledgeGaps: 0, history: [] };
        const history = new Map<string, string[]>();
        for (const set of sets) {
          const remove = (sql: string) => client.run(sql, [tenant, set.id]);
          result.feedbackEvents += await remove(
            'DELETE FROM feedback_events WHERE tenant = $1 AND suggestion_set_id = $2',
          );
          result.knowledgeGaps += await remove(
            'DELETE FROM knowledge_gaps WHERE tenant = $1 AND suggestion_set_id = $2',
          );
          await remove('DELETE FROM data_subjects WHERE tenant = $1 AND suggestion_set_id = $2');
          result.suggestionSets += await remove('DELETE FROM suggestion_sets WHERE tenant = $1 AND id = $2');
          history.set(set.collection, [...(history.get(set.collection) ?? []), historyIdOfSet(set.id)]);
        }
        // The analytics forget the sets with them (no set, no outcome rows), in one recount: every
        // set's lock before the pre-aggregates' rows, the order every recount takes them in.
        await refreshOutcomesOn(
          client,
          tenant,
          sets.map((set) => set.id),
          { lockSets },
        );
        result.history = [...history].map(([collection, ids]) => ({ collection, ids }));
        return result;
      });
    },

    async export(subject) {
      const sets = await setsOf(database, subject);
      const result: SubjectExport = { suggestionSets: [], feedbackEvents: [], knowledgeGaps: [] };
      for (const set of sets) {
        const [row] = await database.rows<Row>(
          'SELECT * FROM suggestion_sets WHERE tenant = $1 AND id = $2',
          [tenant, set.id],
        );
        if (row) {
          const { suggestions_json: suggestions, ...rest } = withoutTenant(row);
          result.suggestionSets.push({ ...rest, suggestions: JSON.parse(String(suggestions)) });
        }
        result.feedbackEvents.push(...(await bySet(database, 'feedback_events', set.id)).map(withoutTenant));
        result.knowledgeGaps.push(...(await bySet(database, 'knowledge_gaps', set.id)).map(withoutTenant));
      }
      return result;
    },

    async deleteExpired(table, cutoffFor) {
      const column = TIME_COLUMN[table];
      const tenants = (await database.rows<Row>(`SELECT DISTINCT tenant FROM ${table}`)).map((row) =>
        String(row.tenant),
      );
      const deleted: Record<string, number> = {};
      for (const each of tenants) {
        const cutoff = cutoffFor(each)?.toISOString();
        if (cutoff === undefined) continue;
        deleted[each] = await database.transaction(async (client) => {
          // The sets whose rows go: their outcome rows are recounted from what is left.
          const touched =
            table === 'knowledge_gaps'
              ? []
              : (
                  await client.rows<Row>(
                    `SELECT DISTINCT ${table === 'suggestion_sets' ? 'id' : 'suggestion_set_id'} AS id FROM ${table}
                     WHERE tenant = $1 AND ${column} < $2`,
                    [each, cutoff],
                  )
                ).map((row) => String(row.id));
          const changes = await client.run(`DELETE FROM ${table} WHERE tenant = $1 AND ${column} < $2`, [
            each,
            cutoff,
          ]);
          if (table === 'suggestion_sets' && changes > 0) {
            await client.run(
              `DELETE FROM data_subjects WHERE tenant = $1 AND NOT EXISTS
                 (SELECT 1 FROM suggestion_sets s WHERE s.tenant = data_subjects.tenant AND s.id = data_subjects.suggestion_set_id)`,
              [each],
            );
          }
          await refreshOutcomesOn(client, each, touched, { lockSets });
          return changes;
        });
      }
      return deleted;
    },

    retentionSettings,

    async setRetentionSettings(days, now) {
      await database.transaction(async (client) => {
        for (const [table, value] of Object.entries(days)) {
          if (value === undefined) continue;
          if (value === null)
            await client.run('DELETE FROM retention_settings WHERE tenant = $1 AND table_name = $2', [
              tenant,
              table,
            ]);
          else
            await client.run(
              `INSERT INTO retention_settings (tenant, table_name, days, updated_at) VALUES ($1, $2, $3, $4)
               ON CONFLICT (tenant, table_name) DO UPDATE SET days = excluded.days, updated_at = excluded.updated_at`,
              [tenant, table, value, now],
            );
        }
      });
      return retentionSettings();
    },

    async allRetentionSettings() {
      return settingsOf(await database.rows<Row>('SELECT * FROM retention_settings'));
    },

    async redactStored(options = {}) {
      const batch = options.batch ?? 500;
      const counts: Record<EventTable, number> = {
        suggestion_sets: 0,
        feedback_events: 0,
        knowledge_gaps: 0,
      };
      const pass = async (
        table: EventTable,
        key: string,
        columns: string[],
        mask: (row: Row) => Record<string, string | null>,
      ) => {
        let last = '';
        let lastTenant = '';
        for (;;) {
          const rows = await database.rows<Row>(
            `SELECT tenant, ${key}, ${columns.join(', ')} FROM ${table}
             WHERE (tenant, ${key}) > ($1, $2) ORDER BY tenant, ${key} LIMIT $3`,
            [lastTenant, last, batch],
          );
          if (rows.length === 0) return;
          await database.transaction(async (client) => {
            for (const row of rows) {
              const masked = mask(row);
              if (columns.every((column) => masked[column] === row[column])) continue;
              await client.run(
                `UPDATE ${table} SET ${columns.map((column, index) => `${column} = $${index + 1}`).join(', ')}
                 WHERE tenant = $${columns.length + 1} AND ${key} = $${columns.length + 2}`,
                [...columns.map((column) => masked[column] ?? null), row.tenant, row[key]],
              );
              counts[table]++;
            }
          });
          const end = rows.at(-1) as Row;
          lastTenant = String(end.tenant);
          last = String(end[key]);
        }
      };
      const text = (value: unknown) => (typeof value === 'string' ? maskForStorage(value) : null);
      await pass('suggestion_sets', 'id', ['question', 'suggestions_json'], (row) => ({
        question: text(row.question),
        suggestions_json: JSON.stringify(
          maskSuggestions(JSON.parse(String(row.suggestions_json)) as Suggestion[]),
        ),
      }));
      await pass('feedback_events', 'event_id', ['final_text', 'reason'], (row) => ({
        final_text: text(row.final_text),
        reason: text(row.reason),
      }));
      await pass('knowledge_gaps', 'id', ['query'], (row) => ({ query: text(row.query) ?? '' }));
      return counts;
    },

    close,
  };
}

import type { Queryable, ServiceDatabase } from '../storage/postgres-database.ts';
import { outcomeQueries, postgresNamedQuery } from './analytics-queries.ts';
import * as records from './event-rows.ts';
import type { EventStore, SuggestionSetRecord } from './event-store.ts';
import { queryFunnelDimensionsPostgres } from './funnel-queries.ts';
import { refreshOutcomesOn } from './outcomes.ts';
import { importManyOn } from './postgres-outcome-batch.ts';

/** `$1, $2, … $count`. */
export const placeholders = (count: number, from = 1) =>
  Array.from({ length: count }, (_, index) => `$${from + index}`).join(', ');

/**
 * The event store in PostgreSQL (`DATABASE_URL`): the SQLite store's tables and queries, shared by
 * every replica. The database is the process's pool, opened and closed by the service; closing
 * the store only stops it answering.
 */
export function openPostgresEventStore(options: { database: ServiceDatabase; tenant: string }): EventStore {
  const { database, tenant } = options;
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new Error('The event store is closed.');
  };
  const feedbackPage = (bySet: boolean, after: boolean) => {
    const conditions = ['tenant = $1'];
    if (bySet) conditions.push(`suggestion_set_id = $${conditions.length + 1}`);
    // Row-value comparison: the keyset cursor the SQLite store uses too.
    if (after)
      conditions.push(`(received_at, event_id) > ($${conditions.length + 1}, $${conditions.length + 2})`);
    const limit = 1 + conditions.length + (after ? 1 : 0);
    return `SELECT * FROM feedback_events WHERE ${conditions.join(' AND ')}
      ORDER BY received_at, event_id LIMIT $${limit}`;
  };

  const query = postgresNamedQuery(database);
  const refresh = (client: Queryable, setIds: Iterable<string>) =>
    refreshOutcomesOn(client, tenant, setIds, { lockSets: true });
  const insertFeedback = (client: Queryable, row: unknown[]) =>
    client.run(
      `INSERT INTO feedback_events (${records.FEEDBACK_COLUMNS}) VALUES (${placeholders(row.length)})
        ON CONFLICT (tenant, event_id) DO NOTHING`,
      row,
    );
  const insertGap = (client: Queryable, row: unknown[]) =>
    client.run(
      `INSERT INTO knowledge_gaps (${records.GAP_COLUMNS}) VALUES (${placeholders(row.length)})
        ON CONFLICT (tenant, id) DO NOTHING`,
      row,
    );
  /** Writes the set and whom it is about; true when the set was new. */
  async function insertSet(client: Queryable, set: SuggestionSetRecord): Promise<boolean> {
    const row = records.setRow(tenant, set);
    const inserted = await client.run(
      `INSERT INTO suggestion_sets (${records.SET_COLUMNS}) VALUES (${placeholders(row.length)})
        ON CONFLICT (tenant, id) DO NOTHING`,
      row,
    );
    for (const key of new Set(set.customerKeys ?? [])) {
      await client.run(
        `INSERT INTO data_subjects (tenant, suggestion_set_id, kind, subject_key, created_at)
          VALUES ($1, $2, 'customer', $3, $4) ON CONFLICT DO NOTHING`,
        [tenant, set.id, key, set.createdAt],
      );
    }
    return inserted > 0;
  }

  return {
    backend: 'postgres',
    async saveSuggestionSet(set) {
      ensureOpen();
      // The set, whom it is about and its outcomes land together or not at all; feedback that
      // arrived before its set (a client retrying out of order) is counted now.
      await database.transaction(async (client) => {
        await insertSet(client, set);
        await refresh(client, [set.id]);
      });
    },
    async getSuggestionSet(id) {
      ensureOpen();
      const [row] = await database.rows<records.Row>(
        'SELECT * FROM suggestion_sets WHERE tenant = $1 AND id = $2',
        [tenant, id],
      );
      return row ? records.toSet(row) : undefined;
    },
    async dailyModelUsage(range) {
      ensureOpen();
      const rows = await database.rows<records.Row>(
        `${records.DAILY_USAGE_SELECT}
          WHERE tenant = $1 AND model IS NOT NULL AND ${records.usageRangeColumn(range)} >= $2
            AND ${records.usageRangeColumn(range)} < $3
          GROUP BY day, engine, model ORDER BY day, engine, model`,
        [tenant, range.from, range.to],
      );
      return rows.map(records.toDailyUsage);
    },
    async recordFeedback(event) {
      ensureOpen();
      const row = records.feedbackRow(tenant, event);
      // The event and its set's outcome rows change together: the analytics never see one without the other.
      const inserted = await database.transaction(async (client) => {
        const count = await insertFeedback(client, row);
        if (count > 0) await refresh(client, [event.suggestionSetId]);
        return count;
      });
      return { duplicate: inserted === 0 };
    },
    async listFeedback(filter = {}) {
      ensureOpen();
      const parameters: unknown[] = [tenant];
      if (filter.suggestionSetId) parameters.push(filter.suggestionSetId);
      if (filter.after) parameters.push(filter.after.receivedAt, filter.after.eventId);
      parameters.push(filter.limit ?? 1000);
      const rows = await database.rows<records.Row>(
        feedbackPage(Boolean(filter.suggestionSetId), Boolean(filter.after)),
        parameters,
      );
      return rows.map(records.toFeedback);
    },
    async recordKnowledgeGap(gap) {
      ensureOpen();
      await insertGap(database, records.gapRow(tenant, gap));
    },
    async importRecords(imported) {
      ensureOpen();
      // Many rows per statement: a year of history in minutes, not hours (postgres-outcome-batch.ts).
      return database.transaction((client) => importManyOn(client, tenant, imported));
    },
    async listKnowledgeGaps(filter = {}) {
      ensureOpen();
      const rows = filter.collection
        ? await database.rows<records.Row>(
            'SELECT * FROM knowledge_gaps WHERE tenant = $1 AND collection = $2 ORDER BY created_at DESC LIMIT $3',
            [tenant, filter.collection, filter.limit ?? 1000],
          )
        : await database.rows<records.Row>(
            'SELECT * FROM knowledge_gaps WHERE tenant = $1 ORDER BY created_at DESC LIMIT $2',
            [tenant, filter.limit ?? 1000],
          );
      return rows.map(records.toGap);
    },
    async funnelDimensions() {
      ensureOpen();
      return queryFunnelDimensionsPostgres(database, tenant);
    },
    ...outcomeQueries(query, tenant, ensureOpen),
    async checkStorage() {
      ensureOpen();
      // A write the way a real one writes: a read-only standby (25006), a full disk (53100) or an
      // unreachable server fails here as it would there; the transaction leaves nothing behind.
      await database.transaction(async (client) => {
        await client.run("INSERT INTO storage_probe (payload) VALUES (decode(repeat('00', 16384), 'hex'))");
        await client.run('DELETE FROM storage_probe');
      });
    },
    async close() {
      closed = true;
    },
  };
}

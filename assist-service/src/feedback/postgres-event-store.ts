import type { ServiceDatabase } from '../storage/postgres-database.ts';
import * as records from './event-rows.ts';
import type { EventStore } from './event-store.ts';
import { queryFunnelDimensionsPostgres, queryFunnelUnitsPostgres } from './funnel-queries.ts';

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

  return {
    backend: 'postgres',
    async saveSuggestionSet(set) {
      ensureOpen();
      const row = records.setRow(tenant, set);
      // The set and whom it is about land together or not at all.
      await database.transaction(async (client) => {
        await client.run(
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
          WHERE tenant = $1 AND model IS NOT NULL AND created_at >= $2 AND created_at < $3
          GROUP BY day, engine, model ORDER BY day, engine, model`,
        [tenant, range.from, range.to],
      );
      return rows.map(records.toDailyUsage);
    },
    async recordFeedback(event) {
      ensureOpen();
      const row = records.feedbackRow(tenant, event);
      const inserted = await database.run(
        `INSERT INTO feedback_events (${records.FEEDBACK_COLUMNS}) VALUES (${placeholders(row.length)})
          ON CONFLICT (tenant, event_id) DO NOTHING`,
        row,
      );
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
      const row = records.gapRow(tenant, gap);
      await database.run(
        `INSERT INTO knowledge_gaps (${records.GAP_COLUMNS}) VALUES (${placeholders(row.length)})
          ON CONFLICT (tenant, id) DO NOTHING`,
        row,
      );
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
    async listFunnelUnits(filter) {
      ensureOpen();
      return queryFunnelUnitsPostgres(database, tenant, filter);
    },
    async funnelDimensions() {
      ensureOpen();
      return queryFunnelDimensionsPostgres(database, tenant);
    },
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

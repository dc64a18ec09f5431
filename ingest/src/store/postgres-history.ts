import type { PoolClient } from 'pg';
import type { KnowledgeStore } from './knowledge-store.ts';
import { historyRowToEntry, validateHistoryEntry } from './sqlite-history.ts';

/**
 * The history half of the PostgreSQL store: the same rows and rules as the SQLite store's
 * (sqlite-history.ts), one row per (collection, id) in `kb_history`. Each change bumps
 * `kb_collections.history_generation` in its transaction.
 */
export interface PostgresHistoryContext {
  requireCollection(name: string): Promise<{ id: number }>;
  read<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
  transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
}

const COLUMNS = 'history_id, question, answer, topic, document_ids, source, created_at';

export function postgresHistoryMethods(
  context: PostgresHistoryContext,
): Pick<KnowledgeStore, 'addHistory' | 'listHistory' | 'deleteHistory'> {
  const { requireCollection, read, transaction } = context;
  const bump = (client: PoolClient, collectionId: number) =>
    client.query('UPDATE kb_collections SET history_generation = history_generation + 1 WHERE id = $1', [
      collectionId,
    ]);

  return {
    async addHistory(collectionName, entries) {
      const collection = await requireCollection(collectionName);
      entries.forEach(validateHistoryEntry);
      const result = { added: 0, updated: 0, unchanged: 0 };
      if (entries.length === 0) return result;
      await transaction(async (client) => {
        for (const entry of entries) {
          const values = [
            entry.question,
            entry.answer ?? null,
            entry.topic ?? null,
            JSON.stringify([...new Set(entry.documentIds)]),
            entry.source,
            new Date(entry.createdAt).toISOString(),
          ];
          // Insert, or update only when something differs: `xmax = 0` tells an insert apart.
          const written = await client.query<{ inserted: boolean }>(
            `INSERT INTO kb_history (collection_id, history_id, question, answer, topic, document_ids, source, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (collection_id, history_id) DO UPDATE SET question = excluded.question,
               answer = excluded.answer, topic = excluded.topic, document_ids = excluded.document_ids,
               source = excluded.source, created_at = excluded.created_at
             WHERE (kb_history.question, kb_history.answer, kb_history.topic, kb_history.document_ids,
                    kb_history.source, kb_history.created_at)
               IS DISTINCT FROM (excluded.question, excluded.answer, excluded.topic, excluded.document_ids,
                    excluded.source, excluded.created_at)
             RETURNING (xmax = 0) AS inserted`,
            [collection.id, entry.id, ...values],
          );
          const row = written.rows[0];
          if (!row) result.unchanged++;
          else if (row.inserted) result.added++;
          else result.updated++;
        }
        if (result.added + result.updated > 0) await bump(client, collection.id);
      });
      return result;
    },

    async listHistory(collectionName, options = {}) {
      const collection = await requireCollection(collectionName);
      const conditions = ['collection_id = $1'];
      const parameters: Array<string | number> = [collection.id];
      if (options.source) {
        parameters.push(options.source);
        conditions.push(`source = $${parameters.length}`);
      }
      if (options.withDocuments) conditions.push("document_ids <> '[]'");
      const limit = options.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.limit))}` : '';
      const rows = await read(
        async (client) =>
          (
            await client.query(
              `SELECT ${COLUMNS} FROM kb_history WHERE ${conditions.join(' AND ')}
               ORDER BY created_at COLLATE "C", history_id COLLATE "C"${limit}`,
              parameters,
            )
          ).rows,
      );
      return rows.map(historyRowToEntry);
    },

    async deleteHistory(collectionName, selection) {
      const collection = await requireCollection(collectionName);
      const cutoff = selection.olderThan?.toISOString() ?? null;
      const ids = [...new Set(selection.ids ?? [])];
      if (cutoff === null && ids.length === 0) return 0;
      return transaction(async (client) => {
        const deleted = await client.query(
          `DELETE FROM kb_history WHERE collection_id = $1
             AND (($2::text IS NOT NULL AND created_at COLLATE "C" < $2::text) OR history_id = ANY($3::text[]))`,
          [collection.id, cutoff, ids],
        );
        const count = deleted.rowCount ?? 0;
        if (count > 0) await bump(client, collection.id);
        return count;
      });
    },
  };
}

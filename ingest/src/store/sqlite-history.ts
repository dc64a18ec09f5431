import type { StatementSync } from 'node:sqlite';
import { StoreError } from '../errors.ts';
import type { HistoryEntry, HistorySource, KnowledgeStore } from './knowledge-store.ts';

/**
 * The history half of the SQLite store: past questions in the `history` table, one row per
 * (collection, id). Each change bumps `collections.history_generation` in the same transaction,
 * which is how searches in other processes learn that the history they hold is stale, without
 * touching the documents' `generation` (that would rebuild the document indexes).
 */
export interface HistoryStoreContext {
  prepare(sql: string): StatementSync;
  transaction<T>(work: () => T): T;
  requireCollection(name: string): { id: number };
}

const HISTORY_SOURCES: readonly HistorySource[] = ['import', 'feedback'];

export function validateHistoryEntry(entry: HistoryEntry, index: number): void {
  const where = `history entry ${index + 1}${entry.id ? ` ("${entry.id}")` : ''}`;
  const fail = (problem: string): never => {
    throw new StoreError('invalid-input', `${where}: ${problem}`);
  };
  if (typeof entry.id !== 'string' || entry.id.trim() === '') fail('id is empty');
  if (typeof entry.question !== 'string' || entry.question.trim() === '') fail('question is empty');
  if (!HISTORY_SOURCES.includes(entry.source)) fail(`source must be ${HISTORY_SOURCES.join(' or ')}`);
  if (
    !Array.isArray(entry.documentIds) ||
    entry.documentIds.some((id) => typeof id !== 'string' || id === '')
  )
    fail('documentIds must be a list of document ids');
  if (Number.isNaN(Date.parse(entry.createdAt))) fail(`createdAt "${entry.createdAt}" is not a date`);
}

export function historyRowToEntry(row: Record<string, unknown>): HistoryEntry {
  return {
    id: row.history_id as string,
    question: row.question as string,
    ...(row.answer !== null ? { answer: row.answer as string } : {}),
    ...(row.topic !== null ? { topic: row.topic as string } : {}),
    documentIds: JSON.parse(row.document_ids as string) as string[],
    source: row.source as HistorySource,
    createdAt: row.created_at as string,
  };
}

export function historyMethods(
  context: HistoryStoreContext,
): Pick<KnowledgeStore, 'addHistory' | 'listHistory' | 'deleteHistory'> {
  const { prepare, transaction, requireCollection } = context;
  const bump = (collectionId: number) =>
    prepare('UPDATE collections SET history_generation = history_generation + 1 WHERE id = ?').run(
      collectionId,
    );

  return {
    async addHistory(collectionName, entries) {
      const collection = requireCollection(collectionName);
      entries.forEach(validateHistoryEntry);
      const result = { added: 0, updated: 0, unchanged: 0 };
      if (entries.length === 0) return result;
      transaction(() => {
        for (const entry of entries) {
          const values = [
            entry.question,
            entry.answer ?? null,
            entry.topic ?? null,
            JSON.stringify([...new Set(entry.documentIds)]),
            entry.source,
            new Date(entry.createdAt).toISOString(),
          ] as const;
          const existing = prepare(
            'SELECT question, answer, topic, document_ids, source, created_at FROM history WHERE collection_id = ? AND history_id = ?',
          ).get(collection.id, entry.id);
          if (!existing) {
            prepare(
              `INSERT INTO history (collection_id, history_id, question, answer, topic, document_ids, source, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            ).run(collection.id, entry.id, ...values);
            result.added++;
          } else if (
            [
              existing.question,
              existing.answer,
              existing.topic,
              existing.document_ids,
              existing.source,
              existing.created_at,
            ].every((value, index) => value === values[index])
          ) {
            result.unchanged++;
          } else {
            prepare(
              `UPDATE history SET question = ?, answer = ?, topic = ?, document_ids = ?, source = ?, created_at = ?
               WHERE collection_id = ? AND history_id = ?`,
            ).run(...values, collection.id, entry.id);
            result.updated++;
          }
        }
        if (result.added + result.updated > 0) bump(collection.id);
      });
      return result;
    },

    async listHistory(collectionName, options = {}) {
      const collection = requireCollection(collectionName);
      const conditions = ['collection_id = ?'];
      const parameters: Array<string | number> = [collection.id];
      if (options.source) {
        conditions.push('source = ?');
        parameters.push(options.source);
      }
      if (options.withDocuments) conditions.push("document_ids <> '[]'");
      const limit = options.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.limit))}` : '';
      return prepare(
        `SELECT history_id, question, answer, topic, document_ids, source, created_at FROM history
         WHERE ${conditions.join(' AND ')} ORDER BY created_at, history_id${limit}`,
      )
        .all(...parameters)
        .map(historyRowToEntry);
    },

    async deleteHistory(collectionName, selection) {
      const collection = requireCollection(collectionName);
      const cutoff = selection.olderThan?.toISOString();
      const ids = [...new Set(selection.ids ?? [])];
      // Retention runs on every open: only take the write lock when something is due.
      const due =
        (cutoff !== undefined &&
          prepare('SELECT 1 FROM history WHERE collection_id = ? AND created_at < ? LIMIT 1').get(
            collection.id,
            cutoff,
          ) !== undefined) ||
        ids.length > 0;
      if (!due) return 0;
      return transaction(() => {
        let deleted = 0;
        if (cutoff !== undefined) {
          deleted += Number(
            prepare('DELETE FROM history WHERE collection_id = ? AND created_at < ?').run(
              collection.id,
              cutoff,
            ).changes,
          );
        }
        for (const id of ids) {
          deleted += Number(
            prepare('DELETE FROM history WHERE collection_id = ? AND history_id = ?').run(collection.id, id)
              .changes,
          );
        }
        if (deleted > 0) bump(collection.id);
        return deleted;
      });
    },
  };
}

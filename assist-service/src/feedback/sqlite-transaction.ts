import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `work` in one write transaction (BEGIN IMMEDIATE: the write lock is taken at once, so a busy
 * store fails before anything is done) and rolls back whatever it did when it throws.
 */
export function immediateTransaction<T>(database: DatabaseSync, work: () => T): T {
  database.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    database.exec('COMMIT');
    return result;
  } catch (error) {
    if (database.isTransaction) database.exec('ROLLBACK');
    throw error;
  }
}

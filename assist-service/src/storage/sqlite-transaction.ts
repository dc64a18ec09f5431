import type { DatabaseSync } from 'node:sqlite';

/** Runs `work` in one write transaction (taken at once, so two writers queue rather than deadlock). */
export function immediateTransaction<T>(database: DatabaseSync, work: () => T): T {
  database.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    database.exec('COMMIT');
    return result;
  } catch (error) {
    // A failed COMMIT (disk full) may already have ended the transaction.
    if (database.isTransaction) database.exec('ROLLBACK');
    throw error;
  }
}

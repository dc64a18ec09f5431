import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Queryable, TransactionalDatabase } from './postgres-database.ts';

/**
 * An SQLite connection behind the interface the PostgreSQL pool has, so that one store can be
 * written once for both: `$1, $2…` become positional `?` (so each must appear once, in order), and
 * transactions (BEGIN IMMEDIATE) take turns, since they share the one connection across awaits.
 */
export function sqliteDatabase(database: DatabaseSync): TransactionalDatabase {
  const positional = (sql: string) => sql.replace(/\$\d+/gu, '?');
  const values = (parameters: readonly unknown[]) => parameters as SQLInputValue[];
  const queryable: Queryable = {
    async rows<Row extends object>(sql: string, parameters: readonly unknown[] = []) {
      return database.prepare(positional(sql)).all(...values(parameters)) as Row[];
    },
    async run(sql, parameters = []) {
      return Number(database.prepare(positional(sql)).run(...values(parameters)).changes);
    },
  };
  let turn: Promise<unknown> = Promise.resolve();
  return {
    ...queryable,
    transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
      const next = turn.then(async () => {
        database.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(queryable);
          database.exec('COMMIT');
          return result;
        } catch (error) {
          if (database.isTransaction) database.exec('ROLLBACK');
          throw error;
        }
      });
      turn = next.catch(() => undefined);
      return next;
    },
  };
}

import { migrate } from '@naparnik/ingest/postgres-migrations';
import pg from 'pg';
import { backfillAllRollupsOn } from '../feedback/outcome-rollups.ts';
import { rebuildAllOutcomesOn } from '../feedback/outcomes.ts';
import { BACKFILL_VERSIONS, SERVICE_COMPONENT, SERVICE_MIGRATIONS } from './postgres-migrations.ts';
import { DatabaseUnreachableError, StorageStartError } from './storage-failure.ts';

/** What a store runs its SQL through: the pool, or one transaction's connection. */
export interface Queryable {
  /** The rows of one statement ($1, $2… parameters). */
  rows<Row extends object>(sql: string, parameters?: readonly unknown[]): Promise<Row[]>;
  /** How many rows one statement inserted, updated or deleted. */
  run(sql: string, parameters?: readonly unknown[]): Promise<number>;
}

/**
 * The service's own tables in PostgreSQL (`DATABASE_URL`): one pool per process, shared by every
 * store and tenant, the schema brought forward by `SERVICE_MIGRATIONS` on open (the runner and
 * rules are the knowledge store's, docs/decisions/0017 and 0024).
 */
export interface ServiceDatabase extends TransactionalDatabase {
  close(): Promise<void>;
}

/** SQL with transactions: the PostgreSQL pool, or an SQLite connection (sqlite-database.ts). */
export interface TransactionalDatabase extends Queryable {
  /** Runs `work` in one transaction on one connection: committed when it resolves, else rolled back. */
  transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T>;
}

export interface ServiceDatabaseOptions {
  connectionString: string;
  /** Connections this process keeps open at most (default 10). */
  maxConnections?: number;
}

/** bigint (COUNT, SUM of integers, epoch milliseconds) as a JavaScript number: all far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Where a URL points, without its password: for messages. */
export function serverOf(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'an unparsable URL';
  }
}

/**
 * The driver's own failures (a dropped connection, a connect timeout) carry no code: they become
 * DatabaseUnreachableError, which the error middleware answers with 503. Errors the server sent
 * keep their SQLSTATE (storage-failure.ts maps the ones that are storage failures).
 */
function classified(error: unknown): unknown {
  if (error instanceof Error && (error as { code?: unknown }).code === undefined)
    return new DatabaseUnreachableError(`PostgreSQL: ${error.message}`, { cause: error });
  return error;
}

function queryableOf(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async rows<Row extends object>(sql: string, parameters: readonly unknown[] = []) {
      try {
        return (await client.query<Row>(sql, [...parameters])).rows;
      } catch (error) {
        throw classified(error);
      }
    },
    async run(sql, parameters = []) {
      try {
        return (await client.query(sql, [...parameters])).rowCount ?? 0;
      } catch (error) {
        throw classified(error);
      }
    },
  };
}

/** The URL with `-c jit=off` added to its `options` (a URL that does not parse is left alone). */
function withoutJit(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const given = url.searchParams.get('options');
    url.searchParams.set('options', given ? `${given} -c jit=off` : '-c jit=off');
    return url.toString();
  } catch {
    return connectionString;
  }
}

export async function openServiceDatabase(options: ServiceDatabaseOptions): Promise<ServiceDatabase> {
  // No JIT for this pool's queries: the dashboard's year-wide aggregates cost past jit_above_cost
  // at a year's scale, and PostgreSQL compiles them anew on every run. EXPLAIN ANALYZE on 210,000
  // outcome rows with the JIT thresholds a year reaches: 1.4 s (0.8 s of it JIT) for a year's rates
  // by week and 6.1 s (13 s of JIT across workers) for the editing histograms, against 0.47 s and
  // 0.59 s without (decision 0035). jit is a per-session setting any role may change: it
  // joins the URL's own `options` (a test's search_path), which would replace a pool option.
  const pool = new pg.Pool({
    connectionString: withoutJit(options.connectionString),
    max: options.maxConnections ?? 10,
    // A server that does not answer fails the request (503) instead of holding it.
    connectionTimeoutMillis: 5_000,
    types,
    application_name: 'naparnik-service',
  });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  let applied: number[];
  try {
    applied = await migrate(pool, SERVICE_COMPONENT, SERVICE_MIGRATIONS);
  } catch (error) {
    await pool.end();
    throw new StorageStartError(
      `PostgreSQL ${serverOf(options.connectionString)} (DATABASE_URL)`,
      classified(error),
    );
  }
  let closed = false;
  const database: ServiceDatabase = {
    ...queryableOf(pool),
    async transaction(work) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw classified(error);
      }
      const queryable = queryableOf(client);
      try {
        await queryable.run('BEGIN');
        const result = await work(queryable);
        await queryable.run('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
  // Feedback stored before the analytics existed is counted once, by the process that added the table.
  // A recount keeps the pre-aggregates: when both versions are new, the rebuild fills them too.
  const backfill = applied.includes(BACKFILL_VERSIONS.outcomes)
    ? () => rebuildAllOutcomesOn(database)
    : applied.includes(BACKFILL_VERSIONS.rollups)
      ? () => backfillAllRollupsOn(database)
      : undefined;
  if (backfill) {
    try {
      await backfill();
    } catch (error) {
      await pool.end();
      throw new StorageStartError(
        `PostgreSQL ${serverOf(options.connectionString)} (DATABASE_URL), counting stored outcomes`,
        classified(error),
      );
    }
  }
  return database;
}

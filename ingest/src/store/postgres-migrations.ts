import type { Pool } from 'pg';

/**
 * The PostgreSQL schema, as one forward-only list of versioned migrations. Each process applies
 * the ones its database lacks when it opens the store, under an advisory lock, so several
 * replicas starting at once apply each migration exactly once.
 *
 * Rules that keep a migration safe while other processes are live (a new version rolls out
 * replica by replica, and older replicas keep running against the newer schema):
 * - never edit or reorder a released migration: add the next version;
 * - expand only: new tables, new nullable columns or columns with a constant default (no table
 *   rewrite since PostgreSQL 11), indexes on existing tables `CONCURRENTLY` (`transaction: false`),
 *   plain indexes only on a table the same migration creates;
 *   never change a column's type, never drop or rename what an older replica still reads;
 * - statements wait at most `LOCK_TIMEOUT` for a lock, so a migration never queues every reader
 *   behind it: it fails, and the next start tries again.
 * `postgres-migrations.test.ts` checks the list against these rules.
 */
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
  /** Statements that cannot run in a transaction (`CREATE INDEX CONCURRENTLY`). */
  transaction?: false;
}

/** Migrations of the knowledge store; the service's tables will join as their own component. */
export const KNOWLEDGE_COMPONENT = 'knowledge';

export const KNOWLEDGE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'knowledge store: collections, documents, chunks, stems, tombstones, history',
    statements: [
      `CREATE TABLE kb_collections (
        id bigserial PRIMARY KEY,
        tenant_id text NOT NULL,
        name text NOT NULL,
        embedder_id text NOT NULL,
        dimensions integer NOT NULL,
        generation bigint NOT NULL DEFAULT 0,
        history_generation bigint NOT NULL DEFAULT 0,
        created_at text NOT NULL,
        updated_at text NOT NULL,
        UNIQUE (tenant_id, name)
      )`,
      `CREATE TABLE kb_documents (
        collection_id bigint NOT NULL REFERENCES kb_collections (id) ON DELETE CASCADE,
        document_id text NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        content_hash text NOT NULL,
        source text NOT NULL,
        source_path text NOT NULL,
        updated_at text NOT NULL,
        PRIMARY KEY (collection_id, document_id)
      )`,
      // Row ids grow in commit order within a collection (writers hold the collection's row
      // lock while they insert), which is what lets each process's in-memory indexes catch up
      // by loading the rows after the last one they saw.
      `CREATE TABLE kb_chunks (
        id bigserial PRIMARY KEY,
        collection_id bigint NOT NULL REFERENCES kb_collections (id) ON DELETE CASCADE,
        document_id text NOT NULL,
        chunk_id text NOT NULL,
        ordinal integer NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        title_path jsonb NOT NULL,
        text text NOT NULL,
        language text NOT NULL,
        tags jsonb NOT NULL,
        category text,
        source text NOT NULL,
        metadata jsonb,
        embedding bytea NOT NULL,
        UNIQUE (collection_id, chunk_id)
      )`,
      'CREATE INDEX kb_chunks_by_document ON kb_chunks (collection_id, document_id, ordinal)',
      'CREATE INDEX kb_chunks_by_collection ON kb_chunks (collection_id, id)',
      // Each chunk's Snowball stems (stems.ts), computed once at ingest: the lexical index loads
      // from here (docs/decisions/0017-postgresql-knowledge-store.md).
      `CREATE TABLE kb_chunk_stems (
        chunk_rowid bigint PRIMARY KEY REFERENCES kb_chunks (id) ON DELETE CASCADE,
        collection_id bigint NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        meta text NOT NULL
      )`,
      'CREATE INDEX kb_chunk_stems_by_collection ON kb_chunk_stems (collection_id, chunk_rowid)',
      `CREATE TABLE kb_chunk_tombstones (
        collection_id bigint NOT NULL REFERENCES kb_collections (id) ON DELETE CASCADE,
        chunk_rowid bigint NOT NULL,
        generation bigint NOT NULL
      )`,
      'CREATE INDEX kb_chunk_tombstones_by_generation ON kb_chunk_tombstones (collection_id, generation)',
      `CREATE TABLE kb_history (
        collection_id bigint NOT NULL REFERENCES kb_collections (id) ON DELETE CASCADE,
        history_id text NOT NULL,
        question text NOT NULL,
        answer text,
        topic text,
        document_ids text NOT NULL,
        source text NOT NULL,
        created_at text NOT NULL,
        PRIMARY KEY (collection_id, history_id)
      )`,
      'CREATE INDEX kb_history_by_age ON kb_history (collection_id, created_at)',
    ],
  },
];

/**
 * What breaks the rules above in a migration after the first (which creates the tables, empty):
 * statements that rewrite or lock a table others read, or that cannot run where they are.
 */
export function migrationProblems(migration: Migration): string[] {
  if (migration.version === 1) return [];
  const problems: string[] = [];
  // Tables this migration creates: no one reads them yet, so a plain index on one locks nothing live.
  const created = new Set<string>();
  for (const statement of migration.statements) {
    const sql = statement.replace(/\s+/gu, ' ').trim();
    const table = /^CREATE TABLE (?:IF NOT EXISTS )?(\w+) /iu.exec(sql)?.[1];
    if (table) created.add(table.toLowerCase());
    const indexed = /^CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?\w+ ON (\w+) /iu.exec(sql)?.[1];
    const allowed =
      table !== undefined ||
      (indexed !== undefined && created.has(indexed.toLowerCase())) ||
      /^CREATE (UNIQUE )?INDEX CONCURRENTLY /iu.test(sql) ||
      /^ALTER TABLE \w+ ADD COLUMN (IF NOT EXISTS )?\w+ [\w ]+?( DEFAULT ('[^']*'|-?\d+|true|false|NULL))?$/iu.test(
        sql,
      );
    if (!allowed) problems.push(`version ${migration.version}: not an expand-only statement: ${sql}`);
    else if (/ NOT NULL/iu.test(sql) && /^ALTER/iu.test(sql) && !/ DEFAULT /iu.test(sql))
      problems.push(`version ${migration.version}: a NOT NULL column needs a constant default: ${sql}`);
    if (/CONCURRENTLY/iu.test(sql) && migration.transaction !== false)
      problems.push(`version ${migration.version}: CONCURRENTLY needs transaction: false`);
  }
  // A transaction that locks two live tables, one after the other, can deadlock with a request that
  // holds the second and asks for the first (feedback writes its events, then reads its set): the
  // request is as likely as the migration to be the one PostgreSQL cancels. One altered table each.
  const altered = new Set(
    migration.statements
      .map((statement) => /^\s*ALTER TABLE (\w+)/iu.exec(statement)?.[1]?.toLowerCase())
      .filter((table): table is string => table !== undefined && !created.has(table)),
  );
  if (altered.size > 1)
    problems.push(
      `version ${migration.version}: alters ${[...altered].join(', ')} in one transaction: one live table per migration`,
    );
  return problems;
}

const LOCK_TIMEOUT = '5s';
/** How often a process waiting for another's migrations tries the lock again. */
const MIGRATION_LOCK_POLL_MS = 50;

/** Applies the migrations of `component` the database lacks; returns the versions applied. */
export async function migrate(
  pool: Pool,
  component: string,
  migrations: readonly Migration[],
): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    // A session-level lock, so migrations that cannot run in a transaction are covered too. Tried,
    // not waited for: a process waiting inside `pg_advisory_lock` holds a snapshot the whole time,
    // and `CREATE INDEX CONCURRENTLY` waits for every older snapshot — the holder would wait for the
    // waiter, and PostgreSQL cancels one of them as a deadlock.
    while (
      !(
        await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
          `naparnik-migrations:${component}`,
        ])
      ).rows[0]?.locked
    )
      await new Promise((resolve) => setTimeout(resolve, MIGRATION_LOCK_POLL_MS));
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        component text NOT NULL,
        version integer NOT NULL,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (component, version)
      )`);
      const done = new Set(
        (
          await client.query<{ version: number }>(
            'SELECT version FROM schema_migrations WHERE component = $1',
            [component],
          )
        ).rows.map((row) => row.version),
      );
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        const record = () =>
          client.query('INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)', [
            component,
            migration.version,
            migration.name,
          ]);
        if (migration.transaction === false) {
          await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
          for (const statement of migration.statements) await client.query(statement);
          await record();
          await client.query('RESET lock_timeout');
        } else {
          await client.query('BEGIN');
          try {
            await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
            for (const statement of migration.statements) await client.query(statement);
            await record();
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        }
        applied.push(migration.version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`naparnik-migrations:${component}`]);
    }
  } finally {
    client.release();
  }
  return applied;
}

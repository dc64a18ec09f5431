import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL the tests use: `scripts/postgres.ts` starts a throwaway cluster and sets
 * NAPARNIK_TEST_DATABASE_URL (`pnpm test` and `.ci/run` run through it). Without it the
 * PostgreSQL suites are skipped, and say so.
 */
export const testDatabaseUrl = process.env.NAPARNIK_TEST_DATABASE_URL || undefined;

export function reportSkippedPostgres(suite: string): void {
  if (!testDatabaseUrl) {
    process.stderr.write(
      `${suite}: skipped, NAPARNIK_TEST_DATABASE_URL is not set ` +
        '(run through `node scripts/postgres.ts <command>`, as `pnpm test` does, with PostgreSQL installed)\n',
    );
  }
}

const schemas: string[] = [];

/**
 * A URL whose connections see only a new, empty schema of the test database: a fresh store for
 * each test without creating a database each time.
 */
export async function freshSchemaUrl(): Promise<string> {
  if (!testDatabaseUrl) throw new Error('NAPARNIK_TEST_DATABASE_URL is not set');
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  schemas.push(schema);
  const url = new URL(testDatabaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** Drops the schemas this test file created. */
export async function dropTestSchemas(): Promise<void> {
  if (!testDatabaseUrl || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

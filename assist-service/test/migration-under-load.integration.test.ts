import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Migration, migrationProblems } from '@naparnik/ingest/postgres-migrations';
import {
  dropTestSchemas,
  freshSchemaUrl,
  reportSkippedPostgres,
  testDatabaseUrl,
} from '@naparnik/ingest/test-support/postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistResponseSchema } from '../src/contract/index.ts';
import { SERVICE_COMPONENT, SERVICE_MIGRATIONS } from '../src/storage/postgres-migrations.ts';
import { assistBody } from './harness.ts';
import { type SpawnedService, spawnAssistService } from './spawned-service.ts';

/**
 * Migrations run forward while replicas serve (decision 0024, "no table rewrite on the hot
 * tables"): a real service process on a throwaway PostgreSQL takes assist and feedback requests
 * from concurrent clients while a second process applies the latest real migration and a
 * synthetic next one (columns on the hot tables, an index built CONCURRENTLY). No request may
 * fail, no write may be lost, and the hot tables keep their files (PostgreSQL rewrote neither).
 *
 * The service's own code applies every migration it knows at start, so "the schema one version
 * behind" is made by hand: the latest version's tables are dropped and its row in
 * `schema_migrations` removed before the traffic starts. Nothing the traffic does touches them, as
 * nothing a replica of the previous release does would.
 */
reportSkippedPostgres('migration-under-load.integration.test.ts');
afterAll(dropTestSchemas);

const LATEST = SERVICE_MIGRATIONS.at(-1)!;
/** Tables of the latest real migration (what is dropped to stand one version behind). */
const LATEST_TABLES = LATEST.statements
  .map((statement) => /^\s*CREATE TABLE (\w+)/iu.exec(statement)?.[1])
  .filter((table): table is string => table !== undefined);

/** What a next release could add to the hot tables, in the forms the rules allow. */
const NEXT: Migration[] = [
  // One live table per migration (migrationProblems): both tables in one transaction deadlocked
  // with feedback requests, which write events and read their set.
  {
    version: LATEST.version + 1,
    name: 'test: a column on the suggestion sets',
    statements: ['ALTER TABLE suggestion_sets ADD COLUMN client_build text'],
  },
  {
    version: LATEST.version + 2,
    name: 'test: columns on the feedback events',
    statements: [
      "ALTER TABLE feedback_events ADD COLUMN channel_hint text DEFAULT 'chat'",
      'ALTER TABLE feedback_events ADD COLUMN attempt integer NOT NULL DEFAULT 1',
    ],
  },
  {
    version: LATEST.version + 3,
    name: 'test: an index on a hot table, built without blocking writes',
    transaction: false,
    statements: [
      'CREATE INDEX CONCURRENTLY feedback_events_operator ON feedback_events (tenant, operator_id)',
    ],
  },
];
const HOT_TABLES = ['suggestion_sets', 'feedback_events'];
const CLIENTS = 6;
const APPLY_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'apply-migrations.ts');

function applyInAnotherProcess(url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [APPLY_SCRIPT], {
      env: { ...process.env, DATABASE_URL: url, NAPARNIK_EXTRA_MIGRATIONS: JSON.stringify(NEXT) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!testDatabaseUrl)('migrations applied while a replica serves', () => {
  let url: string;
  let service: SpawnedService;
  let admin: pg.Client;

  beforeAll(async () => {
    url = await freshSchemaUrl();
    service = await spawnAssistService({
      DATABASE_URL: url,
      ASSIST_ADMIN_TOKEN: `migration-admin-${randomBytes(16).toString('hex')}`,
      NAPARNIK_RATE_LIMIT_PER_TOKEN: '0',
      NAPARNIK_RATE_LIMIT_PER_TENANT: '0',
    });
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    for (const table of LATEST_TABLES) await admin.query(`DROP TABLE ${table}`);
    await admin.query('DELETE FROM schema_migrations WHERE component = $1 AND version = $2', [
      SERVICE_COMPONENT,
      LATEST.version,
    ]);
  }, 240_000);
  afterAll(async () => {
    await admin?.end();
    await service?.stop();
  });

  it('the synthetic next migrations pass the expand-only rules', () => {
    expect(NEXT.flatMap(migrationProblems)).toEqual([]);
  });

  it('serves every assist and feedback request and loses no write while the schema moves forward', async () => {
    const files = async () =>
      (
        await admin.query<{ relname: string; relfilenode: number }>(
          'SELECT relname, relfilenode FROM pg_class WHERE relname = ANY($1) ORDER BY relname',
          [HOT_TABLES],
        )
      ).rows;
    const filesBefore = await files();
    const failures: string[] = [];
    const setIds: string[] = [];
    const eventIds: string[] = [];
    let migrated = false;
    const post = async (pathname: string, body: unknown) => {
      const response = await service.request(pathname, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status >= 300) failures.push(`${pathname} ${response.status} ${text}`);
      return { status: response.status, text };
    };
    const client = async (index: number) => {
      // Keep going until the migrations are done, and a few rounds after.
      let after = 0;
      while (after < 3) {
        if (migrated) after++;
        const answer = await post(
          '/v1/assist',
          assistBody([{ role: 'customer', text: `Сколько идёт доставка в город номер ${index}?` }]),
        );
        if (answer.status >= 300) continue;
        const setId = assistResponseSchema.parse(JSON.parse(answer.text)).suggestionSetId;
        setIds.push(setId);
        for (const type of ['suggestion-shown', 'suggestion-inserted'] as const) {
          const eventId = randomUUID();
          const event = await post('/v1/feedback', {
            eventId,
            type,
            suggestionSetId: setId,
            suggestionIndex: 0,
          });
          if (event.status < 300) eventIds.push(eventId);
        }
      }
    };
    const traffic = Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index)));
    // Let the traffic run before the migration starts, as it would on a live deployment.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const applied = await applyInAnotherProcess(url);
    migrated = true;
    await traffic;

    expect(applied.code, applied.output).toBe(0);
    expect(JSON.parse(applied.output.trim().split('\n').at(-1)!)).toEqual({
      applied: [LATEST.version, ...NEXT.map((migration) => migration.version)],
    });
    expect(failures).toEqual([]);
    expect(setIds.length).toBeGreaterThanOrEqual(CLIENTS * 3);
    // Every acknowledged write is in the database.
    const stored = async (table: string, column: string, ids: string[]) =>
      Number(
        (
          await admin.query<{ count: string }>(
            `SELECT COUNT(*) AS count FROM ${table} WHERE ${column} = ANY($1)`,
            [ids],
          )
        ).rows[0]!.count,
      );
    expect(await stored('suggestion_sets', 'id', setIds)).toBe(setIds.length);
    expect(await stored('feedback_events', 'event_id', eventIds)).toBe(eventIds.length);
    expect(eventIds.length).toBe(setIds.length * 2);
    // The new column's default is there for the rows written before it, without a rewrite.
    const attempts = await admin.query<{ attempt: number }>('SELECT DISTINCT attempt FROM feedback_events');
    expect(attempts.rows).toEqual([{ attempt: 1 }]);
    const index = await admin.query<{ indisvalid: boolean }>(
      "SELECT indisvalid FROM pg_index WHERE indexrelid = 'feedback_events_operator'::regclass",
    );
    expect(index.rows).toEqual([{ indisvalid: true }]);
    expect(await files()).toEqual(filesBefore);
    // The latest real migration's tables are back, and the service uses them.
    const review = await service.request('/v1/review-queue');
    expect(review.status).toBe(200);
  }, 240_000);
});

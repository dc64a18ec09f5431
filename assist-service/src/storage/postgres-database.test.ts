import { migrate, migrationProblems } from '@naparnik/ingest/postgres-migrations';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { toServiceError } from '../errors.ts';
import * as records from '../feedback/event-rows.ts';
import { sampleSet, sampleSuggestion } from '../feedback/fixtures/records.ts';
import { openPostgresEventStore } from '../feedback/postgres-event-store.ts';
import {
  dropTestSchemas,
  freshSchemaUrl,
  reportSkippedPostgres,
  testDatabaseUrl,
} from './conformance-backends.ts';
import { openServiceDatabase } from './postgres-database.ts';
import { BACKFILL_VERSIONS, SERVICE_COMPONENT, SERVICE_MIGRATIONS } from './postgres-migrations.ts';
import { StorageStartError, storageFailureOf } from './storage-failure.ts';

reportSkippedPostgres('postgres-database.test.ts');
afterAll(dropTestSchemas);

describe('service migrations', () => {
  it('are numbered 1, 2, 3… and each one after the first only expands the schema', () => {
    expect(SERVICE_MIGRATIONS.map((migration) => migration.version)).toEqual(
      SERVICE_MIGRATIONS.map((_, index) => index + 1),
    );
    expect(SERVICE_MIGRATIONS.flatMap(migrationProblems)).toEqual([]);
  });
});

describe('PostgreSQL failures as storage failures', () => {
  it.each([
    ['53100', 'full', 507],
    ['25006', 'read-only', 503],
    ['55P03', 'busy', 503],
    ['40P01', 'busy', 503],
    ['57P03', 'unreachable', 503],
    ['08006', 'unreachable', 503],
    ['XX001', 'corrupt', 503],
    ['ECONNREFUSED', 'unreachable', 503],
  ])('maps %s to %s and HTTP %i', (code, failure, status) => {
    const error = Object.assign(new Error('server said no'), { code });
    expect(storageFailureOf(error)).toBe(failure);
    const answer = toServiceError(error);
    expect(answer.code).toBe(status === 507 ? 'storage-full' : 'storage-unavailable');
    expect(answer.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('leaves errors that are no storage failure (a constraint, a syntax error, errno names) alone', () => {
    for (const code of ['23505', '42601', 'EPERM2', 'EPIPEX'])
      expect(storageFailureOf(Object.assign(new Error('x'), { code }))).toBeUndefined();
  });
});

describe.skipIf(!testDatabaseUrl)('service database on PostgreSQL', () => {
  it('applies its migrations once when several replicas open an empty database at the same time', async () => {
    const connectionString = await freshSchemaUrl();
    const databases = await Promise.all(
      Array.from({ length: 4 }, () => openServiceDatabase({ connectionString, maxConnections: 2 })),
    );
    const client = new pg.Client({ connectionString });
    await client.connect();
    const applied = await client.query('SELECT version FROM schema_migrations WHERE component = $1', [
      SERVICE_COMPONENT,
    ]);
    await client.end();
    expect(applied.rows.map((row) => row.version)).toEqual(
      SERVICE_MIGRATIONS.map((migration) => migration.version),
    );
    await Promise.all(databases.map((database) => database.close()));
  });

  it('counts the outcomes of feedback stored before the analytics table existed, once, when it adds it', async () => {
    const connectionString = await freshSchemaUrl();
    // A database as the release before the analytics left it: their columns and table absent.
    const older = new pg.Pool({ connectionString, max: 1 });
    await migrate(
      older,
      SERVICE_COMPONENT,
      SERVICE_MIGRATIONS.filter((migration) => migration.version < BACKFILL_VERSIONS.outcomes),
    );
    const set = { ...sampleSet, suggestions: [sampleSuggestion(0, 'Заказ приедет завтра.')] };
    const row = records.setRow('acme', set).slice(0, 23);
    const olderColumns = records.SET_COLUMNS.split(',').slice(0, 23).join(',');
    await older.query(
      `INSERT INTO suggestion_sets (${olderColumns}) VALUES (${row.map((_, index) => `$${index + 1}`).join(', ')})`,
      row,
    );
    await older.query(
      `INSERT INTO feedback_events (${records.FEEDBACK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      records.feedbackRow('acme', {
        eventId: 'shown-0',
        type: 'suggestion-shown',
        suggestionSetId: 'set-1',
        suggestionIndex: 0,
        occurredAt: '2026-11-24T10:00:01.000Z',
        receivedAt: '2026-11-24T10:00:01.000Z',
      }),
    );
    await older.end();

    const database = await openServiceDatabase({ connectionString });
    const events = openPostgresEventStore({ database, tenant: 'acme' });
    const november = { fromMs: Date.parse('2026-11-01'), toMs: Date.parse('2026-12-01') };
    expect(await events.outcomeCounts(november, {})).toEqual([
      { shown: 1, inserted: 0, sentAsIs: 0, sentEdited: 0, dismissed: 0, ratedDown: 0, degraded: 0 },
    ]);
    await database.close();
    // Opened again, nothing is applied and nothing counted twice.
    const again = await openServiceDatabase({ connectionString });
    expect(
      (await openPostgresEventStore({ database: again, tenant: 'acme' }).outcomeCounts(november, {}))[0]
        ?.shown,
    ).toBe(1);
    await again.close();
  });

  it('rolls a transaction back when its work fails, leaving nothing half-written', async () => {
    const database = await openServiceDatabase({ connectionString: await freshSchemaUrl() });
    const failure = database.transaction(async (client) => {
      await client.run(
        "INSERT INTO page_recipes (tenant, domain, version, recipe_json, published_at) VALUES ('t', 'd', 1, '{}', 'now')",
      );
      throw new Error('the second half failed');
    });
    await expect(failure).rejects.toThrow('the second half failed');
    expect(await database.rows('SELECT * FROM page_recipes')).toEqual([]);
    await database.close();
  });

  it('runs its queries without JIT compilation, on the pool and in transactions', async () => {
    const database = await openServiceDatabase({ connectionString: await freshSchemaUrl() });
    expect(await database.rows('SHOW jit')).toEqual([{ jit: 'off' }]);
    expect(await database.transaction((client) => client.rows('SHOW jit'))).toEqual([{ jit: 'off' }]);
    await database.close();
  });
});

describe('service database that cannot be reached', () => {
  it('fails the start naming the server, the cause in Russian, and not the password', async () => {
    const failure = openServiceDatabase({
      connectionString: 'postgres://nobody:secret-word@127.0.0.1:1/none',
    });
    await expect(failure).rejects.toBeInstanceOf(StorageStartError);
    await expect(failure).rejects.toMatchObject({
      failure: 'unreachable',
      message: expect.stringContaining('PostgreSQL 127.0.0.1:1/none (DATABASE_URL)'),
    });
    await expect(failure).rejects.toThrow(/недоступен/u);
    await expect(failure).rejects.not.toThrow(/secret-word/u);
  });
});

// A second process that brings the service's schema forward while replicas serve traffic
// (migration-under-load.integration.test.ts): `node apply-migrations.ts`, with DATABASE_URL and,
// in NAPARNIK_EXTRA_MIGRATIONS, the JSON of migrations to apply after SERVICE_MIGRATIONS.
import { type Migration, migrate } from '@naparnik/ingest/postgres-migrations';
import pg from 'pg';
import { z } from 'zod';
import { SERVICE_COMPONENT, SERVICE_MIGRATIONS } from '../src/storage/postgres-migrations.ts';

const environment = z
  .object({ DATABASE_URL: z.string().min(1), NAPARNIK_EXTRA_MIGRATIONS: z.string().default('[]') })
  .parse(process.env);
const extra = z
  .array(
    z.object({
      version: z.number().int(),
      name: z.string(),
      statements: z.array(z.string()),
      transaction: z.literal(false).optional(),
    }),
  )
  .parse(JSON.parse(environment.NAPARNIK_EXTRA_MIGRATIONS)) as Migration[];
const pool = new pg.Pool({ connectionString: environment.DATABASE_URL, max: 2 });
try {
  const applied = await migrate(pool, SERVICE_COMPONENT, [...SERVICE_MIGRATIONS, ...extra]);
  process.stdout.write(`${JSON.stringify({ applied })}\n`);
} finally {
  await pool.end();
}

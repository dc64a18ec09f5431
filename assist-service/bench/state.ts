import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { percentile, printTable } from '../../scripts/bench-support.ts';
import { findPostgresBinaries, type RunningPostgres, startPostgres } from '../../scripts/postgres.ts';
import { createPostgresSessionStore, postgresRateCounters } from '../src/auth/postgres-shared-state.ts';
import { openPostgresTokenStore } from '../src/auth/postgres-token-store.ts';
import { memoryRateCounters, type RateCounters } from '../src/auth/rate-limit.ts';
import { createSessionStore, type SessionStore } from '../src/auth/sessions.ts';
import { openTokenStore, type TokenStore } from '../src/auth/token-store.ts';
import { openServiceDatabase } from '../src/storage/postgres-database.ts';

/**
 * `pnpm bench state [--requests 2000]`: what sharing the service's state costs each request. Per
 * simulated request, what the middleware does before a route runs — verify the bearer token, count
 * the per-token and per-tenant limits — and, for console requests, read the session; once with the
 * single-process backends (auth.sqlite, memory) and once on PostgreSQL (`DATABASE_URL`, else a
 * throwaway cluster from scripts/postgres.ts). Prints p50/p95/p99 in microseconds.
 */
export async function runStateBench(argv: string[] = []): Promise<void> {
  const at = argv.indexOf('--requests');
  const requests = at >= 0 ? Number(argv[at + 1]) : 2000;
  if (!(requests >= 1)) throw new Error('bench state: --requests must be a positive number');
  let postgres: RunningPostgres | undefined;
  let url = process.env.DATABASE_URL || undefined;
  if (!url && findPostgresBinaries()) {
    postgres = await startPostgres();
    url = postgres.url;
  }
  const folder = mkdtempSync(path.join(tmpdir(), 'naparnik-bench-state-'));
  const rows: Array<Array<string | number>> = [];
  const measure = async (
    backend: string,
    tokens: TokenStore,
    counters: RateCounters,
    sessions: SessionStore,
  ) => {
    const now = Date.now();
    const { token, record } = await tokens.create({
      tenant: 'bench',
      name: `bench-${backend}`,
      role: 'operator',
      now: new Date(now).toISOString(),
    });
    const limits = [
      { limiter: 'bench-token', key: `token:${record.id}`, limit: 1_000_000, windowMs: 60_000 },
      { limiter: 'bench-tenant', key: 'tenant:bench', limit: 1_000_000, windowMs: 60_000 },
    ];
    const session = await sessions.open(record.id, now);
    const bearer: number[] = [];
    const console: number[] = [];
    for (let index = 0; index < requests; index++) {
      let started = performance.now();
      await tokens.verify(token);
      await counters.hit(limits, now);
      bearer.push((performance.now() - started) * 1000);
      started = performance.now();
      await sessions.get(session.id, now);
      await tokens.get(record.id);
      console.push((performance.now() - started) * 1000);
    }
    const row = (what: string, sample: number[]) => [
      backend,
      what,
      requests,
      ...[0.5, 0.95, 0.99].map((fraction) => Math.round(percentile(sample, fraction))),
    ];
    rows.push(row('bearer token + 2 limits', bearer), row('console session + token', console));
  };
  try {
    const sqliteTokens = openTokenStore(path.join(folder, 'auth.sqlite'));
    await measure(
      'SQLite + memory',
      sqliteTokens,
      memoryRateCounters(),
      createSessionStore({ ttlMs: 3_600_000 }),
    );
    await sqliteTokens.close();
    if (url) {
      const database = await openServiceDatabase({ connectionString: url });
      await measure(
        'PostgreSQL',
        openPostgresTokenStore({ database }),
        postgresRateCounters(database),
        createPostgresSessionStore({ database, ttlMs: 3_600_000 }),
      );
      await database.close();
    } else {
      process.stderr.write('bench state: no DATABASE_URL and no PostgreSQL installed: PostgreSQL skipped\n');
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
    postgres?.stop();
  }
  printTable(
    'pnpm bench state: per-request cost of the service state, microseconds',
    ['backend', 'per request', 'requests', 'p50 µs', 'p95 µs', 'p99 µs'],
    rows,
  );
}

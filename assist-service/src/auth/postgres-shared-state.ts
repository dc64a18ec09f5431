import { createHash, randomBytes } from 'node:crypto';
import type { ServiceDatabase } from '../storage/postgres-database.ts';
import { activeChecks, type RateCounters, retryAfterSeconds, windowStart } from './rate-limit.ts';
import type { Session, SessionStore } from './sessions.ts';

const idHash = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

/**
 * Console sessions in PostgreSQL, so that a load balancer may send a console's requests to any
 * replica. Only the session id's SHA-256 is stored: the table signs no one in. Expired rows go at
 * each sign-in.
 */
export function createPostgresSessionStore(options: {
  database: ServiceDatabase;
  ttlMs: number;
}): SessionStore {
  const { database } = options;
  return {
    async open(tokenId, now) {
      await database.run('DELETE FROM console_sessions WHERE expires_at <= $1', [now]);
      const session: Session = {
        id: randomBytes(32).toString('base64url'),
        tokenId,
        csrfToken: randomBytes(32).toString('base64url'),
        expiresAt: now + options.ttlMs,
      };
      await database.run(
        'INSERT INTO console_sessions (id_hash, token_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)',
        [idHash(session.id), session.tokenId, session.csrfToken, session.expiresAt],
      );
      return session;
    },
    async get(id, now) {
      const [row] = await database.rows<{ token_id: string; csrf_token: string; expires_at: number }>(
        'SELECT token_id, csrf_token, expires_at FROM console_sessions WHERE id_hash = $1 AND expires_at > $2',
        [idHash(id), now],
      );
      return row
        ? { id, tokenId: row.token_id, csrfToken: row.csrf_token, expiresAt: row.expires_at }
        : undefined;
    },
    async close(id) {
      await database.run('DELETE FROM console_sessions WHERE id_hash = $1', [idHash(id)]);
    },
  };
}

/**
 * Fixed-window counters every replica shares. One transaction per request locks the request's
 * counters (one upsert each, always in the same order, so two requests never wait on each other
 * in a circle), and adds the hit to all of them only when none is at its limit: a hit the tenant's
 * limit refuses takes nothing of the token's quota, also when replicas race. Windows that ended go
 * once per window per process.
 */
export function postgresRateCounters(database: ServiceDatabase): RateCounters {
  const swept = new Map<string, number>();
  return {
    async hit(checks, now) {
      const active = activeChecks(checks);
      if (active.length === 0) return { allowed: true };
      for (const check of active) {
        const start = windowStart(now, check.windowMs);
        if ((swept.get(check.limiter) ?? 0) >= start) continue;
        swept.set(check.limiter, start);
        await database.run('DELETE FROM rate_limit_windows WHERE limiter = $1 AND window_start < $2', [
          check.limiter,
          start,
        ]);
      }
      const locking = active
        .map((check) => ({ check, start: windowStart(now, check.windowMs) }))
        .sort((left, right) =>
          left.check.limiter === right.check.limiter
            ? compare(left.check.key, right.check.key)
            : compare(left.check.limiter, right.check.limiter),
        );
      return database.transaction(async (client) => {
        const counts: number[] = [];
        for (const { check, start } of locking) {
          // DO UPDATE (even to the same value) locks the row until the transaction ends.
          const [row] = await client.rows<{ count: number }>(
            `INSERT INTO rate_limit_windows (limiter, key, window_start, count) VALUES ($1, $2, $3, 0)
              ON CONFLICT (limiter, key, window_start) DO UPDATE SET count = rate_limit_windows.count
              RETURNING count`,
            [check.limiter, check.key, start],
          );
          counts.push(row?.count ?? 0);
        }
        // The first refusal in the caller's order, as in memory.
        const over = active.find((check) => {
          const index = locking.findIndex((entry) => entry.check === check);
          return (counts[index] ?? 0) >= check.limit;
        });
        if (over) {
          return {
            allowed: false,
            retryAfterSeconds: retryAfterSeconds(now, over.windowMs),
            refused: checks.indexOf(over),
          } as const;
        }
        for (const { check, start } of locking) {
          await client.run(
            'UPDATE rate_limit_windows SET count = count + 1 WHERE limiter = $1 AND key = $2 AND window_start = $3',
            [check.limiter, check.key, start],
          );
        }
        return { allowed: true } as const;
      });
    },
  };
}

const compare = (left: string, right: string) => (left < right ? -1 : left > right ? 1 : 0);

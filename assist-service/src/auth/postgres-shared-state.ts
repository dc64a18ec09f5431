import { createHash, randomBytes } from 'node:crypto';
import type { ServiceDatabase } from '../storage/postgres-database.ts';
import type { LimiterFactory, WindowLimiter } from './rate-limit.ts';
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
 * Fixed-window counters every replica shares: one atomic upsert per hit, which counts the hit only
 * while the window is under its limit (a refused hit is not counted, as in memory). Windows that
 * ended go once per window per process.
 */
export function postgresLimiters(database: ServiceDatabase): LimiterFactory {
  return (name, { limit, windowMs }): WindowLimiter => {
    let swept = 0;
    return {
      async hit(key, now) {
        if (limit <= 0) return { allowed: true };
        const start = now - (now % windowMs);
        if (swept < start) {
          swept = start;
          await database.run('DELETE FROM rate_limit_windows WHERE limiter = $1 AND window_start < $2', [
            name,
            start,
          ]);
        }
        const counted = await database.rows<{ count: number }>(
          `INSERT INTO rate_limit_windows (limiter, key, window_start, count) VALUES ($1, $2, $3, 1)
            ON CONFLICT (limiter, key, window_start) DO UPDATE SET count = rate_limit_windows.count + 1
              WHERE rate_limit_windows.count < $4
            RETURNING count`,
          [name, key, start, limit],
        );
        if (counted.length > 0) return { allowed: true };
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)) };
      },
    };
  };
}

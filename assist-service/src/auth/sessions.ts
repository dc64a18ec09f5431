import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'naparnik_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface Session {
  id: string;
  /** The token the operator signed in with: revoking it ends the session at the next request. */
  tokenId: string;
  /** Sent back by the console in X-CSRF-Token on every write: a page elsewhere cannot read it. */
  csrfToken: string;
  expiresAt: number;
}

/** Console sessions: in memory (one process), or in PostgreSQL (postgres-shared-state.ts). */
export interface SessionStore {
  open(tokenId: string, now: number): Promise<Session>;
  get(id: string, now: number): Promise<Session | undefined>;
  close(id: string): Promise<void>;
}

/**
 * Console sessions in memory: a restart signs everyone out of the console (the token stays valid,
 * so signing in again takes one paste). Keeping them out of SQLite means no session id is on disk.
 * Replicas behind a load balancer share them in PostgreSQL instead (DATABASE_URL).
 */
export function createSessionStore(options: { ttlMs: number; maxSessions?: number }): SessionStore {
  const sessions = new Map<string, Session>();
  const maxSessions = options.maxSessions ?? 10_000;
  return {
    async open(tokenId, now) {
      if (sessions.size >= maxSessions) {
        for (const [id, session] of sessions) if (session.expiresAt <= now) sessions.delete(id);
        // Still full: the oldest goes (Map keeps insertion order).
        if (sessions.size >= maxSessions) sessions.delete(sessions.keys().next().value as string);
      }
      const session: Session = {
        id: randomBytes(32).toString('base64url'),
        tokenId,
        csrfToken: randomBytes(32).toString('base64url'),
        expiresAt: now + options.ttlMs,
      };
      sessions.set(session.id, session);
      return session;
    },
    async get(id, now) {
      const session = sessions.get(id);
      if (!session) return undefined;
      if (session.expiresAt <= now) {
        sessions.delete(id);
        return undefined;
      }
      return session;
    },
    async close(id) {
      sessions.delete(id);
    },
  };
}

/** The value of one cookie from a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** HttpOnly, SameSite=Strict, Path=/; Secure when the console is reached over TLS. */
export function sessionCookie(value: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

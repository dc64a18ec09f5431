import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../clock.ts';
import type { ServiceConfig } from '../config.ts';
import { ServiceError } from '../errors.ts';
import { leastRoleFor, type Permission, type Principal, roleAllows } from './roles.ts';
import { CSRF_HEADER, readCookie, SESSION_COOKIE, type SessionStore } from './sessions.ts';
import type { TokenRecord, TokenStore } from './token-store.ts';

/** The id ASSIST_ADMIN_TOKEN's principal carries: it is in no store and cannot be revoked there. */
export const ENVIRONMENT_ADMIN_ID = 'env-admin';

export interface Authenticator {
  /** Who this bearer token is, or undefined for an unknown or revoked one. */
  byToken(token: string): Promise<Principal | undefined>;
  /** Who this token id is, while it stays live (a console session re-checks it on every request). */
  byTokenId(id: string): Promise<Principal | undefined>;
  tokens: TokenStore;
  sessions: SessionStore;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

function principalOf(record: TokenRecord, via: Principal['via']): Principal {
  return { tokenId: record.id, name: record.name, role: record.role, tenant: record.tenant, via };
}

export function createAuthenticator(options: {
  tokens: TokenStore;
  sessions: SessionStore;
  config: Pick<ServiceConfig, 'adminToken' | 'tenant'>;
}): Authenticator {
  const { tokens, sessions, config } = options;
  const environmentAdmin = (via: Principal['via']): Principal => ({
    tokenId: ENVIRONMENT_ADMIN_ID,
    name: 'admin',
    role: 'admin',
    tenant: config.tenant,
    via,
  });
  return {
    tokens,
    sessions,
    async byToken(token) {
      // Equal-length digests: the comparison takes the same time whatever the token's length.
      if (config.adminToken && timingSafeEqual(digest(token), digest(config.adminToken))) {
        return environmentAdmin('bearer');
      }
      const record = await tokens.verify(token);
      return record ? principalOf(record, 'bearer') : undefined;
    },
    async byTokenId(id) {
      if (id === ENVIRONMENT_ADMIN_ID) return config.adminToken ? environmentAdmin('session') : undefined;
      const record = await tokens.get(id);
      return record ? principalOf(record, 'session') : undefined;
    },
  };
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes anyone may reach: liveness, and signing in to the console (which takes a token). */
function isPublic(request: Request): boolean {
  if (!request.path.startsWith('/v1/')) return true; // static console and demo desk: no data
  if (request.path === '/v1/health') return true;
  return request.path === '/v1/session' && request.method === 'POST';
}

/**
 * Every /v1 route but health needs a token, on loopback too: `Authorization: Bearer <token>`, or
 * the console's session cookie with its CSRF header on writes. The principal lands in
 * `response.locals.principal`; nothing downstream reads identity from a body.
 */
export function authenticate(authenticator: Authenticator, clock: Clock) {
  return async (request: Request, response: Response, next: NextFunction) => {
    if (isPublic(request)) {
      next();
      return;
    }
    const header = request.get('authorization');
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/iu.exec(header.trim());
      const principal = match?.[1] ? await authenticator.byToken(match[1]) : undefined;
      if (!principal) {
        next(new ServiceError('unauthorized', 'The token is unknown or revoked.'));
        return;
      }
      response.locals.principal = principal;
      next();
      return;
    }
    const sessionId = readCookie(request.get('cookie'), SESSION_COOKIE);
    const session = sessionId
      ? await authenticator.sessions.get(sessionId, clock.now().getTime())
      : undefined;
    const principal = session ? await authenticator.byTokenId(session.tokenId) : undefined;
    if (!session || !principal) {
      next(
        new ServiceError(
          'unauthorized',
          'Send "Authorization: Bearer <token>" (pnpm naparnik tokens create …) or sign in to the console.',
        ),
      );
      return;
    }
    // SameSite=Strict keeps the cookie off other sites' requests; the header is a second lock
    // a page elsewhere cannot open, since it cannot read the token.
    if (WRITES.has(request.method) && request.get(CSRF_HEADER) !== session.csrfToken) {
      next(new ServiceError('forbidden', 'The console request lacks its CSRF token: reload the console.'));
      return;
    }
    response.locals.principal = principal;
    response.locals.session = session;
    next();
  };
}

/** The caller, as authenticate established it. */
export function principal(response: Response): Principal {
  const found = response.locals.principal as Principal | undefined;
  if (!found) throw new ServiceError('unauthorized', 'This route needs a token.');
  return found;
}

const DESCRIPTIONS: Record<Permission, string> = {
  use: 'use the assistant',
  'knowledge:write': 'change the knowledge base',
  'recipes:write': 'publish or withdraw page recipes',
  analytics: 'read analytics and operators\u2019 feedback',
  tokens: 'manage tokens',
  settings: 'change settings',
};

/** A route's guard: the caller's role must hold `permission`. */
export function requirePermission(permission: Permission) {
  return (_request: Request, response: Response, next: NextFunction) => {
    const caller = principal(response);
    if (roleAllows(caller.role, permission)) {
      next();
      return;
    }
    next(
      new ServiceError(
        'forbidden',
        `A ${caller.role} token may not ${DESCRIPTIONS[permission]}: that needs ${leastRoleFor(permission)} or above.`,
      ),
    );
  };
}

import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import { principal } from '../auth/authenticate.ts';
import type { Principal } from '../auth/roles.ts';
import { readCookie, SESSION_COOKIE, type Session, sessionCookie } from '../auth/sessions.ts';
import { type SessionResponse, sessionRequestSchema } from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { parseBody, requestLogger } from './http.ts';

function sessionBody(caller: Principal, session: Session): SessionResponse {
  return { name: caller.name, role: caller.role, tenant: caller.tenant, csrfToken: session.csrfToken };
}

/**
 * The console signs in with a token (a form whose one field is `token`) and gets a session cookie:
 * HttpOnly, SameSite=Strict, Secure over TLS. The CSRF token in the answer goes back in
 * X-CSRF-Token on the console's writes.
 */
export function sessionRoutes(context: RouteContext): Router {
  const router = Router();
  const { authenticator } = context;
  const maxAgeSeconds = Math.round(context.config.trust.sessionTtlMs / 1000);

  router.post('/session', async (request, response) => {
    const { token } = parseBody(sessionRequestSchema, request.body);
    const caller = await authenticator.byToken(token.trim());
    if (!caller) throw new ServiceError('unauthorized', 'The token is unknown or revoked.');
    const session = await authenticator.sessions.open(caller.tokenId, context.clock.now().getTime());
    const secure = context.config.trust.cookieSecure === 'always' || request.secure;
    response.setHeader('Set-Cookie', sessionCookie(session.id, { secure, maxAgeSeconds }));
    response.setHeader('Cache-Control', 'no-store');
    requestLogger(response).info({ tokenId: caller.tokenId, role: caller.role }, 'console sign-in');
    response.json(sessionBody(caller, session));
  });

  /** Who the session is, and its CSRF token again (after a reload the console has lost it). */
  router.get('/session', (_request, response) => {
    const caller = principal(response);
    const session = response.locals.session as Session | undefined;
    if (!session)
      throw new ServiceError('not-found', 'This request came with a token, not a console session.');
    response.setHeader('Cache-Control', 'no-store');
    response.json(sessionBody(caller, session));
  });

  router.delete('/session', async (request, response) => {
    const id = readCookie(request.get('cookie'), SESSION_COOKIE);
    if (id) await authenticator.sessions.close(id);
    const secure = context.config.trust.cookieSecure === 'always' || request.secure;
    response.setHeader('Set-Cookie', sessionCookie('', { secure, maxAgeSeconds: 0 }));
    response.status(204).end();
  });
  return router;
}

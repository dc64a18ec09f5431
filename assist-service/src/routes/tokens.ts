import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import { principal, requirePermission } from '../auth/authenticate.ts';
import { TokenStoreError } from '../auth/token-store.ts';
import { type TokenListResponseBody, tokenCreateRequestSchema } from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { parseBody, requestLogger } from './http.ts';

/**
 * Tokens over HTTP for admins (the console's and scripts' way; `pnpm naparnik tokens` is the
 * CLI's). An admin manages its own tenant's tokens; the default tenant's admin, the deployment's
 * owner, may name any tenant.
 */
export function tokenRoutes(context: RouteContext): Router {
  const router = Router();
  const tokens = context.authenticator.tokens;
  const mayManage = (tenant: string, callerTenant: string) =>
    tenant === callerTenant || callerTenant === context.config.tenant;

  router.get('/tokens', requirePermission('tokens'), async (_request, response) => {
    const caller = principal(response);
    const body: TokenListResponseBody = {
      tokens: await tokens.list(caller.tenant === context.config.tenant ? {} : { tenant: caller.tenant }),
    };
    response.json(body);
  });

  router.post('/tokens', requirePermission('tokens'), async (request, response) => {
    const caller = principal(response);
    const body = parseBody(tokenCreateRequestSchema, request.body);
    const tenant = body.tenant ?? caller.tenant;
    if (!mayManage(tenant, caller.tenant)) {
      throw new ServiceError(
        'forbidden',
        `An admin of tenant "${caller.tenant}" may not make tokens for another tenant.`,
      );
    }
    try {
      const created = await tokens.create({
        tenant,
        name: body.name,
        role: body.role,
        now: context.clock.now().toISOString(),
      });
      requestLogger(response).info({ tokenId: created.record.id, role: body.role, tenant }, 'token created');
      response.status(201).json(created);
    } catch (error) {
      if (error instanceof TokenStoreError && error.code === 'name-taken') {
        throw new ServiceError('version-conflict', error.message, {
          issues: [{ path: 'name', message: 'already in use' }],
        });
      }
      throw error;
    }
  });

  router.delete('/tokens/:idOrName', requirePermission('tokens'), async (request, response) => {
    const caller = principal(response);
    const idOrName = String(request.params.idOrName ?? '');
    try {
      const revoked = await tokens.revoke(idOrName, {
        ...(caller.tenant === context.config.tenant ? {} : { tenant: caller.tenant }),
        now: context.clock.now().toISOString(),
      });
      requestLogger(response).info({ tokenId: revoked.id }, 'token revoked');
      response.json(revoked);
    } catch (error) {
      if (error instanceof TokenStoreError) {
        throw new ServiceError(error.code === 'not-found' ? 'not-found' : 'invalid-request', error.message);
      }
      throw error;
    }
  });
  return router;
}

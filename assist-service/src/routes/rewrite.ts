import { type Response, Router } from 'express';
import type { RouteContext } from '../app.ts';
import { type RewriteResponse, rewriteRequestSchema } from '../contract/index.ts';
import type { Rewriter } from '../engines/offline/rewrite.ts';
import { ServiceError } from '../errors.ts';
import { tenantScope } from '../tenancy.ts';
import { parseBody, requestLogger } from './http.ts';

/** The rewriter of the caller's tenant (injected; offline unless a model is configured). */
export function rewriterFor(response: Response): Rewriter {
  return tenantScope(response).rewriter;
}

/** A suggestion or a draft rewritten shorter, friendlier or more formal, with the list of changes. */
export function rewriteRoutes(_context: RouteContext): Router {
  const router = Router();
  router.post('/rewrite', async (request, response) => {
    const body = parseBody(rewriteRequestSchema, request.body);
    const rewriter = rewriterFor(response);
    if (!rewriter.styles.includes(body.style)) {
      throw new ServiceError(
        'invalid-request',
        `The ${rewriter.id} engine does not rewrite "${body.style}".`,
        {
          issues: [{ path: 'style', message: `one of: ${rewriter.styles.join(', ')}` }],
        },
      );
    }
    const controller = new AbortController();
    response.on('close', () => controller.abort());
    const result: RewriteResponse = await rewriter.rewrite(body, { signal: controller.signal });
    requestLogger(response).info(
      {
        style: body.style,
        engine: result.engine,
        language: result.language,
        textLength: body.text.length,
        resultLength: result.text.length,
        changes: result.changes.length,
      },
      'rewrite',
    );
    response.json(result);
  });
  return router;
}

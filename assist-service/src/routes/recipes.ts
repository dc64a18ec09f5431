import { type Request, Router } from 'express';
import { z } from 'zod';
import type { RouteContext } from '../app.ts';
import { requirePermission } from '../auth/authenticate.ts';
import {
  type RecipeListResponse,
  type RecipeVersionsResponse,
  type RecipeWithdrawResponse,
  recipeDomainSchema,
  recipeEtag,
  recipeSchema,
} from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { RecipeVersionConflict } from '../recipes/recipe-store.ts';
import { tenantScope } from '../tenancy.ts';
import { issuePath, parseBody, parseQuery, requestLogger } from './http.ts';

const listQuerySchema = z.object({
  domain: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(recipeDomainSchema)
    .optional(),
});

function domainParameter(request: Request): string {
  const parsed = recipeDomainSchema.safeParse(String(request.params.domain ?? '').toLowerCase());
  if (parsed.success) return parsed.data;
  throw new ServiceError('invalid-request', 'The domain in the path is not a host name.', {
    issues: parsed.error.issues.map((issue) => ({
      path: `domain${issuePath(issue.path)}`,
      message: issue.message,
    })),
  });
}

/**
 * Published "Teach this page" recipes. Every token may read them; publishing and withdrawing need
 * a knowledge_manager token or above.
 */
export function recipeRoutes(context: RouteContext): Router {
  const router = Router();

  router.get('/recipes', async (request, response) => {
    const store = tenantScope(response).recipes;
    // Host names are case-insensitive: ?domain=Desk.ru means what /recipes/Desk.ru means.
    const { domain } = parseQuery(listQuerySchema, request.query);
    const body: RecipeListResponse = {
      recipes: await store.list(domain ? { domain } : {}),
    };
    response.json(body);
  });

  router.get('/recipes/:domain', async (request, response) => {
    const store = tenantScope(response).recipes;
    const domain = domainParameter(request);
    const latest = await store.latest(domain);
    if (!latest) throw new ServiceError('not-found', `No recipe is published for ${domain}.`);
    const etag = recipeEtag(latest.recipe);
    response.setHeader('ETag', etag);
    response.setHeader('Cache-Control', 'no-cache');
    if (request.get('if-none-match') === etag) {
      response.status(304).end();
      return;
    }
    response.json(latest);
  });

  router.get('/recipes/:domain/versions', async (request, response) => {
    const store = tenantScope(response).recipes;
    const domain = domainParameter(request);
    const versions = await store.versions(domain);
    if (versions.length === 0)
      throw new ServiceError('not-found', `No recipe was ever published for ${domain}.`);
    const body: RecipeVersionsResponse = { domain, versions };
    response.json(body);
  });

  router.put('/recipes/:domain', requirePermission('recipes:write'), async (request, response) => {
    const store = tenantScope(response).recipes;
    const domain = domainParameter(request);
    const recipe = parseBody(recipeSchema, request.body);
    if (recipe.domain !== domain) {
      throw new ServiceError(
        'invalid-request',
        `The recipe is for ${recipe.domain}, the path says ${domain}.`,
        {
          issues: [{ path: 'domain', message: `must be ${domain}` }],
        },
      );
    }
    try {
      const published = await store.publish(recipe, context.clock.now().toISOString());
      requestLogger(response).info({ domain, version: recipe.version }, 'recipe published');
      response.setHeader('ETag', recipeEtag(recipe));
      response.status(201).json(published);
    } catch (error) {
      if (error instanceof RecipeVersionConflict) {
        throw new ServiceError('version-conflict', error.message, {
          issues: [{ path: 'version', message: `must be greater than ${error.stored}` }],
        });
      }
      throw error;
    }
  });

  router.delete('/recipes/:domain', requirePermission('recipes:write'), async (request, response) => {
    const store = tenantScope(response).recipes;
    const domain = domainParameter(request);
    const withdrawn = await store.withdraw(domain, context.clock.now().toISOString());
    if (withdrawn === 0) throw new ServiceError('not-found', `No recipe is published for ${domain}.`);
    requestLogger(response).info({ domain, withdrawn }, 'recipe withdrawn');
    const body: RecipeWithdrawResponse = { domain, withdrawnVersions: withdrawn };
    response.json(body);
  });

  return router;
}

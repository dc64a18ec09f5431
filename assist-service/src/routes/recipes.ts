import path from 'node:path';
import { type Request, Router } from 'express';
import type { RouteContext } from '../app.ts';
import {
  type RecipeListResponse,
  type RecipeVersionsResponse,
  type RecipeWithdrawResponse,
  recipeDomainSchema,
  recipeEtag,
  recipeSchema,
} from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { RecipeStore } from '../recipes/recipe-store.ts';
import { RecipeVersionConflict } from '../recipes/recipe-store.ts';
import { openSqliteRecipeStore } from '../recipes/sqlite-recipe-store.ts';
import { requireAdminToken } from './admin-token.ts';
import { issuePath, parseBody, requestLogger } from './http.ts';

export interface RecipeRouteOptions {
  /** Opens the store for one request; default `recipes.sqlite` in the data directory. */
  openStore?: () => RecipeStore;
}

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
 * Published "Teach this page" recipes. Reading is open to every client of the service; publishing
 * and withdrawing need `Authorization: Bearer <ASSIST_ADMIN_TOKEN>` when that is set; without it
 * they are allowed from this machine only (see admin-token.ts).
 */
export function recipeRoutes(context: RouteContext, options: RecipeRouteOptions = {}): Router {
  const router = Router();
  // Publishing is rare and reads are cached by the extension (ETag), so each request opens the
  // file and closes it again: nothing is left open when the service stops.
  const openStore =
    options.openStore ??
    (() =>
      openSqliteRecipeStore({
        file: path.join(context.config.dataDir, 'recipes.sqlite'),
        tenant: context.config.tenant,
      }));
  async function withStore<T>(work: (store: RecipeStore) => Promise<T>): Promise<T> {
    const store = openStore();
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  }

  const requireAdmin = (request: Request) =>
    requireAdminToken(context.config.adminToken, request, 'Publishing or withdrawing recipes');

  router.get('/recipes', async (request, response) => {
    const domain = typeof request.query.domain === 'string' ? request.query.domain : undefined;
    if (domain !== undefined && !recipeDomainSchema.safeParse(domain).success) {
      throw new ServiceError('invalid-request', 'The domain query parameter is not a host name.', {
        issues: [{ path: 'domain', message: 'a host name in lower case, optionally with :port' }],
      });
    }
    const body: RecipeListResponse = {
      recipes: await withStore((store) => store.list(domain ? { domain } : {})),
    };
    response.json(body);
  });

  router.get('/recipes/:domain', async (request, response) => {
    const domain = domainParameter(request);
    const latest = await withStore((store) => store.latest(domain));
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
    const domain = domainParameter(request);
    const versions = await withStore((store) => store.versions(domain));
    if (versions.length === 0)
      throw new ServiceError('not-found', `No recipe was ever published for ${domain}.`);
    const body: RecipeVersionsResponse = { domain, versions };
    response.json(body);
  });

  router.put('/recipes/:domain', async (request, response) => {
    requireAdmin(request);
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
      const published = await withStore((store) => store.publish(recipe, context.clock.now().toISOString()));
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

  router.delete('/recipes/:domain', async (request, response) => {
    requireAdmin(request);
    const domain = domainParameter(request);
    const withdrawn = await withStore((store) => store.withdraw(domain, context.clock.now().toISOString()));
    if (withdrawn === 0) throw new ServiceError('not-found', `No recipe is published for ${domain}.`);
    requestLogger(response).info({ domain, withdrawn }, 'recipe withdrawn');
    const body: RecipeWithdrawResponse = { domain, withdrawnVersions: withdrawn };
    response.json(body);
  });

  return router;
}

import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import { buildOpenApiDocument, type CollectionsResponse } from '../contract/index.ts';
import { notReady } from '../errors.ts';
import { requireKnowledge } from '../retrieval/knowledge-base.ts';
import { tenantScope } from '../tenancy.ts';
import { rewriterFor } from './rewrite.ts';

/** Liveness, readiness, the OpenAPI document and the list of collections. */
export function serviceRoutes(context: RouteContext): Router {
  const router = Router();
  let openApi: Record<string, unknown> | undefined;

  router.get('/health', (_request, response) => {
    response.json({
      status: 'ok',
      version: context.version,
      uptimeSeconds: Math.round((context.clock.now().getTime() - context.startedAt.getTime()) / 1000),
    });
  });

  router.get('/ready', async (_request, response) => {
    const scope = tenantScope(response);
    const knowledge = scope.knowledge();
    if (!knowledge) throw notReady();
    // Ready means able to keep work: a storage failure answers 507/503 with Retry-After.
    await context.events.checkStorage();
    const collections = await knowledge.store.listCollections();
    const rewriter = rewriterFor(response);
    response.json({
      ready: true,
      store: knowledge.store.backend,
      collections: collections.length,
      capabilities: { engine: scope.engine.id, rewrite: [...rewriter.styles] },
    });
  });

  router.get('/openapi.json', (_request, response) => {
    openApi ??= buildOpenApiDocument({ version: context.version });
    response.json(openApi);
  });

  router.get('/collections', async (_request, response) => {
    const knowledge = requireKnowledge(tenantScope(response).knowledge);
    const collections = await knowledge.store.listCollections();
    const body: CollectionsResponse = { collections: [] };
    for (const collection of collections) {
      const stats = await knowledge.store.stats(collection.name);
      body.collections.push({
        name: collection.name,
        documents: stats.documents,
        chunks: stats.chunks,
        byKind: stats.byKind,
        languages: stats.languages,
        embedderId: collection.embedderId,
        createdAt: collection.createdAt,
        updatedAt: stats.updatedAt,
      });
    }
    response.json(body);
  });

  return router;
}

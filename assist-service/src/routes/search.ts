import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import { type SearchResponse, searchRequestSchema } from '../contract/index.ts';
import { requireCollection, requireKnowledge } from '../retrieval/knowledge-base.ts';
import { tenantScope } from '../tenancy.ts';
import { parseBody, requestLogger } from './http.ts';

/** The panel's search box: the same hybrid search as the CLI, over one collection. */
export function searchRoutes(context: RouteContext): Router {
  const router = Router();
  router.post('/search', async (request, response) => {
    const body = parseBody(searchRequestSchema, request.body);
    const knowledge = requireKnowledge(tenantScope(response).knowledge);
    await requireCollection(knowledge, body.collection);
    const gone = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) gone.abort();
    });
    const signal = AbortSignal.any([gone.signal, AbortSignal.timeout(context.config.assistTimeoutMs)]);
    const started = performance.now();
    const hits = body.query.trim()
      ? await context.work.run(
          () =>
            knowledge.search(body.collection, body.query, {
              topK: body.topK ?? 10,
              ...(body.filter ? { filter: body.filter } : {}),
            }),
          signal,
        )
      : [];
    const tookMs = Math.round((performance.now() - started) * 10) / 10;
    requestLogger(response).info(
      { collection: body.collection, queryLength: body.query.length, hits: hits.length, tookMs },
      'search',
    );
    const result: SearchResponse = {
      collection: body.collection,
      tookMs,
      hits: hits.map(({ metadata: _metadata, ...hit }) => hit),
    };
    response.json(result);
  });
  return router;
}

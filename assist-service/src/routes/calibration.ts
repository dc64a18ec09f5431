import { Router } from 'express';
import { z } from 'zod';
import type { RouteContext } from '../app.ts';
import { type CollectionCalibrationResponse, collectionNameSchema } from '../contract/index.ts';
import { calibrationFile, readCalibration } from '../pipeline/calibration-store.ts';
import { requireCollection, requireKnowledge } from '../retrieval/knowledge-base.ts';
import { tenantScope } from '../tenancy.ts';
import { parseQuery } from './http.ts';

const paramsSchema = z.object({ collection: collectionNameSchema });

/** Which confidence model scores a collection's answers (`pnpm naparnik calibrate`) and how it did. */
export function calibrationRoutes(context: RouteContext): Router {
  const router = Router();
  router.get('/collections/:collection/calibration', async (request, response) => {
    const { collection } = parseQuery(paramsSchema, request.params);
    const scope = tenantScope(response);
    const knowledge = requireKnowledge(scope.knowledge);
    const info = await requireCollection(knowledge, collection);
    const [state, stats] = await Promise.all([
      readCalibration(calibrationFile(context.config.dataDir, scope.tenant, collection)),
      knowledge.store.stats(collection),
    ]);
    const body: CollectionCalibrationResponse = {
      collection,
      model: state.kind,
      history: { generation: info.historyGeneration ?? 0, entries: stats.history },
      ...(state.kind === 'invalid' ? { problem: state.problem } : {}),
      ...(state.kind === 'fitted'
        ? {
            fittedAt: state.stored.fittedAt,
            fittedOn: {
              generation: state.stored.history.generation,
              labelled: state.stored.history.labelled,
              questions: state.stored.history.questions,
            },
            outOfFold: state.stored.outOfFold,
            shipped: state.stored.shipped,
          }
        : {}),
    };
    response.json(body);
  });
  return router;
}

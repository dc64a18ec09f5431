import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import { USAGE_MAX_DAYS, type UsageQuery, type UsageResponse, usageQuerySchema } from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { EventStore } from '../feedback/event-store.ts';
import { tenantScope } from '../tenancy.ts';
import { parseQuery, requestLogger } from './http.ts';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;

const dayOf = (milliseconds: number) => new Date(milliseconds).toISOString().slice(0, 10);

/**
 * What drafting with a model cost, for the console's chart (issue 10): tokens in and out, cache
 * reads and writes and US dollars per UTC day, engine and model, from the usage stored with each
 * suggestion set, the caller's tenant only. team_lead or above (app.ts guards /v1/analytics).
 */
export function usageRoutes(context: RouteContext): Router {
  const router = Router();

  router.get('/analytics/usage', async (request, response) => {
    const query = parseQuery(usageQuerySchema, request.query);
    const started = performance.now();
    const body = await usageReport(tenantScope(response).events, query, context.clock.now());
    requestLogger(response).info(
      { rows: body.days.length, queryMs: Math.round(performance.now() - started) },
      'model usage',
    );
    response.json(body);
  });

  return router;
}

/** Tokens and cost per day for the query's days (default the last 30), with totals. */
export async function usageReport(events: EventStore, query: UsageQuery, now: Date): Promise<UsageResponse> {
  const to = query.to ?? dayOf(now.getTime());
  const from = query.from ?? dayOf(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * DAY_MS);
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (span < 1) throw new ServiceError('invalid-request', `from (${from}) is after to (${to}).`);
  if (span > USAGE_MAX_DAYS) {
    throw new ServiceError(
      'invalid-request',
      `Ask for at most ${USAGE_MAX_DAYS} days at a time (asked ${span}).`,
    );
  }
  // Stored times are ISO strings: the day after `to` bounds the range from above.
  const days = await events.dailyModelUsage({ from, to: dayOf(Date.parse(`${to}T00:00:00Z`) + DAY_MS) });
  const totals = days.reduce(
    (sum, row) => ({
      sets: sum.sets + row.sets,
      inputTokens: sum.inputTokens + row.inputTokens,
      outputTokens: sum.outputTokens + row.outputTokens,
      cacheReadTokens: sum.cacheReadTokens + row.cacheReadTokens,
      cacheWriteTokens: sum.cacheWriteTokens + row.cacheWriteTokens,
      costUsd: sum.costUsd + row.costUsd,
      unpriced: sum.unpriced + row.unpriced,
    }),
    {
      sets: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0,
      unpriced: 0,
    },
  );
  return { from, to, days, totals };
}

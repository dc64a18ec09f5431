import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import { funnelCsv } from '../console/csv.ts';
import { buildFunnel, funnelPeriod, funnelSuggestions } from '../console/funnel.ts';
import {
  type FunnelQuery,
  type FunnelSuggestionsResponse,
  funnelCsvQuerySchema,
  funnelQuerySchema,
  funnelSuggestionsQuerySchema,
} from '../contract/index.ts';
import type { EventStore } from '../feedback/event-store.ts';
import { tenantScope } from '../tenancy.ts';
import { parseQuery, requestLogger } from './http.ts';

/** The suggestion funnel for team leads: rates over time, the table as CSV, the suggestions behind a number. */
export function analyticsRoutes(context: RouteContext): Router {
  const router = Router();

  async function funnelFor(events: EventStore, query: FunnelQuery) {
    const period = funnelPeriod(query, context.clock.now());
    const started = performance.now();
    const units = await events.listFunnelUnits({
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      ...(query.operator ? { operator: query.operator } : {}),
      ...(query.collection ? { collection: query.collection } : {}),
      ...(query.engine ? { engine: query.engine } : {}),
    });
    return { period, units, queryMs: Math.round(performance.now() - started) };
  }

  router.get('/analytics/funnel', async (request, response) => {
    const query = parseQuery(funnelQuerySchema, request.query);
    const { period, units, queryMs } = await funnelFor(tenantScope(response).events, query);
    const dimensions = await tenantScope(response).events.funnelDimensions();
    requestLogger(response).info({ bucket: query.bucket, units: units.length, queryMs }, 'funnel');
    response.json(buildFunnel(units, period, query, dimensions));
  });

  router.get('/analytics/funnel.csv', async (request, response) => {
    const query = parseQuery(funnelCsvQuerySchema, request.query);
    const { period, units } = await funnelFor(tenantScope(response).events, query);
    const funnel = buildFunnel(units, period, query, { operators: [], collections: [], engines: [] });
    const body = funnelCsv(funnel, { encoding: query.encoding, language: query.language });
    const charset = query.encoding === 'cp1251' ? 'windows-1251' : 'utf-8';
    const name = `naparnik-funnel-${query.bucket}-${funnel.from.slice(0, 10)}-${funnel.to.slice(0, 10)}.csv`;
    response.setHeader('Content-Type', `text/csv; charset=${charset}`);
    response.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    response.send(body);
  });

  router.get('/analytics/funnel/suggestions', async (request, response) => {
    const query = parseQuery(funnelSuggestionsQuerySchema, request.query);
    const { period, units } = await funnelFor(tenantScope(response).events, query);
    const all = funnelSuggestions(units, query.stage);
    const body: FunnelSuggestionsResponse = {
      stage: query.stage,
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      suggestions: all.slice(0, query.limit),
      total: all.length,
    };
    response.json(body);
  });

  return router;
}

import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import { outcomeFilterOf } from '../console/analytics-report.ts';
import { funnelCsv } from '../console/csv.ts';
import { funnelFromRates, funnelPeriod, funnelSuggestionOf } from '../console/funnel.ts';
import {
  type FunnelQuery,
  type FunnelResponse,
  type FunnelSuggestionsResponse,
  funnelCsvQuerySchema,
  funnelQuerySchema,
  funnelSuggestionsQuerySchema,
} from '../contract/index.ts';
import type { EventStore } from '../feedback/event-store.ts';
import { tenantScope } from '../tenancy.ts';
import { ratesReport } from './analytics-dashboard.ts';
import { parseQuery, requestLogger } from './http.ts';

/** The older funnel's period, aligned to its buckets, as the dashboard's store filter. */
function funnelFilter(query: FunnelQuery, now: Date) {
  const period = funnelPeriod(query, now);
  return outcomeFilterOf(query, { fromMs: period.from, toMs: period.to });
}

/** The funnel as `/v1/analytics/rates` counts it (five of its counts), with its dismissal reasons. */
async function funnelReport(
  events: EventStore,
  query: FunnelQuery,
  now: Date,
  dimensions: FunnelResponse['dimensions'],
): Promise<FunnelResponse> {
  const rates = await ratesReport(events, { ...query, top: 5 }, now);
  const reasons = await events.outcomeReasons(funnelFilter(query, now), 'dismissed');
  return funnelFromRates(rates, query, reasons, dimensions);
}

/**
 * The older funnel API (`/v1/analytics/funnel`, its CSV and the suggestions behind a number), kept
 * for the reports teams built on it: counted from the same `suggestion_outcomes` rollup as the
 * dashboard's `/v1/analytics/rates` and `/outcomes` (analytics-dashboard.ts), so both say the same.
 */
export function analyticsRoutes(context: RouteContext): Router {
  const router = Router();

  router.get('/analytics/funnel', async (request, response) => {
    const query = parseQuery(funnelQuerySchema, request.query);
    const events = tenantScope(response).events;
    const started = performance.now();
    const body = await funnelReport(events, query, context.clock.now(), await events.funnelDimensions());
    requestLogger(response).info(
      { bucket: query.bucket, queryMs: Math.round(performance.now() - started) },
      'funnel',
    );
    response.json(body);
  });

  router.get('/analytics/funnel.csv', async (request, response) => {
    const query = parseQuery(funnelCsvQuerySchema, request.query);
    const funnel = await funnelReport(tenantScope(response).events, query, context.clock.now(), {
      operators: [],
      collections: [],
      engines: [],
    });
    const body = funnelCsv(funnel, { encoding: query.encoding, language: query.language });
    const charset = query.encoding === 'cp1251' ? 'windows-1251' : 'utf-8';
    const name = `naparnik-funnel-${query.bucket}-${funnel.from.slice(0, 10)}-${funnel.to.slice(0, 10)}.csv`;
    response.setHeader('Content-Type', `text/csv; charset=${charset}`);
    response.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    response.send(body);
  });

  router.get('/analytics/funnel/suggestions', async (request, response) => {
    const query = parseQuery(funnelSuggestionsQuerySchema, request.query);
    const events = tenantScope(response).events;
    const filter = funnelFilter(query, context.clock.now());
    const listed = await events.listOutcomes(filter, { stage: query.stage, limit: query.limit });
    // The rollup keeps titles, not texts: the texts come from the sets listed (at most `limit`).
    const texts = new Map<string, string | undefined>();
    for (const setId of new Set(listed.outcomes.map((outcome) => outcome.suggestionSetId))) {
      const set = await events.getSuggestionSet(setId);
      for (const suggestion of set?.suggestions ?? [])
        texts.set(`${setId}#${suggestion.index}`, suggestion.text);
    }
    const body: FunnelSuggestionsResponse = {
      stage: query.stage,
      from: new Date(filter.fromMs).toISOString(),
      to: new Date(filter.toMs).toISOString(),
      suggestions: listed.outcomes.map((outcome) =>
        funnelSuggestionOf(outcome, texts.get(`${outcome.suggestionSetId}#${outcome.suggestionIndex}`)),
      ),
      total: listed.total,
    };
    response.json(body);
  });

  return router;
}

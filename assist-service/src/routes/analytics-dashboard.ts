import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import {
  analyticsRange,
  buildHistogram,
  buildRates,
  emptyCounts,
  HISTOGRAM_EDGES,
  outcomeFilterOf,
  ratesOf,
} from '../console/analytics-report.ts';
import {
  breakdownTable,
  editingTable,
  gapsTable,
  ratesTable,
  reasonsTable,
  TABLE_TITLES,
  usageTable,
} from '../console/analytics-tables.ts';
import { type ExportTable, tableCsv } from '../console/csv.ts';
import { funnelPeriod } from '../console/funnel.ts';
import { tableXlsx } from '../console/xlsx.ts';
import {
  ANALYTICS_MEASURES,
  type AnalyticsBreakdownQuery,
  type AnalyticsBreakdownResponse,
  type AnalyticsDimensionsResponse,
  type AnalyticsEditingResponse,
  type AnalyticsFilter,
  type AnalyticsGapsQuery,
  type AnalyticsGapsResponse,
  type AnalyticsOutcomesResponse,
  type AnalyticsRatesQuery,
  type AnalyticsRatesResponse,
  type AnalyticsReasonsResponse,
  type AnalyticsSetsResponse,
  analyticsBreakdownQuerySchema,
  analyticsExportQuerySchema,
  analyticsFilterSchema,
  analyticsGapsQuerySchema,
  analyticsOutcomesQuerySchema,
  analyticsRatesQuerySchema,
  analyticsSetsQuerySchema,
  usageQuerySchema,
} from '../contract/index.ts';
import type { EventStore } from '../feedback/event-store.ts';
import { tenantScope } from '../tenancy.ts';
import { parseQuery, requestLogger } from './http.ts';
import { usageReport } from './usage.ts';

const iso = (milliseconds: number) => new Date(milliseconds).toISOString();

export async function ratesReport(
  events: EventStore,
  query: AnalyticsRatesQuery,
  now: Date,
): Promise<AnalyticsRatesResponse> {
  const period = funnelPeriod(query, now);
  const rows = await events.outcomeCounts(outcomeFilterOf(query, { fromMs: period.from, toMs: period.to }), {
    bucket: { size: query.bucket, offsetMinutes: query.offsetMinutes },
    ...(query.breakdown ? { dimension: query.breakdown } : {}),
  });
  return buildRates(rows, period, {
    ...(query.breakdown ? { breakdown: query.breakdown } : {}),
    top: query.top,
  });
}

export async function breakdownReport(
  events: EventStore,
  query: AnalyticsBreakdownQuery,
  now: Date,
): Promise<AnalyticsBreakdownResponse> {
  const range = analyticsRange(query, now);
  const rows = await events.outcomeCounts(outcomeFilterOf(query, range), { dimension: query.dimension });
  return {
    dimension: query.dimension,
    from: iso(range.fromMs),
    to: iso(range.toMs),
    rows: rows
      .map(({ key, bucketStartMs: _start, ...counts }) => ({
        key: key ?? null,
        ...emptyCounts(),
        ...counts,
        rates: ratesOf(counts),
      }))
      .sort((left, right) => right.shown - left.shown || String(left.key).localeCompare(String(right.key))),
  };
}

export async function editingReport(
  events: EventStore,
  query: AnalyticsFilter,
  now: Date,
): Promise<AnalyticsEditingResponse> {
  const range = analyticsRange(query, now);
  const filter = outcomeFilterOf(query, range);
  const results = await events.outcomeHistograms(
    filter,
    ANALYTICS_MEASURES.map((measure) => ({ measure, edges: HISTOGRAM_EDGES[measure] })),
  );
  const [editDistance, replyWithSuggestion, replyWithoutSuggestion, firstSuggestion] = ANALYTICS_MEASURES.map(
    (measure, index) => buildHistogram(measure, results[index]!),
  );
  return {
    from: iso(range.fromMs),
    to: iso(range.toMs),
    editDistance: editDistance!,
    replyWithSuggestion: replyWithSuggestion!,
    replyWithoutSuggestion: replyWithoutSuggestion!,
    firstSuggestion: firstSuggestion!,
  };
}

export async function reasonsReport(
  events: EventStore,
  query: AnalyticsFilter,
  now: Date,
): Promise<AnalyticsReasonsResponse> {
  const range = analyticsRange(query, now);
  const filter = outcomeFilterOf(query, range);
  return {
    from: iso(range.fromMs),
    to: iso(range.toMs),
    thumbsDown: await events.outcomeReasons(filter, 'rated-down'),
    dismissed: await events.outcomeReasons(filter, 'dismissed'),
  };
}

export async function gapsReport(
  events: EventStore,
  query: AnalyticsGapsQuery,
  now: Date,
): Promise<AnalyticsGapsResponse> {
  const period = funnelPeriod(query, now);
  const counts = await events.gapCounts(
    {
      fromMs: period.from,
      toMs: period.to,
      ...(query.collection ? { collection: query.collection } : {}),
      ...(query.topic ? { topic: query.topic } : {}),
    },
    { size: query.bucket, offsetMinutes: query.offsetMinutes },
  );
  const byStart = new Map(counts.map((row) => [row.bucketStartMs, row.count]));
  const rows = period.starts.map((start, index) => ({
    start: iso(start),
    end: iso(Math.min(period.starts[index + 1] ?? period.to, period.to)),
    count: byStart.get(start) ?? 0,
  }));
  return {
    bucket: period.bucket,
    from: iso(period.from),
    to: iso(period.to),
    rows,
    total: rows.reduce((sum, row) => sum + row.count, 0),
  };
}

/**
 * The team lead's dashboard (issue 12): funnel rates over time with filters and breakdowns,
 * editing and reply times, reasons, knowledge gaps over time, the suggestions behind any number
 * (and the sets behind a gap count or a day's model cost),
 * and every table as CSV or XLSX. team_lead or above (app.ts guards /v1/analytics); every figure
 * is the caller's tenant's. Counted in the event store (feedback/analytics-queries.ts).
 */
export function analyticsDashboardRoutes(context: RouteContext): Router {
  const router = Router();
  const now = () => context.clock.now();

  /** Runs a report, logs how long the store took (never customer text), answers JSON. */
  function json<Query>(
    path: string,
    parse: (query: unknown) => Query,
    report: (events: EventStore, query: Query, now: Date) => Promise<unknown>,
  ) {
    router.get(path, async (request, response) => {
      const query = parse(request.query);
      const started = performance.now();
      const body = await report(tenantScope(response).events, query, now());
      requestLogger(response).info(
        { report: path, queryMs: Math.round(performance.now() - started) },
        'analytics',
      );
      response.json(body);
    });
  }

  json('/analytics/rates', (query) => parseQuery(analyticsRatesQuerySchema, query), ratesReport);
  json('/analytics/breakdown', (query) => parseQuery(analyticsBreakdownQuerySchema, query), breakdownReport);
  json('/analytics/editing', (query) => parseQuery(analyticsFilterSchema, query), editingReport);
  json('/analytics/reasons', (query) => parseQuery(analyticsFilterSchema, query), reasonsReport);
  json('/analytics/gaps', (query) => parseQuery(analyticsGapsQuerySchema, query), gapsReport);
  json(
    '/analytics/dimensions',
    (query) => parseQuery(analyticsFilterSchema, query),
    async (events, query, at): Promise<AnalyticsDimensionsResponse> => {
      const range = analyticsRange(query, at);
      return {
        from: iso(range.fromMs),
        to: iso(range.toMs),
        values: await events.outcomeDimensionValues(outcomeFilterOf(query, range)),
      };
    },
  );
  json(
    '/analytics/outcomes',
    (query) => parseQuery(analyticsOutcomesQuerySchema, query),
    async (events, query, at): Promise<AnalyticsOutcomesResponse> => {
      const range = analyticsRange(query, at);
      const listed = await events.listOutcomes(outcomeFilterOf(query, range), {
        stage: query.stage,
        limit: query.limit,
        ...(query.measure
          ? {
              measure: {
                name: query.measure,
                ...(query.min !== undefined ? { min: query.min } : {}),
                ...(query.max !== undefined ? { max: query.max } : {}),
              },
            }
          : {}),
        ...(query.reason !== undefined ? { reason: query.reason } : {}),
      });
      return { from: iso(range.fromMs), to: iso(range.toMs), stage: query.stage, ...listed };
    },
  );

  json(
    '/analytics/sets',
    (query) => parseQuery(analyticsSetsQuerySchema, query),
    async (events, query, at): Promise<AnalyticsSetsResponse> => {
      const range = analyticsRange(query, at);
      const filter = {
        from: iso(range.fromMs),
        to: iso(range.toMs),
        ...(query.behind === 'gaps'
          ? {
              ...(query.collection ? { collection: query.collection } : {}),
              ...(query.topic ? { topic: query.topic } : {}),
            }
          : {
              ...(query.engine ? { engine: query.engine } : {}),
              ...(query.model ? { model: query.model } : {}),
            }),
      };
      const listed = await events.listSets(query.behind, filter, query.limit);
      return { behind: query.behind, from: filter.from, to: filter.to, ...listed };
    },
  );

  router.get('/analytics/export', async (request, response) => {
    const options = parseQuery(analyticsExportQuerySchema, request.query);
    const events = tenantScope(response).events;
    const { language } = options;
    const tables: Record<typeof options.table, () => Promise<ExportTable>> = {
      rates: async () =>
        ratesTable(
          await ratesReport(events, parseQuery(analyticsRatesQuerySchema, request.query), now()),
          language,
        ),
      breakdown: async () =>
        breakdownTable(
          await breakdownReport(events, parseQuery(analyticsBreakdownQuerySchema, request.query), now()),
          language,
        ),
      editing: async () =>
        editingTable(
          await editingReport(events, parseQuery(analyticsFilterSchema, request.query), now()),
          language,
        ),
      reasons: async () =>
        reasonsTable(
          await reasonsReport(events, parseQuery(analyticsFilterSchema, request.query), now()),
          language,
        ),
      gaps: async () =>
        gapsTable(
          await gapsReport(events, parseQuery(analyticsGapsQuerySchema, request.query), now()),
          language,
        ),
      usage: async () =>
        usageTable(await usageReport(events, parseQuery(usageQuerySchema, request.query), now()), language),
    };
    const table = await tables[options.table]();
    const title = TABLE_TITLES[language][options.table];
    const name = `naparnik-${options.table}-${now().toISOString().slice(0, 10)}.${options.format}`;
    response.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    if (options.format === 'xlsx') {
      response.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      response.send(tableXlsx(table, title));
      return;
    }
    const charset = options.encoding === 'cp1251' ? 'windows-1251' : 'utf-8';
    response.setHeader('Content-Type', `text/csv; charset=${charset}`);
    response.send(tableCsv(table, options.encoding));
  });

  return router;
}

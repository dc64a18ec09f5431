import {
  type AnalyticsBreakdownResponse,
  type AnalyticsDimension,
  type AnalyticsDimensionsResponse,
  type AnalyticsEditingResponse,
  type AnalyticsGapsResponse,
  type AnalyticsMeasure,
  type AnalyticsOutcomesResponse,
  type AnalyticsRatesResponse,
  type AnalyticsReasonsResponse,
  type AnalyticsSetSource,
  type AnalyticsSetsResponse,
  type AnalyticsStage,
  type AnalyticsTable,
  analyticsBreakdownResponseSchema,
  analyticsDimensionsResponseSchema,
  analyticsEditingResponseSchema,
  analyticsGapsResponseSchema,
  analyticsOutcomesResponseSchema,
  analyticsRatesResponseSchema,
  analyticsReasonsResponseSchema,
  analyticsSetsResponseSchema,
  type FunnelBucket,
  type UsageResponse,
  usageResponseSchema,
} from '@naparnik/assist-service/contract';
import { request } from './api.ts';

/** The periods a lead picks, in days back from now. */
export const DASHBOARD_SPANS = [1, 2, 7, 30, 90, 365] as const;

export interface DashboardFilters {
  bucket: FunnelBucket;
  days: number;
  breakdown: AnalyticsDimension;
  values: Partial<Record<AnalyticsDimension, string>>;
}

/** What a number was counted over: its period and what to list (a stage, a measure's bin, a reason). */
export interface DrillTarget {
  from: string;
  to: string;
  stage?: AnalyticsStage;
  measure?: AnalyticsMeasure;
  min?: number;
  max?: number | null;
  reason?: string;
  values?: Partial<Record<AnalyticsDimension, string>>;
}

/** What a gap count or a day's cost was counted over: the sets behind it are listed. */
export interface SetsTarget {
  behind: AnalyticsSetSource;
  from: string;
  to: string;
  /** usage: one engine's model (a table row); absent: every model of the day (a bar). */
  engine?: string;
  model?: string;
}

const DAY = 86_400_000;

/** A UTC day of usage (`2026-12-06`) as the instants it spans. */
export function usageDay(day: string): { from: string; to: string } {
  const start = Date.parse(`${day}T00:00:00Z`);
  return { from: new Date(start).toISOString(), to: new Date(start + DAY).toISOString() };
}

/** The period of the filters: the last `days` days up to now (the browser's clock). */
export function periodOf(filters: DashboardFilters, now = Date.now()): { from: string; to: string } {
  return { from: new Date(now - filters.days * DAY).toISOString(), to: new Date(now).toISOString() };
}

/** Buckets start at local midnight and on local Mondays: the browser's offset east of UTC. */
const offsetMinutes = () => String(-new Date().getTimezoneOffset());

function query(parameters: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  return search.toString();
}

function filterParameters(filters: DashboardFilters, period: { from: string; to: string }) {
  return { ...period, offsetMinutes: offsetMinutes(), ...filters.values };
}

export const getRates = (
  filters: DashboardFilters,
  period: { from: string; to: string },
  breakdown: boolean,
) =>
  request(
    analyticsRatesResponseSchema,
    `/v1/analytics/rates?${query({
      ...filterParameters(filters, period),
      bucket: filters.bucket,
      breakdown: breakdown ? filters.breakdown : undefined,
    })}`,
  ) as Promise<AnalyticsRatesResponse>;

export const getBreakdown = (filters: DashboardFilters, period: { from: string; to: string }) =>
  request(
    analyticsBreakdownResponseSchema,
    `/v1/analytics/breakdown?${query({ ...filterParameters(filters, period), dimension: filters.breakdown })}`,
  ) as Promise<AnalyticsBreakdownResponse>;

export const getEditing = (filters: DashboardFilters, period: { from: string; to: string }) =>
  request(
    analyticsEditingResponseSchema,
    `/v1/analytics/editing?${query(filterParameters(filters, period))}`,
  ) as Promise<AnalyticsEditingResponse>;

export const getReasons = (filters: DashboardFilters, period: { from: string; to: string }) =>
  request(
    analyticsReasonsResponseSchema,
    `/v1/analytics/reasons?${query(filterParameters(filters, period))}`,
  ) as Promise<AnalyticsReasonsResponse>;

export const getGaps = (filters: DashboardFilters, period: { from: string; to: string }) =>
  request(
    analyticsGapsResponseSchema,
    `/v1/analytics/gaps?${query({
      ...period,
      offsetMinutes: offsetMinutes(),
      bucket: filters.bucket,
      collection: filters.values.collection,
      topic: filters.values.topic,
    })}`,
  ) as Promise<AnalyticsGapsResponse>;

/** Every value each filter can take in the period, whatever the other filters are. */
export const getDimensions = (period: { from: string; to: string }) =>
  request(
    analyticsDimensionsResponseSchema,
    `/v1/analytics/dimensions?${query({ ...period, offsetMinutes: offsetMinutes() })}`,
  ) as Promise<AnalyticsDimensionsResponse>;

/** Usage is kept per UTC day: the days the period touches. */
export const getUsage = (period: { from: string; to: string }) =>
  request(
    usageResponseSchema,
    `/v1/analytics/usage?${query({ from: period.from.slice(0, 10), to: period.to.slice(0, 10) })}`,
  ) as Promise<UsageResponse>;

export const getOutcomes = (filters: DashboardFilters, target: DrillTarget) =>
  request(
    analyticsOutcomesResponseSchema,
    `/v1/analytics/outcomes?${query({
      ...filterParameters(filters, { from: target.from, to: target.to }),
      ...target.values,
      stage: target.stage,
      measure: target.measure,
      min: target.min,
      max: target.max,
      reason: target.reason,
      limit: 100,
    })}`,
  ) as Promise<AnalyticsOutcomesResponse>;

/** The URL of a table's file: the same query as the table, so the file holds what the page shows. */
export function exportUrl(
  table: AnalyticsTable,
  format: 'csv' | 'xlsx',
  filters: DashboardFilters,
  period: { from: string; to: string },
  language: 'ru' | 'en',
  encoding: 'utf-8' | 'cp1251' = 'utf-8',
): string {
  const base =
    table === 'usage'
      ? { from: period.from.slice(0, 10), to: period.to.slice(0, 10) }
      : filterParameters(filters, period);
  return `/v1/analytics/export?${query({
    ...base,
    table,
    format,
    encoding: format === 'csv' ? encoding : undefined,
    language,
    bucket: filters.bucket,
    dimension: filters.breakdown,
  })}`;
}

/** The sets behind a gap count (with the page's collection and topic) or a day's model cost. */
export const getSets = (filters: DashboardFilters, target: SetsTarget) =>
  request(
    analyticsSetsResponseSchema,
    `/v1/analytics/sets?${query({
      behind: target.behind,
      from: target.from,
      to: target.to,
      ...(target.behind === 'gaps'
        ? { collection: filters.values.collection, topic: filters.values.topic }
        : { engine: target.engine, model: target.model }),
      limit: 100,
    })}`,
  ) as Promise<AnalyticsSetsResponse>;

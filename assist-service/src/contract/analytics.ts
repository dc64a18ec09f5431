import { z } from 'zod';
import { FUNNEL_BUCKETS } from './console.ts';

// ─── Analytics for team leads: rates over time, breakdowns, editing, reasons, gaps (issue 12) ────

/** What a figure can be broken down or filtered by. */
export const ANALYTICS_DIMENSIONS = [
  'operator',
  'collection',
  'topic',
  'channel',
  'document',
  'engine',
  'promptVersion',
] as const;
export type AnalyticsDimension = (typeof ANALYTICS_DIMENSIONS)[number];

/** What became of a shown suggestion, and what a list behind a number can ask for. */
export const ANALYTICS_STAGES = [
  'shown',
  'inserted',
  'sent-as-is',
  'sent-edited',
  'dismissed',
  'rated-down',
  'degraded',
] as const;
export type AnalyticsStage = (typeof ANALYTICS_STAGES)[number];

/** What the editing histograms measure. */
export const ANALYTICS_MEASURES = [
  'editDistance',
  'replyWithSuggestion',
  'replyWithoutSuggestion',
  'firstSuggestion',
] as const;
export type AnalyticsMeasure = (typeof ANALYTICS_MEASURES)[number];

const isoDateTime = z.iso.datetime({ offset: true });
const filterValue = z.string().min(1).max(200).optional();

/** Every analytics query: a period of first-shown times and filters on any dimension. */
export const analyticsFilterSchema = z.object({
  /** Suggestions first shown at or after this instant; default: 30 days (or a bucket's screenful) before `to`. */
  from: isoDateTime.optional(),
  /** …and before this one; default: now. */
  to: isoDateTime.optional(),
  /** Minutes east of UTC that buckets start in (Moscow: 180); default 0. */
  offsetMinutes: z.coerce.number().int().min(-840).max(840).default(0),
  operator: filterValue,
  collection: filterValue,
  topic: filterValue,
  channel: filterValue,
  document: filterValue,
  engine: filterValue,
  promptVersion: filterValue,
});
export type AnalyticsFilter = z.infer<typeof analyticsFilterSchema>;

export const analyticsRatesQuerySchema = analyticsFilterSchema.extend({
  bucket: z.enum(FUNNEL_BUCKETS).default('day'),
  /** One line per value of this dimension (the `top` values by suggestions shown). */
  breakdown: z.enum(ANALYTICS_DIMENSIONS).optional(),
  top: z.coerce.number().int().min(1).max(20).default(5),
});
export type AnalyticsRatesQuery = z.infer<typeof analyticsRatesQuerySchema>;

export const analyticsCountsSchema = z.object({
  /** Suggestions first shown (one per suggestion set and index). */
  shown: z.number().int(),
  inserted: z.number().int(),
  sentAsIs: z.number().int(),
  sentEdited: z.number().int(),
  dismissed: z.number().int(),
  /** …whose last rating was thumbs down. */
  ratedDown: z.number().int(),
  /** …drafted by the offline engine because the model failed (fallback). */
  degraded: z.number().int(),
});
export type AnalyticsCounts = z.infer<typeof analyticsCountsSchema>;

/** Shares of `shown` (0…1), null when nothing was shown. */
export const analyticsRatesSchema = z.object({
  inserted: z.number().nullable(),
  sentAsIs: z.number().nullable(),
  sentEdited: z.number().nullable(),
  dismissed: z.number().nullable(),
  ratedDown: z.number().nullable(),
  degraded: z.number().nullable(),
});

export const analyticsRateRowSchema = analyticsCountsSchema.extend({
  start: z.string(),
  end: z.string(),
  /** The breakdown's value; null for outcomes without one (no topic, …). Absent without a breakdown. */
  key: z.string().nullable().optional(),
  rates: analyticsRatesSchema,
});
export type AnalyticsRateRow = z.infer<typeof analyticsRateRowSchema>;

export const analyticsRatesResponseSchema = z.object({
  bucket: z.enum(FUNNEL_BUCKETS),
  from: z.string(),
  to: z.string(),
  offsetMinutes: z.number().int(),
  breakdown: z.enum(ANALYTICS_DIMENSIONS).optional(),
  /** The breakdown's values shown, most suggestions first. */
  keys: z.array(z.string().nullable()),
  /** Every bucket (× every key of `keys`), oldest first, empty ones included. */
  rows: z.array(analyticsRateRowSchema),
  totals: analyticsCountsSchema.extend({ rates: analyticsRatesSchema }),
});
export type AnalyticsRatesResponse = z.infer<typeof analyticsRatesResponseSchema>;

export const analyticsBreakdownQuerySchema = analyticsFilterSchema.extend({
  dimension: z.enum(ANALYTICS_DIMENSIONS),
});
export type AnalyticsBreakdownQuery = z.infer<typeof analyticsBreakdownQuerySchema>;

export const analyticsBreakdownResponseSchema = z.object({
  dimension: z.enum(ANALYTICS_DIMENSIONS),
  from: z.string(),
  to: z.string(),
  /** One row per value, most suggestions shown first. */
  rows: z.array(analyticsCountsSchema.extend({ key: z.string().nullable(), rates: analyticsRatesSchema })),
});
export type AnalyticsBreakdownResponse = z.infer<typeof analyticsBreakdownResponseSchema>;

export const analyticsHistogramSchema = z.object({
  measure: z.enum(ANALYTICS_MEASURES),
  unit: z.enum(['characters', 'ms']),
  /** [from, to) each; the last bin's `to` is null (open above). */
  bins: z.array(z.object({ from: z.number(), to: z.number().nullable(), count: z.number().int() })),
  count: z.number().int(),
  mean: z.number().nullable(),
  /** Estimated from the bins: the upper edge of the bin the percentile falls in (null: the open bin or none). */
  p50: z.number().nullable(),
  p90: z.number().nullable(),
});
export type AnalyticsHistogram = z.infer<typeof analyticsHistogramSchema>;

export const analyticsEditingResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Characters changed between the inserted suggestion and the sent text (Levenshtein, whitespace runs as one). */
  editDistance: analyticsHistogramSchema,
  /** From the customer's last message to the operator's sent reply, after inserting the suggestion. */
  replyWithSuggestion: analyticsHistogramSchema,
  /** …when the reply was sent without inserting it. */
  replyWithoutSuggestion: analyticsHistogramSchema,
  /** From the request to its suggestions, once per suggestion set shown. */
  firstSuggestion: analyticsHistogramSchema,
});
export type AnalyticsEditingResponse = z.infer<typeof analyticsEditingResponseSchema>;

const reasonCountsSchema = z.array(z.object({ reason: z.string(), count: z.number().int() }));

export const analyticsReasonsResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** '' is "no reason given"; most frequent first. */
  thumbsDown: reasonCountsSchema,
  dismissed: reasonCountsSchema,
});
export type AnalyticsReasonsResponse = z.infer<typeof analyticsReasonsResponseSchema>;

export const analyticsGapsQuerySchema = z.object({
  bucket: z.enum(FUNNEL_BUCKETS).default('day'),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  offsetMinutes: z.coerce.number().int().min(-840).max(840).default(0),
  collection: filterValue,
  topic: filterValue,
});
export type AnalyticsGapsQuery = z.infer<typeof analyticsGapsQuerySchema>;

export const analyticsGapsResponseSchema = z.object({
  bucket: z.enum(FUNNEL_BUCKETS),
  from: z.string(),
  to: z.string(),
  rows: z.array(z.object({ start: z.string(), end: z.string(), count: z.number().int() })),
  total: z.number().int(),
});
export type AnalyticsGapsResponse = z.infer<typeof analyticsGapsResponseSchema>;

export const analyticsDimensionsResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  values: z.record(z.enum(ANALYTICS_DIMENSIONS), z.array(z.string())),
});
export type AnalyticsDimensionsResponse = z.infer<typeof analyticsDimensionsResponseSchema>;

export const analyticsOutcomesQuerySchema = analyticsFilterSchema.extend({
  stage: z.enum(ANALYTICS_STAGES).default('shown'),
  /** With `min`/`max`: only outcomes whose measure lies in [min, max) (a histogram's bin). */
  measure: z.enum(ANALYTICS_MEASURES).optional(),
  min: z.coerce.number().min(0).optional(),
  max: z.coerce.number().min(0).optional(),
  /** Only outcomes dismissed (stage dismissed) or rated down (stage rated-down) with this reason; '' is none. */
  reason: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type AnalyticsOutcomesQuery = z.infer<typeof analyticsOutcomesQuerySchema>;

export const analyticsOutcomeSchema = z.object({
  suggestionSetId: z.string(),
  suggestionIndex: z.number().int(),
  shownAt: z.string(),
  operatorId: z.string().optional(),
  collection: z.string(),
  engine: z.string(),
  channel: z.string(),
  topic: z.string().optional(),
  document: z.string().optional(),
  promptVersion: z.string().optional(),
  title: z.string().optional(),
  stages: z.array(z.enum(ANALYTICS_STAGES)),
  dismissReason: z.string().optional(),
  ratingReason: z.string().optional(),
  editDistance: z.number().int().optional(),
  replyMs: z.number().int().optional(),
  firstSuggestionMs: z.number().int().optional(),
});
export type AnalyticsOutcome = z.infer<typeof analyticsOutcomeSchema>;

export const analyticsOutcomesResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  stage: z.enum(ANALYTICS_STAGES),
  /** Newest first, at most `limit`; `total` counts them all. */
  outcomes: z.array(analyticsOutcomeSchema),
  total: z.number().int(),
});
export type AnalyticsOutcomesResponse = z.infer<typeof analyticsOutcomesResponseSchema>;

/** The tables the console shows, each exportable as CSV or XLSX. */
export const ANALYTICS_TABLES = ['rates', 'breakdown', 'editing', 'reasons', 'gaps', 'usage'] as const;
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];

/**
 * `GET /v1/analytics/export`: one table, with the query its own endpoint takes. The usage table
 * takes from/to as days (YYYY-MM-DD) as `/v1/analytics/usage` does; its other fields are ignored.
 */
export const analyticsExportQuerySchema = z.object({
  table: z.enum(ANALYTICS_TABLES),
  format: z.enum(['csv', 'xlsx']).default('csv'),
  /** CSV only: cp1251 with `;` and decimal commas opens as columns in a Russian Excel; utf-8 carries a BOM. */
  encoding: z.enum(['utf-8', 'cp1251']).default('utf-8'),
  language: z.enum(['ru', 'en']).default('ru'),
});
export type AnalyticsExportQuery = z.infer<typeof analyticsExportQuerySchema>;

/** The figures whose numbers open suggestion sets rather than shown suggestions. */
export const ANALYTICS_SET_SOURCES = ['gaps', 'usage'] as const;
export type AnalyticsSetSource = (typeof ANALYTICS_SET_SOURCES)[number];

/**
 * `GET /v1/analytics/sets`: the suggestion sets behind a knowledge-gap count (`behind=gaps`: the
 * gaps logged in the period, with the set each was logged for) or behind a day's model tokens and
 * cost (`behind=usage`: the sets a model drafted in the period). Newest first.
 */
export const analyticsSetsQuerySchema = z.object({
  behind: z.enum(ANALYTICS_SET_SOURCES),
  /** Logged (gaps) or created (usage) at or after this instant; default: 30 days before `to`. */
  from: isoDateTime.optional(),
  /** …and before this one; default: now. A UTC day of usage is [day 00:00Z, next day 00:00Z). */
  to: isoDateTime.optional(),
  /** gaps: only this collection or topic. */
  collection: filterValue,
  topic: filterValue,
  /** usage: only this engine or model. */
  engine: filterValue,
  model: filterValue,
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type AnalyticsSetsQuery = z.infer<typeof analyticsSetsQuerySchema>;

export const analyticsSetSchema = z.object({
  /** Absent for a gap logged without a set (nothing was suggested). */
  suggestionSetId: z.string().optional(),
  /** When the gap was logged (gaps) or the set created (usage). */
  at: z.string(),
  collection: z.string(),
  engine: z.string().optional(),
  channel: z.string().optional(),
  topic: z.string().optional(),
  operatorId: z.string().optional(),
  /** gaps: the best search score, under the threshold. */
  bestScore: z.number().optional(),
  /** usage: the model, its tokens and cost (null: no price configured). */
  model: z.string().optional(),
  inputTokens: z.number().int().optional(),
  outputTokens: z.number().int().optional(),
  cacheReadTokens: z.number().int().optional(),
  cacheWriteTokens: z.number().int().optional(),
  costUsd: z.number().nullable().optional(),
});
export type AnalyticsSet = z.infer<typeof analyticsSetSchema>;

export const analyticsSetsResponseSchema = z.object({
  behind: z.enum(ANALYTICS_SET_SOURCES),
  from: z.string(),
  to: z.string(),
  /** Newest first, at most `limit`; `total` counts them all. */
  sets: z.array(analyticsSetSchema),
  total: z.number().int(),
});
export type AnalyticsSetsResponse = z.infer<typeof analyticsSetsResponseSchema>;

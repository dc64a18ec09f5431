import { z } from 'zod';

/** A UTC calendar day, `2026-12-06`. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/u, 'a day as YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'not a calendar day');

/** The longest range one request may ask for. */
export const USAGE_MAX_DAYS = 366;

/** `GET /v1/analytics/usage?from&to`: both days included (UTC); default the last 30 days. */
export const usageQuerySchema = z.object({
  from: day.optional(),
  to: day.optional(),
});
export type UsageQuery = z.infer<typeof usageQuerySchema>;

export const usageRowSchema = z.object({
  day: z.string().describe('UTC day, YYYY-MM-DD.'),
  engine: z.string().describe('`claude` or `openai-compatible`: the engine that drafted.'),
  model: z.string(),
  sets: z.number().int().describe('Suggestion sets a model drafted that day.'),
  inputTokens: z.number().int().describe('Uncached input tokens.'),
  outputTokens: z.number().int(),
  cacheReadTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  costUsd: z.number().describe('US dollars, summed over the sets whose price is known.'),
  unpriced: z.number().int().describe('Sets whose cost is not known (no price configured for the model).'),
});
export type UsageRow = z.infer<typeof usageRowSchema>;

export const usageResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** One row per day, engine and model that drafted anything; days without model calls are absent. */
  days: z.array(usageRowSchema),
  totals: usageRowSchema.omit({ day: true, engine: true, model: true }),
});
export type UsageResponse = z.infer<typeof usageResponseSchema>;

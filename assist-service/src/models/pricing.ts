/**
 * Cost of a call from its usage and a price table: US dollars per million tokens, per model name.
 * The default models' list prices ship (`DEFAULT_MODEL_PRICES`); `NAPARNIK_MODEL_PRICES` adds
 * models and replaces a shipped entry whole (list prices change: check them). An unpriced model's
 * cost is `null` ("not known"), never a guess.
 */
import { z } from 'zod';
import type { ChatUsage } from './chat-model.ts';

export const modelPriceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  /** Defaults to `input` when the provider does not price cached reads apart. */
  cacheRead: z.number().nonnegative().optional(),
  /** Defaults to `input`. */
  cacheWrite: z.number().nonnegative().optional(),
});
export type ModelPrice = z.infer<typeof modelPriceSchema>;

export const priceTableSchema = z.record(z.string().min(1), modelPriceSchema);
export type PriceTable = z.infer<typeof priceTableSchema>;

/**
 * List prices of the default models (config.ts; both ids are in the Model union of the installed
 * @anthropic-ai/sdk 1.17.0), US dollars per million tokens, for prompts up to 100k tokens (longer
 * prompts cost 5×; a suggestion's prompt is a few thousand tokens). Read 2026-12-06:
 * - Claude Haiku 5.5 — https://platform.claude.com/docs/en/models/haiku-5-5/overview (Anthropic):
 *   $0.10 input, $0.50 output, $0.125 5-minute cache write. The cache-read price was not legible
 *   in what could be read of that page; $0.01 (0.1× input, Anthropic's usual rule) is what the
 *   third-party API guides state. Override it with NAPARNIK_MODEL_PRICES if the bill disagrees.
 * - Claude Sonnet 5.5 — https://platform.claude.com/docs/en/models/sonnet-5-5/overview: $2 input,
 *   $10 output, $2.50 5-minute cache write, $0.20 cache read.
 * Cache writes are the 5-minute ones: the service marks its prefix `ephemeral` with the default
 * lifetime.
 */
export const DEFAULT_MODEL_PRICES: PriceTable = {
  'claude-haiku-5-5': { input: 0.1, output: 0.5, cacheWrite: 0.125, cacheRead: 0.01 },
  'claude-sonnet-5-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 },
};

/** US dollars for `usage` at `price`. */
export function costOf(usage: ChatUsage, price: ModelPrice): number {
  const perToken = (perMillion: number) => perMillion / 1_000_000;
  return (
    usage.inputTokens * perToken(price.input) +
    usage.outputTokens * perToken(price.output) +
    usage.cacheReadTokens * perToken(price.cacheRead ?? price.input) +
    usage.cacheWriteTokens * perToken(price.cacheWrite ?? price.input)
  );
}

/** The cost of a call to `model`, or null when the table has no price for it. */
export function costFor(model: string, usage: ChatUsage, table: PriceTable): number | null {
  const price = table[model];
  return price ? costOf(usage, price) : null;
}

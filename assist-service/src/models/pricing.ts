/**
 * Cost of a call from its usage and a price table (`NAPARNIK_MODEL_PRICES`): US dollars per
 * million tokens, per model name. No prices ship by default: list prices change, and a figure
 * we invented would be worse than none. An unpriced model's cost is `null` ("not known").
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

import type { Task } from './suite/schema.ts';

/**
 * What a run produces. The first eight keys are the JSON contract, literally; `details`
 * carries what the HTML report draws (breakdowns, distributions, confusions) and is free to grow.
 */
export interface EvalResult {
  suite: string;
  task: Task;
  engine: string;
  /** Cases scored. */
  n: number;
  metrics: Record<string, number>;
  thresholds: Record<string, number>;
  passed: boolean;
  /** The first 20 failing cases with what was expected and what came back. */
  failures: CaseFailure[];
  details: ResultDetails;
}

export interface CaseFailure {
  id: string;
  input?: string;
  expected: unknown;
  got: unknown;
}

export interface ResultDetails {
  title: string;
  /** Metrics that missed their thresholds. */
  belowThreshold: Array<{ metric: string; value: number; threshold: number; direction: 'min' | 'max' }>;
  /** How the run was set up, in words: folds, overrides, cache. */
  notes: string[];
  breakdown?: Breakdown;
  distributions: Distribution[];
  /** Stated confidence against share right, per confidence bin (assist suites). */
  reliability?: Array<{ label: string; n: number; confidence: number; accuracy: number }>;
  /**
   * Assist suites: what came back for every case, in the cases' order (each suggestion's text,
   * confidence and cited documents, the topic and the response's confidence), for people to read
   * as an operator would.
   */
  outputs?: CaseOutput[];
  /** Most frequent confusions, for routing. */
  confusions?: Array<{ gold: string; predicted: string; count: number }>;
  seconds: number;
}

export interface CaseOutput {
  id: string;
  input: string;
  expected: { documents: string[]; topic?: string };
  topic: string | null;
  confidence: { score: number; level: string };
  suggestions: Array<{ text: string; confidence: { score: number; level: string }; cites: string[] }>;
}

export interface Breakdown {
  field: string;
  groups: Array<{ name: string; n: number; metrics: Record<string, number> }>;
}

export interface Distribution {
  /** e.g. "rank of the first relevant document", "token F1". */
  name: string;
  bins: Array<{ label: string; count: number }>;
}

export const MAX_FAILURES = 20;

/**
 * Latencies (`*_ms`) and counts of bad outcomes (`*_count`, e.g. `harmful_count`) must stay at or
 * under their threshold; every other metric at or over.
 */
export function thresholdDirection(metric: string): 'min' | 'max' {
  return metric.endsWith('_ms') || metric.endsWith('_count') || metric === 'ece' ? 'max' : 'min';
}

export function checkThresholds(
  metrics: Record<string, number>,
  thresholds: Record<string, number>,
): ResultDetails['belowThreshold'] {
  const missed: ResultDetails['belowThreshold'] = [];
  for (const [metric, threshold] of Object.entries(thresholds)) {
    const value = metrics[metric];
    const direction = thresholdDirection(metric);
    if (value === undefined || Number.isNaN(value)) {
      missed.push({ metric, value: Number.NaN, threshold, direction });
      continue;
    }
    // Metrics are rounded to 4 places before they are compared, as they are printed.
    const rounded = roundMetric(value);
    if (direction === 'min' ? rounded < threshold : rounded > threshold) {
      missed.push({ metric, value, threshold, direction });
    }
  }
  return missed;
}

export function roundMetric(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** Counts of values in equal-width bins over [0, 1]. */
export function unitHistogram(name: string, values: readonly number[], binCount = 10): Distribution {
  const bins = Array.from({ length: binCount }, (_, index) => ({
    label: `${(index / binCount).toFixed(1)}–${((index + 1) / binCount).toFixed(1)}`,
    count: 0,
  }));
  for (const value of values) {
    const index = Math.min(binCount - 1, Math.max(0, Math.floor(value * binCount)));
    bins[index]!.count++;
  }
  return { name, bins };
}

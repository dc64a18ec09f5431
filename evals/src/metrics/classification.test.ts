import { describe, expect, it } from 'vitest';
import { accuracy, binaryPrecisionRecall, confusionMatrix, macroF1, perClass } from './classification.ts';
import { percentile } from './latency.ts';

const pairs = [
  { gold: 'a', predicted: 'a' },
  { gold: 'a', predicted: 'b' },
  { gold: 'b', predicted: 'b' },
  { gold: 'b', predicted: 'b' },
  { gold: 'c', predicted: 'a' },
];

describe('classification metrics', () => {
  it('computes accuracy', () => {
    expect(accuracy(pairs)).toBe(3 / 5);
    expect(accuracy([])).toBe(0);
  });

  it('computes per-class precision, recall and F1 by hand', () => {
    const [a, b, c] = perClass(pairs);
    // a: predicted twice (1 right), gold twice → P 1/2, R 1/2, F1 1/2.
    expect(a).toEqual({ label: 'a', support: 2, precision: 0.5, recall: 0.5, f1: 0.5 });
    // b: predicted 3 times (2 right), gold twice → P 2/3, R 1, F1 0.8.
    expect(b!.precision).toBeCloseTo(2 / 3, 12);
    expect(b!.recall).toBe(1);
    expect(b!.f1).toBeCloseTo(0.8, 12);
    // c: never predicted → 0.
    expect(c).toEqual({ label: 'c', support: 1, precision: 0, recall: 0, f1: 0 });
    expect(macroF1(pairs)).toBeCloseTo((0.5 + 0.8 + 0) / 3, 12);
  });

  it('builds a confusion matrix gold → predicted', () => {
    expect(confusionMatrix(pairs)).toEqual({ a: { a: 1, b: 1 }, b: { b: 2 }, c: { a: 1 } });
  });

  it('computes precision and recall of a binary flag', () => {
    const result = binaryPrecisionRecall([
      { actual: true, flagged: true },
      { actual: true, flagged: false },
      { actual: false, flagged: true },
      { actual: false, flagged: false },
      { actual: true, flagged: true },
    ]);
    expect(result.precision).toBeCloseTo(2 / 3, 12);
    expect(result.recall).toBeCloseTo(2 / 3, 12);
    expect(binaryPrecisionRecall([{ actual: false, flagged: false }])).toEqual({
      precision: 0,
      recall: 0,
      f1: 0,
    });
  });

  it('takes nearest-rank percentiles', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 95)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile([], 50)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { mannWhitneyU } from './mann-whitney.ts';

describe('Mann–Whitney U', () => {
  it('gives scipy’s asymptotic p-value for two samples that do not overlap, and for ties', () => {
    // scipy.stats.mannwhitneyu([1..5], [6..10], method='asymptotic') → U 0, p 0.01219
    const apart = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(apart.u).toBe(0);
    expect(apart.p).toBeCloseTo(0.01219, 4);
    // scipy.stats.mannwhitneyu([1,2,2,3], [2,3,3,4], method='asymptotic') → U 3, p 0.17203
    const tied = mannWhitneyU([1, 2, 2, 3], [2, 3, 3, 4]);
    expect(tied.u).toBe(3);
    expect(tied.p).toBeCloseTo(0.17203, 4);
  });

  it('finds nothing between a sample and itself', () => {
    const sample = [5, 1, 4, 2, 3, 3];
    expect(mannWhitneyU(sample, sample).p).toBeCloseTo(1, 6);
  });
});

import { describe, expect, it } from 'vitest';
import { checkThresholds, unitHistogram } from './result.ts';

describe('thresholds', () => {
  it('holds metrics at or above their minimum and latencies at or below their maximum', () => {
    const missed = checkThresholds(
      { 'recall@5': 0.76, 'recall@1': 0.44999, latency_p95_ms: 12 },
      { 'recall@5': 0.75, 'recall@1': 0.45, latency_p95_ms: 10, accuracy: 0.8 },
    );
    expect(missed.map((entry) => entry.metric)).toEqual(['latency_p95_ms', 'accuracy']);
    expect(missed[0]!.direction).toBe('max');
  });

  it('bins unit scores', () => {
    const histogram = unitHistogram('f1', [0, 0.05, 0.5, 1, 1]);
    expect(histogram.bins[0]!.count).toBe(2);
    expect(histogram.bins[5]!.count).toBe(1);
    expect(histogram.bins[9]!.count).toBe(2);
  });
});

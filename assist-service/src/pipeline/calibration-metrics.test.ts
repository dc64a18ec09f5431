import { describe, expect, it } from 'vitest';
import { expectedCalibrationError, reliabilityBins } from './calibration-metrics.ts';

describe('calibration metrics', () => {
  it('gives zero error when each bin is right as often as it claims', () => {
    const points = [
      ...Array.from({ length: 10 }, (_, index) => ({ confidence: 0.85, correct: index < 8.5 })),
      ...Array.from({ length: 4 }, (_, index) => ({ confidence: 0.25, correct: index < 1 })),
    ];
    expect(expectedCalibrationError(points)).toBeCloseTo(0.9 * (10 / 14) - 0.85 * (10 / 14), 6);
  });

  it('weights each bin’s gap by its share of the answers', () => {
    const points = [
      { confidence: 0.95, correct: false },
      { confidence: 0.95, correct: false },
      { confidence: 0.05, correct: false },
      { confidence: 0.05, correct: false },
    ];
    expect(expectedCalibrationError(points)).toBeCloseTo(0.5 * 0.95 + 0.5 * 0.05, 6);
  });

  it('puts confidence 1 in the last bin and reports per-bin accuracy', () => {
    const bins = reliabilityBins([
      { confidence: 1, correct: true },
      { confidence: 0.91, correct: false },
    ]);
    expect(bins.at(-1)).toMatchObject({ label: '0.9–1.0', n: 2, accuracy: 0.5 });
    expect(bins.at(-1)!.confidence).toBeCloseTo(0.955, 9);
    expect(bins[0]!.n).toBe(0);
  });
});

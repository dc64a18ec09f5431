import { describe, expect, it } from 'vitest';
import { type AnswerSignals, probabilityOf } from './calibration.ts';
import type { CalibrationExample } from './calibration-examples.ts';
import { fitLogistic } from './logistic.ts';

const signals = (overrides: Partial<AnswerSignals>): AnswerSignals => ({
  coverage: 0.5,
  questionCoverage: 0.5,
  queryCoverage: 0.5,
  similarity: 0.5,
  lead: 0,
  history: 0,
  rank: 0,
  unmatched: 0,
  ...overrides,
});

describe('fitLogistic', () => {
  it('learns that the signal which separates right answers from wrong ones raises the probability', () => {
    const examples: CalibrationExample[] = [];
    for (let index = 0; index < 200; index++) {
      const lead = (index % 20) / 20;
      // Right three times in four when far ahead of the next answer, once in four when not.
      const correct = lead >= 0.5 ? index % 4 !== 0 : index % 4 === 0;
      examples.push({ question: `q${index}`, signals: signals({ lead }), correct, first: true });
    }
    const model = fitLogistic(examples);
    expect(model.weights.lead).toBeGreaterThan(1);
    const ahead = probabilityOf(signals({ lead: 0.9 }), model);
    const behind = probabilityOf(signals({ lead: 0.1 }), model);
    expect(ahead).toBeGreaterThan(0.6);
    expect(behind).toBeLessThan(0.4);
  });
});

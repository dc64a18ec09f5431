import { describe, expect, it } from 'vitest';
import { foldOf, kFoldPlan } from './kfold.ts';

const cases = Array.from({ length: 57 }, (_, index) => ({
  id: `case-${index}`,
  query: `question ${index % 50}`,
}));

describe('k-fold history', () => {
  const plans = kFoldPlan(
    cases,
    5,
    (item) => item.id,
    (item) => item.query,
  );

  it('scores every case exactly once', () => {
    const scored = plans.flatMap((plan) => plan.cases.map((item) => item.id));
    expect(scored.sort()).toEqual(cases.map((item) => item.id).sort());
  });

  it('never lets a case see itself or a question with the same text', () => {
    for (const plan of plans) {
      const scoredIds = new Set(plan.cases.map((item) => item.id));
      const scoredTexts = new Set(plan.cases.map((item) => item.query));
      for (const past of plan.history) {
        expect(scoredIds.has(past.id)).toBe(false);
        expect(scoredTexts.has(past.query)).toBe(false);
      }
    }
  });

  it('assigns folds by id, independent of order', () => {
    expect(foldOf('case-7', 5)).toBe(foldOf('case-7', 5));
    const reversed = kFoldPlan(
      [...cases].reverse(),
      5,
      (item) => item.id,
      (item) => item.query,
    );
    expect(reversed.map((plan) => plan.cases.map((item) => item.id).sort())).toEqual(
      plans.map((plan) => plan.cases.map((item) => item.id).sort()),
    );
  });

  it('uses the other folds as history', () => {
    const plan = plans[0]!;
    const expected = cases.filter(
      (item) => foldOf(item.id, 5) !== plan.fold && !plan.cases.some((scored) => scored.query === item.query),
    );
    expect(plan.history.map((item) => item.id)).toEqual(expected.map((item) => item.id));
  });
});

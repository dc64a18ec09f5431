import { describe, expect, it } from 'vitest';
import { foldOf, kFoldPlan, nestedKFoldPlan } from './kfold.ts';

const cases = Array.from({ length: 57 }, (_, index) => ({
  id: `case-${index}`,
  query: `question ${index % 50}`,
}));

const plans = kFoldPlan(
  cases,
  5,
  (item) => item.id,
  (item) => item.query,
);

describe('k-fold history', () => {
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

describe('nested k-fold', () => {
  const nested = nestedKFoldPlan(
    cases,
    5,
    (item) => item.id,
    (item) => item.query,
  );

  it('keeps every outer fold out of its inner plans, as cases and as history', () => {
    for (const { outer, inner } of nested) {
      const outerIds = new Set(outer.cases.map((item) => item.id));
      expect(inner).toHaveLength(4);
      for (const plan of inner) {
        for (const item of [...plan.cases, ...plan.history]) expect(outerIds.has(item.id)).toBe(false);
      }
    }
  });

  it('scores each training case once in the inner plans, never with itself as history', () => {
    for (const { outer, inner } of nested) {
      const scored = inner.flatMap((plan) => plan.cases.map((item) => item.id)).sort();
      const training = cases.filter((item) => foldOf(item.id, 5) !== outer.fold).map((item) => item.id);
      expect(scored).toEqual(training.sort());
      for (const plan of inner) {
        const texts = new Set(plan.cases.map((item) => item.query));
        for (const past of plan.history) expect(texts.has(past.query)).toBe(false);
      }
    }
  });

  it('gives the outer folds the same plans as plain k-fold', () => {
    expect(nested.map(({ outer }) => outer)).toEqual(plans);
  });
});

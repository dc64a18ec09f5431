import { kFoldPlan } from '../data/kfold.ts';
import type { DatasetSpec, HistorySpec } from '../suite/schema.ts';
import { sameDataset } from './task.ts';

/** One pass of a suite: the cases scored, with the past questions the collection holds meanwhile. */
export interface HistoryPlan<Case> {
  cases: Case[];
  history: Case[];
}

/**
 * How a suite's cases meet the collection's history (the product's `--history` feature):
 * - history from the cases' own file: k-fold, so a case never sees itself (nor a case with the
 *   same text) among the past questions;
 * - history from another file: all of it, less any question worded exactly as a scored case;
 * - no history: one pass with none.
 */
export function historyPlans<Case>(options: {
  cases: Case[];
  casesSpec: DatasetSpec;
  history: HistorySpec | undefined;
  readHistory: () => Case[];
  resolve: (relative: string) => string;
  idOf: (item: Case) => string;
  textOf: (item: Case) => string;
}): { plans: Array<HistoryPlan<Case>>; note: string } {
  const { cases, history, idOf, textOf } = options;
  if (!history) return { plans: [{ cases, history: [] }], note: 'no history' };
  if (sameDataset(history, options.casesSpec, options.resolve)) {
    const plans = kFoldPlan(cases, history.folds, idOf, textOf).map((plan) => ({
      cases: plan.cases,
      history: plan.history,
    }));
    return { plans, note: `history: the cases themselves, ${history.folds}-fold (a case never sees itself)` };
  }
  const normalise = (text: string) => text.trim().toLowerCase();
  const scoredTexts = new Set(cases.map((item) => normalise(textOf(item))));
  const past = options.readHistory().filter((item) => !scoredTexts.has(normalise(textOf(item))));
  return {
    plans: [{ cases, history: past }],
    note: `history: ${past.length} past questions from ${history.path}`,
  };
}

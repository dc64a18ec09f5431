import { stableHash } from './stable-hash.ts';

/**
 * History for scoring the history's own questions: k folds by a hash of each case's id, and each
 * fold is scored with the other folds as its history, so a case never sees itself (nor a
 * duplicate of its id). Texts identical to the case's own are dropped from its history too: a
 * dataset may hold the same question twice under two ids.
 */
export function foldOf(id: string, folds: number): number {
  return stableHash(id) % folds;
}

export interface FoldPlan<Case> {
  fold: number;
  cases: Case[];
  history: Case[];
}

export function kFoldPlan<Case>(
  cases: readonly Case[],
  folds: number,
  idOf: (item: Case) => string,
  textOf: (item: Case) => string,
): Array<FoldPlan<Case>> {
  const plans: Array<FoldPlan<Case>> = [];
  for (let fold = 0; fold < folds; fold++) {
    const scored = cases.filter((item) => foldOf(idOf(item), folds) === fold);
    if (scored.length === 0) continue;
    const scoredTexts = new Set(scored.map((item) => normalise(textOf(item))));
    const history = cases.filter(
      (item) => foldOf(idOf(item), folds) !== fold && !scoredTexts.has(normalise(textOf(item))),
    );
    plans.push({ fold, cases: scored, history });
  }
  return plans;
}

/**
 * Nested k-fold, for choosing a setting without scoring it on the cases it was chosen on: for each
 * outer fold, the plain plan (its cases, the other folds as history) and the inner plans, which
 * split the other folds again (each inner fold scored with the remaining ones as history). A
 * choice made on the inner plans has never seen the outer fold's questions, not even as history.
 */
export interface NestedFoldPlan<Case> {
  outer: FoldPlan<Case>;
  inner: Array<FoldPlan<Case>>;
}

export function nestedKFoldPlan<Case>(
  cases: readonly Case[],
  folds: number,
  idOf: (item: Case) => string,
  textOf: (item: Case) => string,
): Array<NestedFoldPlan<Case>> {
  return kFoldPlan(cases, folds, idOf, textOf).map((outer) => {
    const training = cases.filter((item) => foldOf(idOf(item), folds) !== outer.fold);
    const inner = kFoldPlan(training, folds, idOf, textOf);
    return { outer, inner };
  });
}

function normalise(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

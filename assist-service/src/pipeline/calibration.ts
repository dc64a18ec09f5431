import type { HitAssessment } from '../engines/offline/confidence.ts';
import type { Retrieved } from './retrieve.ts';

/**
 * Confidence that means something: the probability that an answer is the right one, from a
 * logistic model over signals that mean the same in every knowledge base (how much of the
 * question the entry covers and the reverse, the embedding similarity, how far ahead of the next
 * document the search put it, whether a past question answered by it is close, and its rank).
 *
 * The shipped model (`DEFAULT_CALIBRATION`) was fitted on the RUTUBE dev questions (5-fold
 * history) and the demo knowledge base's golden and off-topic questions; a collection with its own
 * labelled history gets its own model by the same procedure, `pnpm naparnik calibrate`
 * (`fit-calibration.ts`), which prints the out-of-fold figures (ECE, precision of "high") the fit
 * is judged by. Thresholds are probabilities, chosen as product rules, not on the scored cases: "high"
 * where the out-of-fold precision reaches 0.85; below `medium` nothing is suggested (the panel
 * says it has nothing reliable).
 */
export interface AnswerSignals {
  coverage: number;
  questionCoverage: number;
  queryCoverage: number;
  similarity: number;
  /** 1 − the next document's search score / this one's; 0 when it is not ahead. */
  lead: number;
  /** Similarity of the closest past question answered by it, 0 when none. */
  history: number;
  /** 0-based position among the answers. */
  rank: number;
  /** Share of the question's words no retrieved entry contains (off-topic questions). */
  unmatched: number;
}

export const SIGNAL_NAMES = [
  'coverage',
  'questionCoverage',
  'queryCoverage',
  'similarity',
  'lead',
  'history',
  'rank',
  'unmatched',
] as const satisfies ReadonlyArray<keyof AnswerSignals>;

export interface CalibrationModel {
  bias: number;
  weights: Record<(typeof SIGNAL_NAMES)[number], number>;
}

/**
 * Fitted 2026-12-06 (session 5, with the history's vocabulary bridge in retrieval and its matches
 * counted as covered words) on 1,841 answers of 614 questions (400 RUTUBE, 105 demo golden, 109
 * off-topic); out of fold: ECE 0.051 on first answers, first answers at ≥ 0.8 right 0.938 of the
 * time, and 22 of the 109 off-topic questions still offered an answer at ≥ 0.3 (none right).
 */
export const DEFAULT_CALIBRATION: CalibrationModel = {
  bias: -2.69,
  weights: {
    coverage: 1.311,
    questionCoverage: 1.371,
    queryCoverage: 0.3,
    similarity: 2.943,
    lead: 2.369,
    history: 0.609,
    rank: -1.036,
    unmatched: -0.672,
  },
};

export function answerSignals(
  answers: readonly HitAssessment[],
  index: number,
  unmatched = 0,
): AnswerSignals {
  const answer = answers[index]!;
  const next = answers[index + 1];
  const score = answer.hit.score;
  const lead = next && score > 0 ? Math.max(0, 1 - next.hit.score / score) : next ? 0 : 1;
  return {
    coverage: answer.score,
    questionCoverage: answer.questionCoverage,
    queryCoverage: answer.queryCoverage,
    similarity: Math.min(1, Math.max(0, answer.hit.signals.vectorSimilarity ?? 0)),
    lead,
    history: answer.hit.history?.similarity ?? 0,
    rank: index,
    unmatched,
  };
}

/**
 * The signals of each answer the conversation leaves on offer (`Retrieved.answers`): its rank among
 * every answer the search ranked, ruled out or not — one the search put below others is less
 * likely right whether or not those are offered — and its lead over the next answer on offer: one
 * nobody would be offered («Почему цены на сайте и в магазине отличаются?», to a customer asking
 * about a marketplace's price) must not narrow the lead of the one that would.
 */
export function offeredAnswerSignals(
  retrieved: Pick<Retrieved, 'answers' | 'ruledOut' | 'assessed' | 'unmatched'>,
): AnswerSignals[] {
  const { answers, ruledOut, unmatched } = retrieved;
  if (ruledOut.length === 0) return answers.map((_, index) => answerSignals(answers, index, unmatched));
  const position = new Map(retrieved.assessed.map((assessment, index) => [assessment, index]));
  const ranked = [...answers, ...ruledOut].sort(
    (left, right) => (position.get(left) ?? 0) - (position.get(right) ?? 0),
  );
  return answers.map((answer, index) => ({
    ...answerSignals(ranked, ranked.indexOf(answer), unmatched),
    lead: answerSignals(answers, index, unmatched).lead,
  }));
}

export function signalVector(signals: AnswerSignals): number[] {
  return SIGNAL_NAMES.map((name) => signals[name]);
}

export function probabilityOf(signals: AnswerSignals, model: CalibrationModel = DEFAULT_CALIBRATION): number {
  let z = model.bias;
  for (const name of SIGNAL_NAMES) z += model.weights[name] * signals[name];
  return 1 / (1 + Math.exp(-z));
}

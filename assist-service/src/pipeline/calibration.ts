import type { HitAssessment } from '../engines/offline/confidence.ts';

/**
 * Confidence that means something: the probability that an answer is the right one, from a
 * logistic model over signals that mean the same in every knowledge base (how much of the
 * question the entry covers and the reverse, the embedding similarity, how far ahead of the next
 * document the search put it, whether a past question answered by it is close, and its rank).
 *
 * Fitted by `node assist-service/bench/calibrate-confidence.ts` on the RUTUBE dev questions
 * (5-fold history) and the demo knowledge base's golden and off-topic questions; the script
 * prints the out-of-fold figures (ECE, precision of "high") the fit is judged by, and the weights
 * below. Thresholds are probabilities, chosen as product rules, not on the scored cases: "high"
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
}

export const SIGNAL_NAMES = [
  'coverage',
  'questionCoverage',
  'queryCoverage',
  'similarity',
  'lead',
  'history',
  'rank',
] as const satisfies ReadonlyArray<keyof AnswerSignals>;

export interface CalibrationModel {
  bias: number;
  weights: Record<(typeof SIGNAL_NAMES)[number], number>;
}

/**
 * Fitted 2026-12-06 on 1,730 answers of 577 questions; out of fold: ECE 0.043 on first answers,
 * and first answers at ≥ 0.8 right 0.917 of the time.
 */
export const DEFAULT_CALIBRATION: CalibrationModel = {
  bias: -2.65,
  weights: {
    coverage: 1.191,
    questionCoverage: 1.157,
    queryCoverage: 0.75,
    similarity: 2.037,
    lead: 2.55,
    history: 1.146,
    rank: -1.041,
  },
};

export function answerSignals(answers: readonly HitAssessment[], index: number): AnswerSignals {
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
  };
}

export function signalVector(signals: AnswerSignals): number[] {
  return SIGNAL_NAMES.map((name) => signals[name]);
}

export function probabilityOf(signals: AnswerSignals, model: CalibrationModel = DEFAULT_CALIBRATION): number {
  let z = model.bias;
  for (const name of SIGNAL_NAMES) z += model.weights[name] * signals[name];
  return 1 / (1 + Math.exp(-z));
}

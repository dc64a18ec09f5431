/**
 * Scores of a whole index in a typed array (0 where unscored), and the documents scored in the
 * order they were first scored: how BM25 and the character n-grams hand a large history's scores
 * to its vote without a Map entry per past question.
 */
export interface ScoreArrays {
  scores: Float64Array;
  order: readonly number[];
}

/** `ScoreArrays` as a Map from document to score, in the same order. */
export function scoreMap({ scores, order }: ScoreArrays): Map<number, number> {
  const map = new Map<number, number>();
  for (const document of order) map.set(document, scores[document]!);
  return map;
}

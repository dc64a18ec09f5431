/** Classification metrics over (gold, predicted) pairs. */
export interface LabelledPrediction {
  gold: string;
  predicted: string;
}

export function accuracy(pairs: readonly LabelledPrediction[]): number {
  if (pairs.length === 0) return 0;
  return pairs.filter((pair) => pair.gold === pair.predicted).length / pairs.length;
}

export interface ClassReport {
  label: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Per-class precision, recall and F1 for every label that occurs as gold (sorted by label). */
export function perClass(pairs: readonly LabelledPrediction[]): ClassReport[] {
  const labels = [...new Set(pairs.map((pair) => pair.gold))].sort();
  return labels.map((label) => {
    let truePositives = 0;
    let predicted = 0;
    let support = 0;
    for (const pair of pairs) {
      if (pair.predicted === label) predicted++;
      if (pair.gold === label) support++;
      if (pair.gold === label && pair.predicted === label) truePositives++;
    }
    const precision = predicted === 0 ? 0 : truePositives / predicted;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, support, precision, recall, f1 };
  });
}

/** Unweighted mean of per-class F1 over the gold labels (scikit-learn's `macro` on y_true's labels). */
export function macroF1(pairs: readonly LabelledPrediction[]): number {
  const reports = perClass(pairs);
  if (reports.length === 0) return 0;
  return reports.reduce((sum, report) => sum + report.f1, 0) / reports.length;
}

/** counts[gold][predicted]. */
export function confusionMatrix(
  pairs: readonly LabelledPrediction[],
): Record<string, Record<string, number>> {
  const matrix: Record<string, Record<string, number>> = {};
  for (const { gold, predicted } of pairs) {
    const row = matrix[gold] ?? {};
    row[predicted] = (row[predicted] ?? 0) + 1;
    matrix[gold] = row;
  }
  return matrix;
}

/** Precision and recall of a binary decision ("out of scope") against the truth. */
export function binaryPrecisionRecall(decisions: ReadonlyArray<{ actual: boolean; flagged: boolean }>): {
  precision: number;
  recall: number;
  f1: number;
} {
  let truePositives = 0;
  let flagged = 0;
  let actual = 0;
  for (const decision of decisions) {
    if (decision.flagged) flagged++;
    if (decision.actual) actual++;
    if (decision.flagged && decision.actual) truePositives++;
  }
  const precision = flagged === 0 ? 0 : truePositives / flagged;
  const recall = actual === 0 ? 0 : truePositives / actual;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/**
 * A topic from the knowledge the retriever found: each hit votes for its labels with a weight
 * that falls off with its distance from the best hit's score (relative, so it does not depend on
 * the scale of the retriever's scores). With a good retriever and a knowledge base whose entries
 * carry categories, this is a strong classifier that needs no training and follows every edit.
 */
export interface LabelledHit {
  score: number;
  labels: readonly string[];
}

/** `temperature` is the relative score gap (0…1) at which a hit's vote falls to 1/e of the best's. */
export function voteFromHits(hits: readonly LabelledHit[], temperature = 0.15): Map<string, number> {
  const votes = new Map<string, number>();
  const best = hits[0]?.score ?? 0;
  if (!(best > 0)) return votes;
  let total = 0;
  for (const hit of hits) {
    const weight = Math.exp(-(1 - hit.score / best) / Math.max(temperature, 1e-6));
    for (const label of new Set(hit.labels)) {
      votes.set(label, (votes.get(label) ?? 0) + weight);
      total += weight;
    }
  }
  for (const [label, vote] of votes) votes.set(label, vote / total);
  return votes;
}

/** Weighted sum of label distributions; labels missing from one count as 0 there. */
export function blendDistributions(
  parts: ReadonlyArray<{ weight: number; distribution: ReadonlyMap<string, number> }>,
): Map<string, number> {
  const result = new Map<string, number>();
  for (const { weight, distribution } of parts) {
    for (const [label, probability] of distribution) {
      result.set(label, (result.get(label) ?? 0) + weight * probability);
    }
  }
  return result;
}

/** The most probable label; ties go to the label that sorts first, so results are deterministic. */
export function bestLabel(
  distribution: ReadonlyMap<string, number>,
): { label: string; probability: number } | undefined {
  let best: { label: string; probability: number } | undefined;
  for (const [label, probability] of distribution) {
    if (!best || probability > best.probability || (probability === best.probability && label < best.label)) {
      best = { label, probability };
    }
  }
  return best;
}

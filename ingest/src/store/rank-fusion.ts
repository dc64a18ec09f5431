/**
 * Weighted reciprocal rank fusion (Cormack et al., 2009): each ranking adds weight / (k + rank).
 * Rank-based, so BM25 scores and cosine similarities need no common scale.
 */
export const RRF_K = 60;

export function fuseRankings<Id>(
  rankings: Array<{ weight: number; ids: Id[] }>,
  topK: number,
  k: number = RRF_K,
): Array<{ id: Id; score: number }> {
  const scores = new Map<Id, number>();
  for (const ranking of rankings) {
    if (ranking.weight <= 0) continue;
    ranking.ids.forEach((id, index) => {
      scores.set(id, (scores.get(id) ?? 0) + ranking.weight / (k + index + 1));
    });
  }
  return [...scores]
    .map(([id, score]) => ({ id, score }))
    .sort((left, right) => right.score - left.score)
    .slice(0, topK);
}

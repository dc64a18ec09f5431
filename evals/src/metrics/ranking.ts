/**
 * Ranking metrics over one ranked list of documentIds and the set of relevant ones. `relevant`
 * lists interchangeable entries (the same answer filed twice), so recall@k is the share of cases
 * with at least one relevant document in the first k — success@k, the measure RUTUBE's SOURCE.md
 * and the issue quote.
 */

/** 1-based rank of the first relevant document, or undefined when none is ranked. */
export function firstRelevantRank(
  ranked: readonly string[],
  relevant: ReadonlySet<string>,
): number | undefined {
  const index = ranked.findIndex((documentId) => relevant.has(documentId));
  return index < 0 ? undefined : index + 1;
}

export function hitAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const rank = firstRelevantRank(ranked, relevant);
  return rank !== undefined && rank <= k ? 1 : 0;
}

export function reciprocalRankAt(
  ranked: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
): number {
  const rank = firstRelevantRank(ranked, relevant);
  return rank !== undefined && rank <= k ? 1 / rank : 0;
}

/** nDCG@k with binary gains; the ideal list ranks every relevant document first. */
export function ndcgAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  let dcg = 0;
  const seen = new Set<string>();
  ranked.slice(0, k).forEach((documentId, index) => {
    if (relevant.has(documentId) && !seen.has(documentId)) {
      seen.add(documentId);
      dcg += 1 / Math.log2(index + 2);
    }
  });
  let ideal = 0;
  for (let index = 0; index < Math.min(relevant.size, k); index++) ideal += 1 / Math.log2(index + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Documents in order of first appearance: a document with several matching chunks counts once. */
export function uniqueInOrder(documentIds: Iterable<string>): string[] {
  return [...new Set(documentIds)];
}

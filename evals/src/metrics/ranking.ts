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

/**
 * nDCG@k with binary gains; the ideal list ranks every relevant answer first: `answers` relevant
 * ones, by default one per relevant document (fewer when relevant documents are twins, which the
 * search shows as one).
 */
export function ndcgAt(
  ranked: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
  answers = relevant.size,
): number {
  let dcg = 0;
  const seen = new Set<string>();
  ranked.slice(0, k).forEach((documentId, index) => {
    if (relevant.has(documentId) && !seen.has(documentId)) {
      seen.add(documentId);
      dcg += 1 / Math.log2(index + 2);
    }
  });
  let ideal = 0;
  for (let index = 0; index < Math.min(answers, k); index++) ideal += 1 / Math.log2(index + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Documents in order of first appearance: a document with several matching chunks counts once. */
export function uniqueInOrder(documentIds: Iterable<string>): string[] {
  return [...new Set(documentIds)];
}

/**
 * The documents a list of search hits answers with, in order of first appearance. A hit whose
 * answer other entries repeat carries them as `twins` (the search shows the answer once,
 * ingest/src/retrieval/twins.ts); it counts as the first of its document and twins that is
 * relevant, as the panel's card cites them all.
 */
export function rankedDocuments(
  hits: ReadonlyArray<{ documentId: string; twins?: ReadonlyArray<{ documentId: string }> | undefined }>,
  relevant: ReadonlySet<string>,
  mapper: (documentId: string) => string = (documentId) => documentId,
): string[] {
  return uniqueInOrder(
    hits.map((hit) => {
      const ids = [hit.documentId, ...(hit.twins ?? []).map((twin) => twin.documentId)].map(mapper);
      return ids.find((id) => relevant.has(id)) ?? ids[0]!;
    }),
  );
}

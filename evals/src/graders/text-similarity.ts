/**
 * Deterministic graders for generated text against what a person wrote: token F1 (SQuAD),
 * ROUGE-N and ROUGE-L (Lin, 2004) as F1, and a word-level edit distance. Texts are compared as
 * lower-case word tokens (letters and digits, ё folded into е); no stemming, so the figures are
 * comparable with other ROUGE implementations run without a stemmer.
 */
export interface PrecisionRecall {
  precision: number;
  recall: number;
  f1: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

export function wordTokens(text: string): string[] {
  return text.normalize('NFC').toLowerCase().replaceAll('ё', 'е').match(WORD) ?? [];
}

function fromCounts(overlap: number, candidateSize: number, referenceSize: number): PrecisionRecall {
  const precision = candidateSize === 0 ? 0 : overlap / candidateSize;
  const recall = referenceSize === 0 ? 0 : overlap / referenceSize;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function counts(items: readonly string[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const item of items) result.set(item, (result.get(item) ?? 0) + 1);
  return result;
}

function multisetOverlap(left: readonly string[], right: readonly string[]): number {
  const rightCounts = counts(right);
  let overlap = 0;
  for (const [item, count] of counts(left)) overlap += Math.min(count, rightCounts.get(item) ?? 0);
  return overlap;
}

/** Bag-of-words F1 between a candidate and a reference. Two empty texts agree (1). */
export function tokenF1(candidate: string, reference: string): PrecisionRecall {
  const candidateTokens = wordTokens(candidate);
  const referenceTokens = wordTokens(reference);
  if (candidateTokens.length === 0 && referenceTokens.length === 0) return { precision: 1, recall: 1, f1: 1 };
  return fromCounts(
    multisetOverlap(candidateTokens, referenceTokens),
    candidateTokens.length,
    referenceTokens.length,
  );
}

function ngrams(tokens: readonly string[], n: number): string[] {
  const result: string[] = [];
  for (let index = 0; index + n <= tokens.length; index++)
    result.push(tokens.slice(index, index + n).join(' '));
  return result;
}

export function rougeN(candidate: string, reference: string, n: number): PrecisionRecall {
  const candidateGrams = ngrams(wordTokens(candidate), n);
  const referenceGrams = ngrams(wordTokens(reference), n);
  return fromCounts(
    multisetOverlap(candidateGrams, referenceGrams),
    candidateGrams.length,
    referenceGrams.length,
  );
}

/** Length of the longest common subsequence (two rows of the dynamic programme). */
export function longestCommonSubsequence(left: readonly string[], right: readonly string[]): number {
  if (left.length === 0 || right.length === 0) return 0;
  let previous = new Uint32Array(right.length + 1);
  let current = new Uint32Array(right.length + 1);
  for (let row = 1; row <= left.length; row++) {
    for (let column = 1; column <= right.length; column++) {
      current[column] =
        left[row - 1] === right[column - 1]
          ? previous[column - 1]! + 1
          : Math.max(previous[column]!, current[column - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[right.length]!;
}

export function rougeL(candidate: string, reference: string): PrecisionRecall {
  const candidateTokens = wordTokens(candidate);
  const referenceTokens = wordTokens(reference);
  return fromCounts(
    longestCommonSubsequence(candidateTokens, referenceTokens),
    candidateTokens.length,
    referenceTokens.length,
  );
}

/** The best score over several references (TweetSumm has three summaries per dialogue). */
export function bestOver(
  references: readonly string[],
  score: (reference: string) => PrecisionRecall,
): PrecisionRecall {
  let best: PrecisionRecall = { precision: 0, recall: 0, f1: 0 };
  for (const reference of references) {
    const result = score(reference);
    if (result.f1 > best.f1) best = result;
  }
  return best;
}

/** Levenshtein distance between two token sequences. */
export function editDistance(left: readonly string[], right: readonly string[]): number {
  if (left.length === 0) return right.length;
  if (right.length === 0) return left.length;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  let current = new Array<number>(right.length + 1).fill(0);
  for (let row = 1; row <= left.length; row++) {
    current[0] = row;
    for (let column = 1; column <= right.length; column++) {
      const substitution = previous[column - 1]! + (left[row - 1] === right[column - 1] ? 0 : 1);
      current[column] = Math.min(previous[column]! + 1, current[column - 1]! + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[right.length]!;
}

/**
 * Word edits needed to turn the suggestion into what was sent, divided by the longer text's
 * length: 0 = sent as suggested, 1 = rewritten from scratch.
 */
export function normalisedEditDistance(suggestion: string, sent: string): number {
  const suggestionTokens = wordTokens(suggestion);
  const sentTokens = wordTokens(sent);
  const longest = Math.max(suggestionTokens.length, sentTokens.length);
  return longest === 0 ? 0 : editDistance(suggestionTokens, sentTokens) / longest;
}

/** "Would have been accepted": close enough that the operator would send it after light edits. */
export function wouldBeAccepted(suggestion: string, sent: string, maxDistance: number): boolean {
  return normalisedEditDistance(suggestion, sent) <= maxDistance;
}

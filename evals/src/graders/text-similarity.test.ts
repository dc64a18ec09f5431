import { describe, expect, it } from 'vitest';
import {
  bestOver,
  editDistance,
  longestCommonSubsequence,
  normalisedEditDistance,
  rougeL,
  rougeN,
  tokenF1,
  wordTokens,
  wouldBeAccepted,
} from './text-similarity.ts';

describe('text graders', () => {
  it('tokenises into lower-case words, folding ё', () => {
    expect(wordTokens('Ёлка, ЁЖ и RUTUBE-2!')).toEqual(['елка', 'еж', 'и', 'rutube', '2']);
  });

  it('computes token F1 by hand', () => {
    // candidate: the cat sat (3), reference: the cat ate the fish (5); overlap {the, cat} = 2.
    const result = tokenF1('the cat sat', 'the cat ate the fish');
    expect(result.precision).toBeCloseTo(2 / 3, 12);
    expect(result.recall).toBeCloseTo(2 / 5, 12);
    expect(result.f1).toBeCloseTo((2 * (2 / 3) * (2 / 5)) / (2 / 3 + 2 / 5), 12);
    expect(tokenF1('', '').f1).toBe(1);
    expect(tokenF1('a', '').f1).toBe(0);
  });

  it('clips repeated words in the overlap', () => {
    // candidate "the the the" vs reference "the cat": overlap min(3,1) = 1.
    const result = tokenF1('the the the', 'the cat');
    expect(result.precision).toBeCloseTo(1 / 3, 12);
    expect(result.recall).toBeCloseTo(1 / 2, 12);
  });

  it('computes ROUGE-1 and ROUGE-2 by hand', () => {
    const candidate = 'the cat was found under the bed';
    const reference = 'the cat was under the bed';
    // unigrams: candidate 7, reference 6, overlap 6 (the×2, cat, was, under, bed).
    const one = rougeN(candidate, reference, 1);
    expect(one.recall).toBeCloseTo(6 / 6, 12);
    expect(one.precision).toBeCloseTo(6 / 7, 12);
    // bigrams: candidate 6, reference 5; shared: "the cat", "cat was", "under the", "the bed" = 4.
    const two = rougeN(candidate, reference, 2);
    expect(two.recall).toBeCloseTo(4 / 5, 12);
    expect(two.precision).toBeCloseTo(4 / 6, 12);
  });

  it('computes ROUGE-L from the longest common subsequence', () => {
    expect(longestCommonSubsequence(['a', 'b', 'c', 'd'], ['a', 'c', 'd', 'b'])).toBe(3);
    const result = rougeL('police killed the gunman', 'police kill the gunman');
    // LCS = police the gunman = 3 of 4 on both sides.
    expect(result.f1).toBeCloseTo(0.75, 12);
  });

  it('takes the best score over several references', () => {
    const result = bestOver(['completely different', 'the cat sat'], (reference) =>
      rougeL('the cat sat', reference),
    );
    expect(result.f1).toBe(1);
  });

  it('measures word edit distance and acceptance', () => {
    expect(editDistance(['a', 'b', 'c'], ['a', 'x', 'c', 'd'])).toBe(2);
    expect(editDistance([], ['a'])).toBe(1);
    expect(normalisedEditDistance('one two three four', 'one two three five')).toBe(0.25);
    expect(normalisedEditDistance('', '')).toBe(0);
    expect(wouldBeAccepted('one two three four', 'one two three five', 0.25)).toBe(true);
    expect(wouldBeAccepted('one two three four', 'five six seven eight', 0.5)).toBe(false);
  });
});

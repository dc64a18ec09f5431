import { describe, expect, it } from 'vitest';
import {
  firstRelevantRank,
  hitAt,
  ndcgAt,
  rankedDocuments,
  reciprocalRankAt,
  uniqueInOrder,
} from './ranking.ts';

const relevant = new Set(['b', 'x']);
const ranked = ['a', 'b', 'c', 'x', 'd'];

describe('ranking metrics', () => {
  it('finds the first relevant rank', () => {
    expect(firstRelevantRank(ranked, relevant)).toBe(2);
    expect(firstRelevantRank(['a', 'c'], relevant)).toBeUndefined();
  });

  it('counts a hit at k when any relevant document is in the first k', () => {
    expect(hitAt(ranked, relevant, 1)).toBe(0);
    expect(hitAt(ranked, relevant, 2)).toBe(1);
    expect(hitAt(ranked, relevant, 5)).toBe(1);
    expect(hitAt([], relevant, 5)).toBe(0);
  });

  it('gives the reciprocal rank within the cut-off', () => {
    expect(reciprocalRankAt(ranked, relevant, 10)).toBe(0.5);
    expect(reciprocalRankAt(ranked, relevant, 1)).toBe(0);
  });

  it('computes nDCG with binary gains by hand', () => {
    // Relevant at ranks 2 and 4: DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3).
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(5);
    const ideal = 1 + 1 / Math.log2(3);
    expect(ndcgAt(ranked, relevant, 10)).toBeCloseTo(dcg / ideal, 12);
    // Only the first three count at k = 3: DCG = 1/log2(3); the ideal still holds both.
    expect(ndcgAt(ranked, relevant, 3)).toBeCloseTo(1 / Math.log2(3) / ideal, 12);
    expect(ndcgAt(['b'], new Set(['b']), 10)).toBe(1);
    expect(ndcgAt(['a'], new Set(), 10)).toBe(0);
  });

  it('counts a document once, at its first chunk', () => {
    expect(uniqueInOrder(['a', 'b', 'a', 'c', 'b'])).toEqual(['a', 'b', 'c']);
  });

  it('counts a hit with twins as its relevant twin, and its document otherwise', () => {
    const hits = [
      { documentId: 'ios', twins: [{ documentId: 'android' }] },
      { documentId: 'other' },
      { documentId: 'android' },
    ];
    expect(rankedDocuments(hits, new Set(['android']))).toEqual(['android', 'other']);
    expect(rankedDocuments(hits, new Set(['nothing']))).toEqual(['ios', 'other', 'android']);
    expect(rankedDocuments(hits, new Set(['X-IOS']), (id) => `X-${id.toUpperCase()}`)).toEqual([
      'X-IOS',
      'X-OTHER',
      'X-ANDROID',
    ]);
  });

  it('takes the ideal nDCG over relevant answers: twins shown once are one answer', () => {
    // Two relevant twins, shown as one hit at rank 1: perfect when they count as one answer.
    expect(ndcgAt(['ios'], new Set(['ios', 'android']), 10, 1)).toBe(1);
    expect(ndcgAt(['ios'], new Set(['ios', 'android']), 10)).toBeLessThan(1);
  });
});

import { describe, expect, it } from 'vitest';
import { bestLabel, blendDistributions, voteFromHits } from './retrieval-vote.ts';
import { calibrateThreshold, trainTopicClassifier } from './topic-classifier.ts';

const EXAMPLES = [
  { text: 'where is my parcel', label: 'delivery' },
  { text: 'parcel has not arrived yet', label: 'delivery' },
  { text: 'when will the courier bring my order', label: 'delivery' },
  { text: 'I want my money back', label: 'refund' },
  { text: 'how do I get a refund', label: 'refund' },
  { text: 'return the money for the broken ring', label: 'refund' },
  { text: 'what is the weather tomorrow', label: 'oos' },
  { text: 'tell me a joke', label: 'oos' },
];

describe('topic classifier', () => {
  const classifier = trainTopicClassifier(EXAMPLES, { outOfScopeLabel: 'oos' });

  it('learns labels from examples (and generalises over word forms)', () => {
    expect(classifier.classify('my parcels never arrived').label).toBe('delivery');
    expect(classifier.classify('refunding the money please').label).toBe('refund');
    expect(classifier.labels).toEqual(['delivery', 'refund']);
  });

  it('is deterministic', () => {
    const again = trainTopicClassifier(EXAMPLES, { outOfScopeLabel: 'oos' });
    expect(again.classify('where is my order').ranked).toEqual(
      classifier.classify('where is my order').ranked,
    );
  });

  it('flags out-of-scope questions below the threshold or closer to the out-of-scope examples', () => {
    expect(classifier.classify('tell me a joke about the weather').outOfScope).toBe(true);
    const strict = classifier.withThreshold(0.99);
    expect(strict.classify('where is my parcel').outOfScope).toBe(true);
    expect(classifier.withThreshold(0).classify('where is my parcel').outOfScope).toBe(false);
  });

  it('calibrates the threshold to a false-positive budget on in-scope confidences', () => {
    const confidences = [0.9, 0.2, 0.8, 0.5, 0.7, 0.6, 0.95, 0.4, 0.3, 0.85];
    // 10% of 10 = 1 question may fall below: the threshold is the second lowest.
    expect(calibrateThreshold(confidences, 0.1)).toBe(0.3);
    expect(confidences.filter((value) => value < calibrateThreshold(confidences, 0.1))).toHaveLength(1);
    expect(calibrateThreshold(confidences, 0)).toBe(0.2);
    expect(calibrateThreshold([], 0.1)).toBe(0);
  });
});

describe('retrieval vote', () => {
  it('weighs hits by their score relative to the best', () => {
    const votes = voteFromHits(
      [
        { score: 2, labels: ['a'] },
        { score: 1.9, labels: ['b'] },
        { score: 1.9, labels: ['b'] },
        { score: 0.2, labels: ['c'] },
      ],
      0.15,
    );
    expect(bestLabel(votes)?.label).toBe('b');
    expect([...votes.values()].reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    expect(votes.get('c')!).toBeLessThan(0.01);
    expect(voteFromHits([])).toEqual(new Map());
  });

  it('blends distributions and breaks ties by label', () => {
    const blended = blendDistributions([
      { weight: 0.5, distribution: new Map([['x', 1]]) },
      { weight: 0.5, distribution: new Map([['y', 1]]) },
    ]);
    expect(bestLabel(blended)).toEqual({ label: 'x', probability: 0.5 });
  });
});

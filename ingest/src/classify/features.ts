import { characterNgrams } from '../retrieval/char-ngrams.ts';
import { cleanQuery } from '../retrieval/query-cleaning.ts';
import { analyze } from '../text/analyze.ts';

/**
 * What the classifier sees of a text: its content-word stems and the character 3–5-grams of its
 * words (typos, word forms), each group scaled to unit length so a long message and a short one
 * weigh alike, and the two groups weigh the same.
 */
export interface SparseVector {
  features: string[];
  values: number[];
}

export function textFeatures(text: string): SparseVector {
  const cleaned = cleanQuery(text);
  const features: string[] = [];
  const values: number[] = [];
  const addGroup = (counts: Map<string, number>, prefix: string) => {
    let norm = 0;
    const weights: Array<[string, number]> = [];
    for (const [feature, count] of counts) {
      const weight = 1 + Math.log(count);
      weights.push([prefix + feature, weight]);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [feature, weight] of weights) {
      features.push(feature);
      values.push(weight / norm / Math.SQRT2);
    }
  };
  const stems = new Map<string, number>();
  for (const stem of analyze(cleaned)) stems.set(stem, (stems.get(stem) ?? 0) + 1);
  addGroup(stems, 'w:');
  addGroup(characterNgrams(cleaned), 'c:');
  return { features, values };
}

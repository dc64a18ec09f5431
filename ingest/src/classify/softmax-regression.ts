import { seededRandom } from '../random.ts';
import type { SparseVector } from './features.ts';

/**
 * Multinomial logistic regression over sparse features, trained by stochastic gradient descent
 * with a seeded shuffle: the same examples give the same model, bit for bit. Small and fast
 * enough to train at start-up on a knowledge base's own entries and labelled questions (15,000
 * examples × 150 classes in a few seconds on one core).
 */
export interface SoftmaxSettings {
  epochs: number;
  learningRate: number;
  /** L2 penalty, applied as weight decay on the weights an example touches. */
  l2: number;
  /** Features seen fewer times than this in training are dropped. */
  minimumCount: number;
  seed: number;
}

export const DEFAULT_SOFTMAX_SETTINGS: SoftmaxSettings = {
  epochs: 12,
  learningRate: 0.5,
  l2: 1e-5,
  minimumCount: 1,
  seed: 1,
};

const NEGLIGIBLE_GRADIENT = 1e-4;

export interface SoftmaxModel {
  readonly labels: readonly string[];
  /** Probabilities per label, in the order of `labels`. */
  probabilities(vector: SparseVector): Float64Array;
}

export function trainSoftmax(
  examples: ReadonlyArray<{ vector: SparseVector; label: string }>,
  settings: SoftmaxSettings = DEFAULT_SOFTMAX_SETTINGS,
): SoftmaxModel {
  const labels = [...new Set(examples.map((example) => example.label))].sort();
  const labelIndex = new Map(labels.map((label, index) => [label, index]));
  const classes = labels.length;

  const counts = new Map<string, number>();
  for (const { vector } of examples) {
    for (const feature of vector.features) counts.set(feature, (counts.get(feature) ?? 0) + 1);
  }
  const featureIndex = new Map<string, number>();
  for (const [feature, count] of [...counts].sort((left, right) => (left[0] < right[0] ? -1 : 1))) {
    if (count >= settings.minimumCount) featureIndex.set(feature, featureIndex.size);
  }
  const weights = new Float32Array(featureIndex.size * classes);
  const bias = new Float64Array(classes);

  const encoded = examples.map(({ vector, label }) => {
    const indexes: number[] = [];
    const values: number[] = [];
    vector.features.forEach((feature, position) => {
      const index = featureIndex.get(feature);
      if (index === undefined) return;
      indexes.push(index);
      values.push(vector.values[position]!);
    });
    return { indexes, values, label: labelIndex.get(label)! };
  });

  const scores = new Float64Array(classes);
  const forward = (indexes: readonly number[], values: readonly number[]): Float64Array => {
    scores.set(bias);
    for (let position = 0; position < indexes.length; position++) {
      const offset = indexes[position]! * classes;
      const value = values[position]!;
      for (let label = 0; label < classes; label++) scores[label]! += value * weights[offset + label]!;
    }
    softmaxInPlace(scores);
    return scores;
  };

  const random = seededRandom(settings.seed);
  const order = encoded.map((_, index) => index);
  const active: number[] = [];
  const gradients = new Float64Array(classes);
  let step = 0;
  const totalSteps = Math.max(1, settings.epochs * encoded.length);
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    shuffle(order, random);
    for (const exampleIndex of order) {
      const example = encoded[exampleIndex]!;
      const rate = settings.learningRate * (1 - step / totalSteps) + 1e-3;
      step++;
      const probabilities = forward(example.indexes, example.values);
      const decay = 1 - rate * settings.l2;
      // Classes the model already rules out (probability ≈ 0) get no update: most of the work of a
      // late epoch, none of its effect.
      active.length = 0;
      for (let label = 0; label < classes; label++) {
        const gradient = probabilities[label]! - (label === example.label ? 1 : 0);
        if (Math.abs(gradient) < NEGLIGIBLE_GRADIENT) continue;
        active.push(label);
        gradients[label] = gradient;
        bias[label]! -= rate * gradient;
      }
      for (let position = 0; position < example.indexes.length; position++) {
        const offset = example.indexes[position]! * classes;
        const value = example.values[position]!;
        for (const label of active) {
          weights[offset + label] = weights[offset + label]! * decay - rate * gradients[label]! * value;
        }
      }
    }
  }

  return {
    labels,
    probabilities(vector) {
      const indexes: number[] = [];
      const values: number[] = [];
      vector.features.forEach((feature, position) => {
        const index = featureIndex.get(feature);
        if (index === undefined) return;
        indexes.push(index);
        values.push(vector.values[position]!);
      });
      return Float64Array.from(forward(indexes, values));
    },
  };
}

function softmaxInPlace(scores: Float64Array): void {
  let maximum = Number.NEGATIVE_INFINITY;
  for (const score of scores) if (score > maximum) maximum = score;
  let sum = 0;
  for (let index = 0; index < scores.length; index++) {
    scores[index] = Math.exp(scores[index]! - maximum);
    sum += scores[index]!;
  }
  for (let index = 0; index < scores.length; index++) scores[index]! /= sum;
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
}

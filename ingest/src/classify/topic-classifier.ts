import { type SparseVector, textFeatures } from './features.ts';
import { DEFAULT_SOFTMAX_SETTINGS, type SoftmaxSettings, trainSoftmax } from './softmax-regression.ts';

/**
 * A topic (intent, department) classifier trained from labelled examples: the knowledge base's
 * own entries under their categories and tags, and past questions with the topic they were
 * routed to. Multinomial logistic regression over stems and character n-grams (see
 * `features.ts`); measured against naive Bayes-like alternatives and a vote over retrieved
 * entries in `evals/README.md`.
 *
 * Out of scope — "nothing here fits, hand it to a person" — is decided by a confidence threshold
 * calibrated on held-out in-scope questions (`calibrateThreshold`), optionally helped by examples
 * of out-of-scope questions trained as a class of their own.
 */
export interface LabelledText {
  text: string;
  label: string;
}

export interface TopicScore {
  label: string;
  probability: number;
}

export interface TopicPrediction {
  /** The best in-scope label, even when the question is judged out of scope. */
  label: string | undefined;
  /** Probability of `label`. */
  confidence: number;
  /** In-scope labels by probability, best first (at most 10). */
  ranked: TopicScore[];
  outOfScope: boolean;
}

export interface TopicClassifierOptions {
  settings?: Partial<SoftmaxSettings>;
  /** The label that marks out-of-scope training examples (e.g. CLINC150's `oos`). */
  outOfScopeLabel?: string;
  /** Below this confidence a question is out of scope; 0 (default) never. */
  threshold?: number;
}

export interface TopicClassifier {
  readonly labels: readonly string[];
  readonly threshold: number;
  classify(text: string): TopicPrediction;
  /** Probabilities of every in-scope label (for blending with other evidence). */
  distribution(text: string): Map<string, number>;
  withThreshold(threshold: number): TopicClassifier;
}

export function trainTopicClassifier(
  examples: readonly LabelledText[],
  options: TopicClassifierOptions = {},
): TopicClassifier {
  if (examples.length === 0) throw new Error('a topic classifier needs at least one labelled example');
  const model = trainSoftmax(
    examples.map((example) => ({ vector: textFeatures(example.text), label: example.label })),
    { ...DEFAULT_SOFTMAX_SETTINGS, ...options.settings },
  );
  const outOfScopeIndex = options.outOfScopeLabel ? model.labels.indexOf(options.outOfScopeLabel) : -1;
  const inScopeLabels = model.labels.filter((_, index) => index !== outOfScopeIndex);

  const make = (threshold: number): TopicClassifier => {
    const scored = (vector: SparseVector) => {
      const probabilities = model.probabilities(vector);
      let best = -1;
      for (let index = 0; index < probabilities.length; index++) {
        if (index === outOfScopeIndex) continue;
        if (best < 0 || probabilities[index]! > probabilities[best]!) best = index;
      }
      return { probabilities, best };
    };
    return {
      labels: inScopeLabels,
      threshold,
      classify(text) {
        const { probabilities, best } = scored(textFeatures(text));
        const ranked = [...probabilities]
          .map((probability, index) => ({ label: model.labels[index]!, probability, index }))
          .filter((entry) => entry.index !== outOfScopeIndex)
          .sort((left, right) => right.probability - left.probability || left.index - right.index)
          .slice(0, 10)
          .map(({ label, probability }) => ({ label, probability }));
        const confidence = best >= 0 ? probabilities[best]! : 0;
        const outOfScopeProbability = outOfScopeIndex >= 0 ? probabilities[outOfScopeIndex]! : 0;
        return {
          label: best >= 0 ? model.labels[best] : undefined,
          confidence,
          ranked,
          outOfScope: confidence < threshold || outOfScopeProbability > confidence,
        };
      },
      distribution(text) {
        const { probabilities } = scored(textFeatures(text));
        const result = new Map<string, number>();
        probabilities.forEach((probability, index) => {
          if (index !== outOfScopeIndex) result.set(model.labels[index]!, probability);
        });
        return result;
      },
      withThreshold: make,
    };
  };
  return make(options.threshold ?? 0);
}

/**
 * The confidence threshold under which at most `maxFalsePositiveRate` of in-scope questions
 * would be handed to a person. Calibrated on in-scope questions the classifier was not trained
 * on, so it does not depend on how common out-of-scope questions happen to be in a test set.
 */
export function calibrateThreshold(
  inScopeConfidences: readonly number[],
  maxFalsePositiveRate: number,
): number {
  if (inScopeConfidences.length === 0) return 0;
  const sorted = [...inScopeConfidences].sort((left, right) => left - right);
  const allowed = Math.floor(sorted.length * Math.min(Math.max(maxFalsePositiveRate, 0), 1));
  // Every confidence strictly below the threshold is flagged: the allowed-th lowest is the first kept.
  return sorted[Math.min(allowed, sorted.length - 1)]!;
}

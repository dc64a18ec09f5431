export { type SparseVector, textFeatures } from './features.ts';
export { bestLabel, blendDistributions, type LabelledHit, voteFromHits } from './retrieval-vote.ts';
export {
  DEFAULT_SOFTMAX_SETTINGS,
  type SoftmaxModel,
  type SoftmaxSettings,
  trainSoftmax,
} from './softmax-regression.ts';
export {
  calibrateThreshold,
  type LabelledText,
  type TopicClassifier,
  type TopicClassifierOptions,
  type TopicPrediction,
  type TopicScore,
  trainTopicClassifier,
} from './topic-classifier.ts';

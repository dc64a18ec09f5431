/** The assist service as a library: what the evals and the root start script use in-process. */
export { type AppDependencies, createApp } from './app.ts';
export { type Clock, systemClock } from './clock.ts';
export { loadConfig, type ServiceConfig } from './config.ts';
export type { AssistContext, AssistEngine, AssistResult } from './engines/engine.ts';
export {
  createOfflineComposer,
  createOfflineEngine,
  OFFLINE_ENGINE_ID,
} from './engines/offline/offline-engine.ts';
export { ServiceError } from './errors.ts';
export type {
  EventStore,
  FeedbackRecord,
  KnowledgeGapRecord,
  SuggestionSetRecord,
} from './feedback/event-store.ts';
export { openSqliteEventStore } from './feedback/sqlite-event-store.ts';
export { createLogger } from './logging.ts';
export { type ChatModels, createChatModels } from './models/create-chat-models.ts';
export { checkFacts, type Fact, findFacts } from './models/fact-check.ts';
export {
  judgeReplyWithModel,
  RUBRIC_CRITERIA,
  type Rubric,
  type RubricCriterion,
} from './models/judge-reply-with-model.ts';
export { ModelError } from './models/model-error.ts';
export { costFor, type PriceTable } from './models/pricing.ts';
export {
  createModelSimulator,
  createSimulatedFetch,
  endpointOf,
  type ModelSimulator,
  SIMULATED_HEADER,
  type SimulatedEndpoint,
  type SimulatedResponse,
} from './models/simulator/simulated-model-api.ts';
export {
  type AnswerSignals,
  answerSignals,
  type CalibrationModel,
  DEFAULT_CALIBRATION,
  offeredAnswerSignals,
  probabilityOf,
  SIGNAL_NAMES,
  signalVector,
} from './pipeline/calibration.ts';
export {
  baseCalibrationExamples,
  type CalibrationExample,
  calibrationExamples,
  type LabelledQuestion,
} from './pipeline/calibration-examples.ts';
export {
  type CalibrationPoint,
  expectedCalibrationError,
  type ReliabilityBin,
  reliabilityBins,
} from './pipeline/calibration-metrics.ts';
export {
  type CalibrationSource,
  type CalibrationState,
  calibrationFile,
  createCalibrationSource,
  readCalibration,
  writeCalibration,
} from './pipeline/calibration-store.ts';
export {
  checkAgainstScript,
  createScriptChecker,
  type DraftChecker,
  type ScriptCheck,
} from './pipeline/check.ts';
export type { ComposeInput, Composer } from './pipeline/compose.ts';
export {
  CALIBRATION_RULES,
  type CalibrationFit,
  CalibrationFitError,
  fitCollectionCalibration,
} from './pipeline/fit-calibration.ts';
export { decideLanguage, supportedLanguage } from './pipeline/language.ts';
export { fitLogistic } from './pipeline/logistic.ts';
export { createModelComposer, scriptRulesFor } from './pipeline/model-composer.ts';
export { createAssistPipeline, type PipelineDependencies } from './pipeline/pipeline.ts';
export { RETRIEVE_TOP_K, type Retrieved, retrieve } from './pipeline/retrieve.ts';
export { stableHash } from './pipeline/stable-hash.ts';
export {
  createTopicModel,
  DEFAULT_TOPIC_SETTINGS,
  type DetectedTopic,
  type TopicModel,
  topicOf,
} from './pipeline/topic.ts';
export type { RecipeStore } from './recipes/recipe-store.ts';
export { openSqliteRecipeStore } from './recipes/sqlite-recipe-store.ts';
export type { KnowledgeBaseLike, KnowledgeSource } from './retrieval/knowledge-base.ts';
export { createScriptProfiles, type ScriptProfiles } from './retrieval/script-profiles.ts';
export { type RunningService, type StartOptions, startService } from './server.ts';

export { matchesFilter } from '../store/search-filter.ts';
export {
  type Bm25Index,
  type Bm25Settings,
  createBm25Index,
  type FieldSettings,
  type WeightedTerm,
} from './bm25.ts';
export { characterNgrams, createNgramIndex, type NgramIndex } from './char-ngrams.ts';
export { FIELD_NAMES, type FieldName, type SearchableFields, searchableFields } from './fields.ts';
export {
  buildHistoryIndex,
  DEFAULT_HISTORY_SETTINGS,
  type HistoryIndex,
  type HistorySettings,
  type PastQuestion,
} from './history-index.ts';
export { cleanQuery } from './query-cleaning.ts';
export {
  createRetriever,
  DEFAULT_RETRIEVER_SETTINGS,
  type DeepPartial,
  defaultRetrieverSettings,
  mergeSettings,
  RETRIEVER_DEFAULT_KINDS,
  type RetrievalHit,
  type RetrievalOptions,
  type Retriever,
  type RetrieverDependencies,
  type RetrieverSettings,
  type SignalName,
} from './retriever.ts';
export { foldTwins, twinKey } from './twins.ts';
export { createTypoCorrector, type TypoCorrector, withinOneEdit } from './typo-correction.ts';

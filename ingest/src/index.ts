export { type EmbedderConfig, type IngestConfig, loadIngestConfig } from './config.ts';
export { createEmbedder } from './embeddings/create-embedder.ts';
export { type Embedder, EmbedderError } from './embeddings/embedder.ts';
export { createHashedNgramEmbedder, fnv1a } from './embeddings/hashed-ngrams.ts';
export { createLocalOnnxEmbedder, type LocalOnnxOptions } from './embeddings/local-onnx.ts';
export { createOpenAiCompatibleEmbedder } from './embeddings/openai-compatible.ts';
export { IngestError, type IngestErrorCode, StoreError } from './errors.ts';
export { historyEntryId } from './history/entry-id.ts';
export {
  HISTORY_FIELDS,
  type HistoryColumns,
  type HistoryField,
  parseColumnMap,
} from './history/history-columns.ts';
export {
  type HistoryImportSummary,
  type ImportHistoryOptions,
  importHistory,
} from './history/import-history.ts';
export { enforceHistoryRetention, retentionCutoff } from './history/retention.ts';
export {
  type IngestOptions,
  type IngestProgress,
  type IngestSummary,
  ingestPaths,
  loadKnowledgeFile,
} from './ingest-pipeline.ts';
export {
  DEFAULT_SEARCH_KINDS,
  DEMO_KB_DIR,
  DEMO_KB_PATHS,
  type KnowledgeBase,
  type OpenKnowledgeBaseOptions,
  openKnowledgeBase,
  type SearchOptions,
} from './knowledge-base.ts';
export { SUPPORTED_EXTENSIONS } from './loaders/index.ts';
export * from './model.ts';
export * from './privacy/index.ts';
export { seededRandom } from './random.ts';
export type { PastQuestion } from './retrieval/history-index.ts';
export type * from './store/knowledge-store.ts';
export { openPostgresStore, type PostgresStoreOptions } from './store/postgres-store.ts';
export { openSqliteStore, type SqliteStoreOptions } from './store/sqlite-store.ts';
export { isValidAt, validityWindow } from './store/validity.ts';
export { analyze, detectLanguage, normalizeText, stem, tokenize } from './text/analyze.ts';

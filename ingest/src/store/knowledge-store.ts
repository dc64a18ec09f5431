import type { Chunk, KnowledgeKind, SearchFilter, SearchHit } from '../model.ts';

/**
 * The knowledge base as every other part sees it. Small on purpose: the embedded SQLite store
 * implements it today, a Qdrant store later, and one conformance suite
 * (`knowledge-store.conformance.ts`) runs against both.
 *
 * A store belongs to one tenant (chosen when it is opened); collections are isolated from each
 * other: nothing read from one collection ever comes from another.
 */
export interface KnowledgeStore {
  /** e.g. 'sqlite' or 'qdrant'. */
  readonly backend: string;

  /**
   * Creates the collection for this embedder, or checks that an existing one was built by the same
   * embedder: vectors of different embedders never mix (`StoreError('embedder-mismatch')`).
   */
  ensureCollection(name: string, embedder: EmbedderIdentity): Promise<CollectionInfo>;
  getCollection(name: string): Promise<CollectionInfo | undefined>;
  listCollections(): Promise<CollectionInfo[]>;
  /** Removes a collection with everything in it. */
  dropCollection(name: string): Promise<boolean>;

  /**
   * Inserts or replaces whole documents. Each call is atomic: a search sees every document of the
   * call as it was before or as it is after, never half of one; a crash leaves the store as it was.
   */
  upsertDocuments(collection: string, documents: StoredDocument[]): Promise<void>;
  deleteDocuments(collection: string, documentIds: string[]): Promise<number>;
  /** Every document's bookkeeping record (no chunk text): what re-ingest compares against. */
  listDocuments(collection: string): Promise<DocumentRecord[]>;
  /** Chunks by kind or document, in document order: how the service reads scripts and routing rules. */
  listChunks(collection: string, filter?: SearchFilter): Promise<Chunk[]>;

  search(collection: string, query: SearchQuery): Promise<SearchHit[]>;
  /**
   * Each index's best chunks for a query, by id, without reading the chunks: the candidates the
   * retriever scores (retrieval/README.md). The filter means what it means for `search`.
   */
  searchCandidates(collection: string, query: CandidateQuery): Promise<SearchCandidates>;

  /**
   * Past customer questions of the collection (see {@link HistoryEntry}). Inserts new entries and
   * replaces those with the same id, all in one transaction; an entry already stored as given is
   * left alone, so importing the same export twice changes nothing.
   */
  addHistory(collection: string, entries: readonly HistoryEntry[]): Promise<HistoryWriteResult>;
  /** Oldest first (by `createdAt`, then id). */
  listHistory(collection: string, options?: ListHistoryOptions): Promise<HistoryEntry[]>;
  /** Removes entries created before `olderThan`, and those named in `ids`; returns how many went. */
  deleteHistory(
    collection: string,
    selection: { olderThan?: Date; ids?: readonly string[] },
  ): Promise<number>;

  stats(collection: string): Promise<CollectionStats>;
  /**
   * Where indexes derived from a collection outlive the process, when the store has such a place
   * (the embedded store: files beside its database). Only a shortcut: what is read may be stale
   * or damaged, and its reader checks it before use.
   */
  readonly savedIndexes?: SavedIndexes;
  /** Also waits for saves of derived indexes already asked for. */
  close(): Promise<void>;
}

export interface SavedIndexes {
  /** The bytes last saved under `name` for the collection; undefined when there are none. */
  read(collection: string, name: string): Promise<Uint8Array | undefined>;
  /**
   * Saves what `encode` returns (pieces written in order) on a later turn, so the search that built
   * the index answers first; a save asked for again before it ran replaces it. Best effort: a
   * failed save leaves the previous bytes or none, never half of them.
   */
  save(collection: string, name: string, encode: () => readonly Uint8Array[]): void;
}

export interface EmbedderIdentity {
  /** Identifies the model and its settings, e.g. 'hashed-ngrams-v1:256'. */
  id: string;
  dimensions: number;
}

export interface CollectionInfo {
  name: string;
  embedderId: string;
  dimensions: number;
  createdAt: string;
  updatedAt: string;
  /**
   * Grows whenever the collection's history changes (in any process); `updatedAt` covers the
   * documents only, so a new past question never forces the documents' indexes to be rebuilt.
   */
  historyGeneration?: number;
}

export type HistorySource = 'import' | 'feedback';

/**
 * A past customer question with what answered it: a row of a helpdesk export, or a reply an
 * operator sent after a suggestion. Evidence for the documents that answered it when a similar
 * question comes again. Texts are stored with personal data already masked.
 */
export interface HistoryEntry {
  /** Stable: the export's own id, or a hash of collection, question and answer. */
  id: string;
  question: string;
  /** What the operator sent. */
  answer?: string;
  topic?: string;
  /** The knowledge base documents that answered it; empty when the export does not say. */
  documentIds: readonly string[];
  source: HistorySource;
  /** ISO 8601; what the retention setting counts from. */
  createdAt: string;
}

export interface ListHistoryOptions {
  source?: HistorySource;
  /** Only entries that name at least one document (those that can vote in a search). */
  withDocuments?: boolean;
  limit?: number;
}

export interface HistoryWriteResult {
  added: number;
  updated: number;
  unchanged: number;
}

export interface DocumentRecord {
  documentId: string;
  kind: KnowledgeKind;
  title: string;
  /** Hash of everything the document's chunks were built from, plus the embedder id. */
  contentHash: string;
  /** Relative path shown to people. */
  source: string;
  /** Absolute path of the file it came from, for pruning documents whose file is gone. */
  sourcePath: string;
  updatedAt: string;
}

export interface StoredDocument {
  documentId: string;
  kind: KnowledgeKind;
  title: string;
  contentHash: string;
  source: string;
  sourcePath: string;
  chunks: EmbeddedChunk[];
}

export interface EmbeddedChunk extends Chunk {
  vector: Float32Array;
}

export interface SearchQuery {
  /** The text for lexical (stemmed full-text) retrieval; may be empty. */
  text: string;
  /** The query embedding from the collection's embedder, for vector retrieval. */
  vector?: Float32Array;
  topK: number;
  filter?: SearchFilter;
  /**
   * Relative weights of the two retrievers in reciprocal rank fusion; default 1 and 1.
   * A weight of 0 switches a retriever off.
   */
  weights?: { lexical?: number; vector?: number };
}

export interface CandidateQuery {
  /** The text for the lexical index; may be empty. */
  text: string;
  /** The query embedding, for the vector index. */
  vector?: Float32Array;
  /** How many of each index's best to return (0 skips that index); at most 1,000 each. */
  lexicalTopK: number;
  vectorTopK: number;
  filter?: SearchFilter;
}

export interface CandidateChunk {
  chunkId: string;
  documentId: string;
}

/** Best first. */
export interface SearchCandidates {
  lexical: Array<CandidateChunk & { score: number }>;
  vector: Array<CandidateChunk & { similarity: number }>;
}

export interface CollectionStats {
  collection: string;
  documents: number;
  chunks: number;
  byKind: Partial<Record<KnowledgeKind, number>>;
  languages: Record<string, number>;
  /** Past questions stored for the collection (all sources). */
  history: number;
  embedderId: string;
  updatedAt: string;
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type IngestConfig, loadIngestConfig } from './config.ts';
import { createEmbedder } from './embeddings/create-embedder.ts';
import type { Embedder } from './embeddings/embedder.ts';
import { StoreError } from './errors.ts';
import { enforceHistoryRetention } from './history/retention.ts';
import { type IngestOptions, type IngestSummary, ingestPaths } from './ingest-pipeline.ts';
import type { KnowledgeKind, SearchFilter, SearchHit } from './model.ts';
import type { PastQuestion } from './retrieval/history-index.ts';
import { createRetriever, type Retriever } from './retrieval/retriever.ts';
import { createStoredHistory } from './retrieval/stored-history.ts';
import type { CollectionInfo, KnowledgeStore } from './store/knowledge-store.ts';
import { openSqliteStore } from './store/sqlite-store.ts';

/** The demo knowledge base that ships with the product (a fictional jewellery retailer). */
export const DEMO_KB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../demo');
/** The folders of the demo that hold knowledge (its README describes the demo, it is not knowledge). */
export const DEMO_KB_PATHS = ['faq', 'templates', 'scripts', 'routing', 'glossary', 'articles'].map(
  (folder) => path.join(DEMO_KB_DIR, folder),
);

/**
 * What a search looks at unless told otherwise: routing rules are read by the assist service,
 * not shown to people as answers.
 */
export const DEFAULT_SEARCH_KINDS: KnowledgeKind[] = ['faq', 'template', 'article', 'script'];

export interface SearchOptions {
  topK?: number;
  filter?: SearchFilter;
  /** Relative weights of the retriever's signals (see retrieval/README.md); 0 switches one off. */
  weights?: {
    lexical?: number;
    titleNgrams?: number;
    bodyNgrams?: number;
    vector?: number;
    history?: number;
  };
  signal?: AbortSignal;
}

/**
 * The knowledge base as the CLI, the assist service and the evals use it: one store, one
 * embedder, and the single hybrid search they all share.
 */
export interface KnowledgeBase {
  readonly store: KnowledgeStore;
  readonly embedder: Embedder;
  search(collection: string, text: string, options?: SearchOptions): Promise<SearchHit[]>;
  /**
   * The same search of one collection with these past questions in place of its stored history,
   * which stays as it is: the confidence model is fitted k-fold inside a collection's history
   * (assist-service `fitCollectionCalibration`), each part searched with the others as history.
   */
  searchWithHistory(
    collection: string,
    history: readonly PastQuestion[],
  ): Promise<(text: string, options?: SearchOptions) => Promise<SearchHit[]>>;
  ingest(
    paths: string[],
    options: Omit<IngestOptions, 'store' | 'embedder' | 'paths'> & { rebuild?: boolean },
  ): Promise<IngestSummary>;
  close(): Promise<void>;
}

export interface OpenKnowledgeBaseOptions {
  dataDir?: string;
  tenant?: string;
  embedder?: Embedder;
  store?: KnowledgeStore;
  config?: IngestConfig;
  /** For the history retention and the validity windows of entries (tests). */
  clock?: () => Date;
}

/**
 * The store the configuration names: PostgreSQL with `DATABASE_URL`, else the embedded one; with
 * `QDRANT_URL`, its vectors in Qdrant.
 */
async function openConfiguredStore(
  config: IngestConfig,
  tenant: string,
  dataDir: string | undefined,
): Promise<KnowledgeStore> {
  // Loaded only when used: the embedded store's processes (the CLI above all) start faster.
  const relational = config.databaseUrl
    ? await (await import('./store/postgres-store.ts')).openPostgresStore({
        connectionString: config.databaseUrl,
        tenant,
      })
    : await openSqliteStore({ dataDir: dataDir ?? config.dataDir, tenant });
  if (!config.qdrant) return relational;
  const { createQdrantVectors } = await import('./store/qdrant-vectors.ts');
  const { composeKnowledgeStore } = await import('./store/composed-store.ts');
  return composeKnowledgeStore({
    relational,
    vectors: createQdrantVectors({
      url: config.qdrant.url,
      ...(config.qdrant.apiKey ? { apiKey: config.qdrant.apiKey } : {}),
      tenant,
      timeoutMs: config.qdrant.timeoutMs,
    }),
    fusion: config.qdrant.fusion,
  });
}

export async function openKnowledgeBase(options: OpenKnowledgeBaseOptions = {}): Promise<KnowledgeBase> {
  const config = options.config ?? loadIngestConfig();
  const embedder = options.embedder ?? (await createEmbedder(config.embedder));
  const tenant = options.tenant ?? config.tenant;
  const store = options.store ?? (await openConfiguredStore(config, tenant, options.dataDir));

  // Past questions expire by the retention setting when a knowledge base is opened.
  await enforceHistoryRetention(store, config.historyRetentionDays, options.clock);
  /** The collections' history, fed to the search; refreshed when it changes. */
  const history = createStoredHistory({ store, embedder });

  async function searchable(collection: string): Promise<CollectionInfo> {
    const info = await store.getCollection(collection);
    if (!info) throw new StoreError('collection-not-found', `collection "${collection}" does not exist`);
    if (info.embedderId !== embedder.id) {
      throw new StoreError(
        'embedder-mismatch',
        `collection "${collection}" was built with embedder ${info.embedderId}, but ${embedder.id} is configured`,
      );
    }
    return info;
  }

  function searchWith(
    retriever: Retriever,
    text: string,
    searchOptions: SearchOptions,
  ): Promise<SearchHit[]> {
    const filter = {
      // Expired entries (and those not yet valid) are never retrieved, unless the caller asks about another instant.
      validAt: (options.clock?.() ?? new Date()).toISOString(),
      ...searchOptions.filter,
      kinds: searchOptions.filter?.kinds?.length ? searchOptions.filter.kinds : DEFAULT_SEARCH_KINDS,
    };
    return retriever.search(text, {
      topK: searchOptions.topK ?? 5,
      filter,
      ...(searchOptions.signal ? { signal: searchOptions.signal } : {}),
    });
  }

  return {
    store,
    embedder,
    async search(collection, text, searchOptions = {}) {
      const info = await searchable(collection);
      // One search for every collection size (retrieval/README.md): the store's indexes yield the
      // candidates of a large collection, the retriever scores them as it scores a small one.
      return searchWith(await history.retriever(info, searchOptions.weights), text, searchOptions);
    },
    async searchWithHistory(collection, pastQuestions) {
      const info = await searchable(collection);
      const retrievers = new Map<string, Retriever>();
      return async (text, searchOptions = {}) => {
        const key = JSON.stringify(searchOptions.weights ?? {});
        let retriever = retrievers.get(key);
        if (!retriever) {
          // Not the stored history's retriever with others swapped in: that would index the whole
          // stored history first (100k past questions) only to replace it.
          retriever = createRetriever({
            store,
            embedder,
            collection: info.name,
            history: pastQuestions,
            ...(searchOptions.weights ? { settings: { weights: searchOptions.weights } } : {}),
          });
          retrievers.set(key, retriever);
        }
        return searchWith(retriever, text, searchOptions);
      };
    },
    async ingest(paths, ingestOptions) {
      if (ingestOptions.rebuild) await store.dropCollection(ingestOptions.collection);
      return ingestPaths({
        maxFileBytes: config.maxFileBytes,
        workingDirectory: config.workingDirectory,
        ...(config.linkDomains?.length ? { linkDomains: config.linkDomains } : {}),
        ...ingestOptions,
        store,
        embedder,
        paths,
      });
    },
    close: () => store.close(),
  };
}

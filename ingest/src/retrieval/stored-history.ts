import type { Embedder } from '../embeddings/embedder.ts';
import { type SearchFilter, type SearchHit, searchHitOf } from '../model.ts';
import type { CollectionInfo, KnowledgeStore } from '../store/knowledge-store.ts';
import { RRF_K } from '../store/rank-fusion.ts';
import {
  buildHistoryIndex,
  DEFAULT_HISTORY_SETTINGS,
  type HistoryIndex,
  type PastQuestion,
} from './history-index.ts';
import { cleanQuery } from './query-cleaning.ts';
import {
  createRetriever,
  DEFAULT_RETRIEVER_SETTINGS,
  type Retriever,
  type RetrieverSettings,
} from './retriever.ts';

/**
 * A collection's stored history as `openKnowledgeBase().search()` uses it: read from the store
 * once per history generation (so an entry written by another process, the CLI's import or the
 * service's feedback, is seen on the next search), and handed to the searches of both sizes.
 * Entries without documents are kept in the store for people to read but cannot vote.
 */
export interface StoredHistory {
  /** The in-memory retriever for this weighting, fed with the collection's current history. */
  retriever(collection: CollectionInfo, weights?: Partial<RetrieverSettings['weights']>): Promise<Retriever>;
  /**
   * The store's hybrid hits (asked for with {@link storePoolSize}) with the history's votes fused in
   * as one more reciprocal-rank list, cut to `topK`.
   */
  withVotes(
    collection: CollectionInfo,
    text: string,
    hits: SearchHit[],
    options: { topK: number; filter: SearchFilter; weight?: number },
  ): Promise<SearchHit[]>;
}

/** Candidates to ask the store for so that history can lift a document from below the top k. */
export function storePoolSize(topK: number): number {
  return Math.max(topK * 3, 30);
}

export function createStoredHistory(dependencies: {
  store: KnowledgeStore;
  embedder: Embedder;
}): StoredHistory {
  const { store, embedder } = dependencies;
  const loaded = new Map<
    string,
    { generation: number; questions: Promise<PastQuestion[]>; index?: HistoryIndex }
  >();
  const retrievers = new Map<string, { base: Retriever; generation: number; current: Retriever }>();

  const pastQuestions = (collection: CollectionInfo) => {
    const generation = collection.historyGeneration ?? 0;
    let entry = loaded.get(collection.name);
    if (entry?.generation !== generation) {
      const questions = store
        .listHistory(collection.name, { withDocuments: true })
        .then((entries) => entries.map((item) => ({ text: item.question, documentIds: item.documentIds })));
      entry = { generation, questions };
      loaded.set(collection.name, entry);
      questions.catch(() => loaded.delete(collection.name));
    }
    return entry;
  };

  return {
    async retriever(collection, weights) {
      const key = `${collection.name}\u0000${JSON.stringify(weights ?? {})}`;
      const { generation, questions } = pastQuestions(collection);
      let entry = retrievers.get(key);
      if (!entry) {
        const base = createRetriever({
          store,
          embedder,
          collection: collection.name,
          ...(weights ? { settings: { weights } } : {}),
        });
        entry = { base, generation: -1, current: base };
        retrievers.set(key, entry);
      }
      if (entry.generation !== generation) {
        entry.current = entry.base.withHistory(await questions);
        entry.generation = generation;
      }
      return entry.current;
    },

    async withVotes(collection, text, hits, options) {
      const weight = options.weight ?? DEFAULT_RETRIEVER_SETTINGS.weights.history;
      const loadedHistory = pastQuestions(collection);
      const questions = await loadedHistory.questions;
      if (weight <= 0 || questions.length === 0) return hits.slice(0, options.topK);
      loadedHistory.index ??= buildHistoryIndex(questions, DEFAULT_HISTORY_SETTINGS);
      const votes = [...loadedHistory.index.explainedVotes(cleanQuery(text))].sort(
        (left, right) => right[1].vote - left[1].vote || left[0].localeCompare(right[0]),
      );
      if (votes.length === 0) return hits.slice(0, options.topK);

      // A voted document the store did not return is read with the same filter, first chunk first.
      const byDocument = new Map<string, SearchHit>();
      for (const hit of hits) if (!byDocument.has(hit.documentId)) byDocument.set(hit.documentId, hit);
      const missing = votes
        .map(([documentId]) => documentId)
        .filter((documentId) => !byDocument.has(documentId));
      if (missing.length > 0) {
        const chunks = await store.listChunks(collection.name, { ...options.filter, documentIds: missing });
        for (const chunk of chunks) {
          if (byDocument.has(chunk.documentId)) continue;
          const hit = searchHitOf(chunk, 0);
          byDocument.set(chunk.documentId, hit);
          hits.push(hit);
        }
      }
      const scored = new Map(hits.map((hit) => [hit.chunkId, { ...hit }]));
      let rank = 0;
      for (const [documentId, vote] of votes) {
        const hit = byDocument.get(documentId);
        const target = hit && scored.get(hit.chunkId);
        if (!target) continue;
        rank++;
        target.score += weight / (RRF_K + rank);
        target.history = { question: vote.question, similarity: vote.similarity };
      }
      return [...scored.values()].sort((left, right) => right.score - left.score).slice(0, options.topK);
    },
  };
}

import type { Embedder } from '../embeddings/embedder.ts';
import type { CollectionInfo, KnowledgeStore } from '../store/knowledge-store.ts';
import type { PastQuestion } from './history-index.ts';
import { createRetriever, type Retriever, type RetrieverSettings } from './retriever.ts';

/**
 * A collection's stored history as `openKnowledgeBase().search()` uses it: read from the store
 * once per history generation (so an entry written by another process, the CLI's import or the
 * service's feedback, is seen on the next search), and handed to the retriever, which searches
 * collections of every size.
 * Entries without documents are kept in the store for people to read but cannot vote.
 */
export interface StoredHistory {
  /** The retriever for this weighting, fed with the collection's current history. */
  retriever(collection: CollectionInfo, weights?: Partial<RetrieverSettings['weights']>): Promise<Retriever>;
}

export function createStoredHistory(dependencies: {
  store: KnowledgeStore;
  embedder: Embedder;
}): StoredHistory {
  const { store, embedder } = dependencies;
  const loaded = new Map<string, { generation: number; questions: Promise<PastQuestion[]> }>();
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
  };
}

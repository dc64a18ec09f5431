import type { Embedder } from '../embeddings/embedder.ts';
import type { CollectionInfo, KnowledgeStore } from '../store/knowledge-store.ts';
import type { PastQuestion } from './history-index.ts';
import { createRetriever, type Retriever, type RetrieverSettings } from './retriever.ts';

/**
 * A collection's stored history as `openKnowledgeBase().search()` uses it: read from the store
 * when its history generation changes (so an entry written by another process, the CLI's import
 * or the service's feedback, is seen on a next search: at once for a small history or a bulk
 * change, within `HISTORY_REFRESH.refreshMs` otherwise), and handed to the retriever, which
 * searches collections of every size.
 * Entries without documents are kept in the store for people to read but cannot vote.
 */
export interface StoredHistory {
  /** The retriever for this weighting, fed with the collection's current history. */
  retriever(collection: CollectionInfo, weights?: Partial<RetrieverSettings['weights']>): Promise<Retriever>;
}

/**
 * Rebuilding the history's indexes blocks the process for about 0.35 s with 2,000 past questions,
 * 2 s with 16,000 and 6 s with 50,000 (`pnpm bench history`: build and first vote), and every
 * reply an operator sends adds one. Up to
 * `smallHistory` past questions a change is searched at once; a larger history keeps the indexes
 * in hand for up to `refreshMs` after a change of a few entries, and is rebuilt at once after a
 * bulk change (an import: at least `bulkChange` entries and a tenth of the history).
 */
export const HISTORY_REFRESH = { smallHistory: 2_000, bulkChange: 20, refreshMs: 60_000 } as const;

export function createStoredHistory(dependencies: {
  store: KnowledgeStore;
  embedder: Embedder;
  /** For tests: the clock and the refresh policy. */
  now?: () => number;
  refresh?: { smallHistory: number; bulkChange: number; refreshMs: number };
}): StoredHistory {
  const { store, embedder } = dependencies;
  const now = dependencies.now ?? Date.now;
  const refresh = dependencies.refresh ?? HISTORY_REFRESH;
  type Loaded = { generation: number; size: number; loadedAt: number; questions: Promise<PastQuestion[]> };
  const loaded = new Map<string, Loaded>();
  const retrievers = new Map<
    string,
    { base: Retriever; questions?: Promise<PastQuestion[]>; current: Retriever }
  >();

  /** Whether the history in hand may keep serving after a change to `generation`. */
  const keepInHand = async (
    collection: CollectionInfo,
    entry: { size: number; loadedAt: number },
  ): Promise<boolean> => {
    if (entry.size <= refresh.smallHistory || now() - entry.loadedAt >= refresh.refreshMs) return false;
    const size = (await store.stats(collection.name)).history;
    const change = Math.abs(size - entry.size);
    return change < refresh.bulkChange || change < entry.size / 10;
  };

  const load = (collection: CollectionInfo, generation: number): Loaded => {
    const questions = store
      .listHistory(collection.name, { withDocuments: true })
      .then((entries) => entries.map((item) => ({ text: item.question, documentIds: item.documentIds })));
    const fresh: Loaded = { generation, size: 0, loadedAt: now(), questions };
    loaded.set(collection.name, fresh);
    // Compared with the store's count of every past question (with documents or not) later.
    store.stats(collection.name).then(
      (stats) => {
        fresh.size = stats.history;
      },
      () => {},
    );
    questions.catch(() => {
      if (loaded.get(collection.name) === fresh) loaded.delete(collection.name);
    });
    return fresh;
  };

  // One decision per collection and history generation, shared by concurrent searches.
  // A history kept in hand is looked at again once its refresh interval is over.
  const decisions = new Map<string, { generation: number; until: number; history: Promise<Loaded> }>();
  const pastQuestions = (collection: CollectionInfo): Promise<Loaded> => {
    const generation = collection.historyGeneration ?? 0;
    const decided = decisions.get(collection.name);
    if (decided?.generation === generation && now() < decided.until) return decided.history;
    const inHand = loaded.get(collection.name);
    const until =
      inHand && inHand.generation !== generation
        ? inHand.loadedAt + refresh.refreshMs
        : Number.POSITIVE_INFINITY;
    const history = (async () => {
      const entry = loaded.get(collection.name);
      if (entry && (entry.generation === generation || (await keepInHand(collection, entry)))) return entry;
      return load(collection, generation);
    })();
    decisions.set(collection.name, { generation, until, history });
    history.catch(() => {
      if (decisions.get(collection.name)?.history === history) decisions.delete(collection.name);
    });
    return history;
  };

  return {
    async retriever(collection, weights) {
      const key = `${collection.name}\u0000${JSON.stringify(weights ?? {})}`;
      const { questions } = await pastQuestions(collection);
      let entry = retrievers.get(key);
      if (!entry) {
        const base = createRetriever({
          store,
          embedder,
          collection: collection.name,
          ...(weights ? { settings: { weights } } : {}),
        });
        entry = { base, current: base };
        retrievers.set(key, entry);
      }
      if (entry.questions !== questions) {
        entry.current = entry.base.withHistory(await questions);
        entry.questions = questions;
      }
      return entry.current;
    },
  };
}

import type { Embedder } from '../embeddings/embedder.ts';
import { StoreError } from '../errors.ts';
import { type Chunk, type KnowledgeKind, type SearchFilter, type SearchHit, searchHitOf } from '../model.ts';
import type { CandidateChunk, KnowledgeStore, SearchCandidates } from '../store/knowledge-store.ts';
import { analyze } from '../text/analyze.ts';
import { type AskedKind, answeredKinds, askedKind } from './asked-kind.ts';
import type { Bm25Settings, WeightedTerm } from './bm25.ts';
import {
  type CollectionIndex,
  type CollectionIndexSettings,
  createCollectionIndexBuilder,
  holdsExactly,
  prefixTerm,
} from './collection-index.ts';
import { type FieldName, searchableFields } from './fields.ts';
import { expansionTerms, type GlossaryExpansion } from './glossary.ts';
import {
  buildHistoryIndex,
  DEFAULT_HISTORY_SETTINGS,
  type HistoryIndex,
  type HistorySettings,
  type PastQuestion,
} from './history-index.ts';
import {
  DEFAULT_VOCABULARY_SETTINGS,
  learnVocabularyBridge,
  type VocabularyBridge,
  type VocabularySettings,
} from './history-vocabulary.ts';
import { cleanQuery } from './query-cleaning.ts';
import { readSavedIndex, saveIndex } from './saved-index.ts';
import { foldTwins } from './twins.ts';

/**
 * The retriever the knowledge base, the assist service and the evals share. Several kinds of
 * evidence, each cheap, each catching what the others miss, fused into one ranking:
 *
 * - `lexical`: BM25F over stems, the FAQ question weighed above the answer;
 * - `titleNgrams` / `bodyNgrams`: character n-gram cosine, for typos and word forms;
 * - `vector`: the collection's embedder through the store (a neural model when one is configured);
 * - `history`: past questions labelled with the knowledge that answered them.
 *
 * See README.md in this folder for the design and the measured effect of each.
 */
export interface RetrieverSettings {
  /** Strip greetings, introductions, thanks, links and zero-width characters from the query. */
  cleanQuery: boolean;
  bm25: Bm25Settings<FieldName>;
  /** Weights of the signals in the fused score; 0 switches one off. */
  weights: {
    lexical: number;
    titleNgrams: number;
    bodyNgrams: number;
    vector: number;
    history: number;
    /** Share of its own score added to an entry whose question asks what the customer's asks (`asked-kind.ts`). */
    askedKind: number;
  };
  /** Weight of a typo correction relative to a word as typed; 0 turns correction off. */
  typoWeight: number;
  /** Truncated stems indexed beside the stems (0: none), and their weight in a query. */
  prefixLength: number;
  prefixWeight: number;
  /**
   * `score`: weighted sum of scores on a common scale; `rrf`: weighted reciprocal rank fusion, as
   * the store's hybrid search does.
   */
  fusion: 'score' | 'rrf';
  /**
   * How `score` fusion puts BM25 and cosine lists on one scale per query: `minmax` over the
   * candidates, or `best` (divided by the best score). History evidence is a similarity already.
   */
  scaling: 'minmax' | 'best';
  /** k of reciprocal rank fusion. */
  rrfK: number;
  /** Candidates each signal contributes before fusion. */
  candidates: number;
  /**
   * Lexical candidates asked of the store. A search scores these, the store's `candidates` vector
   * neighbours and the documents past questions vote for, in a collection of any size.
   */
  storeCandidates: number;
  history: HistorySettings;
  /** The vocabulary bridge learned from past questions (`history-vocabulary.ts`). */
  vocabulary: VocabularySettings;
}

export type SignalName = keyof RetrieverSettings['weights'];

export const DEFAULT_RETRIEVER_SETTINGS: RetrieverSettings = {
  cleanQuery: true,
  bm25: {
    k1: 1.2,
    fields: {
      question: { weight: 3, b: 0.5 },
      heading: { weight: 1.5, b: 0.5 },
      tags: { weight: 1, b: 0.3 },
      body: { weight: 0.5, b: 0.75 },
    },
  },
  weights: { lexical: 1, titleNgrams: 0.5, bodyNgrams: 0, vector: 0, history: 0.5, askedKind: 0.3 },
  typoWeight: 0.5,
  prefixLength: 4,
  prefixWeight: 0.5,
  fusion: 'score',
  scaling: 'minmax',
  rrfK: 60,
  candidates: 100,
  storeCandidates: 200,
  history: DEFAULT_HISTORY_SETTINGS,
  vocabulary: DEFAULT_VOCABULARY_SETTINGS,
};

/** Kinds searched when the filter names none: routing rules are for the service, not answers. */
export const RETRIEVER_DEFAULT_KINDS: readonly KnowledgeKind[] = ['faq', 'template', 'article', 'script'];

export interface RetrievalOptions {
  topK?: number;
  filter?: SearchFilter;
  signal?: AbortSignal;
}

/** A hit with each signal's contribution to its score, for calibration and debugging. */
export interface RetrievalHit extends SearchHit {
  evidence: Partial<Record<SignalName, number>>;
}

export interface Retriever {
  readonly collection: string;
  search(text: string, options?: RetrievalOptions): Promise<RetrievalHit[]>;
  /** The same retriever over the same collection index with other past questions (for k-fold evaluation). */
  withHistory(history: readonly PastQuestion[]): Retriever;
}

export type DeepPartial<T> = { [Key in keyof T]?: T[Key] extends object ? DeepPartial<T[Key]> : T[Key] };

export interface RetrieverDependencies {
  store: KnowledgeStore;
  /** Needed only when the vector signal has weight. */
  embedder?: Embedder;
  collection: string;
  history?: readonly PastQuestion[];
  /** Changes to the defaults (`defaultRetrieverSettings`), merged field by field. */
  settings?: DeepPartial<RetrieverSettings>;
}

/**
 * The defaults for a collection's embedder. The built-in hashed embedder adds nothing the
 * character n-grams do not already give (it measured slightly worse, see README.md), so its vector
 * signal is off; a neural embedder's is on.
 */
export function defaultRetrieverSettings(embedderId?: string): RetrieverSettings {
  const neural = embedderId !== undefined && !embedderId.startsWith('hashed-');
  return {
    ...DEFAULT_RETRIEVER_SETTINGS,
    weights: { ...DEFAULT_RETRIEVER_SETTINGS.weights, vector: neural ? 1 : 0 },
  };
}

/** `base` with every field `changes` gives replaced, recursively (arrays are replaced whole). */
export function mergeSettings<T>(base: T, changes: DeepPartial<T> | undefined): T {
  if (changes === undefined) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return changes as T;
  const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(changes as Record<string, unknown>)) {
    if (value === undefined) continue;
    const current = result[key];
    result[key] =
      typeof current === 'object' && current !== null && !Array.isArray(current)
        ? mergeSettings(current, value as DeepPartial<typeof current>)
        : value;
  }
  return result as T;
}

interface CachedIndex {
  updatedAt: string;
  settingsKey: string;
  index: Promise<CollectionIndex>;
}
/**
 * One index per store and collection, brought up to date when the collection changes: the new
 * index copies the rows of documents that have not changed and reads only the others.
 */
const indexCache = new WeakMap<KnowledgeStore, Map<string, CachedIndex>>();

async function collectionIndex(
  store: KnowledgeStore,
  collection: string,
  settings: CollectionIndexSettings,
): Promise<CollectionIndex> {
  const info = await store.getCollection(collection);
  if (!info) throw new StoreError('collection-not-found', `collection "${collection}" does not exist`);
  let perStore = indexCache.get(store);
  if (!perStore) {
    perStore = new Map();
    indexCache.set(store, perStore);
  }
  const settingsKey = JSON.stringify(settings);
  const cached = perStore.get(collection);
  if (cached && cached.updatedAt === info.updatedAt && cached.settingsKey === settingsKey)
    return cached.index;
  // A fresh process starts from the index saved with the store, checked and brought up to date
  // like one held in memory (saved-index.ts).
  const previous =
    cached?.settingsKey === settingsKey ? cached.index : readSavedIndex(store, collection, settings);
  const index = readCollectionIndex(store, collection, settings, previous).then(async (built) => {
    if (built !== (await previous?.catch(() => undefined))) saveIndex(store, collection, built);
    return built;
  });
  const entry = { updatedAt: info.updatedAt, settingsKey, index };
  perStore.set(collection, entry);
  index.catch(() => {
    if (perStore.get(collection) === entry) perStore.delete(collection);
  });
  return index;
}

/** Documents read per batch while the index is built: a large collection is never held whole. */
const INDEX_BATCH_DOCUMENTS = 1_000;

/**
 * Reads the collection into a new index; with the previous one, only the documents whose content
 * hash or update time differ from what it holds are read and analysed (the rest are copied).
 * Either way the result is the same index: `collection-index.test.ts` proves hits and scores equal.
 */
export async function readCollectionIndex(
  store: KnowledgeStore,
  collection: string,
  settings: CollectionIndexSettings,
  previous?: Promise<CollectionIndex | undefined>,
): Promise<CollectionIndex> {
  const base = previous ? await previous.catch(() => undefined) : undefined;
  // Documents come ordered by id, and chunks by document and ordinal: batches keep the store's order.
  const documents = (await store.listDocuments(collection)).map((document) => ({
    documentId: document.documentId,
    stamp: `${document.contentHash} ${document.updatedAt}`,
  }));
  // Nothing written since (a saved index read by a restarted process): the index as it is.
  if (base && holdsExactly(base, settings, documents)) return base;
  const builder = createCollectionIndexBuilder(settings, base);
  for (let start = 0; start < documents.length; start += INDEX_BATCH_DOCUMENTS) {
    const batch = documents.slice(start, start + INDEX_BATCH_DOCUMENTS);
    const toRead = batch.filter(({ documentId, stamp }) => !builder.holds(documentId, stamp));
    const chunksByDocument = new Map<string, Chunk[]>();
    if (toRead.length > 0) {
      const chunks = await store.listChunks(collection, {
        documentIds: toRead.map(({ documentId }) => documentId),
      });
      for (const chunk of chunks) {
        const list = chunksByDocument.get(chunk.documentId);
        if (list) list.push(chunk);
        else chunksByDocument.set(chunk.documentId, [chunk]);
      }
    }
    for (const { documentId, stamp } of batch) {
      if (builder.holds(documentId, stamp)) builder.keepDocument(documentId);
      else builder.addDocument(documentId, stamp, chunksByDocument.get(documentId) ?? []);
    }
  }
  return builder.finish();
}

export function createRetriever(dependencies: RetrieverDependencies): Retriever {
  const settings = mergeSettings(defaultRetrieverSettings(dependencies.embedder?.id), dependencies.settings);
  const questions = dependencies.history ?? [];
  return makeRetriever(dependencies, settings, buildHistoryIndex(questions, settings.history), questions);
}

/** The chunks a search scores (index positions), and how the ranked ones are read back. */
interface Pool {
  positions: number[];
  /** The first chunk of a document that passes the filter, for the history's votes. */
  firstOfDocument(documentId: string): number | undefined;
  /** The chunks at these positions, from the store (those it no longer holds are missing). */
  read(positions: readonly number[]): Promise<Map<number, Chunk>>;
}

function makeRetriever(
  dependencies: RetrieverDependencies,
  settings: RetrieverSettings,
  history: HistoryIndex,
  labelled: readonly PastQuestion[],
): Retriever {
  const { store, collection } = dependencies;
  let learnt: { index: CollectionIndex; bridge: Promise<VocabularyBridge> } | undefined;
  return {
    collection,
    withHistory(questions) {
      return makeRetriever(dependencies, settings, buildHistoryIndex(questions, settings.history), questions);
    },
    async search(text, options = {}) {
      const topK = Math.max(1, Math.min(options.topK ?? 5, 200));
      const filter: SearchFilter = {
        ...options.filter,
        kinds: options.filter?.kinds?.length ? options.filter.kinds : [...RETRIEVER_DEFAULT_KINDS],
      };
      const index = await collectionIndex(store, collection, {
        bm25: settings.bm25,
        prefixLength: settings.prefixLength,
        bodyNgrams: settings.weights.bodyNgrams > 0,
      });
      options.signal?.throwIfAborted();
      const query = settings.cleanQuery ? cleanQuery(text) : text;
      if (!/[\p{L}\p{N}]/u.test(query)) return [];

      // The vector index is asked whenever there is an embedder, even with weight 0: callers such
      // as the assist service's confidence read `signals.vectorSimilarity` of the hits, and its
      // neighbours are candidates.
      const vector = dependencies.embedder
        ? await queryVector(dependencies.embedder, query, options.signal)
        : undefined;
      const { weights } = settings;
      const wantsLexical = weights.lexical > 0 || weights.titleNgrams > 0 || weights.bodyNgrams > 0;
      const queryStems = analyze(query);
      // Like typo correction, only words the collection never uses are read as their equivalents:
      // a knowledge base that says «Wildberries» itself is searched for «Wildberries», not for
      // every other spelling too.
      const expansions = index.glossary
        .expansions(queryStems)
        .filter((expansion) => expansion.said.some((stem) => index.documentFrequency(stem) === 0));
      const transliterated = settings.typoWeight > 0 ? transliterations(index, queryStems) : [];
      const candidates = await store.searchCandidates(collection, {
        // The store's candidates include chunks that say only what the customer meant.
        text:
          expansions.length > 0 || transliterated.length > 0
            ? [query, ...[...expansions, ...transliterated].map((expansion) => expansion.text)].join('\n')
            : query,
        ...(vector ? { vector } : {}),
        lexicalTopK: wantsLexical ? settings.storeCandidates : 0,
        vectorTopK: vector ? settings.candidates : 0,
        filter,
      });
      const votes = weights.history > 0 && history.size() > 0 ? history.explainedVotes(query) : undefined;
      const bridge =
        weights.lexical > 0 && settings.vocabulary.weight > 0 && labelled.length > 0
          ? await vocabularyBridge(index)
          : undefined;
      // What the customer said in the team's words, as the glossary's equivalents are: a hit that
      // says a linked word answers the query word (the assist service's confidence counts it).
      const bridged: GlossaryExpansion[] = (bridge?.matches(queryStems) ?? []).map(({ said, meant }) => ({
        said: [said],
        meant: [meant],
        text: meant,
      }));
      const pool = await candidatePool(index, filter, candidates, votes);

      const signals: Array<{ name: SignalName; scores: Map<number, number> }> = [];
      if (weights.lexical > 0) {
        const terms = [
          ...lexicalTerms(index, queryStems, settings),
          ...expansionTerms(expansions, queryStems),
          ...(bridge?.terms(queryStems) ?? []),
          ...transliterated.map((expansion) => ({ term: expansion.text, weight: settings.typoWeight })),
        ];
        const raw = index.lexicalScores(terms, pool.positions);
        signals.push({ name: 'lexical', scores: keep(raw, settings.candidates) });
      }
      if (weights.titleNgrams > 0) {
        signals.push({
          name: 'titleNgrams',
          scores: keep(index.titleSimilarities(query, pool.positions), settings.candidates),
        });
      }
      if (weights.bodyNgrams > 0) {
        signals.push({
          name: 'bodyNgrams',
          scores: keep(index.bodySimilarities(query, pool.positions), settings.candidates),
        });
      }
      const vectorSignals = new Map<number, { rank: number; similarity: number }>();
      if (vector) {
        const scores = new Map<number, number>();
        candidates.vector.forEach((candidate, rank) => {
          const position = index.positionByChunkId.get(candidate.chunkId);
          if (position === undefined) return;
          scores.set(position, Math.max(0, candidate.similarity));
          vectorSignals.set(position, { rank: rank + 1, similarity: candidate.similarity });
        });
        if (weights.vector > 0) signals.push({ name: 'vector', scores });
      }
      const pastQuestions = new Map<number, { question: string; similarity: number }>();
      if (votes) {
        const scores = new Map<number, number>();
        for (const [documentId, vote] of votes) {
          // The evidence is for the document; its first chunk that passes the filter carries it.
          const position = pool.firstOfDocument(documentId);
          if (position === undefined) continue;
          scores.set(position, vote.vote);
          pastQuestions.set(position, { question: vote.question, similarity: vote.similarity });
        }
        signals.push({ name: 'history', scores });
      }
      // Twins (twins.ts) take no place of their own: the list is read a topK further, so the
      // answers that follow a folded twin still come up.
      const kind = weights.askedKind > 0 ? askedKind(query) : undefined;
      const fused = askedAgainFirst(fuse(signals, settings), pastQuestions, settings.history).slice(
        0,
        topK * 2,
      );
      const chunks = await pool.read(fused.map((entry) => entry.position));
      const ranked = kind ? sameKindFirst(fused, chunks, kind, weights.askedKind) : fused;
      const lexical = signals.find((signal) => signal.name === 'lexical')?.scores;
      const lexicalRanks = lexical ? ranksOf(lexical) : new Map<number, number>();
      return foldTwins(ranked, chunks, topK).flatMap(({ entry, twins }): RetrievalHit[] => {
        const { position, score, evidence } = entry;
        const chunk = chunks.get(position);
        // A chunk another process removed since the index was built: left out.
        if (!chunk) return [];
        const lexicalRank = lexicalRanks.get(position);
        const vectorSignal = vectorSignals.get(position);
        // "Asked before like this" may have been asked of the twin.
        const pastQuestion =
          pastQuestions.get(position) ??
          twins.map((twin) => pastQuestions.get(twin.position)).find((found) => found !== undefined);
        const glossaryMatches = matchedThroughGlossary(chunk, [...expansions, ...bridged]);
        const twinHits = twins.flatMap((twin) => {
          const found = chunks.get(twin.position);
          return found ? [{ documentId: found.documentId, chunkId: found.chunkId, title: found.title }] : [];
        });
        return [
          {
            ...searchHitOf(chunk, score),
            ...(twinHits.length > 0 ? { twins: twinHits } : {}),
            signals: {
              ...(lexicalRank !== undefined
                ? { lexicalRank, lexicalScore: lexical?.get(position) ?? 0 }
                : {}),
              ...(vectorSignal
                ? { vectorRank: vectorSignal.rank, vectorSimilarity: vectorSignal.similarity }
                : {}),
            },
            ...(pastQuestion ? { history: pastQuestion } : {}),
            ...(glossaryMatches.length > 0 ? { glossaryMatches } : {}),
            evidence,
          },
        ];
      });
    },
  };

  /**
   * The bridge from the customers' words to the knowledge's, learned from the past questions and
   * the question and heading of the knowledge that answered each; relearned when the collection
   * index is rebuilt (its documents changed).
   */
  function vocabularyBridge(index: CollectionIndex): Promise<VocabularyBridge> {
    if (learnt?.index === index) return learnt.bridge;
    const learning = (async () => {
      const documentIds = [...new Set(labelled.flatMap((question) => question.documentIds))];
      const answers = new Map<string, Set<string>>();
      for (const chunk of await store.listChunks(collection, { documentIds })) {
        const fields = searchableFields(chunk);
        let stems = answers.get(chunk.documentId);
        if (!stems) {
          stems = new Set();
          answers.set(chunk.documentId, stems);
        }
        for (const stem of analyze(`${fields.question}\n${fields.heading}`)) stems.add(stem);
      }
      const pairs = labelled.flatMap((question) => {
        const asked = analyze(settings.cleanQuery ? cleanQuery(question.text) : question.text);
        return question.documentIds.flatMap((documentId) => {
          const answer = answers.get(documentId);
          return answer ? [{ documentId, question: asked, answer: [...answer] }] : [];
        });
      });
      return learnVocabularyBridge(pairs, settings.vocabulary);
    })();
    learnt = { index, bridge: learning };
    learning.catch(() => {
      if (learnt?.bridge === learning) learnt = undefined;
    });
    return learning;
  }

  async function queryVector(
    embedder: Embedder,
    query: string,
    signal: AbortSignal | undefined,
  ): Promise<Float32Array> {
    const info = await store.getCollection(collection);
    if (info && info.embedderId !== embedder.id) {
      throw new StoreError(
        'embedder-mismatch',
        `collection "${collection}" was built with embedder ${info.embedderId}, but ${embedder.id} is configured`,
      );
    }
    return embedder.embedQuery(query, signal ? { signal } : {});
  }

  /**
   * The chunks a search scores: the store's lexical top `storeCandidates` (BM25 over its stems),
   * its vector top `candidates`, and the first admitted chunk of every document the history votes
   * for. The store applies the filter (`matchesFilter` and the indexes compare the same keys).
   */
  async function candidatePool(
    index: CollectionIndex,
    filter: SearchFilter,
    candidates: SearchCandidates,
    votes: ReadonlyMap<string, unknown> | undefined,
  ): Promise<Pool> {
    const documents = new Map<number, string>();
    const known = new Map<number, Chunk>();
    const firstByDocument = new Map<string, number>();
    const take = (candidate: CandidateChunk) => {
      const position = index.positionByChunkId.get(candidate.chunkId);
      // A chunk written after the index was built has no features yet: the next search sees it.
      if (position !== undefined) documents.set(position, candidate.documentId);
    };
    for (const candidate of candidates.lexical) take(candidate);
    for (const candidate of candidates.vector) take(candidate);
    if (votes && votes.size > 0) {
      for (const chunk of await store.listChunks(collection, { ...filter, documentIds: [...votes.keys()] })) {
        const position = index.positionByChunkId.get(chunk.chunkId);
        if (position === undefined || firstByDocument.has(chunk.documentId)) continue;
        firstByDocument.set(chunk.documentId, position);
        documents.set(position, chunk.documentId);
        known.set(position, chunk);
      }
    }
    return {
      positions: [...documents.keys()].sort((left, right) => left - right),
      firstOfDocument: (documentId) => firstByDocument.get(documentId),
      async read(positions) {
        const chunks = new Map<number, Chunk>();
        const missing = new Set<string>();
        for (const position of positions) {
          const chunk = known.get(position);
          if (chunk) chunks.set(position, chunk);
          else missing.add(documents.get(position)!);
        }
        if (missing.size === 0) return chunks;
        const wanted = new Set(positions);
        for (const chunk of await store.listChunks(collection, { ...filter, documentIds: [...missing] })) {
          const position = index.positionByChunkId.get(chunk.chunkId);
          if (position !== undefined && wanted.has(position)) chunks.set(position, chunk);
        }
        return chunks;
      },
    };
  }
}

/** The glossary equivalents a chunk says in place of the customer's words («пункт выдачи» for «пвз»). */
function matchedThroughGlossary(
  chunk: Chunk,
  expansions: readonly GlossaryExpansion[],
): NonNullable<SearchHit['glossaryMatches']> {
  if (expansions.length === 0) return [];
  const fields = searchableFields(chunk);
  const stems = new Set(analyze([fields.question, fields.heading, fields.tags, fields.body].join('\n')));
  return expansions
    .filter((expansion) => expansion.meant.every((stem) => stems.has(stem)))
    .filter((expansion) => !expansion.said.every((stem) => stems.has(stem)))
    .map(({ said, meant }) => ({ said, meant }));
}

/** The query's stems, plus corrections of those the collection has never seen. */
function lexicalTerms(
  index: CollectionIndex,
  stems: readonly string[],
  settings: Pick<RetrieverSettings, 'typoWeight' | 'prefixLength' | 'prefixWeight'>,
): WeightedTerm[] {
  const terms: WeightedTerm[] = stems.map((term) => ({ term, weight: 1 }));
  if (settings.prefixLength > 0 && settings.prefixWeight > 0) {
    for (const stem of stems) {
      if (stem.length > settings.prefixLength) {
        terms.push({ term: prefixTerm(stem, settings.prefixLength), weight: settings.prefixWeight });
      }
    }
  }

  if (settings.typoWeight <= 0) return terms;
  for (const term of new Set(stems)) {
    if (index.documentFrequency(term) > 0) continue;
    for (const correction of index.typos().corrections(term))
      terms.push({ term: correction, weight: settings.typoWeight });
  }
  return terms;
}

/**
 * The collection's stems, in the other alphabet, of query stems it never uses («ютуб» → "youtub"):
 * searched at the typos' weight and added to the store's candidate query, so a large collection's
 * candidates include the entries that say the name only the other way. Like typo corrections,
 * they are not reported in `glossaryMatches`: counted as covered words in the assist service's
 * confidence, they put wrong answers at "high" (RUTUBE high precision 0.9123 → 0.8947).
 */
function transliterations(index: CollectionIndex, stems: readonly string[]): GlossaryExpansion[] {
  return [...new Set(stems)]
    .filter((stem) => index.documentFrequency(stem) === 0)
    .flatMap((stem) =>
      index
        .transliterations()
        .equivalents(stem)
        .map((equivalent) => ({ said: [stem], meant: [equivalent], text: equivalent })),
    );
}

/** Signals whose scale depends on the query (BM25) or on the collection (cosines): rescaled per query. */
const RESCALED: ReadonlySet<SignalName> = new Set(['lexical', 'titleNgrams', 'bodyNgrams', 'vector']);

function fuse(
  signals: ReadonlyArray<{ name: SignalName; scores: Map<number, number> }>,
  settings: RetrieverSettings,
): Array<{ position: number; score: number; evidence: RetrievalHit['evidence'] }> {
  const totals = new Map<number, { score: number; evidence: RetrievalHit['evidence'] }>();
  for (const { name, scores } of signals) {
    const weight = settings.weights[name];
    const ranks = settings.fusion === 'rrf' ? ranksOf(scores) : undefined;
    let shift = 0;
    let scale = 1;
    if (!ranks && RESCALED.has(name) && scores.size > 0) {
      const values = [...scores.values()];
      const best = Math.max(...values);
      // Min-max over the candidates spreads the top of a flat BM25 list; one candidate keeps its own value.
      shift = settings.scaling === 'minmax' && scores.size > 1 ? Math.min(...values) : 0;
      scale = best - shift || 1;
    }
    for (const [position, score] of scores) {
      const contribution = ranks
        ? weight / (settings.rrfK + ranks.get(position)!)
        : (weight * (score - shift)) / scale;
      let entry = totals.get(position);
      if (!entry) {
        entry = { score: 0, evidence: {} };
        totals.set(position, entry);
      }
      entry.score += contribution;
      entry.evidence[name] = contribution;
    }
  }
  return [...totals]
    .map(([position, entry]) => ({ position, ...entry }))
    .sort((left, right) => right.score - left.score || left.position - right.position);
}

/**
 * The documents that answered a past question the query repeats (`repeatSimilarity`) first, in
 * their fused order. Their score is lifted by the best score of the search, counted as history
 * evidence, so scores still fall down the list and whatever reads them (the assist service's lead
 * over the next answer, its ordering by confidence) sees a repeat ahead, not behind.
 */
function askedAgainFirst<
  Entry extends { position: number; score: number; evidence: RetrievalHit['evidence'] },
>(
  ranked: Entry[],
  pastQuestions: ReadonlyMap<number, { similarity: number }>,
  settings: HistorySettings,
): Entry[] {
  const repeated = (entry: Entry) =>
    (pastQuestions.get(entry.position)?.similarity ?? 0) >= settings.repeatSimilarity;
  const best = ranked[0]?.score ?? 0;
  if (!ranked.some(repeated) || best <= 0) return ranked;
  const lifted = ranked.filter(repeated).map((entry) => ({
    ...entry,
    score: entry.score + best,
    evidence: { ...entry.evidence, history: (entry.evidence.history ?? 0) + best },
  }));
  return [...lifted, ...ranked.filter((entry) => !repeated(entry))];
}

/**
 * The fused entries, those whose question asks what the query asks (`asked-kind.ts`) lifted by
 * `weight` times their own score (agreement strengthens a match, it is no match by itself),
 * counted as their `askedKind` evidence, in their new order. Read on the entries the search reads
 * anyway (twice `topK`, for the twins).
 */
function sameKindFirst<Entry extends { position: number; score: number; evidence: RetrievalHit['evidence'] }>(
  entries: readonly Entry[],
  chunks: ReadonlyMap<number, Chunk>,
  kind: AskedKind,
  weight: number,
): Entry[] {
  return entries
    .map((entry) => {
      const chunk = chunks.get(entry.position);
      if (!chunk || !answeredKinds(searchableFields(chunk).question.split('\n')).has(kind)) return entry;
      const lift = entry.score * weight;
      return { ...entry, score: entry.score + lift, evidence: { ...entry.evidence, askedKind: lift } };
    })
    .sort((left, right) => right.score - left.score || left.position - right.position);
}

/** The best `limit` scored candidates. Ties break by position, so results are deterministic. */
function keep(scores: Map<number, number>, limit: number): Map<number, number> {
  return new Map(
    [...scores]
      .filter(([, score]) => score > 0)
      .sort((left, right) => right[1] - left[1] || left[0] - right[0])
      .slice(0, limit),
  );
}

function ranksOf(scores: Map<number, number>): Map<number, number> {
  return new Map(
    [...scores]
      .sort((left, right) => right[1] - left[1] || left[0] - right[0])
      .map(([position], index) => [position, index + 1]),
  );
}

import {
  bestLabel,
  blendDistributions,
  type TopicClassifier,
  trainTopicClassifier,
  voteFromHits,
} from '@naparnik/ingest/classify';
import type { CollectionInfo } from '@naparnik/ingest/store';
import { ALTERNATIVE_FLOOR } from '../engines/offline/confidence.ts';
import type { KnowledgeBaseLike, SearchHit } from '../retrieval/knowledge-base.ts';

/**
 * The conversation's topic, in the knowledge base's own vocabulary (so routing rules written
 * against it match): an entry's topic is its `category`, or else its first tag (FORMATS.md: the
 * first tag is the entry's top-level topic, later tags refine it). Two pieces of evidence are
 * blended, as the topic eval measured best:
 * - a vote of the retrieved entries' topics, each weighted by how close it came to the best hit;
 * - a classifier trained on the collection's own entries under their topics and on the labelled
 *   past questions of its history, retrained when either changes.
 */
export interface DetectedTopic {
  label: string;
  /** Probability of the label, 0..1. */
  score: number;
  /** The winner's refinements: the later tags of the hits that voted for it (what routing rules match). */
  labels: string[];
}

export interface TopicModel {
  detect(
    knowledge: KnowledgeBaseLike,
    collection: CollectionInfo,
    text: string,
    hits: readonly SearchHit[],
  ): Promise<DetectedTopic | null>;
}

export interface TopicSettings {
  /** Hits that vote. */
  voters: number;
  /** Relative score gap at which a hit's vote falls to 1/e (see voteFromHits). */
  temperature: number;
  /** Weight of the classifier beside the vote. */
  classifierWeight: number;
  /** Larger collections vote only: training on them would stall the first request. */
  maxTrainingExamples: number;
  /**
   * Training blocks the event loop (about 0.9 s on 700 examples), and every reply an operator sends
   * adds history: after a history change the classifier in hand keeps serving, and is retrained
   * at most this often. A change to the documents retrains at once.
   */
  historyRefreshMs: number;
  /**
   * A history change of at least this many entries, and at least a tenth of the history the
   * classifier was trained on, retrains at once: an import of the team's export is not a reply
   * or two, and its topics should count from the next question on.
   */
  bulkHistoryChange: number;
}

/** As the rutube-topics eval measured them (5-fold, evals/README.md). */
export const DEFAULT_TOPIC_SETTINGS: TopicSettings = {
  voters: 10,
  temperature: 0.15,
  classifierWeight: 0.3,
  maxTrainingExamples: 20_000,
  historyRefreshMs: 10 * 60_000,
  bulkHistoryChange: 20,
};

/**
 * A routing rule's `topics` means "the conversation is about this topic". A topic the blended
 * vote gives less than even odds is the best of several guesses (one FAQ entry filed under
 * «Маркетплейсы» that happens to share a word with a defect claim), not that: below this
 * probability the act stage sees no topic, and only the rules' other conditions can hold.
 */
export const ROUTING_TOPIC_MIN_SCORE = 0.5;

/**
 * The labels the routing rules' `topics` match: the detected topic's, when the topic is likely and
 * some entry the search found is at least plausibly about the question (`bestAnswer`, its
 * probability, reaches the floor for alternatives). Entries that share nothing with «спасибо, всё
 * понятно» still vote, relative to each other, for some topic; that is no evidence of one.
 */
export function routingTopicLabels(topic: DetectedTopic | null, bestAnswer: number): string[] {
  if (!topic || topic.score < ROUTING_TOPIC_MIN_SCORE || bestAnswer < ALTERNATIVE_FLOOR) return [];
  return topic.labels;
}

/** An entry's top-level topic. */
export function topicOf(hit: Pick<SearchHit, 'category' | 'tags'>): string | undefined {
  const label = hit.category?.trim() || hit.tags[0]?.trim();
  return label || undefined;
}

const key = (label: string) => label.trim().toLowerCase();

/**
 * A topic's name as the team wrote it: ingest keeps tags lower-cased for filtering, so «модерация»
 * from an entry's tags gives way to «МОДЕРАЦИЯ» from its category or the team's history, and the
 * panel and the analytics show one spelling whichever of them found the topic.
 */
function nameTopic(names: Map<string, string>, label: string): void {
  const name = label.trim();
  const known = names.get(key(name));
  if (known === undefined || (known === known.toLowerCase() && name !== name.toLowerCase())) {
    names.set(key(name), name);
  }
}

export function createTopicModel(settings: TopicSettings = DEFAULT_TOPIC_SETTINGS): TopicModel {
  type Trained = { model: TopicClassifier; names: Map<string, string> } | null;
  interface Cached {
    updatedAt: string;
    historyGeneration: number;
    trainedAt: number;
    /** The history's size when it was trained, once known. */
    historySize: Promise<number>;
    /** The last history generation compared with the one it was trained on. */
    checkedGeneration: number;
    classifier: Promise<Trained>;
  }
  const classifiers = new Map<string, Cached>();

  const train = (knowledge: KnowledgeBaseLike, collection: CollectionInfo): Cached => {
    const entry: Cached = {
      updatedAt: collection.updatedAt,
      historyGeneration: collection.historyGeneration ?? 0,
      trainedAt: Date.now(),
      historySize: knowledge.store
        .stats(collection.name)
        .then((stats) => stats.history)
        .catch(() => 0),
      checkedGeneration: collection.historyGeneration ?? 0,
      classifier: trainFor(knowledge, collection.name, settings),
    };
    classifiers.set(collection.name, entry);
    entry.classifier.catch(() => {
      if (classifiers.get(collection.name) === entry) classifiers.delete(collection.name);
    });
    return entry;
  };

  // Synchronous up to the cache entry, so that concurrent questions share one training.
  const classifierFor = (knowledge: KnowledgeBaseLike, collection: CollectionInfo): Promise<Trained> => {
    const historyGeneration = collection.historyGeneration ?? 0;
    const cached = classifiers.get(collection.name);
    if (!cached || cached.updatedAt !== collection.updatedAt) return train(knowledge, collection).classifier;
    if (cached.historyGeneration === historyGeneration) return cached.classifier;
    if (Date.now() - cached.trainedAt >= settings.historyRefreshMs)
      return train(knowledge, collection).classifier;
    // A reply or two keeps the classifier in hand until the refresh; an import retrains at once.
    if (cached.checkedGeneration === historyGeneration) return cached.classifier;
    cached.checkedGeneration = historyGeneration;
    const inHand = cached.classifier;
    cached.classifier = Promise.all([cached.historySize, knowledge.store.stats(collection.name)]).then(
      ([trainedOn, stats]) => {
        const change = Math.abs(stats.history - trainedOn);
        if (change < settings.bulkHistoryChange || change < trainedOn / 10) return inHand;
        cached.historyGeneration = historyGeneration;
        cached.trainedAt = Date.now();
        cached.historySize = Promise.resolve(stats.history);
        return trainFor(knowledge, collection.name, settings);
      },
    );
    cached.classifier.catch(() => {
      if (classifiers.get(collection.name) === cached) classifiers.delete(collection.name);
    });
    return cached.classifier;
  };

  return {
    async detect(knowledge, collection, text, hits) {
      const voters = hits.slice(0, settings.voters);
      const names = new Map<string, string>();
      const vote = voteFromHits(
        voters.map((hit) => {
          const label = topicOf(hit);
          if (label) nameTopic(names, label);
          return { score: hit.score, labels: label ? [key(label)] : [] };
        }),
        settings.temperature,
      );
      const trained = text.trim() ? await classifierFor(knowledge, collection) : null;
      let distribution = vote;
      if (trained) {
        for (const name of trained.names.values()) nameTopic(names, name);
        distribution =
          vote.size > 0
            ? blendDistributions([
                { weight: 1 - settings.classifierWeight, distribution: vote },
                { weight: settings.classifierWeight, distribution: trained.model.distribution(text) },
              ])
            : trained.model.distribution(text);
      }
      const best = bestLabel(distribution);
      if (!best) return null;
      const labels = new Set<string>([names.get(best.label) ?? best.label]);
      for (const hit of voters) {
        const label = topicOf(hit);
        if (!label || key(label) !== best.label) continue;
        if (hit.category) labels.add(hit.category);
        for (const tag of hit.tags) labels.add(tag);
      }
      return {
        label: names.get(best.label) ?? best.label,
        score: Math.round(Math.min(1, Math.max(0, best.probability)) * 1000) / 1000,
        labels: [...labels],
      };
    },
  };
}

/** The classifier over the collection's entries and labelled history; null when nothing is labelled. */
async function trainFor(
  knowledge: KnowledgeBaseLike,
  collection: string,
  settings: TopicSettings,
): Promise<{ model: TopicClassifier; names: Map<string, string> } | null> {
  const names = new Map<string, string>();
  const examples: Array<{ text: string; label: string }> = [];
  const add = (text: string, label: string | undefined) => {
    if (!label || !text.trim()) return;
    nameTopic(names, label);
    examples.push({ text, label: key(label) });
  };
  if ((await knowledge.store.stats(collection)).chunks > settings.maxTrainingExamples) return null;
  const chunks = await knowledge.store.listChunks(collection, {
    kinds: ['faq', 'template', 'article'],
  });
  for (const chunk of chunks) {
    const metadata = chunk.metadata ?? {};
    const question = typeof metadata.question === 'string' ? metadata.question : '';
    add([chunk.title, question, chunk.text].filter(Boolean).join('\n'), topicOf(chunk));
  }
  const history = await knowledge.store.listHistory(collection);
  for (const entry of history.slice(-settings.maxTrainingExamples)) add(entry.question, entry.topic);
  if (names.size < 2) return null;
  return { model: trainTopicClassifier(examples), names };
}

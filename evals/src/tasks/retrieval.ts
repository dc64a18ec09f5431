import { decideLanguage, retrieve } from '@naparnik/assist-service';
import { type Chunk, DEFAULT_SEARCH_KINDS, type KnowledgeKind, type KnowledgeStore } from '@naparnik/ingest';
import { createIdMapper, reverseMapping } from '../data/id-mapping.ts';
import { kFoldPlan } from '../data/kfold.ts';
import { type DataRecord, readRecords, stringField, stringListField } from '../data/records.ts';
import {
  createRetriever,
  type DeepPartial,
  type PastQuestion,
  type RetrieverSettings,
  twinKey,
} from '../ingest.ts';
import { replaceCollectionHistory } from '../knowledge/history.ts';
import { openSuiteKnowledge } from '../knowledge/suite-knowledge.ts';
import { percentile } from '../metrics/latency.ts';
import { firstRelevantRank, hitAt, ndcgAt, rankedDocuments, reciprocalRankAt } from '../metrics/ranking.ts';
import { type Breakdown, type CaseFailure, MAX_FAILURES } from '../result.ts';
import type { RetrievalSuite } from '../suite/schema.ts';
import { sameDataset, type TaskContext, type TaskOutput } from './task.ts';

export interface RetrievalCase {
  id: string;
  query: string;
  relevant: string[];
  record: DataRecord;
}

interface ScoredCase {
  item: RetrievalCase;
  ranked: string[];
  milliseconds: number;
  /** Whether a past question of the case's history was answered by one of its documents. */
  answeredBefore: boolean;
}

const RECALL_AT = [1, 3, 5, 10, 20, 50] as const;

export function readRetrievalCases(
  spec: RetrievalSuite['cases'] | NonNullable<RetrievalSuite['history']>,
  resolve: (relative: string) => string,
): RetrievalCase[] {
  const where = resolve(spec.path);
  return readRecords(spec, resolve).map((record, index) => ({
    id: record[spec.fields.id] === undefined ? `#${index + 1}` : stringField(record, spec.fields.id, where),
    query: stringField(record, spec.fields.query, `${where} record ${index + 1}`),
    relevant: stringListField(record, spec.fields.relevant, `${where} record ${index + 1}`),
    record,
  }));
}

/** Ranking metrics of scored cases (also used per breakdown group). */
export function rankingMetrics(
  scored: ReadonlyArray<Pick<ScoredCase, 'item' | 'ranked'>>,
  topK: number,
  answerOf: ReadonlyMap<string, string> = new Map(),
): Record<string, number> {
  const metrics: Record<string, number> = {};
  const n = scored.length || 1;
  for (const k of RECALL_AT) {
    if (k > topK) continue;
    metrics[`recall@${k}`] =
      scored.reduce((sum, { item, ranked }) => sum + hitAt(ranked, new Set(item.relevant), k), 0) / n;
  }
  const depth = Math.min(10, topK);
  metrics[`mrr@${depth}`] =
    scored.reduce(
      (sum, { item, ranked }) => sum + reciprocalRankAt(ranked, new Set(item.relevant), depth),
      0,
    ) / n;
  metrics[`ndcg@${depth}`] =
    scored.reduce((sum, { item, ranked }) => {
      const answers = new Set(item.relevant.map((documentId) => answerOf.get(documentId) ?? documentId)).size;
      return sum + ndcgAt(ranked, new Set(item.relevant), depth, answers);
    }, 0) / n;
  return metrics;
}

/**
 * The figures split by whether the history had answered the case's document before: what a team
 * can expect for questions of a kind its history has never seen (the history helps only the
 * others), stated beside the overall figure so that it is not read as the figure for both.
 */
function answeredBeforeNote(
  scored: readonly ScoredCase[],
  topK: number,
  answerOf: ReadonlyMap<string, string>,
): string {
  const part = (answeredBefore: boolean) => {
    const entries = scored.filter((entry) => entry.answeredBefore === answeredBefore);
    if (entries.length === 0) return `${answeredBefore ? 'answered before' : 'never answered'}: none`;
    const metrics = rankingMetrics(entries, topK, answerOf);
    return `${answeredBefore ? 'answered before' : 'never answered'} ${entries.length}: recall@1 ${metrics['recall@1']!.toFixed(4)}, recall@5 ${metrics['recall@5']!.toFixed(4)}`;
  };
  return `by history (a past question answered by the case's document or not): ${part(true)}; ${part(false)}`;
}

/**
 * Each document's answer, for counting relevant answers rather than entries: the documents of one
 * chunk that are twins (ingest's `twinKey`: the same answer for the same use, which the search
 * shows once) share one; any other document is its own.
 */
export async function answersOf(
  store: Pick<KnowledgeStore, 'listChunks'>,
  collection: string,
  mapper: (documentId: string) => string,
): Promise<Map<string, string>> {
  const chunks = new Map<string, Chunk[]>();
  for (const chunk of await store.listChunks(collection)) {
    const id = mapper(chunk.documentId);
    chunks.set(id, [...(chunks.get(id) ?? []), chunk]);
  }
  const answers = new Map<string, string>();
  for (const [id, own] of chunks) answers.set(id, (own.length === 1 && twinKey(own[0]!)) || id);
  return answers;
}

export async function runRetrieval(suite: RetrievalSuite, context: TaskContext): Promise<TaskOutput> {
  const notes: string[] = [];
  const knowledge = await openSuiteKnowledge(suite.knowledge, { resolve: context.resolve });
  notes.push(
    knowledge.cached
      ? `knowledge from cache (${knowledge.ingestSeconds.toFixed(1)} s)`
      : `knowledge ingested (${knowledge.ingestSeconds.toFixed(1)} s)`,
  );
  try {
    const { kb, collection } = knowledge;
    const mapper = createIdMapper(suite.idMapping);
    const documents = await kb.store.listDocuments(collection);
    const answerOf = await answersOf(kb.store, collection, mapper);
    const toCollectionIds = reverseMapping(
      documents.map((document) => document.documentId),
      mapper,
    );
    const cases = readRetrievalCases(suite.cases, context.resolve);
    const topK = suite.retrieval.topK;
    const kinds = suite.retrieval.kinds as KnowledgeKind[] | undefined;

    const toPast = (items: readonly RetrievalCase[]): PastQuestion[] =>
      items.map((item) => ({ text: item.query, documentIds: item.relevant.flatMap(toCollectionIds) }));

    const plans: Array<{ cases: RetrievalCase[]; history: PastQuestion[] }> = [];
    if (suite.history && suite.retrieval.engine !== 'store') {
      if (sameDataset(suite.history, suite.cases, context.resolve)) {
        const folds = kFoldPlan(
          cases,
          suite.history.folds,
          (item) => item.id,
          (item) => item.query,
        );
        for (const plan of folds) plans.push({ cases: plan.cases, history: toPast(plan.history) });
        notes.push(`history: the cases themselves, ${suite.history.folds}-fold (a case never sees itself)`);
      } else {
        const history = readRetrievalCases(suite.history, context.resolve);
        const scoredTexts = new Set(cases.map((item) => item.query.trim().toLowerCase()));
        const kept = history.filter((item) => !scoredTexts.has(item.query.trim().toLowerCase()));
        plans.push({ cases, history: toPast(kept) });
        notes.push(`history: ${kept.length} past questions from ${suite.history.path}`);
      }
    } else {
      plans.push({ cases, history: [] });
      notes.push(
        suite.retrieval.engine === 'store' ? 'engine: the store’s hybrid search (baseline)' : 'no history',
      );
    }

    const base = createRetriever({
      store: kb.store,
      embedder: kb.embedder,
      collection,
      ...(suite.retrieval.settings
        ? { settings: suite.retrieval.settings as DeepPartial<RetrieverSettings> }
        : {}),
    });
    // The store's own hybrid search, called directly: kb.search would hand a collection this small
    // to the in-memory retriever, and the baseline would measure the retriever twice.
    const storeSearch = async (query: string) =>
      kb.store.search(collection, {
        text: query,
        vector: await kb.embedder.embedQuery(query),
        topK: topK * 3,
        filter: { kinds: kinds ?? DEFAULT_SEARCH_KINDS },
      });
    // The service's own retrieve stage: history goes into the collection's store, as an import would.
    const pipelineSearch = async (query: string) => {
      const messages = [{ role: 'customer' as const, text: query }];
      const retrieved = await retrieve(kb, {
        collection,
        messages,
        language: decideLanguage({ messages }),
        topK: topK * 3,
      });
      return retrieved.hits;
    };
    const scored: ScoredCase[] = [];
    for (const plan of plans) {
      const retriever = base.withHistory(plan.history);
      const answered = new Set(plan.history.flatMap((past) => past.documentIds.map(mapper)));
      if (suite.retrieval.engine === 'pipeline') {
        await replaceCollectionHistory(
          kb,
          collection,
          plan.history.map((past, index) => ({
            id: `h-${index}`,
            question: past.text,
            documentIds: [...past.documentIds],
          })),
        );
      }
      for (const item of plan.cases) {
        const started = performance.now();
        const hits =
          suite.retrieval.engine === 'store'
            ? await storeSearch(item.query)
            : suite.retrieval.engine === 'pipeline'
              ? await pipelineSearch(item.query)
              : await retriever.search(item.query, {
                  topK: topK * 3,
                  ...(kinds ? { filter: { kinds } } : {}),
                });
        const milliseconds = performance.now() - started;
        const ranked = rankedDocuments(hits, new Set(item.relevant), mapper).slice(0, topK);
        scored.push({
          item,
          ranked,
          milliseconds,
          answeredBefore: item.relevant.some((document) => answered.has(document)),
        });
      }
    }
    // Folds reorder cases; results are reported in the cases' own order.
    const order = new Map(cases.map((item, index) => [item, index]));
    scored.sort((left, right) => order.get(left.item)! - order.get(right.item)!);

    const metrics = rankingMetrics(scored, topK, answerOf);
    const latencies = scored.map((entry) => entry.milliseconds);
    metrics.latency_p50_ms = percentile(latencies, 50);
    metrics.latency_p95_ms = percentile(latencies, 95);

    if (plans.some((plan) => plan.history.length > 0)) notes.push(answeredBeforeNote(scored, topK, answerOf));

    const failures: CaseFailure[] = [];
    for (const { item, ranked } of scored) {
      if (failures.length >= MAX_FAILURES) break;
      if (hitAt(ranked, new Set(item.relevant), 5)) continue;
      failures.push({ id: item.id, input: item.query, expected: item.relevant, got: ranked.slice(0, 5) });
    }

    let breakdown: Breakdown | undefined;
    if (suite.breakdown) {
      const field = suite.breakdown;
      const groups = new Map<string, ScoredCase[]>();
      for (const entry of scored) {
        const name = String(entry.item.record[field] ?? '(none)');
        const list = groups.get(name);
        if (list) list.push(entry);
        else groups.set(name, [entry]);
      }
      breakdown = {
        field,
        groups: [...groups]
          .sort((left, right) => right[1].length - left[1].length || (left[0] < right[0] ? -1 : 1))
          .map(([name, entries]) => {
            const groupMetrics = rankingMetrics(entries, topK, answerOf);
            return {
              name,
              n: entries.length,
              metrics: Object.fromEntries(
                Object.entries(groupMetrics).filter(([metric]) =>
                  ['recall@1', 'recall@5', 'mrr@10'].includes(metric),
                ),
              ),
            };
          }),
      };
    }

    const rankBins = ['1', '2', '3', '4', '5', '6–10', `>10 or none`];
    const counts = rankBins.map(() => 0);
    for (const { item, ranked } of scored) {
      const rank = firstRelevantRank(ranked, new Set(item.relevant));
      const index = rank === undefined || rank > 10 ? 6 : rank <= 5 ? rank - 1 : 5;
      counts[index]!++;
    }
    return {
      n: scored.length,
      metrics,
      failures,
      details: {
        notes,
        ...(breakdown ? { breakdown } : {}),
        distributions: [
          {
            name: 'rank of the first relevant document',
            bins: rankBins.map((label, index) => ({ label, count: counts[index]! })),
          },
          {
            name: 'latency (ms)',
            bins: latencyBins(latencies),
          },
        ],
      },
    };
  } finally {
    await knowledge.close();
  }
}

function latencyBins(latencies: readonly number[]): Array<{ label: string; count: number }> {
  const edges = [1, 2, 5, 10, 20, 50, 100];
  const bins = [...edges.map((edge) => ({ label: `≤${edge}`, count: 0 })), { label: '>100', count: 0 }];
  for (const latency of latencies) {
    const index = edges.findIndex((edge) => latency <= edge);
    bins[index < 0 ? edges.length : index]!.count++;
  }
  return bins;
}

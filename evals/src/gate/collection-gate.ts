import type { DocumentRecord, KnowledgeBase } from '@naparnik/ingest';
import { createRetriever } from '../ingest.ts';
import { hitAt, rankedDocuments, reciprocalRankAt } from '../metrics/ranking.ts';

/**
 * The knowledge manager's gate: after an ingest, re-run the golden questions whose relevant
 * documents that ingest touched (changed, added, or removed), and fail when one of them no longer
 * finds a relevant document in the first `top` results.
 *
 * "The last ingest" is read from the store's per-document `updatedAt`: a run writes its documents
 * within seconds of each other, so the last run is the newest cluster of `updatedAt` values
 * (gaps under `RUN_GAP_MS`). `--since` names the moment explicitly. Removed documents are the
 * golden questions' relevant ids the store no longer has.
 *
 * The verdicts are kept between runs (`previous` / `state`; the CLI stores them beside the
 * knowledge base), so the gate fails on questions that lost their answer, not on old gaps.
 */
export interface GoldenQuestion {
  id: string;
  query: string;
  relevant: string[];
}

export interface CollectionGateOptions {
  kb: KnowledgeBase;
  collection: string;
  golden: readonly GoldenQuestion[];
  /** ISO time; documents updated at or after it count as changed. Inferred when absent. */
  since?: string;
  top: number;
  /**
   * Each golden question's verdict at the previous gate run. A question that already failed then
   * and still fails is reported as still failing, not as a new loss, so an old gap does not block
   * every later edit; it is fixed by fixing the knowledge, and then it is guarded again.
   */
  previous?: Readonly<Record<string, boolean>>;
}

export interface CollectionGateResult {
  since: string | undefined;
  changedDocuments: string[];
  removedDocuments: string[];
  checked: Array<{
    question: GoldenQuestion;
    ranked: string[];
    passed: boolean;
    /** `lost`: passed before (or never checked) and fails now; `still-failing`: failed before too. */
    verdict: 'ok' | 'lost' | 'still-failing';
  }>;
  metrics: Record<string, number>;
  passed: boolean;
  /** Every golden question's verdict after this run, for the next one. */
  state: Record<string, boolean>;
}

export const RUN_GAP_MS = 5 * 60_000;

/** The start of the newest cluster of update times (no gap longer than `gapMs` within it). */
export function lastRunStart(documents: readonly DocumentRecord[], gapMs = RUN_GAP_MS): string | undefined {
  const times = [...new Set(documents.map((document) => Date.parse(document.updatedAt)))]
    .filter((time) => !Number.isNaN(time))
    .sort((left, right) => right - left);
  if (times.length === 0) return undefined;
  let start = times[0]!;
  for (const time of times.slice(1)) {
    if (start - time > gapMs) break;
    start = time;
  }
  return new Date(start).toISOString();
}

export async function runCollectionGate(options: CollectionGateOptions): Promise<CollectionGateResult> {
  const { kb, collection, golden, top } = options;
  const documents = await kb.store.listDocuments(collection);
  const since = options.since ?? lastRunStart(documents);
  const present = new Set(documents.map((document) => document.documentId));
  const changed = new Set(
    since === undefined
      ? []
      : documents
          .filter((document) => Date.parse(document.updatedAt) >= Date.parse(since))
          .map((document) => document.documentId),
  );
  const removed = new Set(golden.flatMap((question) => question.relevant.filter((id) => !present.has(id))));
  const affected = golden.filter((question) =>
    question.relevant.some((id) => changed.has(id) || removed.has(id)),
  );
  const retriever = createRetriever({ store: kb.store, embedder: kb.embedder, collection });
  const checked: CollectionGateResult['checked'] = [];
  for (const question of affected) {
    const hits = await retriever.search(question.query, { topK: Math.max(top, 10) * 3 });
    const ranked = rankedDocuments(hits, new Set(question.relevant)).slice(0, Math.max(top, 10));
    const passed = hitAt(ranked, new Set(question.relevant), top) === 1;
    const verdict = passed ? 'ok' : options.previous?.[question.id] === false ? 'still-failing' : 'lost';
    checked.push({ question, ranked, passed, verdict });
  }
  const state: Record<string, boolean> = { ...options.previous };
  for (const entry of checked) state[entry.question.id] = entry.passed;
  const n = checked.length || 1;
  const metrics = {
    [`recall@${top}`]:
      checked.reduce((sum, entry) => sum + hitAt(entry.ranked, new Set(entry.question.relevant), top), 0) / n,
    'recall@1':
      checked.reduce((sum, entry) => sum + hitAt(entry.ranked, new Set(entry.question.relevant), 1), 0) / n,
    'mrr@10':
      checked.reduce(
        (sum, entry) => sum + reciprocalRankAt(entry.ranked, new Set(entry.question.relevant), 10),
        0,
      ) / n,
  };
  return {
    since,
    changedDocuments: [...changed].sort(),
    removedDocuments: [...removed].sort(),
    checked,
    metrics,
    passed: checked.every((entry) => entry.verdict !== 'lost'),
    state,
  };
}

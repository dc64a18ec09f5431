import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createIdMapper, reverseMapping } from './data/id-mapping.ts';
import { nestedKFoldPlan } from './data/kfold.ts';
import { EvalRunError } from './errors.ts';
import { createRetriever, type DeepPartial, type PastQuestion, type RetrieverSettings } from './ingest.ts';
import { openSuiteKnowledge } from './knowledge/suite-knowledge.ts';
import { rankedDocuments, reciprocalRankAt } from './metrics/ranking.ts';
import { fromRepoRoot, fromWorkingDirectory } from './paths.ts';
import type { RetrievalSuite } from './suite/schema.ts';
import { answersOf, type RetrievalCase, rankingMetrics, readRetrievalCases } from './tasks/retrieval.ts';
import { sameDataset } from './tasks/task.ts';

/**
 * Choosing a retriever setting honestly: `pnpm evals nested <retrieval suite> --variants <file>`.
 * A weight picked because it scores best on the dev questions is partly fitted to them (issue 9:
 * the hidden questions fell below dev). Here each outer fold's setting is chosen on the other
 * folds alone (inner k-fold, mean reciprocal rank), then scored on the outer fold: the nested
 * figure is what the choosing procedure would give on questions it has never seen. Each variant's
 * plain k-fold figure is printed beside it, and the gap between the best of those and the nested
 * one is how much a choice on the scored cases would flatter itself.
 */
export const variantsSchema = z
  .record(z.string().min(1), z.record(z.string(), z.unknown()))
  .refine((variants) => Object.keys(variants).length > 0, 'at least one variant');

/** A variant's ranked documents per case: for the outer folds, and per outer fold for its inner folds. */
export interface VariantRuns {
  name: string;
  outer: Map<string, string[]>;
  inner: Array<Map<string, string[]>>;
}

export interface NestedChoice {
  /** Per outer fold, the variant chosen on its inner folds. */
  chosen: string[];
  /** Ranked documents per case, each case ranked by the variant its fold chose. */
  ranked: Map<string, string[]>;
}

/**
 * Per outer fold, the variant with the best mean reciprocal rank (at 10) on that fold's inner runs;
 * a tie goes to the variant listed first (put the shipped defaults first). `outerFolds[f]` lists
 * the ids of the cases outer fold f scores.
 */
export function chooseNested(
  variants: readonly VariantRuns[],
  outerFolds: ReadonlyArray<readonly string[]>,
  relevantOf: (id: string) => ReadonlySet<string>,
): NestedChoice {
  const chosen: string[] = [];
  const ranked = new Map<string, string[]>();
  outerFolds.forEach((ids, fold) => {
    let best: { variant: VariantRuns; score: number } | undefined;
    for (const variant of variants) {
      const inner = variant.inner[fold];
      if (!inner) throw new Error(`variant ${variant.name} has no inner runs for fold ${fold}`);
      let score = 0;
      for (const [id, documents] of inner) score += reciprocalRankAt(documents, relevantOf(id), 10);
      score /= inner.size || 1;
      if (!best || score > best.score) best = { variant, score };
    }
    chosen.push(best!.variant.name);
    for (const id of ids) ranked.set(id, best!.variant.outer.get(id) ?? []);
  });
  return { chosen, ranked };
}

export interface NestedReport {
  rows: Array<{ name: string; metrics: Record<string, number> }>;
  nested: { chosen: string[]; metrics: Record<string, number> };
}

export function readVariants(file: string): Record<string, DeepPartial<RetrieverSettings>> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(fromWorkingDirectory(file), 'utf8'));
  } catch (error) {
    throw new EvalRunError('data-invalid', `${file}: ${(error as Error).message}`);
  }
  const parsed = variantsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new EvalRunError('data-invalid', `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data as Record<string, DeepPartial<RetrieverSettings>>;
}

/** Runs every variant on the suite's nested folds (the retriever with each fold's history). */
export async function runNested(
  suite: RetrievalSuite,
  variants: Record<string, DeepPartial<RetrieverSettings>>,
  log: (message: string) => void,
): Promise<NestedReport> {
  const resolve = fromRepoRoot;
  if (!suite.history || !sameDataset(suite.history, suite.cases, resolve)) {
    throw new EvalRunError(
      'usage',
      `${suite.id}: nested choice needs a suite whose history is its own cases (k-fold)`,
    );
  }
  const folds = suite.history.folds;
  const knowledge = await openSuiteKnowledge(suite.knowledge, { resolve });
  try {
    const { kb, collection } = knowledge;
    const mapper = createIdMapper(suite.idMapping);
    const toCollectionIds = reverseMapping(
      (await kb.store.listDocuments(collection)).map((document) => document.documentId),
      mapper,
    );
    const answerOf = await answersOf(kb.store, collection, mapper);
    const cases = readRetrievalCases(suite.cases, resolve);
    const byId = new Map(cases.map((item) => [item.id, item]));
    const plans = nestedKFoldPlan(
      cases,
      folds,
      (item) => item.id,
      (item) => item.query,
    );
    const toPast = (items: readonly RetrievalCase[]): PastQuestion[] =>
      items.map((item) => ({ text: item.query, documentIds: item.relevant.flatMap(toCollectionIds) }));
    const topK = suite.retrieval.topK;
    const kinds = suite.retrieval.kinds;

    const runs: VariantRuns[] = [];
    for (const [name, settings] of Object.entries(variants)) {
      log(`nested: ${name}`);
      const base = createRetriever({ store: kb.store, embedder: kb.embedder, collection, settings });
      const rank = async (scored: readonly RetrievalCase[], history: readonly RetrievalCase[]) => {
        const retriever = base.withHistory(toPast(history));
        const ranked = new Map<string, string[]>();
        for (const item of scored) {
          const hits = await retriever.search(item.query, {
            topK: topK * 3,
            ...(kinds ? { filter: { kinds: kinds as never } } : {}),
          });
          ranked.set(item.id, rankedDocuments(hits, new Set(item.relevant), mapper).slice(0, topK));
        }
        return ranked;
      };
      const outer = new Map<string, string[]>();
      const inner: Array<Map<string, string[]>> = [];
      for (const plan of plans) {
        for (const [id, ranked] of await rank(plan.outer.cases, plan.outer.history)) outer.set(id, ranked);
        const innerRanks = new Map<string, string[]>();
        for (const innerPlan of plan.inner) {
          for (const [id, ranked] of await rank(innerPlan.cases, innerPlan.history))
            innerRanks.set(id, ranked);
        }
        inner.push(innerRanks);
      }
      runs.push({ name, outer, inner });
    }

    const metricsOf = (ranked: ReadonlyMap<string, string[]>) =>
      rankingMetrics(
        cases.map((item) => ({ item, ranked: ranked.get(item.id) ?? [], milliseconds: 0 })),
        topK,
        answerOf,
      );
    const choice = chooseNested(
      runs,
      plans.map((plan) => plan.outer.cases.map((item) => item.id)),
      (id) => new Set(byId.get(id)?.relevant ?? []),
    );
    return {
      rows: runs.map((run) => ({ name: run.name, metrics: metricsOf(run.outer) })),
      nested: { chosen: choice.chosen, metrics: metricsOf(choice.ranked) },
    };
  } finally {
    await knowledge.close();
  }
}

export function nestedMarkdown(report: NestedReport): string {
  const metric = (metrics: Record<string, number>, name: string) => (metrics[name] ?? Number.NaN).toFixed(4);
  const line = (name: string, metrics: Record<string, number>) =>
    `| ${name} | ${metric(metrics, 'recall@1')} | ${metric(metrics, 'recall@3')} | ${metric(metrics, 'recall@5')} | ${metric(metrics, 'mrr@10')} |`;
  return [
    '| variant (plain k-fold) | recall@1 | recall@3 | recall@5 | mrr@10 |',
    '|---|---|---|---|---|',
    ...report.rows.map((row) => line(row.name, row.metrics)),
    line(`**nested** (chosen per fold: ${report.nested.chosen.join(', ')})`, report.nested.metrics),
  ].join('\n');
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CalibrationModel } from '@naparnik/assist-service';
import { DEMO_KB_DIR, DEMO_KB_PATHS } from '@naparnik/ingest';
import { kFoldPlan } from '../data/kfold.ts';
import { EvalRunError } from '../errors.ts';
import { fromRepoRoot } from '../paths.ts';
import type { EvalHistoryEntry, EvalTarget } from '../targets/eval-target.ts';
import { createPipelineTarget } from '../targets/pipeline-target.ts';
import { type CalibrationExample, fitLogistic } from './logistic.ts';

/**
 * Confidence fitted without the questions it is scored on. The shipped model
 * (`assist-service/src/pipeline/calibration.ts`) was fitted on every RUTUBE dev question, and the
 * confidence both orders the answers and decides whether any is offered: scored with it, a suite
 * on those questions grades the model on its own training data. With `calibration: cross-fit` a
 * suite refits it for each fold by the same procedure (`fit-confidence.ts`) on the other folds'
 * questions alone — each searched with the remaining folds as history, so the scored fold is
 * neither a training example nor history of one — plus the demo knowledge base's golden and
 * off-topic questions, which are in no RUTUBE fold.
 */

/** A question with the documents (the collection's ids) that answer it; none for off-topic ones. */
export interface LabelledQuestion {
  id: string;
  query: string;
  relevant: readonly string[];
}

/** The first answers the pipeline ranks for each question, labelled right or wrong. */
export async function examplesOf(
  target: EvalTarget,
  collection: string,
  questions: readonly LabelledQuestion[],
  tag: string,
): Promise<CalibrationExample[]> {
  if (!target.answerExamples) {
    throw new EvalRunError('target-unavailable', `engine ${target.engine} cannot report answer signals`);
  }
  const examples: CalibrationExample[] = [];
  for (const question of questions) {
    const relevant = new Set(question.relevant);
    const answers = await target.answerExamples(
      { id: question.id, messages: [{ role: 'customer', text: question.query }] },
      { collection },
    );
    for (const answer of answers) {
      examples.push({
        question: `${tag}:${question.id}`,
        signals: answer.signals,
        correct: relevant.has(answer.documentId),
      });
    }
  }
  return examples;
}

const OFF_TOPIC_RU = path.join(import.meta.dirname, 'fixtures', 'off-topic-ru.txt');
const CLINC150 = '../shared/datasets/clinc150/data/data_full.json';
/** CLINC150's out-of-scope validation queries used as English off-topic questions. */
const CLINC_OFF_TOPIC = 60;

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

/**
 * The part of every fit that no RUTUBE fold holds: the demo knowledge base's golden questions and
 * questions it cannot answer (hand-written Russian ones, CLINC150's out-of-scope queries), which
 * teach the model what an unanswerable question looks like.
 */
export function demoExamples(): Promise<CalibrationExample[]> {
  // The same for every suite of a run (rutube-assist and rutube-replay both fit on them).
  demo ??= collectDemoExamples();
  demo.catch(() => {
    demo = undefined;
  });
  return demo;
}

let demo: Promise<CalibrationExample[]> | undefined;

async function collectDemoExamples(): Promise<CalibrationExample[]> {
  const target = await createPipelineTarget({
    knowledge: {
      paths: DEMO_KB_PATHS.map((folder) => path.relative(fromRepoRoot('.'), folder)),
      collection: 'demo',
    },
    resolve: fromRepoRoot,
  });
  try {
    const golden = readJsonl<LabelledQuestion>(path.join(DEMO_KB_DIR, 'golden', 'golden.jsonl'));
    const offTopic = readFileSync(OFF_TOPIC_RU, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    const clinc = JSON.parse(readFileSync(fromRepoRoot(CLINC150), 'utf8')) as { oos_val: [string, string][] };
    const negatives: LabelledQuestion[] = [
      ...offTopic.map((query, index) => ({ id: `ru-${index}`, query, relevant: [] })),
      ...clinc.oos_val
        .slice(0, CLINC_OFF_TOPIC)
        .map(([query], index) => ({ id: `oos-${index}`, query, relevant: [] })),
    ];
    return [
      ...(await examplesOf(target, 'demo', golden, 'golden')),
      ...(await examplesOf(target, 'demo', negatives, 'off-topic')),
    ];
  } finally {
    await target.close();
  }
}

/**
 * The confidence model for one fold: fitted on `training` (the other folds' questions), each inner
 * fold searched with the rest of `training` as the collection's history, plus `base`. Leaves the
 * collection's history as the last inner fold had it: the caller sets the fold's own next.
 */
export async function crossFitModel<Case>(options: {
  target: EvalTarget;
  collection: string;
  training: readonly Case[];
  folds: number;
  idOf: (item: Case) => string;
  textOf: (item: Case) => string;
  relevantOf: (item: Case) => readonly string[];
  toHistory: (items: readonly Case[]) => EvalHistoryEntry[];
  base: readonly CalibrationExample[];
}): Promise<CalibrationModel> {
  const examples: CalibrationExample[] = [...options.base];
  for (const inner of kFoldPlan(options.training, options.folds, options.idOf, options.textOf)) {
    await options.target.replaceHistory(options.collection, options.toHistory(inner.history));
    const questions = inner.cases.map((item) => ({
      id: options.idOf(item),
      query: options.textOf(item),
      relevant: options.relevantOf(item),
    }));
    examples.push(...(await examplesOf(options.target, options.collection, questions, 'fold')));
  }
  return fitLogistic(examples);
}

/**
 * What a k-fold assist or replay suite calls around its folds: `beforeFold` fits the fold's model
 * on the fold's history and makes the target score with it (call it before putting the fold's own
 * history in place); `finish` restores the shipped model and says how it ran.
 */
export interface FoldCalibration<Case> {
  beforeFold(plan: { cases: readonly Case[]; history: readonly Case[] }): Promise<void>;
  finish(): string;
}

export async function foldCalibration<Case>(options: {
  mode: 'shipped' | 'cross-fit';
  suite: string;
  /** Whether the suite's history is its own cases, k-fold (the only way a fold can be held out). */
  kFold: boolean;
  folds: number;
  target: EvalTarget;
  collection: string;
  idOf: (item: Case) => string;
  textOf: (item: Case) => string;
  relevantOf: (item: Case) => readonly string[];
  toHistory: (items: readonly Case[]) => EvalHistoryEntry[];
}): Promise<FoldCalibration<Case>> {
  if (options.mode === 'shipped') {
    return { beforeFold: async () => {}, finish: () => 'confidence: the shipped model' };
  }
  if (!options.kFold) {
    throw new EvalRunError(
      'suite-invalid',
      `${options.suite}: calibration: cross-fit needs history: to be the cases' own file (k-fold)`,
    );
  }
  const { target } = options;
  if (!target.useCalibration || !target.answerExamples) {
    throw new EvalRunError('target-unavailable', `engine ${target.engine} cannot refit its confidence model`);
  }
  const base = await demoExamples();
  let fitted = 0;
  return {
    async beforeFold(plan) {
      const model = await crossFitModel({ ...options, training: plan.history, base });
      target.useCalibration!(model);
      fitted++;
    },
    finish() {
      target.useCalibration!(undefined);
      return `confidence: refitted for each of ${fitted} folds on the other folds' questions (each searched with the rest as history) and the demo golden and off-topic questions — never on the fold it scores`;
    },
  };
}

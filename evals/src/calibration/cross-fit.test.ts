import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type AnswerSignals, type CalibrationModel, probabilityOf } from '@naparnik/assist-service';
import { DEMO_KB_DIR, DEMO_KB_PATHS } from '@naparnik/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kFoldPlan } from '../data/kfold.ts';
import { EvalRunError } from '../errors.ts';
import { fromRepoRoot } from '../paths.ts';
import type { EvalHistoryEntry, EvalTarget } from '../targets/eval-target.ts';
import { createPipelineTarget } from '../targets/pipeline-target.ts';
import { foldCalibration } from './cross-fit.ts';
import { type CalibrationExample, fitLogistic } from './logistic.ts';

interface Golden {
  id: string;
  query: string;
  relevant: string[];
}

const golden: Golden[] = readFileSync(path.join(DEMO_KB_DIR, 'golden', 'golden.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as Golden);

const signals = (overrides: Partial<AnswerSignals>): AnswerSignals => ({
  coverage: 0.5,
  questionCoverage: 0.5,
  queryCoverage: 0.5,
  similarity: 0.5,
  lead: 0,
  history: 0,
  rank: 0,
  unmatched: 0,
  ...overrides,
});

describe('fitLogistic', () => {
  it('learns that the signal which separates right answers from wrong ones raises the probability', () => {
    const examples: CalibrationExample[] = [];
    for (let index = 0; index < 200; index++) {
      const lead = (index % 20) / 20;
      // Right three times in four when far ahead of the next answer, once in four when not.
      const correct = lead >= 0.5 ? index % 4 !== 0 : index % 4 === 0;
      examples.push({ question: `q${index}`, signals: signals({ lead }), correct });
    }
    const model = fitLogistic(examples);
    expect(model.weights.lead).toBeGreaterThan(1);
    const ahead = probabilityOf(signals({ lead: 0.9 }), model);
    const behind = probabilityOf(signals({ lead: 0.1 }), model);
    expect(ahead).toBeGreaterThan(0.6);
    expect(behind).toBeLessThan(0.4);
  });
});

describe('foldCalibration (cross-fit) over the demo knowledge base', () => {
  let target: EvalTarget;
  const historyCalls: string[][] = [];
  const askedQuestions: string[] = [];
  const calibrations: Array<CalibrationModel | undefined> = [];
  let recording: EvalTarget;

  beforeAll(async () => {
    target = await createPipelineTarget({
      knowledge: {
        paths: DEMO_KB_PATHS.map((folder) => path.relative(fromRepoRoot('.'), folder)),
        collection: 'demo',
      },
      resolve: fromRepoRoot,
    });
    // The real pipeline target, with every call it gets written down.
    recording = {
      ...target,
      replaceHistory: async (collection, entries) => {
        historyCalls.push(entries.map((entry) => entry.question));
        await target.replaceHistory(collection, entries);
      },
      answerExamples: async (conversation, options) => {
        askedQuestions.push(conversation.messages[0]!.text);
        return target.answerExamples!(conversation, options);
      },
      useCalibration: (model) => {
        calibrations.push(model);
        target.useCalibration!(model);
      },
    };
  }, 120_000);

  afterAll(async () => {
    await target?.replaceHistory('demo', []);
    await target?.close();
  });

  const toHistory = (items: readonly Golden[]): EvalHistoryEntry[] =>
    items.map((item) => ({ id: item.id, question: item.query, documentIds: item.relevant }));

  const crossFit = (kFold: boolean) =>
    foldCalibration({
      mode: 'cross-fit',
      suite: 'demo-test',
      kFold,
      folds: 5,
      target: recording,
      collection: 'demo',
      idOf: (item: Golden) => item.id,
      textOf: (item) => item.query,
      relevantOf: (item) => item.relevant,
      toHistory,
    });

  it('fits each fold’s model without the fold’s questions, as examples or as history, then restores the shipped one', async () => {
    const calibration = await crossFit(true);
    const plan = kFoldPlan(
      golden,
      5,
      (item) => item.id,
      (item) => item.query,
    )[0]!;
    const scored = new Set(plan.cases.map((item) => item.query));
    historyCalls.length = 0;
    askedQuestions.length = 0;
    await calibration.beforeFold(plan);

    // The other folds, each scored with the remaining three as history.
    expect(historyCalls.length).toBe(4);
    for (const call of historyCalls) for (const question of call) expect(scored.has(question)).toBe(false);
    const training = askedQuestions.filter((question) =>
      plan.history.some((item) => item.query === question),
    );
    expect(training.length).toBe(plan.history.length);
    for (const question of askedQuestions) expect(scored.has(question)).toBe(false);
    const fitted = calibrations.at(-1);
    expect(fitted?.weights).toBeDefined();

    // The fold is then scored with the fitted model: its confidence differs from the shipped one's.
    await target.replaceHistory('demo', toHistory(plan.history));
    const conversation = { id: 'x', messages: [{ role: 'customer' as const, text: plan.cases[0]!.query }] };
    const withFitted = await recording.assist(conversation, { collection: 'demo' });
    expect(calibration.finish()).toMatch(/refitted for each of 1 folds/u);
    expect(calibrations.at(-1)).toBeUndefined();
    const withShipped = await recording.assist(conversation, { collection: 'demo' });
    expect(withFitted.confidence.score).not.toBe(withShipped.confidence.score);
  }, 120_000);

  it('refuses cross-fit when the history is not the cases’ own k-fold, naming the setting', async () => {
    const attempt = crossFit(false);
    await expect(attempt).rejects.toThrow(EvalRunError);
    await expect(attempt).rejects.toThrow(/calibration: cross-fit needs history/u);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_KB_DIR, DEMO_KB_PATHS } from '@naparnik/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kFoldPlan } from '../data/kfold.ts';
import { EvalRunError } from '../errors.ts';
import { fromRepoRoot } from '../paths.ts';
import type { EvalHistoryEntry, EvalTarget } from '../targets/eval-target.ts';
import { createPipelineTarget } from '../targets/pipeline-target.ts';
import { foldCalibration } from './cross-fit.ts';

interface Golden {
  id: string;
  query: string;
  relevant: string[];
}

const golden: Golden[] = readFileSync(path.join(DEMO_KB_DIR, 'golden', 'golden.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as Golden);
const toHistory = (items: readonly Golden[]): EvalHistoryEntry[] =>
  items.map((item) => ({ id: item.id, question: item.query, documentIds: item.relevant }));

describe('foldCalibration (cross-fit) over the demo knowledge base', () => {
  let target: EvalTarget;

  beforeAll(async () => {
    target = await createPipelineTarget({
      knowledge: {
        paths: DEMO_KB_PATHS.map((folder) => path.relative(fromRepoRoot('.'), folder)),
        collection: 'demo',
      },
      resolve: fromRepoRoot,
    });
  }, 120_000);

  afterAll(async () => {
    await target?.replaceHistory('demo', []);
    await target?.close();
  });

  const crossFit = (kFold: boolean) =>
    foldCalibration({ mode: 'cross-fit', suite: 'demo-test', kFold, target, collection: 'demo' });
  const conversation = { id: 'x', messages: [{ role: 'customer' as const, text: golden[0]!.query }] };

  it('calibrates the collection on the history in place through the product, which changes the confidence', async () => {
    await target.replaceHistory('demo', []);
    const shipped = await target.assist(conversation, { collection: 'demo' });
    const calibration = crossFit(true);
    // All 105 golden questions: enough history for a fit (at least 100 labelled entries).
    await target.replaceHistory('demo', toHistory(golden));
    await calibration.afterHistory();
    expect(calibration.finish()).toMatch(/1 of 1 folds fitted\) — never on the fold it scores/u);
    await target.replaceHistory('demo', []);
    const fitted = await target.assist(conversation, { collection: 'demo' });
    expect(fitted.confidence.score).not.toBe(shipped.confidence.score);
  }, 120_000);

  it('keeps the shipped model for a fold whose history is too small, and says why in the notes', async () => {
    const plan = kFoldPlan(
      golden,
      5,
      (item) => item.id,
      (item) => item.query,
    )[0]!;
    const calibration = crossFit(true);
    await target.replaceHistory('demo', toHistory(plan.history));
    await calibration.afterHistory();
    expect(calibration.finish()).toMatch(
      new RegExp(
        `0 of 1 folds fitted; shipped model kept: .*has ${plan.history.length} history entries`,
        'u',
      ),
    );
  }, 120_000);

  it('refuses cross-fit when the history is not the cases’ own k-fold, naming the setting', () => {
    expect(() => crossFit(false)).toThrow(EvalRunError);
    expect(() => crossFit(false)).toThrow(/calibration: cross-fit needs history/u);
  });
});

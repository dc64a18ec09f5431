import { rmSync } from 'node:fs';
import path from 'node:path';
import {
  DEMO_KB_DIR,
  DEMO_KB_PATHS,
  importHistory,
  type KnowledgeBase,
  loadIngestConfig,
  openKnowledgeBase,
} from '@naparnik/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDataDir } from '../../test/harness.ts';
import { DEFAULT_CALIBRATION, SIGNAL_NAMES } from './calibration.ts';
import { BASE_EXAMPLES_FILE, baseCalibrationExamples, parseBaseExamples } from './calibration-examples.ts';
import { type CalibrationFit, CalibrationFitError, fitCollectionCalibration } from './fit-calibration.ts';

/**
 * The demo knowledge base, with its golden questions (105, each naming the documents that answer
 * it: `ingest/demo/golden/golden.jsonl`) imported as a collection's history by the same import as
 * `pnpm ingest --history`: a small real collection with a real labelled history on disk.
 */
const GOLDEN = path.join(DEMO_KB_DIR, 'golden', 'golden.jsonl');

let dataDir: string;
let kb: KnowledgeBase;
let fit: CalibrationFit;

beforeAll(async () => {
  dataDir = temporaryDataDir();
  kb = await openKnowledgeBase({ dataDir, config: { ...loadIngestConfig({}), dataDir } });
  for (const collection of ['demo', 'small', 'mislabelled']) await kb.ingest(DEMO_KB_PATHS, { collection });
  await importHistory({
    store: kb.store,
    collection: 'demo',
    paths: [GOLDEN],
    mask: (text) => text,
    retentionDays: 0,
  });
  const golden = await kb.store.listHistory('demo');
  await kb.store.addHistory('small', golden.slice(0, 60));
  // The same questions, each naming a document the collection does not hold.
  await kb.store.addHistory(
    'mislabelled',
    golden.map((entry) => ({ ...entry, documentIds: [`elsewhere-${entry.id}`] })),
  );
  fit = await fitCollectionCalibration({ knowledge: kb, collection: 'demo' });
}, 180_000);

afterAll(async () => {
  await kb?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('fitCollectionCalibration', () => {
  it('fits on every labelled history question, searched with the other parts as history, plus the base examples', async () => {
    const history = await kb.store.listHistory('demo', { withDocuments: true });
    expect(history.length).toBeGreaterThanOrEqual(100);
    expect(fit.history).toMatchObject({ labelled: history.length, questions: history.length });
    expect(fit.examples.base).toBe(baseCalibrationExamples().length);
    // Up to three answers per question, some of them right.
    expect(fit.examples.history).toBeGreaterThan(history.length);
    expect(fit.examples.history).toBeLessThanOrEqual(3 * history.length);
    expect(fit.examples.positives).toBeGreaterThan(30);
    expect(fit.outOfFold.firstAnswers).toBe(history.length);
    expect(fit.shipped.firstAnswers).toBe(history.length);
    expect(fit.model).not.toEqual(DEFAULT_CALIBRATION);
    for (const name of SIGNAL_NAMES) expect(Number.isFinite(fit.model.weights[name])).toBe(true);
  });

  it('leaves the stored history as it was (the parts are searched in memory)', async () => {
    const before = await kb.store.getCollection('demo');
    await fitCollectionCalibration({
      knowledge: kb,
      collection: 'demo',
      rules: { maximumQuestions: 20, minimumPositives: 5 },
    });
    const after = await kb.store.getCollection('demo');
    expect(after?.historyGeneration).toBe(before?.historyGeneration);
    expect(await kb.store.listHistory('demo')).toHaveLength(fit.history.labelled);
  });

  it('gives the same model for the same history (folds and samples are by id, not by chance)', async () => {
    const again = await fitCollectionCalibration({ knowledge: kb, collection: 'demo' });
    expect(again.model).toEqual(fit.model);
    expect(again.history.fingerprint).toBe(fit.history.fingerprint);
  });

  it('searches at most the sample the rules allow, the same questions each time', async () => {
    const capped = await fitCollectionCalibration({
      knowledge: kb,
      collection: 'demo',
      rules: { maximumQuestions: 40, minimumPositives: 5 },
    });
    expect(capped.history.questions).toBe(40);
    expect(capped.outOfFold.firstAnswers).toBeLessThanOrEqual(40);
    expect(capped.history.labelled).toBe(fit.history.labelled);
  });

  it('refuses a collection with fewer labelled entries than a fit needs, naming how many it has', async () => {
    const attempt = fitCollectionCalibration({ knowledge: kb, collection: 'small' });
    await expect(attempt).rejects.toThrow(CalibrationFitError);
    await expect(attempt).rejects.toThrow(/has 60 history entries .* at least 100/u);
  });

  it('refuses a fit whose history names documents the search never finds (too few right answers)', async () => {
    const attempt = fitCollectionCalibration({ knowledge: kb, collection: 'mislabelled' });
    await expect(attempt).rejects.toMatchObject({ code: 'degenerate' });
    await expect(attempt).rejects.toThrow(/only 0 of \d+ answers .* document ids match/u);
  });

  it('refuses a model that rates more first answers "high" than the rule allows', async () => {
    const attempt = fitCollectionCalibration({
      knowledge: kb,
      collection: 'demo',
      rules: { maximumHighShare: 0 },
    });
    await expect(attempt).rejects.toThrow(/rates \d+ of \d+ first answers "high"/u);
  });

  it('refuses an unknown collection', async () => {
    await expect(fitCollectionCalibration({ knowledge: kb, collection: 'nowhere' })).rejects.toMatchObject({
      code: 'collection-not-found',
    });
  });
});

describe('the base examples', () => {
  it('are the demo questions only, golden and unanswerable, never right for an off-topic one', () => {
    const examples = baseCalibrationExamples();
    expect(examples.some((example) => example.question.startsWith('golden:') && example.correct)).toBe(true);
    expect(
      examples.filter((example) => example.question.startsWith('off-topic:') && example.correct),
    ).toEqual([]);
    expect(examples.every((example) => /^(golden|off-topic):/u.test(example.question))).toBe(true);
  });

  it('reject a file whose signals are in another order, naming the field', () => {
    const file = { about: 'x', signals: [...SIGNAL_NAMES].reverse(), examples: [] };
    expect(() => parseBaseExamples(file)).toThrow(/must be coverage, questionCoverage/u);
    expect(path.basename(BASE_EXAMPLES_FILE)).toBe('calibration-base.json');
  });
});

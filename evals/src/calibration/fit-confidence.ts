/**
 * Fits the assist pipeline's confidence model (assist-service/src/pipeline/calibration.ts) and
 * prints how it holds up out of fold:
 *
 *   node evals/src/calibration/fit-confidence.ts
 *
 * Examples: every answer the retrieve stage ranks first to third for
 * - the 400 RUTUBE dev questions, each fold's questions searched with the other folds as the
 *   collection's history (the product's own history feature), and
 * - the demo knowledge base's golden questions, and questions it cannot answer (CLINC150's
 *   out-of-scope validation queries and hand-written Russian ones), which must come out unlikely.
 * An answer is right when it is one of the question's relevant documents.
 *
 * A logistic regression is fitted 5-fold (folds by question, so a question's answers never train
 * the model that scores them); the out-of-fold probabilities give the ECE and the precision of
 * "high" at the configured thresholds. Then it is fitted on everything and the weights printed.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_CALIBRATION, probabilityOf } from '@naparnik/assist-service';
import { foldOf, kFoldPlan } from '../data/kfold.ts';
import { expectedCalibrationError, reliabilityBins } from '../metrics/calibration.ts';
import { fromRepoRoot } from '../paths.ts';
import { createPipelineTarget } from '../targets/pipeline-target.ts';
import { demoExamples, examplesOf } from './cross-fit.ts';
import { type CalibrationExample, fitLogistic } from './logistic.ts';

interface Case {
  id: string;
  query: string;
  relevant: string[];
  topic1: string;
  operatorAnswer: string;
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

async function main(): Promise<void> {
  const rutube = await createPipelineTarget({
    knowledge: { paths: ['../shared/datasets/rutube-support/kb.jsonl'], collection: 'rutube' },
    resolve: fromRepoRoot,
  });
  try {
    const examples: CalibrationExample[] = [];
    const cases = readJsonl<Case>(fromRepoRoot('../shared/datasets/rutube-support/cases-dev.jsonl'));
    for (const plan of kFoldPlan(
      cases,
      5,
      (item) => item.id,
      (item) => item.query,
    )) {
      await rutube.replaceHistory(
        'rutube',
        plan.history.map((item) => ({
          id: item.id,
          question: item.query,
          answer: item.operatorAnswer,
          topic: item.topic1,
          documentIds: item.relevant,
        })),
      );
      examples.push(...(await examplesOf(rutube, 'rutube', plan.cases, 'rutube')));
    }
    await rutube.replaceHistory('rutube', []);
    examples.push(...(await demoExamples()));

    const folds = 5;
    const outOfFold: Array<{ example: CalibrationExample; probability: number }> = [];
    for (let fold = 0; fold < folds; fold++) {
      const training = examples.filter((example) => foldOf(example.question, folds) !== fold);
      const model = fitLogistic(training);
      for (const example of examples.filter((item) => foldOf(item.question, folds) === fold)) {
        outOfFold.push({ example, probability: probabilityOf(example.signals, model) });
      }
    }
    const firsts = outOfFold.filter(({ example }) => example.signals.rank === 0);
    const points = firsts.map(({ example, probability }) => ({
      confidence: probability,
      correct: example.correct,
    }));
    console.log(
      `examples: ${examples.length} answers of ${new Set(examples.map((e) => e.question)).size} questions`,
    );
    console.log(`out-of-fold ECE of first answers: ${expectedCalibrationError(points).toFixed(4)}`);
    for (const bin of reliabilityBins(points)) {
      if (bin.n)
        console.log(
          `  ${bin.label}: n ${bin.n}, stated ${bin.confidence.toFixed(2)}, right ${bin.accuracy.toFixed(2)}`,
        );
    }
    for (const threshold of [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8]) {
      const above = firsts.filter(({ probability }) => probability >= threshold);
      const right = above.filter(({ example }) => example.correct).length;
      console.log(
        `  first answers ≥ ${threshold}: ${above.length} (${((above.length / firsts.length) * 100).toFixed(1)}%), precision ${(right / (above.length || 1)).toFixed(3)}`,
      );
    }
    for (const group of ['rutube', 'golden', 'off-topic']) {
      const own = firsts.filter(({ example }) => example.question.startsWith(`${group}:`));
      const offered = own.filter(({ probability }) => probability >= 0.3);
      const right = offered.filter(({ example }) => example.correct).length;
      console.log(
        `  ${group}: ${own.length} questions, ${offered.length} first answers offered (≥ 0.3), ${right} of them right`,
      );
    }
    const current = firsts.map(({ example }) => ({
      confidence: probabilityOf(example.signals, DEFAULT_CALIBRATION),
      correct: example.correct,
    }));
    console.log(`ECE with the shipped weights (in-sample): ${expectedCalibrationError(current).toFixed(4)}`);
    console.log('weights fitted on everything:');
    console.log(JSON.stringify(fitLogistic(examples), null, 2));
  } finally {
    await rutube.close();
  }
}

await main();

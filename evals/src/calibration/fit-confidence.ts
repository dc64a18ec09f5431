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
import path from 'node:path';
import {
  type AnswerSignals,
  answerSignals,
  type CalibrationModel,
  DEFAULT_CALIBRATION,
  probabilityOf,
  retrieve,
  SIGNAL_NAMES,
  signalVector,
} from '@naparnik/assist-service';
import { DEMO_KB_DIR, DEMO_KB_PATHS, type KnowledgeBase } from '@naparnik/ingest';
import { foldOf, kFoldPlan } from '../data/kfold.ts';
import { replaceCollectionHistory } from '../knowledge/history.ts';
import { openSuiteKnowledge } from '../knowledge/suite-knowledge.ts';
import { expectedCalibrationError, reliabilityBins } from '../metrics/calibration.ts';
import { fromRepoRoot } from '../paths.ts';

interface Question {
  id: string;
  query: string;
  relevant: string[];
  topic?: string;
}

interface Example {
  question: string;
  signals: AnswerSignals;
  correct: boolean;
}

const OFF_TOPIC_RU = readFileSync(path.join(import.meta.dirname, 'fixtures', 'off-topic-ru.txt'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const ANSWERS_PER_QUESTION = 3;

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

async function examplesFor(
  kb: KnowledgeBase,
  collection: string,
  questions: readonly Question[],
  tag: string,
): Promise<Example[]> {
  const examples: Example[] = [];
  for (const question of questions) {
    const retrieved = await retrieve(kb, {
      collection,
      messages: [{ role: 'customer', text: question.query }],
      language: /[а-яё]/iu.test(question.query) ? 'ru' : 'en',
    });
    const relevant = new Set(question.relevant);
    for (let index = 0; index < Math.min(ANSWERS_PER_QUESTION, retrieved.answers.length); index++) {
      examples.push({
        question: `${tag}:${question.id}`,
        signals: answerSignals(retrieved.answers, index, retrieved.unmatched),
        correct: relevant.has(retrieved.answers[index]!.hit.documentId),
      });
    }
  }
  return examples;
}

/** Logistic regression by Newton's method (IRLS) with a little L2 on the weights, not the bias. */
export function fitLogistic(examples: readonly Example[], l2 = 0.1, iterations = 25): CalibrationModel {
  const size = SIGNAL_NAMES.length + 1;
  const beta = new Array<number>(size).fill(0);
  const rows = examples.map((example) => ({
    x: [1, ...signalVector(example.signals)],
    y: example.correct ? 1 : 0,
  }));
  for (let iteration = 0; iteration < iterations; iteration++) {
    const gradient = new Array<number>(size).fill(0);
    const hessian = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    for (const { x, y } of rows) {
      let z = 0;
      for (let d = 0; d < size; d++) z += beta[d]! * x[d]!;
      const p = 1 / (1 + Math.exp(-z));
      const w = Math.max(p * (1 - p), 1e-9);
      for (let d = 0; d < size; d++) {
        gradient[d]! += (p - y) * x[d]!;
        for (let e = 0; e < size; e++) hessian[d]![e]! += w * x[d]! * x[e]!;
      }
    }
    for (let d = 1; d < size; d++) {
      gradient[d]! += l2 * beta[d]!;
      hessian[d]![d]! += l2;
    }
    const step = solve(hessian, gradient);
    let largest = 0;
    for (let d = 0; d < size; d++) {
      beta[d] = beta[d]! - step[d]!;
      largest = Math.max(largest, Math.abs(step[d]!));
    }
    if (largest < 1e-8) break;
  }
  return {
    bias: round(beta[0]!),
    weights: Object.fromEntries(
      SIGNAL_NAMES.map((name, d) => [name, round(beta[d + 1]!)]),
    ) as CalibrationModel['weights'],
  };
}

/** Gaussian elimination with partial pivoting: the Newton step. */
function solve(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const a = matrix.map((row, index) => [...row, vector[index]!]);
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++)
      if (Math.abs(a[row]![column]!) > Math.abs(a[pivot]![column]!)) pivot = row;
    [a[column], a[pivot]] = [a[pivot]!, a[column]!];
    const head = a[column]![column]! || 1e-12;
    for (let row = column + 1; row < n; row++) {
      const factor = a[row]![column]! / head;
      for (let k = column; k <= n; k++) a[row]![k]! -= factor * a[column]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = a[row]![n]!;
    for (let k = row + 1; k < n; k++) sum -= a[row]![k]! * x[k]!;
    x[row] = sum / (a[row]![row]! || 1e-12);
  }
  return x;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

async function main(): Promise<void> {
  const rutube = await openSuiteKnowledge(
    { paths: ['../shared/datasets/rutube-support/kb.jsonl'], collection: 'rutube' },
    { resolve: fromRepoRoot },
  );
  const demo = await openSuiteKnowledge(
    { paths: DEMO_KB_PATHS.map((folder) => path.relative(fromRepoRoot('.'), folder)), collection: 'demo' },
    { resolve: fromRepoRoot },
  );
  try {
    const examples: Example[] = [];
    const cases = readJsonl<Question & { topic1: string; operatorAnswer: string }>(
      fromRepoRoot('../shared/datasets/rutube-support/cases-dev.jsonl'),
    );
    for (const plan of kFoldPlan(
      cases,
      5,
      (item) => item.id,
      (item) => item.query,
    )) {
      await replaceCollectionHistory(
        rutube.kb,
        'rutube',
        plan.history.map((item) => ({
          id: item.id,
          question: item.query,
          answer: item.operatorAnswer,
          topic: item.topic1,
          documentIds: item.relevant,
        })),
      );
      examples.push(...(await examplesFor(rutube.kb, 'rutube', plan.cases, 'rutube')));
    }
    const golden = readJsonl<Question>(path.join(DEMO_KB_DIR, 'golden', 'golden.jsonl'));
    examples.push(...(await examplesFor(demo.kb, 'demo', golden, 'golden')));
    const clinc = JSON.parse(
      readFileSync(fromRepoRoot('../shared/datasets/clinc150/data/data_full.json'), 'utf8'),
    ) as { oos_val: [string, string][] };
    const negatives: Question[] = [
      ...OFF_TOPIC_RU.map((query, index) => ({ id: `ru-${index}`, query, relevant: [] })),
      ...clinc.oos_val.slice(0, 60).map(([query], index) => ({ id: `oos-${index}`, query, relevant: [] })),
    ];
    examples.push(...(await examplesFor(demo.kb, 'demo', negatives, 'off-topic')));

    const folds = 5;
    const outOfFold: Array<{ example: Example; probability: number }> = [];
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
    await demo.close();
  }
}

await main();

import { type CalibrationModel, SIGNAL_NAMES, signalVector } from './calibration.ts';
import type { CalibrationExample } from './calibration-examples.ts';

/** Logistic regression by Newton's method (IRLS) with a little L2 on the weights, not the bias. */
export function fitLogistic(
  examples: readonly CalibrationExample[],
  l2 = 0.1,
  iterations = 25,
): CalibrationModel {
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

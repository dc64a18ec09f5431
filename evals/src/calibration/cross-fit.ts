import { EvalRunError } from '../errors.ts';
import type { EvalTarget } from '../targets/eval-target.ts';

/**
 * Confidence fitted without the questions it is scored on, by the product itself. The shipped
 * model (`assist-service/src/pipeline/calibration.ts`) was fitted on every RUTUBE dev question:
 * scored with it, a suite on those questions grades the model on its own training data. With
 * `calibration: cross-fit` each fold's history (the other folds' questions) is put in place and
 * the collection is calibrated on it as a team calibrates its own (`fitCollectionCalibration`:
 * in-process the function itself, `--service` the `pnpm naparnik calibrate` command the running
 * service then reads), so the scored fold is neither a training example nor history of one.
 */
export interface FoldCalibration {
  /** Call once the fold's history is in place: calibrates the collection on it. */
  afterHistory(): Promise<void>;
  finish(): string;
}

export function foldCalibration(options: {
  mode: 'shipped' | 'cross-fit';
  suite: string;
  /** Whether the suite's history is its own cases, k-fold (the only way a fold can be held out). */
  kFold: boolean;
  target: EvalTarget;
  collection: string;
}): FoldCalibration {
  if (options.mode === 'shipped') {
    return { afterHistory: async () => {}, finish: () => 'confidence: the shipped model' };
  }
  if (!options.kFold) {
    throw new EvalRunError(
      'suite-invalid',
      `${options.suite}: calibration: cross-fit needs history: to be the cases' own file (k-fold)`,
    );
  }
  const { target } = options;
  if (!target.calibrate) {
    throw new EvalRunError(
      'target-unavailable',
      `engine ${target.engine} cannot calibrate its confidence model`,
    );
  }
  const outcomes: string[] = [];
  return {
    async afterHistory() {
      outcomes.push(await target.calibrate!(options.collection));
    },
    finish() {
      const fitted = outcomes.filter((outcome) => outcome === 'fitted').length;
      const kept = outcomes.filter((outcome) => outcome !== 'fitted');
      return (
        `confidence: calibrated on each fold's history by the product (${fitted} of ${outcomes.length} folds fitted` +
        `${kept.length ? `; shipped model kept: ${kept.join('; ')}` : ''}) — never on the fold it scores`
      );
    },
  };
}

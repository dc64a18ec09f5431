import type { CaseFailure, ResultDetails } from '../result.ts';
import type { DatasetSpec, KnowledgeSpec } from '../suite/schema.ts';
import type { EvalTarget } from '../targets/eval-target.ts';

/** What the runner hands a task: paths already overridden from the command line, the target. */
export interface TaskContext {
  resolve(relative: string): string;
  engine: string;
  /** Builds the engine under test for a knowledge base (replay, summary). */
  createTarget?: (options: { knowledge?: KnowledgeSpec }) => Promise<EvalTarget>;
  log(message: string): void;
}

/** What a task returns; the runner adds thresholds and the verdict. */
export interface TaskOutput {
  n: number;
  metrics: Record<string, number>;
  failures: CaseFailure[];
  details: Omit<ResultDetails, 'title' | 'belowThreshold' | 'seconds'>;
}

export function sameDataset(
  left: DatasetSpec,
  right: DatasetSpec,
  resolve: (relative: string) => string,
): boolean {
  return (
    resolve(left.path) === resolve(right.path) &&
    JSON.stringify(left.splits ?? null) === JSON.stringify(right.splits ?? null) &&
    JSON.stringify(left.select ?? null) === JSON.stringify(right.select ?? null)
  );
}

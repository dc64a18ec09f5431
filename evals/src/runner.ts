import path from 'node:path';
import { EvalRunError } from './errors.ts';
import { fromRepoRoot } from './paths.ts';
import { checkThresholds, type EvalResult, roundMetric } from './result.ts';
import type { DatasetSpec, Suite } from './suite/schema.ts';
import { createOfflineTarget } from './targets/offline-target.ts';
import { runAssist } from './tasks/assist.ts';
import { runInjection } from './tasks/injection.ts';
import { runRedaction } from './tasks/redaction.ts';
import { runRedteam } from './tasks/redteam.ts';
import { runReplay } from './tasks/replay.ts';
import { runRetrieval } from './tasks/retrieval.ts';
import { runRouting } from './tasks/routing.ts';
import { runSummary } from './tasks/summary.ts';
import type { TaskContext, TaskOutput } from './tasks/task.ts';

export interface RunOptions {
  /** Absolute paths that replace the suite's (`--kb`, `--cases`, `--history`). */
  knowledge?: string;
  cases?: string;
  history?: string;
  engine?: string;
  log?: (message: string) => void;
}

function withPath<Spec extends DatasetSpec>(spec: Spec, file: string): Spec {
  const extension = path.extname(file).toLowerCase();
  const keepsFormat = spec.format === 'json-splits' && extension === '.json';
  const { format: _format, ...rest } = spec;
  return { ...rest, ...(keepsFormat ? { format: spec.format } : {}), path: file } as Spec;
}

/** The suite with the command line's paths in place of its own. */
export function applyOverrides(suite: Suite, options: RunOptions): Suite {
  const changed = structuredClone(suite);
  if (options.knowledge) {
    if (!('knowledge' in changed) || !changed.knowledge) {
      throw new EvalRunError('usage', `--kb: suite ${suite.id} has no knowledge base`);
    }
    changed.knowledge.paths = [options.knowledge];
  }
  if (options.cases) changed.cases = withPath(changed.cases, options.cases);
  if (options.history) {
    if (
      changed.task === 'summary' ||
      changed.task === 'replay' ||
      changed.task === 'redteam' ||
      changed.task === 'redaction' ||
      changed.task === 'injection'
    ) {
      throw new EvalRunError('usage', `--history: suite ${suite.id} takes no history`);
    }
    if (changed.task === 'routing' && changed.model !== 'knowledge') {
      throw new EvalRunError(
        'usage',
        `--history: suite ${suite.id} learns from its training split, not a history`,
      );
    }
    const base = changed.history ?? { folds: 5, path: options.history, fields: changed.cases.fields };
    (changed as { history?: unknown }).history = withPath(base as DatasetSpec, options.history);
  }
  return changed;
}

function resolver(relative: string): string {
  return path.isAbsolute(relative) ? relative : fromRepoRoot(relative);
}

export async function runSuite(suite: Suite, options: RunOptions = {}): Promise<EvalResult> {
  const engine = options.engine ?? suite.engines[0] ?? 'offline';
  if (!suite.engines.includes(engine as 'offline')) {
    throw new EvalRunError('usage', `suite ${suite.id} runs on ${suite.engines.join(', ')}, not ${engine}`);
  }
  if (suite.status === 'pending') {
    throw new EvalRunError(
      'target-unavailable',
      `suite ${suite.id} is pending: ${suite.pendingReason ?? 'its target is not ready'}`,
    );
  }
  const effective = applyOverrides(suite, options);
  const context: TaskContext = {
    resolve: resolver,
    engine,
    log: options.log ?? (() => {}),
    createTarget: async ({ knowledge }) => {
      if (engine !== 'offline')
        throw new EvalRunError('target-unavailable', `engine ${engine} is not available yet`);
      return createOfflineTarget({ ...(knowledge ? { knowledge } : {}), resolve: resolver });
    },
  };
  const started = performance.now();
  let output: TaskOutput;
  switch (effective.task) {
    case 'assist':
      output = await runAssist(effective, context);
      break;
    case 'retrieval':
      output = await runRetrieval(effective, context);
      break;
    case 'routing':
      output = await runRouting(effective, context);
      break;
    case 'replay':
      output = await runReplay(effective, context);
      break;
    case 'summary':
      output = await runSummary(effective, context);
      break;
    case 'redaction':
      output = await runRedaction(effective, context);
      break;
    case 'redteam':
      output = await runRedteam(effective, context);
      break;
    case 'injection':
      output = await runInjection(effective, context);
      break;
  }
  const metrics = Object.fromEntries(
    Object.entries(output.metrics).map(([name, value]) => [name, roundMetric(value)]),
  );
  const belowThreshold = checkThresholds(output.metrics, suite.thresholds);
  const overrides = [
    options.knowledge ? `--kb ${options.knowledge}` : '',
    options.cases ? `--cases ${options.cases}` : '',
    options.history ? `--history ${options.history}` : '',
  ].filter(Boolean);
  return {
    suite: suite.id,
    task: suite.task,
    engine,
    n: output.n,
    metrics,
    thresholds: suite.thresholds,
    passed: belowThreshold.length === 0,
    failures: output.failures,
    details: {
      title: suite.title,
      belowThreshold,
      ...output.details,
      notes: [...output.details.notes, ...(overrides.length ? [`overrides: ${overrides.join(' ')}`] : [])],
      seconds: Math.round((performance.now() - started) / 100) / 10,
    },
  };
}

import path from 'node:path';
import { MODEL_ENGINES, type ModelEngine } from './cassettes/cassette.ts';
import { EvalRunError } from './errors.ts';
import { fromRepoRoot } from './paths.ts';
import { checkThresholds, type EvalResult, roundMetric } from './result.ts';
import type { DatasetSpec, Suite } from './suite/schema.ts';
import { type ModelEngineRun, type ModelRunFlags, openModelEngine } from './targets/model-target.ts';
import { createPipelineTarget } from './targets/pipeline-target.ts';
import { createServiceTarget } from './targets/service-target.ts';
import { runAssist } from './tasks/assist.ts';
import { runInjection } from './tasks/injection.ts';
import { runInjectionLabelled } from './tasks/injection-labelled.ts';
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
  /** Model engines: `--record`, `--replay`, `--simulate`. */
  model?: ModelRunFlags;
  /** Model engines: the cassette file instead of `evals/cassettes/<suite>.<engine>.json.gz`. */
  cassette?: string;
  /**
   * `--service`: the questions go over HTTP to a listening assist service on knowledge and history
   * ingested by the CLIs (`targets/service-target.ts`), not to the pipeline in-process.
   */
  service?: boolean;
  log?: (message: string) => void;
}

/** The tasks that send conversations to the service, and so can run against it (`--service`). */
const SERVICE_TASKS: readonly string[] = ['assist', 'replay', 'redteam'];

const isModelEngine = (engine: string): engine is ModelEngine =>
  MODEL_ENGINES.includes(engine as ModelEngine);

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
      changed.task === 'injection' ||
      changed.task === 'injection-labelled'
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
  const serviceNotes: string[] = [];
  if (options.service) {
    if (isModelEngine(engine)) throw new EvalRunError('usage', '--service runs the offline engine only');
    if (!('knowledge' in effective) || !effective.knowledge || !SERVICE_TASKS.includes(effective.task)) {
      throw new EvalRunError(
        'usage',
        `--service: suite ${suite.id} does not send conversations to the service (${SERVICE_TASKS.join(', ')} suites do)`,
      );
    }
  }
  const modelRun: ModelEngineRun | undefined = isModelEngine(engine)
    ? await openModelEngine({
        engine,
        suite: suite.id,
        flags: options.model ?? {},
        ...(options.cassette ? { cassette: options.cassette } : {}),
      })
    : undefined;
  const context: TaskContext = {
    resolve: resolver,
    engine,
    log: options.log ?? (() => {}),
    createTarget: async ({ knowledge }) =>
      modelRun
        ? modelRun.createTarget({ ...(knowledge ? { knowledge } : {}), resolve: resolver })
        : options.service && knowledge
          ? createServiceTarget({
              knowledge,
              resolve: resolver,
              ...(options.log ? { log: options.log } : {}),
            })
          : createPipelineTarget({ ...(knowledge ? { knowledge } : {}), resolve: resolver }),
  };
  const started = performance.now();
  let output: TaskOutput;
  try {
    output = await runTask(effective, context);
  } finally {
    const finished = await modelRun?.traffic.finish();
    if (finished?.cassette)
      options.log?.(`cassette: ${finished.cassette} (${finished.interactions} exchanges)`);
  }
  const modelNotes: string[] = [];
  if (modelRun) {
    const { traffic } = modelRun;
    const misses = traffic.misses();
    if (misses > 0) {
      throw new EvalRunError(
        'data-invalid',
        `the ${engine} cassette of ${suite.id} has no answer for ${misses} requests: the prompts or the pipeline changed since it was recorded; re-record it (--record)`,
      );
    }
    modelNotes.push(
      traffic.mode === 'replay'
        ? `model ${engine}: replayed from a ${traffic.source === 'synthetic' ? 'SYNTHETIC cassette (simulator output, not a model)' : 'cassette recorded live'}`
        : traffic.mode === 'record'
          ? `model ${engine}: recorded from ${traffic.source === 'synthetic' ? 'the deterministic simulator (SYNTHETIC, not a model)' : 'the live API'}`
          : `model ${engine}: live API (${modelRun.config.models.provider === 'offline' ? '' : modelRun.config.models.fastModel})`,
    );
  }
  const metrics = Object.fromEntries(
    Object.entries(output.metrics).map(([name, value]) => [name, roundMetric(value)]),
  );
  const thresholds = modelRun ? { ...suite.thresholds, ...suite.modelThresholds } : suite.thresholds;
  const belowThreshold = checkThresholds(output.metrics, thresholds);
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
    thresholds,
    passed: belowThreshold.length === 0,
    failures: output.failures,
    details: {
      title: suite.title,
      belowThreshold,
      ...output.details,
      notes: [
        ...modelNotes,
        ...serviceNotes,
        ...output.details.notes,
        ...(overrides.length ? [`overrides: ${overrides.join(' ')}`] : []),
      ],
      seconds: Math.round((performance.now() - started) / 100) / 10,
    },
  };
}

async function runTask(effective: Suite, context: TaskContext): Promise<TaskOutput> {
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
    case 'injection-labelled':
      output = await runInjectionLabelled(effective, context);
      break;
  }
  return output;
}

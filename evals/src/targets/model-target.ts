/**
 * The pipeline with a model drafting (`--engine claude|openai-compatible`): the service's own
 * model composer (`createModelComposer`), models built from the service's own configuration, and
 * their traffic going live, recorded or replayed (`cassettes/model-traffic.ts`).
 */
import {
  type ChatModels,
  createChatModels,
  createModelComposer,
  createOfflineComposer,
  judgeReplyWithModel,
  loadConfig,
  type ServiceConfig,
} from '@naparnik/assist-service';
import { loadPinnedPrompts } from '@naparnik/prompts';
import { cassettePath, type ModelEngine } from '../cassettes/cassette.ts';
import {
  type ModelTraffic,
  openModelTraffic,
  REPLAY_BASE_URL,
  type TrafficMode,
} from '../cassettes/model-traffic.ts';
import { EvalRunError } from '../errors.ts';
import type { KnowledgeSpec } from '../suite/schema.ts';
import type { EvalTarget } from './eval-target.ts';
import { createPipelineTarget } from './pipeline-target.ts';

export interface ModelRunFlags {
  /** `--record`: write the suite's cassette from this run. */
  record?: boolean | undefined;
  /** `--replay`: answer from the cassette even when a key is set. */
  replay?: boolean | undefined;
  /** `--simulate` (with `--record`): record from the deterministic simulator, not a model. */
  simulate?: boolean | undefined;
}

const SIMULATED_BASE_URL = 'https://simulated-model.naparnik.invalid';
/** The model name synthetic OpenAI-compatible cassettes carry: nothing real is named. */
const SIMULATED_OPENAI_MODEL = 'simulated-openai-compatible';

/** Whether the environment holds what the live API needs for this engine. */
export function liveConfigured(engine: ModelEngine, environment: NodeJS.ProcessEnv): boolean {
  return engine === 'claude'
    ? Boolean(environment.ANTHROPIC_API_KEY?.trim())
    : Boolean(environment.NAPARNIK_OPENAI_BASE_URL?.trim() && environment.NAPARNIK_OPENAI_MODEL?.trim());
}

/** Live with a key, else replay; `--record` and `--replay` choose, `--simulate` records synthetically. */
export function trafficModeFor(
  engine: ModelEngine,
  flags: ModelRunFlags,
  environment: NodeJS.ProcessEnv,
): TrafficMode {
  if (flags.record && flags.replay)
    throw new EvalRunError('usage', '--record and --replay exclude each other');
  if (flags.simulate && !flags.record)
    throw new EvalRunError('usage', '--simulate only records (add --record): a replay needs no simulator');
  if (flags.record) {
    if (!flags.simulate && !liveConfigured(engine, environment)) {
      throw new EvalRunError(
        'usage',
        engine === 'claude'
          ? '--record needs ANTHROPIC_API_KEY (or --simulate for a synthetic cassette)'
          : '--record needs NAPARNIK_OPENAI_BASE_URL and NAPARNIK_OPENAI_MODEL (or --simulate for a synthetic cassette)',
      );
    }
    return 'record';
  }
  if (flags.replay) return 'replay';
  return liveConfigured(engine, environment) ? 'live' : 'replay';
}

/** The service's configuration for this engine and traffic: the real one live, a stand-in otherwise. */
function configFor(
  engine: ModelEngine,
  traffic: ModelTraffic,
  simulate: boolean,
  environment: NodeJS.ProcessEnv,
): ServiceConfig {
  const provider = engine === 'claude' ? 'anthropic' : 'openai-compatible';
  const overrides: Record<string, string> = { NAPARNIK_MODEL_PROVIDER: provider };
  const base = traffic.mode === 'replay' ? REPLAY_BASE_URL : simulate ? SIMULATED_BASE_URL : undefined;
  if (base) {
    // No retries: a request the cassette lacks is one miss, not three.
    overrides.NAPARNIK_MODEL_MAX_RETRIES = '0';
    if (engine === 'claude') {
      overrides.ANTHROPIC_API_KEY = 'no-key-offline-replay';
      overrides.ANTHROPIC_BASE_URL = base;
      if (traffic.model) overrides.NAPARNIK_ANTHROPIC_MODEL = traffic.model;
    } else {
      overrides.NAPARNIK_OPENAI_BASE_URL = `${base}/v1`;
      overrides.NAPARNIK_OPENAI_API_KEY = 'no-key-offline-replay';
      overrides.NAPARNIK_OPENAI_MODEL = traffic.model ?? SIMULATED_OPENAI_MODEL;
    }
  }
  try {
    return loadConfig({ ...environment, ...overrides });
  } catch (error) {
    throw new EvalRunError('usage', `engine ${engine}: ${(error as Error).message}`);
  }
}

export interface ModelEngineRun {
  traffic: ModelTraffic;
  models: ChatModels;
  config: ServiceConfig;
  createTarget(options: {
    knowledge?: KnowledgeSpec;
    resolve: (relative: string) => string;
  }): Promise<EvalTarget>;
}

/** Opens the traffic (replay reads the cassette now) and the models for one suite run. */
export async function openModelEngine(options: {
  engine: ModelEngine;
  suite: string;
  flags: ModelRunFlags;
  environment?: NodeJS.ProcessEnv;
  cassette?: string;
}): Promise<ModelEngineRun> {
  const environment = options.environment ?? process.env;
  const mode = trafficModeFor(options.engine, options.flags, environment);
  const simulate = Boolean(options.flags.simulate);
  const provider = options.engine === 'claude' ? 'anthropic' : 'openai-compatible';
  // The model name a recording carries is known only once the configuration is read.
  const probe = configFor(options.engine, { mode, model: undefined } as ModelTraffic, simulate, environment);
  const model = probe.models.provider === 'offline' ? 'unknown' : probe.models.fastModel;
  const traffic = await openModelTraffic({
    mode,
    suite: options.suite,
    engine: options.engine,
    provider,
    file: options.cassette ?? cassettePath(options.suite, options.engine),
    simulate,
    model,
  });
  const config = configFor(options.engine, traffic, simulate, environment);
  const models = createChatModels(config.models, traffic.fetch ? { fetch: traffic.fetch } : {});
  if (!models) throw new EvalRunError('target-unavailable', `engine ${options.engine}: no model configured`);
  const prompts = loadPinnedPrompts(config.prompts);
  // The rubric needs a model that reads: cassettes replay what was recorded, the simulator copies.
  const judgeSkipped =
    traffic.mode === 'replay'
      ? 'LLM-judged rubric skipped: replaying recorded cassettes, and a judge needs a live model (run with the API key)'
      : simulate
        ? 'LLM-judged rubric skipped: the simulator is not a model (run live with the API key)'
        : undefined;
  return {
    traffic,
    models,
    config,
    createTarget: ({ knowledge, resolve }) =>
      createPipelineTarget({
        ...(knowledge ? { knowledge } : {}),
        resolve,
        composer: createModelComposer({
          id: options.engine,
          models,
          prompt: prompts.reply,
          offline: createOfflineComposer(),
          // As the service runs it: the model checks its draft before it is offered.
          ...(config.models.checkSuggestions ? { checkPrompt: prompts['check-draft'] } : {}),
        }),
        sentToModel: () => traffic.sent(),
        ...(judgeSkipped
          ? { judgeSkipped }
          : {
              judge: async ({ reply, conversation, language, sources, reference, scriptRules }) =>
                (
                  await judgeReplyWithModel(
                    {
                      reply,
                      language,
                      messages: conversation.messages,
                      sources: sources.map((source) => ({ ...source, kind: 'chunk' })),
                      reference,
                      scriptRules,
                    },
                    {
                      model: models.strong,
                      prompt: prompts.judge,
                      prices: models.prices,
                      maxOutputTokens: models.maxOutputTokens,
                    },
                  )
                ).rubric,
            }),
      }),
  };
}

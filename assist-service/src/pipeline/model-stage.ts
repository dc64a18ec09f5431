import type { PromptTemplate } from '@naparnik/prompts';
import type { Logger } from 'pino';
import type { AssistResponse } from '../contract/index.ts';
import type { ChatModels } from '../models/create-chat-models.ts';
import { degradedReason, ModelError } from '../models/model-error.ts';
import type { ModelTaskCost, ModelTaskDependencies } from '../models/model-task.ts';

/**
 * What the model-backed summary and act stages share: how they call the model (the fast one, as
 * the draft does: the panel waits for them together, and the set's usage is named after one
 * model), what they report of a call, and how a fault becomes the offline stage's answer.
 */
export interface ModelStageDependencies<Offline> {
  /** `claude` or `openai-compatible`: what responses record. */
  id: string;
  models: ChatModels;
  /** The stage's pinned prompt (`summary`, `next-actions`). */
  prompt: PromptTemplate;
  /** Answers when the model cannot, and where no model is asked. */
  offline: Offline;
  logger?: Logger;
}

export function stageTask(
  dependencies: ModelStageDependencies<unknown>,
  signal: AbortSignal,
): ModelTaskDependencies {
  const { models } = dependencies;
  return {
    model: models.fast,
    prompt: dependencies.prompt,
    prices: models.prices,
    maxOutputTokens: models.maxOutputTokens,
    signal,
  };
}

/** Logs a stage's call (tokens, never text) and gives what the stage records of it. */
export function recordStageCall(
  dependencies: ModelStageDependencies<unknown>,
  run: ModelTaskCost,
  message: string,
  counts: Record<string, number> = {},
): { engine: string; promptId: string; usage: NonNullable<AssistResponse['usage']> } {
  dependencies.logger?.debug(
    {
      model: run.model,
      promptId: run.promptId,
      ...counts,
      inputTokens: run.usage.inputTokens,
      outputTokens: run.usage.outputTokens,
      cacheReadTokens: run.usage.cacheReadTokens,
    },
    message,
  );
  return {
    engine: dependencies.id,
    promptId: run.promptId,
    usage: { model: run.model, ...run.usage, costUsd: run.costUsd },
  };
}

/**
 * The `degraded` record of a model fault, logged; anything else (an abort, a bug) is thrown on:
 * only a model's fault is answered offline.
 */
export function degradedBy(
  error: unknown,
  signal: AbortSignal,
  dependencies: ModelStageDependencies<unknown>,
  message: string,
): { reason: string; engine: string } {
  if (signal.aborted || !ModelError.isInstance(error)) throw error;
  const reason = degradedReason(error);
  dependencies.logger?.warn({ reason, engine: dependencies.id }, message);
  return { reason, engine: dependencies.id };
}

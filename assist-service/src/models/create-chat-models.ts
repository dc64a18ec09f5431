/**
 * `createChatModels(config.models, {logger, fetch?})` → `{fast, strong, breaker}` ready for the
 * compose stage, or `undefined` when no provider is configured (the service stays offline).
 * `fast` drafts suggestions; `strong` is allowed for summaries and FAQ drafting. Both share one
 * circuit breaker: they call the same API, and when it fails it fails for both.
 */
import type { Logger } from 'pino';
import type { ModelConfig } from '../config.ts';
import { createAnthropicModel } from './anthropic-model.ts';
import type { ChatModel } from './chat-model.ts';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.ts';
import { createOpenAICompatibleModel } from './openai-compatible-model.ts';
import type { PriceTable } from './pricing.ts';
import { withResilience } from './resilient-model.ts';

export interface ChatModels {
  fast: ChatModel;
  strong: ChatModel;
  breaker: CircuitBreaker;
  prices: PriceTable;
  maxOutputTokens: number;
}

export interface ChatModelDependencies {
  logger?: Logger;
  fetch?: typeof fetch;
  random?: () => number;
  now?: () => number;
}

export function createChatModels(
  config: ModelConfig,
  dependencies: ChatModelDependencies = {},
): ChatModels | undefined {
  if (config.provider === 'offline') return undefined;
  const breaker = createCircuitBreaker({
    failureThreshold: config.breakerFailures,
    openMs: config.breakerOpenMs,
    ...(dependencies.now ? { now: dependencies.now } : {}),
  });
  const fetchOption = dependencies.fetch ? { fetch: dependencies.fetch } : {};
  const build = (model: string): ChatModel =>
    config.provider === 'anthropic'
      ? createAnthropicModel({ apiKey: config.apiKey, baseURL: config.baseURL, model, ...fetchOption })
      : createOpenAICompatibleModel({
          baseURL: config.baseURL,
          apiKey: config.apiKey,
          model,
          ...fetchOption,
        });
  const resilient = (model: ChatModel) =>
    withResilience(model, {
      firstTokenTimeoutMs: config.firstTokenTimeoutMs,
      totalTimeoutMs: config.totalTimeoutMs,
      latencyBudgetMs: config.latencyBudgetMs,
      maxRetries: config.maxRetries,
      retryBaseMs: config.retryBaseMs,
      retryMaxMs: config.retryMaxMs,
      breaker,
      ...(dependencies.random ? { random: dependencies.random } : {}),
      ...(dependencies.now ? { now: dependencies.now } : {}),
      ...(dependencies.logger ? { logger: dependencies.logger } : {}),
    });
  const fast = resilient(build(config.fastModel));
  const strong = config.strongModel === config.fastModel ? fast : resilient(build(config.strongModel));
  return { fast, strong, breaker, prices: config.prices, maxOutputTokens: config.maxOutputTokens };
}

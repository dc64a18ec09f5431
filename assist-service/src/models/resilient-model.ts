/**
 * `withResilience(model, options)` → a ChatModel with the same interface whose faults degrade:
 *
 * - a first-token timeout (no text yet) and a total timeout per attempt;
 * - bounded retries of transient faults (timeouts, 429, 5xx/529, network, a stream cut halfway)
 *   with full jitter, waiting `retry-after` when the API asks, and never past the latency budget
 *   measured from the first attempt;
 * - a circuit breaker shared by every call to the same API;
 * - then one typed `ModelError` (with `attempts`), which the caller turns into the offline
 *   fallback with a `degraded` reason.
 *
 * A stream that fails after sending text and is retried yields `{type: 'restart'}` first, so the
 * consumer drops the partial text instead of showing it twice. Calls wait on the network, not the
 * CPU: they must not go through the engines' work queue.
 */
import type { Logger } from 'pino';
import type { ChatCallOptions, ChatModel, ChatRequest, ChatResult, ChatStreamEvent } from './chat-model.ts';
import { collectStream } from './chat-model.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { ModelError } from './model-error.ts';

export interface ResilienceOptions {
  firstTokenTimeoutMs: number;
  totalTimeoutMs: number;
  /** All attempts and waits together stay within this, from the first attempt. */
  latencyBudgetMs: number;
  /** Attempts after the first. */
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  breaker: CircuitBreaker;
  /** [0, 1); Math.random by default. */
  random?: () => number;
  now?: () => number;
  logger?: Logger;
}

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelled(cause: unknown): ModelError {
  return new ModelError('cancelled', 'The model call was cancelled by its caller.', { cause });
}

/** What went wrong in one attempt, as a ModelError: our own timeouts first, then the caller's abort. */
function classify(
  error: unknown,
  attemptSignal: AbortSignal,
  callerSignal: AbortSignal | undefined,
): ModelError {
  if (callerSignal?.aborted) return cancelled(callerSignal.reason);
  if (attemptSignal.aborted && ModelError.isInstance(attemptSignal.reason)) return attemptSignal.reason;
  if (ModelError.isInstance(error)) return error;
  return new ModelError('invalid-response', 'The model call failed in an unexpected way.', { cause: error });
}

export function withResilience(model: ChatModel, options: ResilienceOptions): ChatModel {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;

  async function* stream(
    request: ChatRequest,
    callOptions: ChatCallOptions = {},
  ): AsyncGenerator<ChatStreamEvent> {
    const callerSignal = callOptions.signal;
    const startedAt = now();
    for (let attempt = 0; ; attempt++) {
      if (callerSignal?.aborted) throw cancelled(callerSignal.reason);
      const permit = options.breaker.acquire();
      if (!permit) {
        const error = new ModelError(
          'circuit-open',
          `${model.id} failed repeatedly; calls are paused for now.`,
        );
        error.attempts = attempt;
        throw error;
      }
      const remaining = options.latencyBudgetMs - (now() - startedAt);
      const controller = new AbortController();
      const onCallerAbort = () => controller.abort(callerSignal?.reason);
      callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
      const totalTimer = setTimeout(
        () => controller.abort(new ModelError('timeout-total', `${model.id} did not finish in time.`)),
        Math.max(1, Math.min(options.totalTimeoutMs, remaining)),
      );
      let firstTokenTimer: NodeJS.Timeout | undefined = setTimeout(
        () => controller.abort(new ModelError('timeout-first-token', `${model.id} sent no text in time.`)),
        options.firstTokenTimeoutMs,
      );
      let sentText = false;
      let failure: ModelError | undefined;
      try {
        for await (const event of model.stream(request, {
          signal: controller.signal,
          onResponse: callOptions.onResponse,
        })) {
          if (event.type === 'text') {
            if (firstTokenTimer) clearTimeout(firstTokenTimer);
            firstTokenTimer = undefined;
            sentText = true;
            yield event;
          } else if (event.type === 'done') {
            permit.success();
            yield event;
            return;
          }
        }
        throw new ModelError('stream-interrupted', `${model.id} ended its stream without the final event.`);
      } catch (error) {
        failure = classify(error, controller.signal, callerSignal);
      } finally {
        clearTimeout(totalTimer);
        if (firstTokenTimer) clearTimeout(firstTokenTimer);
        callerSignal?.removeEventListener('abort', onCallerAbort);
        // A consumer that stops reading early ends the call without a verdict on the API, and
        // the request is cut so the provider stops generating what nobody reads.
        if (!failure) permit.release();
        if (!controller.signal.aborted) controller.abort(new ModelError('cancelled', 'The attempt is over.'));
      }

      failure.attempts = attempt + 1;
      if (failure.retryable) permit.failure();
      else permit.release();
      if (!failure.retryable || attempt >= options.maxRetries) throw failure;
      const backoff = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** attempt) * random();
      const wait = failure.retryAfterMs ?? backoff;
      // A wait that leaves no room for an answer inside the budget is not worth making.
      if (now() - startedAt + wait + options.firstTokenTimeoutMs / 2 >= options.latencyBudgetMs)
        throw failure;
      options.logger?.warn(
        {
          model: model.id,
          code: failure.code,
          status: failure.status,
          attempt: attempt + 1,
          waitMs: Math.round(wait),
        },
        'model call failed; retrying',
      );
      if (sentText) yield { type: 'restart', reason: failure.code };
      try {
        await sleep(wait, callerSignal);
      } catch (error) {
        throw cancelled(error);
      }
    }
  }

  return {
    id: model.id,
    provider: model.provider,
    model: model.model,
    stream,
    generate(request: ChatRequest, callOptions?: ChatCallOptions): Promise<ChatResult> {
      // Through the stream, so generate gets the same first-token and total timeouts.
      return collectStream(stream(request, callOptions));
    },
  };
}

/**
 * Claude through the official SDK: `createAnthropicModel({apiKey, baseURL, model, fetch?})` →
 * ChatModel. One attempt per call (`maxRetries: 0`): retries, timeouts and the circuit breaker
 * are `withResilience`'s, the same for every provider.
 *
 * - `apiKey` and `baseURL` come from ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL through the
 *   service config, and mean what they mean to the SDK (gateways and proxies set the base URL).
 * - The system prompt (instructions, the team's rules) is one text block marked
 *   `cache_control: {type: 'ephemeral'}`: the stable prefix is cached, the conversation is not.
 * - Usage: `input_tokens` (uncached), `output_tokens`, `cache_read_input_tokens`,
 *   `cache_creation_input_tokens`, from `message_start` and the cumulative `message_delta`.
 * - A request with a `tool` sends it in `tools` with `tool_choice: {type: 'tool', name}` (the model
 *   must call it, once); the `tool_use` block's input — streamed as `input_json_delta` fragments —
 *   is the answer's text, so callers read structured output the same way on every provider. Text
 *   blocks beside the call are dropped; an answer without the call has empty text, which the
 *   structured task treats as a model fault. This is the only structured output: no
 *   `output_config.format` (decision 0043).
 */
import Anthropic, { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type {
  MessageCreateParamsStreaming,
  RawMessageStreamEvent,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type {
  ChatCallOptions,
  ChatModel,
  ChatRequest,
  ChatResult,
  ChatStreamEvent,
  ChatUsage,
} from './chat-model.ts';
import { emptyUsage } from './chat-model.ts';
import { codeForStatus, ModelError, type ModelErrorCode, retryAfterMs } from './model-error.ts';

export interface AnthropicModelOptions {
  apiKey: string;
  /** ANTHROPIC_BASE_URL; the SDK's default (the public API) when absent. */
  baseURL?: string | undefined;
  model: string;
  /** Tests and proxies may hand in their own fetch. */
  fetch?: typeof fetch;
}

const EVENT_ERROR_CODES: Record<string, ModelErrorCode> = {
  overloaded_error: 'overloaded',
  rate_limit_error: 'rate-limited',
  api_error: 'server-error',
  timeout_error: 'server-error',
  authentication_error: 'auth',
  permission_error: 'auth',
  invalid_request_error: 'bad-request',
  not_found_error: 'bad-request',
  request_too_large: 'bad-request',
};

/** The SDK's errors as ModelErrors. Messages name the status and type, never the request. */
function toModelError(error: unknown): ModelError {
  if (ModelError.isInstance(error)) return error;
  if (error instanceof APIUserAbortError) return new ModelError('cancelled', 'Aborted.', { cause: error });
  if (error instanceof APIConnectionError) {
    return new ModelError('network', 'Could not reach the Anthropic API.', { cause: error });
  }
  if (error instanceof APIError) {
    const type = typeof error.type === 'string' ? error.type : undefined;
    const code =
      error.status !== undefined
        ? codeForStatus(error.status)
        : (EVENT_ERROR_CODES[type ?? ''] ?? 'server-error');
    return new ModelError(code, `Anthropic API: ${error.status ?? 'stream error'} ${type ?? ''}`.trim(), {
      status: error.status,
      retryAfterMs: retryAfterMs(error.headers),
      cause: error,
    });
  }
  if (error instanceof Error && error.name === 'AbortError')
    return new ModelError('cancelled', 'Aborted.', { cause: error });
  // The body stream broke (connection reset mid-answer): the SDK rethrows the fetch error.
  return new ModelError('network', 'The connection to the Anthropic API broke.', { cause: error });
}

/** What `message_start`, `message_delta` and a whole message report; absent or null means unchanged. */
interface ReportedUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

function usageOf(usage: ReportedUsage | null | undefined, previous: ChatUsage): ChatUsage {
  if (!usage) return previous;
  return {
    inputTokens: usage.input_tokens ?? previous.inputTokens,
    outputTokens: usage.output_tokens ?? previous.outputTokens,
    cacheReadTokens: usage.cache_read_input_tokens ?? previous.cacheReadTokens,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? previous.cacheWriteTokens,
  };
}

export function createAnthropicModel(options: AnthropicModelOptions): ChatModel {
  const client = new Anthropic({
    apiKey: options.apiKey,
    // null, not undefined: the SDK would read the environment again; config already did.
    baseURL: options.baseURL ?? null,
    maxRetries: 0,
    logLevel: 'off',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const id = `anthropic:${options.model}`;

  function body(request: ChatRequest): Omit<MessageCreateParamsStreaming, 'stream'> {
    return {
      model: options.model,
      max_tokens: request.maxTokens,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }],
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
      ...(request.tool
        ? {
            tools: [
              {
                name: request.tool.name,
                description: request.tool.description,
                input_schema: { type: 'object' as const, ...request.tool.inputSchema },
              },
            ],
            tool_choice: { type: 'tool' as const, name: request.tool.name, disable_parallel_tool_use: true },
          }
        : {}),
    };
  }

  async function* stream(
    request: ChatRequest,
    callOptions: ChatCallOptions = {},
  ): AsyncGenerator<ChatStreamEvent> {
    let usage = emptyUsage();
    let model = options.model;
    let stopReason: string | null = null;
    try {
      const events = await client.messages.create(
        { ...body(request), stream: true },
        { signal: callOptions.signal ?? null, maxRetries: 0 },
      );
      callOptions.onResponse?.();
      for await (const event of events as AsyncIterable<RawMessageStreamEvent>) {
        switch (event.type) {
          case 'message_start':
            model = event.message.model;
            usage = usageOf(event.message.usage, usage);
            break;
          case 'content_block_delta':
            if (event.delta.type === 'text_delta' && event.delta.text && !request.tool)
              yield { type: 'text', text: event.delta.text };
            else if (event.delta.type === 'input_json_delta' && event.delta.partial_json && request.tool)
              yield { type: 'text', text: event.delta.partial_json };
            break;
          case 'message_delta':
            usage = usageOf(event.usage, usage);
            stopReason = event.delta.stop_reason ?? null;
            break;
          case 'message_stop':
            yield { type: 'done', usage, model, stopReason };
            return;
          default:
            break;
        }
      }
    } catch (error) {
      if (error instanceof APIError && error.status !== undefined) callOptions.onResponse?.();
      throw toModelError(error);
    }
    throw new ModelError('stream-interrupted', 'The Anthropic stream ended before message_stop.');
  }

  return {
    id,
    provider: 'anthropic',
    model: options.model,
    stream,
    async generate(request: ChatRequest, callOptions: ChatCallOptions = {}): Promise<ChatResult> {
      try {
        const message = await client.messages.create(
          { ...body(request), stream: false },
          { signal: callOptions.signal ?? null, maxRetries: 0 },
        );
        callOptions.onResponse?.();
        const text = request.tool
          ? message.content
              .map((block) =>
                block.type === 'tool_use' && block.name === request.tool?.name
                  ? JSON.stringify(block.input)
                  : '',
              )
              .join('')
          : message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
        return {
          text,
          usage: usageOf(message.usage, emptyUsage()),
          model: message.model,
          stopReason: message.stop_reason,
        };
      } catch (error) {
        if (error instanceof APIError && error.status !== undefined) callOptions.onResponse?.();
        throw toModelError(error);
      }
    },
  };
}

/**
 * Any OpenAI-compatible chat completions endpoint: vLLM, Ollama, a Russian cloud's compatible
 * API. Under 152-FZ many teams may not send customer text abroad; this is how they run Naparnik
 * on a model in the country.
 *
 * `createOpenAICompatibleModel({baseURL, apiKey?, model, fetch?})` → ChatModel.
 * `POST {baseURL}/chat/completions` with `stream: true` and `stream_options.include_usage`;
 * the SSE chunks carry `choices[0].delta.content`, the last one (empty `choices`) the usage;
 * `data: [DONE]` ends the stream. One attempt per call; `withResilience` retries.
 * A request with a `tool` sends it as the one function in `tools` with `tool_choice` naming it;
 * the call's `function.arguments` (streamed in `delta.tool_calls` fragments) are the answer's text;
 * `content` beside the call is dropped, and an answer without the call has empty text. Tool
 * calling is what vLLM and Ollama support most widely, so no `response_format` (decision 0043).
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { z } from 'zod';
import type {
  ChatCallOptions,
  ChatModel,
  ChatRequest,
  ChatResult,
  ChatStreamEvent,
  ChatUsage,
} from './chat-model.ts';
import { emptyUsage } from './chat-model.ts';
import { codeForStatus, ModelError, retryAfterMs } from './model-error.ts';

export interface OpenAICompatibleModelOptions {
  /** Up to and including the version segment, e.g. `http://127.0.0.1:8000/v1`. */
  baseURL: string;
  /** Sent as `Authorization: Bearer …`; local servers often need none. */
  apiKey?: string | undefined;
  model: string;
  fetch?: typeof fetch;
}

const usageSchema = z.object({
  prompt_tokens: z.number().int().nonnegative().default(0),
  completion_tokens: z.number().int().nonnegative().default(0),
  prompt_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative().nullish() }).nullish(),
});

const toolCallsSchema = z
  .array(
    z.object({
      /** Which call a streamed fragment belongs to; only the first (forced) call is read. */
      index: z.number().int().nullish(),
      function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
    }),
  )
  .nullish();

const chunkSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        delta: z.object({ content: z.string().nullish(), tool_calls: toolCallsSchema }).partial().nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .default([]),
  usage: usageSchema.nullish(),
  error: z.object({ message: z.string().nullish(), type: z.string().nullish() }).nullish(),
});

const completionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish(), tool_calls: toolCallsSchema }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: usageSchema.nullish(),
});

/** Cached prompt tokens are part of `prompt_tokens` here; ours keeps them apart. */
function usageOf(usage: z.infer<typeof usageSchema>): ChatUsage {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    inputTokens: Math.max(0, usage.prompt_tokens - cached),
    outputTokens: usage.completion_tokens,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
  };
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

export function createOpenAICompatibleModel(options: OpenAICompatibleModelOptions): ChatModel {
  const url = `${options.baseURL.replace(/\/+$/u, '')}/chat/completions`;
  const id = `openai-compatible:${options.model}`;

  function body(request: ChatRequest, streaming: boolean) {
    return {
      model: options.model,
      messages: [
        { role: 'system', content: request.system },
        ...request.messages.map((message) => ({ role: message.role, content: message.content })),
      ],
      max_tokens: request.maxTokens,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.tool
        ? {
            tools: [
              {
                type: 'function',
                function: {
                  name: request.tool.name,
                  description: request.tool.description,
                  parameters: { type: 'object', ...request.tool.inputSchema },
                },
              },
            ],
            tool_choice: { type: 'function', function: { name: request.tool.name } },
          }
        : {}),
      ...(streaming ? { stream: true, stream_options: { include_usage: true } } : {}),
    };
  }

  async function post(
    request: ChatRequest,
    streaming: boolean,
    { signal, onResponse }: ChatCallOptions,
  ): Promise<Response> {
    let response: Response;
    try {
      // The global fetch is looked up per call, so instrumentation installed later still sees it.
      response = await (options.fetch ?? globalThis.fetch)(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: streaming ? 'text/event-stream' : 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify(body(request, streaming)),
        signal: signal ?? null,
      });
    } catch (error) {
      if (isAbort(error)) throw new ModelError('cancelled', 'Aborted.', { cause: error });
      throw new ModelError('network', `Could not reach ${new URL(url).host}.`, { cause: error });
    }
    onResponse?.();
    if (!response.ok) {
      // The body may hold the provider's explanation; read it so the connection is freed, never log it.
      await response.text().catch(() => '');
      throw new ModelError(
        codeForStatus(response.status),
        `${new URL(url).host} answered ${response.status}.`,
        {
          status: response.status,
          retryAfterMs: retryAfterMs(response.headers),
        },
      );
    }
    return response;
  }

  async function* stream(
    request: ChatRequest,
    callOptions: ChatCallOptions = {},
  ): AsyncGenerator<ChatStreamEvent> {
    const response = await post(request, true, callOptions);
    if (!response.body) throw new ModelError('invalid-response', 'The stream has no body.');
    let usage: ChatUsage | undefined;
    let model = options.model;
    let stopReason: string | null = null;
    const events = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream());
    try {
      for await (const event of events) {
        if (event.data.trim() === '[DONE]') {
          yield { type: 'done', usage: usage ?? emptyUsage(), model, stopReason };
          return;
        }
        let chunk: z.infer<typeof chunkSchema>;
        try {
          chunk = chunkSchema.parse(JSON.parse(event.data));
        } catch (error) {
          throw new ModelError('invalid-response', 'A stream chunk was not a chat completion chunk.', {
            cause: error,
          });
        }
        if (chunk.error) throw new ModelError('server-error', 'The stream reported an error.');
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = usageOf(chunk.usage);
        const choice = chunk.choices[0];
        if (choice?.finish_reason) stopReason = choice.finish_reason;
        const text = request.tool
          ? (choice?.delta?.tool_calls ?? [])
              .filter((call) => (call.index ?? 0) === 0)
              .map((call) => call.function?.arguments ?? '')
              .join('')
          : choice?.delta?.content;
        if (text) yield { type: 'text', text };
      }
    } catch (error) {
      if (ModelError.isInstance(error)) throw error;
      if (isAbort(error)) throw new ModelError('cancelled', 'Aborted.', { cause: error });
      throw new ModelError('network', 'The stream broke off.', { cause: error });
    }
    throw new ModelError('stream-interrupted', 'The stream ended before [DONE].');
  }

  return {
    id,
    provider: 'openai-compatible',
    model: options.model,
    stream,
    async generate(request: ChatRequest, callOptions: ChatCallOptions = {}): Promise<ChatResult> {
      const response = await post(request, false, callOptions);
      let parsed: z.infer<typeof completionSchema>;
      try {
        parsed = completionSchema.parse(await response.json());
      } catch (error) {
        if (isAbort(error)) throw new ModelError('cancelled', 'Aborted.', { cause: error });
        throw new ModelError('invalid-response', 'The answer was not a chat completion.', { cause: error });
      }
      const choice = parsed.choices[0]!;
      return {
        text: request.tool
          ? (choice.message.tool_calls?.[0]?.function?.arguments ?? '')
          : (choice.message.content ?? ''),
        usage: parsed.usage ? usageOf(parsed.usage) : emptyUsage(),
        model: parsed.model ?? options.model,
        stopReason: choice.finish_reason ?? null,
      };
    },
  };
}

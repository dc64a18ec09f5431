/**
 * msw handlers standing in for the Anthropic Messages API and an OpenAI-compatible chat
 * completions API. Neither can be reached from this machine or CI, so tests run the real
 * providers (the Anthropic SDK, our fetch + SSE parser) against these.
 *
 * The shapes follow the providers' documentation:
 * - Anthropic `POST /v1/messages` with `stream: true` answers `text/event-stream` frames
 *   `message_start` (usage with cache reads/writes), `content_block_start`, `ping`,
 *   `content_block_delta` (`text_delta`)…, `content_block_stop`, `message_delta` (stop_reason,
 *   cumulative usage), `message_stop`; a failure mid-stream is an `error` event; HTTP errors are
 *   `{"type": "error", "error": {"type": "rate_limit_error" | "overloaded_error" | "api_error", …}}`
 *   with 429 (+ `retry-after`), 529, 500.
 * - OpenAI `POST /chat/completions` with `stream: true` answers `data: {chunk}` frames with
 *   `choices[0].delta.content`, a chunk with `finish_reason`, a last chunk with empty `choices`
 *   and `usage` (when `stream_options.include_usage`), then `data: [DONE]`.
 *
 * - A request that forces a tool (Anthropic `tool_choice: {type: 'tool', name}`, OpenAI
 *   `tool_choice: {type: 'function', function: {name}}`) gets the deltas as the tool call's input:
 *   Anthropic `content_block_start` with a `tool_use` block, `input_json_delta` fragments,
 *   `stop_reason: "tool_use"` (non-streaming: a `tool_use` content block with the parsed `input`);
 *   OpenAI `delta.tool_calls[0].function.arguments` fragments, `finish_reason: "tool_calls"`
 *   (non-streaming: `message.tool_calls`). `withoutToolCall` answers such a request in prose.
 *
 * Each API takes a script: one behaviour per request in order (the last one repeats), so a test
 * says "429, then 529, then a reply" and counts the requests that arrived.
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { loadConfig } from '../../config.ts';
import { type ChatModels, createChatModels } from '../create-chat-models.ts';
import { ModelError } from '../model-error.ts';

export const ANTHROPIC_BASE_URL = 'https://anthropic.test';
export const OPENAI_BASE_URL = 'https://llm.test/v1';

export interface Usage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export type Behaviour =
  /** A full answer, sent as these deltas; `firstDelayMs` before the first text. */
  | {
      kind: 'reply';
      deltas: string[];
      usage?: Usage;
      firstDelayMs?: number;
      model?: string;
      truncated?: boolean;
      /**
       * Answer in prose even though the request forces a tool: what a model (or an in-country
       * server) that ignores `tool_choice` sends — a text block / `delta.content`, no tool call.
       */
      withoutToolCall?: boolean;
    }
  /** An HTTP error with the provider's error body. */
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  /** The connection fails before any response. */
  | { kind: 'network-error' }
  /** Some deltas, then the stream ends without its final event. */
  | { kind: 'cut'; deltas: string[] }
  /** Some deltas, then the provider's mid-stream error (Anthropic `error` event). */
  | { kind: 'error-event'; deltas: string[]; errorType: string }
  /** No response at all until the client gives up. */
  | { kind: 'hang' }
  /** Some deltas, then nothing until the client gives up. */
  | { kind: 'stall'; deltas: string[] };

export interface RecordedRequest {
  url: string;
  /** Aborted once the client has given the request up. */
  signal: AbortSignal;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface ScriptedApi {
  handler: ReturnType<typeof http.post>;
  requests: RecordedRequest[];
  /** Replaces the script (and forgets every tool's own); the last behaviour repeats. */
  script(...behaviours: Behaviour[]): void;
  /**
   * A script of its own for the requests that force `tool` (`report_summary`…), whatever order
   * they arrive in beside the others: calls that go out at once (the draft, the summary, the next
   * actions) are answered by what they ask, not by who came first. Until `script` is called again.
   */
  scriptTool(tool: string, ...behaviours: Behaviour[]): void;
}

const encoder = new TextEncoder();

/**
 * Stream responses are chunked, as the real APIs send them: a close-delimited body would
 * "complete" when msw closes the socket of an aborted request, which trips an undici assertion.
 */
const STREAM_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'transfer-encoding': 'chunked',
};

function wait(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** A body that sends `frames` in order; a number is a pause; `hold` keeps it open until abort. */
function streamOf(frames: Array<string | number | 'hold'>, signal: AbortSignal): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async start(controller) {
      for (const frame of frames) {
        if (signal.aborted) break;
        if (frame === 'hold') {
          await wait(60_000, signal);
          break;
        }
        if (typeof frame === 'number') await wait(frame, signal);
        else controller.enqueue(encoder.encode(frame));
      }
      if (signal.aborted) {
        controller.error(new Error('The client went away.'));
        return;
      }
      try {
        controller.close();
      } catch {
        // Already cancelled by the client.
      }
    },
  });
}

function headersOf(request: Request): Record<string, string> {
  return Object.fromEntries(
    [...request.headers.entries()].map(([name, value]) => [name.toLowerCase(), value]),
  );
}

function scripted(
  url: string,
  respond: (behaviour: Behaviour, body: Record<string, unknown>, signal: AbortSignal) => Response,
): ScriptedApi {
  let behaviours: Behaviour[] = [{ kind: 'reply', deltas: ['Готово.'] }];
  let served = 0;
  let tools = new Map<string, { behaviours: Behaviour[]; served: number }>();
  const requests: RecordedRequest[] = [];
  const handler = http.post(url, async ({ request }) => {
    const body = (await request.json()) as Record<string, unknown>;
    requests.push({ url: request.url, signal: request.signal, headers: headersOf(request), body });
    const own = tools.get(forcedTool(body) ?? '');
    const script = own ?? { behaviours, served };
    const behaviour = script.behaviours[Math.min(script.served, script.behaviours.length - 1)]!;
    if (own) own.served++;
    else served++;
    if (behaviour.kind === 'network-error') return HttpResponse.error();
    if (behaviour.kind === 'hang') {
      // An API that accepted the connection and went quiet: no headers until the client gives up.
      await wait(60_000, request.signal);
      return HttpResponse.error();
    }
    return respond(behaviour, body, request.signal);
  });
  return {
    handler,
    requests,
    script(...next) {
      behaviours = next;
      served = 0;
      tools = new Map();
    },
    scriptTool(tool, ...next) {
      tools.set(tool, { behaviours: next, served: 0 });
    },
  };
}

/** The tool a request forces the model to call, on either API; undefined without one. */
function forcedTool(body: Record<string, unknown>): string | undefined {
  const choice = body.tool_choice as
    | { type?: string; name?: string; function?: { name?: string } }
    | undefined;
  if (choice?.type === 'tool') return choice.name;
  if (choice?.type === 'function') return choice.function?.name;
  return undefined;
}

// ─── Anthropic ──────────────────────────────────────────────────────────────────────────────────

function anthropicEvent(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function anthropicApi(baseURL = ANTHROPIC_BASE_URL): ScriptedApi {
  return scripted(`${baseURL}/v1/messages`, (behaviour, body, signal) => {
    const model = (behaviour.kind === 'reply' && behaviour.model) || String(body.model);
    if (behaviour.kind === 'status') {
      const type = ANTHROPIC_ERROR_TYPES[behaviour.status] ?? 'api_error';
      return HttpResponse.json(
        { type: 'error', error: { type, message: `${type} (test)` } },
        { status: behaviour.status, headers: { 'request-id': 'req_test', ...behaviour.headers } },
      );
    }
    const usage = behaviour.kind === 'reply' ? behaviour.usage : undefined;
    const start = anthropicEvent('message_start', {
      message: {
        id: 'msg_test',
        type: 'message',
        role: 'assistant',
        content: [],
        model,
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage?.input ?? 10,
          output_tokens: 1,
          cache_read_input_tokens: usage?.cacheRead ?? 0,
          cache_creation_input_tokens: usage?.cacheWrite ?? 0,
        },
      },
    });
    const tool = behaviour.kind === 'reply' && behaviour.withoutToolCall ? undefined : forcedTool(body);
    const open = anthropicEvent('content_block_start', {
      index: 0,
      content_block: tool
        ? { type: 'tool_use', id: 'toolu_test', name: tool, input: {} }
        : { type: 'text', text: '' },
    });
    const deltas = (texts: string[]) =>
      texts.map((text) =>
        anthropicEvent('content_block_delta', {
          index: 0,
          delta: tool ? { type: 'input_json_delta', partial_json: text } : { type: 'text_delta', text },
        }),
      );
    if (body.stream !== true && behaviour.kind === 'reply') {
      return HttpResponse.json({
        id: 'msg_test',
        type: 'message',
        role: 'assistant',
        content: [
          tool
            ? { type: 'tool_use', id: 'toolu_test', name: tool, input: JSON.parse(behaviour.deltas.join('')) }
            : { type: 'text', text: behaviour.deltas.join('') },
        ],
        model,
        stop_reason: tool ? 'tool_use' : 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: usage?.input ?? 10,
          output_tokens: usage?.output ?? 5,
          cache_read_input_tokens: usage?.cacheRead ?? 0,
          cache_creation_input_tokens: usage?.cacheWrite ?? 0,
        },
      });
    }
    let frames: Array<string | number | 'hold'>;
    switch (behaviour.kind) {
      case 'reply':
        frames = [
          start,
          open,
          anthropicEvent('ping', {}),
          ...(behaviour.firstDelayMs ? [behaviour.firstDelayMs] : []),
          ...deltas(behaviour.deltas),
          anthropicEvent('content_block_stop', { index: 0 }),
          anthropicEvent('message_delta', {
            delta: {
              stop_reason: behaviour.truncated ? 'max_tokens' : tool ? 'tool_use' : 'end_turn',
              stop_sequence: null,
            },
            usage: { output_tokens: behaviour.usage?.output ?? 5 },
          }),
          anthropicEvent('message_stop', {}),
        ];
        break;
      case 'cut':
        frames = [start, open, ...deltas(behaviour.deltas)];
        break;
      case 'stall':
        frames = [start, open, ...deltas(behaviour.deltas), 'hold'];
        break;
      case 'error-event':
        frames = [
          start,
          open,
          ...deltas(behaviour.deltas),
          anthropicEvent('error', { error: { type: behaviour.errorType, message: 'Overloaded (test)' } }),
        ];
        break;
      default:
        frames = [start, open, 'hold'];
    }
    return new HttpResponse(streamOf(frames, signal), {
      headers: { ...STREAM_HEADERS, 'request-id': 'req_test' },
    });
  });
}

// ─── OpenAI-compatible ──────────────────────────────────────────────────────────────────────────

function openaiChunk(data: Record<string, unknown>): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1, ...data })}\n\n`;
}

export function openaiApi(baseURL = OPENAI_BASE_URL): ScriptedApi {
  return scripted(`${baseURL}/chat/completions`, (behaviour, body, signal) => {
    const model = (behaviour.kind === 'reply' && behaviour.model) || String(body.model);
    if (behaviour.kind === 'status') {
      return HttpResponse.json(
        { error: { message: `status ${behaviour.status} (test)`, type: 'server_error', code: null } },
        { status: behaviour.status, headers: behaviour.headers ?? {} },
      );
    }
    const usage = behaviour.kind === 'reply' ? behaviour.usage : undefined;
    const usageBody = {
      prompt_tokens: (usage?.input ?? 10) + (usage?.cacheRead ?? 0),
      completion_tokens: usage?.output ?? 5,
      total_tokens: (usage?.input ?? 10) + (usage?.cacheRead ?? 0) + (usage?.output ?? 5),
      prompt_tokens_details: { cached_tokens: usage?.cacheRead ?? 0 },
    };
    const tool = behaviour.kind === 'reply' && behaviour.withoutToolCall ? undefined : forcedTool(body);
    const call = (args: string) => ({
      index: 0,
      ...(args === '' ? { id: 'call_test', type: 'function' } : {}),
      function: args === '' ? { name: tool, arguments: '' } : { arguments: args },
    });
    if (body.stream !== true && behaviour.kind === 'reply') {
      const args = behaviour.deltas.join('');
      return HttpResponse.json({
        id: 'chatcmpl-test',
        object: 'chat.completion',
        created: 1,
        model,
        choices: [
          {
            index: 0,
            message: tool
              ? {
                  role: 'assistant',
                  content: null,
                  tool_calls: [
                    { id: 'call_test', type: 'function', function: { name: tool, arguments: args } },
                  ],
                }
              : { role: 'assistant', content: args },
            finish_reason: tool ? 'tool_calls' : 'stop',
          },
        ],
        usage: usageBody,
      });
    }
    const role = openaiChunk({
      model,
      choices: [
        {
          index: 0,
          delta: tool
            ? { role: 'assistant', content: null, tool_calls: [call('')] }
            : { role: 'assistant', content: '' },
          finish_reason: null,
        },
      ],
    });
    const deltas = (texts: string[]) =>
      texts.map((content) =>
        openaiChunk({
          model,
          choices: [
            { index: 0, delta: tool ? { tool_calls: [call(content)] } : { content }, finish_reason: null },
          ],
        }),
      );
    let frames: Array<string | number | 'hold'>;
    switch (behaviour.kind) {
      case 'reply':
        frames = [
          role,
          ...(behaviour.firstDelayMs ? [behaviour.firstDelayMs] : []),
          ...deltas(behaviour.deltas),
          openaiChunk({
            model,
            choices: [
              {
                index: 0,
                delta: {},
                finish_reason: behaviour.truncated ? 'length' : tool ? 'tool_calls' : 'stop',
              },
            ],
          }),
          ...(body.stream_options && (body.stream_options as { include_usage?: boolean }).include_usage
            ? [openaiChunk({ model, choices: [], usage: usageBody })]
            : []),
          'data: [DONE]\n\n',
        ];
        break;
      case 'cut':
        frames = [role, ...deltas(behaviour.deltas)];
        break;
      case 'stall':
        frames = [role, ...deltas(behaviour.deltas), 'hold'];
        break;
      case 'error-event':
        frames = [
          role,
          ...deltas(behaviour.deltas),
          `data: ${JSON.stringify({ error: { message: 'overloaded', type: behaviour.errorType } })}\n\n`,
        ];
        break;
      default:
        frames = [role, 'hold'];
    }
    return new HttpResponse(streamOf(frames, signal), {
      headers: STREAM_HEADERS,
    });
  });
}

/**
 * The faults every model-backed stage must answer offline, with the `degraded` reason each gives
 * when the stage's models are built with no retries and a short first-token timeout
 * (`FAULT_SETTINGS`).
 */
export const API_FAULTS: ReadonlyArray<{ fault: string; behaviour: Behaviour; reason: string }> = [
  {
    fault: '429 with retry-after',
    behaviour: { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
    reason: 'rate-limited',
  },
  { fault: '500', behaviour: { kind: 'status', status: 500 }, reason: 'server-error' },
  { fault: 'no first token in time', behaviour: { kind: 'hang' }, reason: 'timeout-first-token' },
];

export const FAULT_SETTINGS: Readonly<Record<string, string>> = {
  NAPARNIK_MODEL_MAX_RETRIES: '0',
  NAPARNIK_MODEL_FIRST_TOKEN_TIMEOUT_MS: '150',
};

/** The ModelError a promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function modelFailureOf(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!ModelError.isInstance(error)) throw new Error(`expected a ModelError, got ${String(error)}`);
  return error;
}

/**
 * For a test file: both APIs behind one msw server, listening for the file's tests; after each
 * test each API's script goes back to `reset` (a plain reply by default).
 */
export function useModelApis(reset: Behaviour = { kind: 'reply', deltas: ['Готово.'] }): {
  anthropic: ScriptedApi;
  openai: ScriptedApi;
  /** Both, for `describe.each`: the provider, the engine id responses record, its API. */
  providers: Array<{ provider: 'anthropic' | 'openai-compatible'; engine: string; api: ScriptedApi }>;
} {
  const anthropic = anthropicApi();
  const openai = openaiApi();
  const server = setupServer(anthropic.handler, openai.handler);
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    anthropic.script(reset);
    openai.script(reset);
  });
  afterAll(() => server.close());
  return {
    anthropic,
    openai,
    providers: [
      { provider: 'anthropic', engine: 'claude', api: anthropic },
      { provider: 'openai-compatible', engine: 'openai-compatible', api: openai },
    ],
  };
}

/**
 * The models the service builds from its configuration (the resilient wrapper, retries, the
 * breaker) pointed at one of the msw APIs: `anthropic` (the SDK) or `openai-compatible`.
 * `settings` go on top: short timeouts and retries for fault tests.
 */
export function chatModelsAt(
  provider: 'anthropic' | 'openai-compatible',
  settings: Record<string, string> = {},
): ChatModels {
  const { models } = loadConfig({
    ...(provider === 'anthropic'
      ? { ANTHROPIC_API_KEY: 'sk-ant-test-key-not-real', ANTHROPIC_BASE_URL }
      : { NAPARNIK_OPENAI_BASE_URL: OPENAI_BASE_URL, NAPARNIK_OPENAI_MODEL: 'qwen3-32b' }),
    NAPARNIK_MODEL_RETRY_BASE_MS: '1',
    NAPARNIK_MODEL_RETRY_MAX_MS: '5',
    ...settings,
  });
  const built = createChatModels(models);
  if (!built) throw new Error(`no models for ${provider}`);
  return built;
}

/**
 * A deterministic stand-in for the Anthropic Messages API and an OpenAI-compatible chat
 * completions API, for the two places that need a model and cannot reach one: the evals'
 * synthetic cassettes and `pnpm bench assist --engine claude`. It is NOT a language model and
 * its text is not model output: it copies the first sentences of the numbered sources the reply
 * prompt sends, cites them as [n], and counts tokens as characters / 4. What it gets right is the
 * wire format, from the providers' documentation (the same shapes as test-support/model-apis.ts):
 *
 * - Anthropic `POST …/v1/messages`, `stream: true`: `text/event-stream` with `message_start`
 *   (usage incl. `cache_read_input_tokens` / `cache_creation_input_tokens`), `content_block_start`,
 *   `ping`, `content_block_delta` (`text_delta`)…, `content_block_stop`, `message_delta`
 *   (stop_reason, output tokens), `message_stop`; `stream: false` answers one `message` object.
 * - OpenAI `POST …/chat/completions`, `stream: true`: `data: {chat.completion.chunk}` frames, a
 *   chunk with `finish_reason`, a usage chunk when `stream_options.include_usage`, `data: [DONE]`.
 *
 * - A request that forces a tool gets a `tool_use` block (Anthropic, `input_json_delta` fragments)
 *   or `tool_calls` (OpenAI) with the smallest input the tool's schema allows.
 *
 * Prompt caching is simulated as the providers describe it: the first request with a system
 * prompt writes it to the cache, later ones with the same system prompt read it.
 */
import { createHash } from 'node:crypto';

export type SimulatedEndpoint = 'anthropic-messages' | 'openai-chat-completions';

export interface SimulatedResponse {
  status: number;
  headers: Record<string, string>;
  /** The body in the frames a streaming API sends them in (one frame for a JSON body). */
  frames: string[];
  /** Index of the frame that carries the first text: the time to first token is spent before it. */
  firstTextFrame: number;
}

export interface ModelSimulator {
  respond(endpoint: SimulatedEndpoint, body: unknown): SimulatedResponse;
}

/** Marks every simulated response, so nothing downstream can take it for a model's answer. */
export const SIMULATED_HEADER = 'x-naparnik-simulated';

/** Which API a request path belongs to, or undefined. */
export function endpointOf(pathname: string): SimulatedEndpoint | undefined {
  if (pathname.endsWith('/v1/messages')) return 'anthropic-messages';
  if (pathname.endsWith('/chat/completions')) return 'openai-chat-completions';
  return undefined;
}

const SOURCE = /<source n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/source>/gu;
const SENTENCE = /[^.!?…]+[.!?…]+/gu;

const tokensOf = (text: string) => Math.ceil(text.length / 4);

interface Prompt {
  system: string;
  user: string;
  stream: boolean;
  model: string;
  includeUsage: boolean;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : ''))
      .join('\n');
  return '';
}

function promptOf(endpoint: SimulatedEndpoint, body: unknown): Prompt {
  const request = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const messages = Array.isArray(request.messages)
    ? (request.messages as Array<Record<string, unknown>>)
    : [];
  const system =
    endpoint === 'anthropic-messages'
      ? textOf(request.system)
      : messages
          .filter((message) => message.role === 'system')
          .map((message) => textOf(message.content))
          .join('\n');
  const user = messages
    .filter((message) => message.role !== 'system')
    .map((message) => textOf(message.content))
    .join('\n');
  const streamOptions = request.stream_options as { include_usage?: boolean } | undefined;
  return {
    system,
    user,
    stream: request.stream === true,
    model: typeof request.model === 'string' ? request.model : 'simulated',
    includeUsage: streamOptions?.include_usage === true,
  };
}

function firstSentences(text: string, count: number): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const sentences = flat.match(SENTENCE) ?? [flat];
  return sentences
    .slice(0, count)
    .map((sentence) => sentence.trim())
    .join(' ');
}

/** The simulated "reply": sentences of the sources, cited; a clarifying question without any. */
function replyOf(prompt: Prompt): string {
  const english = /(?:Язык ответа|language):\s*en\b/iu.test(prompt.user);
  const hurry = /Клиент торопится: да/u.test(prompt.user);
  const limit = Number(/Наибольшая длина ответа: (\d+)/u.exec(prompt.user)?.[1] ?? 1200);
  const sources = [...prompt.user.matchAll(SOURCE)].map((match) => ({
    number: Number(match[1]),
    text: match[2] ?? '',
  }));
  const greeting = english ? 'Hello!' : 'Здравствуйте!';
  if (sources.length === 0) {
    return english
      ? `${greeting} Could you tell me a little more about your question, so that I can check it?`
      : `${greeting} Уточните, пожалуйста, подробнее, что случилось, — я проверю и вернусь с ответом.`;
  }
  const parts = [greeting];
  for (const source of sources.slice(0, hurry ? 1 : 2)) {
    const sentence = firstSentences(source.text, hurry ? 1 : 2);
    if (sentence) parts.push(`${sentence} [${source.number}]`);
  }
  let reply = parts.join(' ');
  while (reply.length > limit && parts.length > 2) {
    parts.pop();
    reply = parts.join(' ');
  }
  return reply.length > limit ? reply.slice(0, limit) : reply;
}

/**
 * A request that forces a tool (the only structured output the service asks for) gets the
 * smallest input its schema allows; the simulator does not judge drafts or summarise.
 */
function structuredReplyOf(body: unknown): string | undefined {
  const tool = toolOf((body && typeof body === 'object' ? body : {}) as Record<string, unknown>);
  return tool ? JSON.stringify(smallestOf(tool.schema)) : undefined;
}

/** The tool a request forces (Anthropic `tool_choice: {type: 'tool'}`, OpenAI `{type: 'function'}`). */
function toolOf(request: Record<string, unknown>): { name: string; schema: unknown } | undefined {
  const choice = request.tool_choice as
    | { type?: string; name?: string; function?: { name?: string } }
    | undefined;
  const name = choice?.type === 'tool' ? choice.name : choice?.function?.name;
  if (!name || !Array.isArray(request.tools)) return undefined;
  for (const tool of request.tools as Array<Record<string, unknown>>) {
    const declared = (tool.function ?? tool) as Record<string, unknown>;
    if (declared.name === name) return { name, schema: declared.input_schema ?? declared.parameters };
  }
  return undefined;
}

/** The smallest value of a JSON schema: required properties only, empty arrays, the shortest strings. */
function smallestOf(schema: unknown): unknown {
  const node = (schema && typeof schema === 'object' ? schema : {}) as Record<string, unknown>;
  if (node.type === 'array') return [];
  if (node.type === 'string')
    return Array.isArray(node.enum) ? node.enum[0] : '…'.repeat(Number(node.minLength ?? 0));
  if (node.type === 'number' || node.type === 'integer') return 0;
  if (node.type === 'boolean') return false;
  const properties = (node.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(node.required) ? (node.required as string[]) : [];
  return Object.fromEntries(required.map((key) => [key, smallestOf(properties[key])]));
}

/** Deltas of a few words each, as models send them. */
function deltasOf(text: string): string[] {
  const words = text.split(/(?<=\s)/u);
  const deltas: string[] = [];
  for (let index = 0; index < words.length; index += 3) deltas.push(words.slice(index, index + 3).join(''));
  return deltas;
}

const anthropicEvent = (type: string, data: Record<string, unknown>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

function openaiChunk(id: string, data: Record<string, unknown>): string {
  return `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, ...data })}\n\n`;
}

export function createModelSimulator(): ModelSimulator {
  const cachedPrefixes = new Set<string>();
  return {
    respond(endpoint, body) {
      const prompt = promptOf(endpoint, body);
      const tool = toolOf((body && typeof body === 'object' ? body : {}) as Record<string, unknown>);
      const text = structuredReplyOf(body) ?? replyOf(prompt);
      const id = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 24);
      const prefix = createHash('sha256').update(prompt.system).digest('hex');
      const systemTokens = tokensOf(prompt.system);
      const cached = cachedPrefixes.has(prefix);
      cachedPrefixes.add(prefix);
      const usage = {
        input: tokensOf(prompt.user),
        output: tokensOf(text),
        cacheRead: cached ? systemTokens : 0,
        cacheWrite: cached ? 0 : systemTokens,
      };
      const deltas = deltasOf(text);
      if (endpoint === 'anthropic-messages') {
        const anthropicUsage = {
          input_tokens: usage.input,
          output_tokens: usage.output,
          cache_read_input_tokens: usage.cacheRead,
          cache_creation_input_tokens: usage.cacheWrite,
        };
        const message = {
          id: `msg_sim_${id}`,
          type: 'message',
          role: 'assistant',
          model: prompt.model,
          stop_sequence: null,
        };
        if (!prompt.stream) {
          return json({
            ...message,
            content: [
              tool
                ? { type: 'tool_use', id: `toolu_sim_${id}`, name: tool.name, input: JSON.parse(text) }
                : { type: 'text', text },
            ],
            stop_reason: tool ? 'tool_use' : 'end_turn',
            usage: anthropicUsage,
          });
        }
        const frames = [
          anthropicEvent('message_start', {
            message: {
              ...message,
              content: [],
              stop_reason: null,
              usage: { ...anthropicUsage, output_tokens: 1 },
            },
          }),
          anthropicEvent('content_block_start', {
            index: 0,
            content_block: tool
              ? { type: 'tool_use', id: `toolu_sim_${id}`, name: tool.name, input: {} }
              : { type: 'text', text: '' },
          }),
          anthropicEvent('ping', {}),
          ...deltas.map((delta) =>
            anthropicEvent('content_block_delta', {
              index: 0,
              delta: tool
                ? { type: 'input_json_delta', partial_json: delta }
                : { type: 'text_delta', text: delta },
            }),
          ),
          anthropicEvent('content_block_stop', { index: 0 }),
          anthropicEvent('message_delta', {
            delta: { stop_reason: tool ? 'tool_use' : 'end_turn', stop_sequence: null },
            usage: { output_tokens: usage.output },
          }),
          anthropicEvent('message_stop', {}),
        ];
        return stream(frames, 3);
      }
      const openaiUsage = {
        prompt_tokens: usage.input + systemTokens,
        completion_tokens: usage.output,
        total_tokens: usage.input + systemTokens + usage.output,
        prompt_tokens_details: { cached_tokens: usage.cacheRead },
      };
      const chatId = `chatcmpl-sim-${id}`;
      if (!prompt.stream) {
        return json({
          id: chatId,
          object: 'chat.completion',
          created: 0,
          model: prompt.model,
          choices: [
            {
              index: 0,
              message: tool
                ? {
                    role: 'assistant',
                    content: null,
                    tool_calls: [
                      {
                        id: `call_sim_${id}`,
                        type: 'function',
                        function: { name: tool.name, arguments: text },
                      },
                    ],
                  }
                : { role: 'assistant', content: text },
              finish_reason: tool ? 'tool_calls' : 'stop',
            },
          ],
          usage: openaiUsage,
        });
      }
      const model = prompt.model;
      const frames = [
        openaiChunk(chatId, {
          model,
          choices: [
            {
              index: 0,
              delta: tool
                ? {
                    role: 'assistant',
                    content: null,
                    tool_calls: [
                      {
                        index: 0,
                        id: `call_sim_${id}`,
                        type: 'function',
                        function: { name: tool.name, arguments: '' },
                      },
                    ],
                  }
                : { role: 'assistant', content: '' },
              finish_reason: null,
            },
          ],
        }),
        ...deltas.map((content) =>
          openaiChunk(chatId, {
            model,
            choices: [
              {
                index: 0,
                delta: tool ? { tool_calls: [{ index: 0, function: { arguments: content } }] } : { content },
                finish_reason: null,
              },
            ],
          }),
        ),
        openaiChunk(chatId, {
          model,
          choices: [{ index: 0, delta: {}, finish_reason: tool ? 'tool_calls' : 'stop' }],
        }),
        ...(prompt.includeUsage ? [openaiChunk(chatId, { model, choices: [], usage: openaiUsage })] : []),
        'data: [DONE]\n\n',
      ];
      return stream(frames, 1);
    },
  };
}

function json(body: unknown): SimulatedResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json', [SIMULATED_HEADER]: 'true' },
    frames: [JSON.stringify(body)],
    firstTextFrame: 0,
  };
}

function stream(frames: string[], firstTextFrame: number): SimulatedResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', [SIMULATED_HEADER]: 'true' },
    frames,
    firstTextFrame,
  };
}

/** The simulator as a `fetch` for the providers' `fetch` option: no network, no delay. */
export function createSimulatedFetch(simulator: ModelSimulator = createModelSimulator()): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const endpoint = endpointOf(new URL(request.url).pathname);
    if (!endpoint || request.method !== 'POST') {
      return new Response(JSON.stringify({ error: 'not simulated' }), { status: 404 });
    }
    const response = simulator.respond(endpoint, await request.json());
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const frame of response.frames) controller.enqueue(encoder.encode(frame));
        controller.close();
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

// No OpenAI-compatible server runs here or in CI: the provider talks to msw handlers written
// from the documented chat completions request, response and SSE chunk shapes.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectStream } from './chat-model.ts';
import { createOpenAICompatibleModel } from './openai-compatible-model.ts';
import { modelFailureOf, OPENAI_BASE_URL, openaiApi } from './test-support/model-apis.ts';

const api = openaiApi();
const server = setupServer(api.handler);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => api.script({ kind: 'reply', deltas: ['Готово.'] }));
afterAll(() => server.close());

const API_KEY = 'yc-test-key-0123456789';
const model = createOpenAICompatibleModel({
  baseURL: `${OPENAI_BASE_URL}/`,
  apiKey: API_KEY,
  model: 'qwen-ru-32b',
});
const request = {
  system: 'Ты — помощник оператора.',
  messages: [{ role: 'user' as const, content: 'Где мой заказ?' }],
  maxTokens: 200,
  temperature: 0.2,
};

describe('createOpenAICompatibleModel', () => {
  it('streams choices[0].delta.content, then the usage chunk with cached tokens kept apart', async () => {
    api.script({
      kind: 'reply',
      deltas: ['Здравствуйте! ', 'Заказ в пути.'],
      usage: { input: 30, output: 9, cacheRead: 500 },
    });
    const events = [];
    for await (const event of model.stream(request)) events.push(event);
    expect(events.filter((event) => event.type === 'text').map((event) => event.text)).toEqual([
      'Здравствуйте! ',
      'Заказ в пути.',
    ]);
    expect(events.at(-1)).toEqual({
      type: 'done',
      model: 'qwen-ru-32b',
      stopReason: 'stop',
      usage: { inputTokens: 30, outputTokens: 9, cacheReadTokens: 500, cacheWriteTokens: 0 },
    });
  });

  it('posts to {baseURL}/chat/completions with stream_options.include_usage and a bearer key', async () => {
    await collectStream(model.stream(request));
    const sent = api.requests.at(-1)!;
    expect(sent.url).toBe(`${OPENAI_BASE_URL}/chat/completions`);
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.body).toEqual({
      model: 'qwen-ru-32b',
      messages: [
        { role: 'system', content: 'Ты — помощник оператора.' },
        { role: 'user', content: 'Где мой заказ?' },
      ],
      max_tokens: 200,
      temperature: 0.2,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends no authorization header to a local server without a key', async () => {
    const local = createOpenAICompatibleModel({ baseURL: OPENAI_BASE_URL, model: 'llama-local' });
    await collectStream(local.stream(request));
    expect(api.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('generates with a plain chat completion', async () => {
    api.script({ kind: 'reply', deltas: ['Один ', 'ответ'], usage: { input: 4, output: 2 } });
    const result = await model.generate(request);
    expect(result).toEqual({
      text: 'Один ответ',
      model: 'qwen-ru-32b',
      stopReason: 'stop',
      usage: { inputTokens: 4, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
    expect(api.requests.at(-1)!.body.stream).toBeUndefined();
  });

  it('turns 429 into rate-limited with retry-after, 503 into overloaded, 502 into server-error', async () => {
    api.script({ kind: 'status', status: 429, headers: { 'retry-after': '2' } });
    const limited = await modelFailureOf(collectStream(model.stream(request)));
    expect([limited.code, limited.retryAfterMs]).toEqual(['rate-limited', 2000]);
    api.script({ kind: 'status', status: 503 });
    expect((await modelFailureOf(collectStream(model.stream(request)))).code).toBe('overloaded');
    api.script({ kind: 'status', status: 502 });
    expect((await modelFailureOf(collectStream(model.stream(request)))).code).toBe('server-error');
  });

  it('turns a connection failure into network and a stream without [DONE] into stream-interrupted', async () => {
    api.script({ kind: 'network-error' });
    expect((await modelFailureOf(collectStream(model.stream(request)))).code).toBe('network');
    api.script({ kind: 'cut', deltas: ['Здравствуйте! Ваш'] });
    expect((await modelFailureOf(collectStream(model.stream(request)))).code).toBe('stream-interrupted');
  });

  it('turns an error chunk in the middle of the stream into server-error', async () => {
    api.script({ kind: 'error-event', deltas: ['Здравствуйте!'], errorType: 'overloaded' });
    expect((await modelFailureOf(collectStream(model.stream(request)))).code).toBe('server-error');
  });

  const tool = {
    name: 'suggest_next_actions',
    description: 'Suggest the next steps.',
    inputSchema: { type: 'object', properties: { actions: { type: 'array' } }, required: ['actions'] },
  };
  const toolInput = JSON.stringify({ actions: [{ type: 'ask', reason: 'Нужен номер заказа' }] });

  it('asks for structured output only by forcing the request’s tool: tools + tool_choice, no response_format', async () => {
    await collectStream(model.stream({ ...request, tool }));
    const sent = api.requests.at(-1)!.body;
    expect(sent.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'suggest_next_actions',
          description: 'Suggest the next steps.',
          parameters: tool.inputSchema,
        },
      },
    ]);
    expect(sent.tool_choice).toEqual({ type: 'function', function: { name: 'suggest_next_actions' } });
    expect(sent).not.toHaveProperty('response_format');
  });

  it('assembles the tool call’s arguments streamed in delta.tool_calls fragments into the answer’s text', async () => {
    const fragments = [toolInput.slice(0, 5), toolInput.slice(5, 30), toolInput.slice(30)];
    api.script({ kind: 'reply', deltas: fragments });
    const events = [];
    for await (const event of model.stream({ ...request, tool })) events.push(event);
    expect(events.filter((event) => event.type === 'text').map((event) => event.text)).toEqual(fragments);
    const result = await collectStream(model.stream({ ...request, tool }));
    expect(JSON.parse(result.text)).toEqual({ actions: [{ type: 'ask', reason: 'Нужен номер заказа' }] });
    expect(result.stopReason).toBe('tool_calls');
    expect(JSON.parse((await model.generate({ ...request, tool })).text)).toEqual(JSON.parse(toolInput));
  });

  it('answers with empty text when the model writes content instead of calling the forced tool', async () => {
    api.script({ kind: 'reply', deltas: ['Нужно уточнить номер заказа.'], withoutToolCall: true });
    expect((await collectStream(model.stream({ ...request, tool }))).text).toBe('');
    expect((await model.generate({ ...request, tool })).text).toBe('');
  });
});

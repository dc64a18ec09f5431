// The Anthropic API cannot be reached from here or from CI: the real SDK talks to msw handlers
// written from the documented Messages API shapes (test-support/model-apis.ts).
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicModel } from './anthropic-model.ts';
import { collectStream } from './chat-model.ts';
import { ANTHROPIC_BASE_URL, anthropicApi, modelFailureOf } from './test-support/model-apis.ts';

const api = anthropicApi();
const server = setupServer(api.handler);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => api.script({ kind: 'reply', deltas: ['Готово.'] }));
afterAll(() => server.close());

const API_KEY = 'sk-ant-test-key-0123456789';
// Built after server.listen(): the SDK takes the global fetch when it is constructed.
let model: ReturnType<typeof createAnthropicModel>;
beforeAll(() => {
  model = createAnthropicModel({ apiKey: API_KEY, baseURL: ANTHROPIC_BASE_URL, model: 'claude-haiku-5-5' });
});
const request = {
  system: 'Ты — помощник оператора. Правила команды: обращение на «Вы».',
  messages: [{ role: 'user' as const, content: 'Где мой заказ?' }],
  maxTokens: 300,
};

describe('createAnthropicModel', () => {
  it('streams text deltas, then usage with cache reads and writes', async () => {
    api.script({
      kind: 'reply',
      deltas: ['Здравствуйте! ', 'Заказ в пути [1].'],
      usage: { input: 40, output: 12, cacheRead: 1800, cacheWrite: 0 },
    });
    const events = [];
    for await (const event of model.stream(request)) events.push(event);
    expect(events.filter((event) => event.type === 'text').map((event) => event.text)).toEqual([
      'Здравствуйте! ',
      'Заказ в пути [1].',
    ]);
    expect(events.at(-1)).toEqual({
      type: 'done',
      model: 'claude-haiku-5-5',
      stopReason: 'end_turn',
      usage: { inputTokens: 40, outputTokens: 12, cacheReadTokens: 1800, cacheWriteTokens: 0 },
    });
  });

  it('sends the system prompt as one block with cache_control, the key, to ANTHROPIC_BASE_URL', async () => {
    await collectStream(model.stream(request));
    const sent = api.requests.at(-1)!;
    expect(sent.url).toBe(`${ANTHROPIC_BASE_URL}/v1/messages`);
    // How the key travels is the SDK's business (1.17 sends `authorization: Bearer`); that it does is ours.
    expect(`${sent.headers['x-api-key'] ?? ''} ${sent.headers.authorization ?? ''}`).toContain(API_KEY);
    expect(sent.headers['anthropic-version']).toBeDefined();
    expect(sent.body).toMatchObject({
      model: 'claude-haiku-5-5',
      max_tokens: 300,
      stream: true,
      system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Где мой заказ?' }],
    });
  });

  const tool = {
    name: 'report_summary',
    description: 'Report the summary.',
    inputSchema: { type: 'object', properties: { issue: { type: 'string' } }, required: ['issue'] },
  };
  const toolInput = JSON.stringify({ issue: 'Заказ 10452378 пришёл с браком' });

  it('asks for structured output only by forcing the request’s tool: tools + tool_choice, no output_config', async () => {
    await collectStream(model.stream({ ...request, tool }));
    const sent = api.requests.at(-1)!.body;
    expect(sent.tools).toEqual([
      { name: 'report_summary', description: 'Report the summary.', input_schema: tool.inputSchema },
    ]);
    expect(sent.tool_choice).toEqual({
      type: 'tool',
      name: 'report_summary',
      disable_parallel_tool_use: true,
    });
    expect(sent).not.toHaveProperty('output_config');
  });

  it('assembles the tool input streamed as input_json_delta fragments into the answer’s text', async () => {
    const fragments = [toolInput.slice(0, 7), toolInput.slice(7, 19), toolInput.slice(19)];
    api.script({ kind: 'reply', deltas: fragments });
    const events = [];
    for await (const event of model.stream({ ...request, tool })) events.push(event);
    expect(events.filter((event) => event.type === 'text').map((event) => event.text)).toEqual(fragments);
    const result = await collectStream(model.stream({ ...request, tool }));
    expect(JSON.parse(result.text)).toEqual({ issue: 'Заказ 10452378 пришёл с браком' });
    expect(result.stopReason).toBe('tool_use');
  });

  it('answers with empty text when the model writes prose instead of calling the forced tool', async () => {
    api.script({ kind: 'reply', deltas: ['Сводка: заказ пришёл с браком.'], withoutToolCall: true });
    expect((await collectStream(model.stream({ ...request, tool }))).text).toBe('');
    expect((await model.generate({ ...request, tool })).text).toBe('');
  });

  it('generates without streaming and reports the same usage fields', async () => {
    api.script({
      kind: 'reply',
      deltas: ['Один ', 'ответ'],
      usage: { input: 7, output: 3, cacheWrite: 900 },
    });
    const result = await model.generate(request);
    expect(result).toEqual({
      text: 'Один ответ',
      model: 'claude-haiku-5-5',
      stopReason: 'end_turn',
      usage: { inputTokens: 7, outputTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 900 },
    });
    expect(api.requests.at(-1)!.body.stream).toBe(false);
  });

  it('turns 429 into rate-limited with the retry-after wait, and makes a single attempt', async () => {
    api.script({ kind: 'status', status: 429, headers: { 'retry-after': '3' } });
    const before = api.requests.length;
    const error = await modelFailureOf(collectStream(model.stream(request)));
    expect(error.code).toBe('rate-limited');
    expect(error.retryAfterMs).toBe(3000);
    expect(error.retryable).toBe(true);
    expect(api.requests.length - before).toBe(1);
  });

  it.each([
    [529, 'overloaded'],
    [500, 'server-error'],
    [401, 'auth'],
    [400, 'bad-request'],
  ] as const)('turns HTTP %i into %s', async (status, code) => {
    api.script({ kind: 'status', status });
    expect((await modelFailureOf(collectStream(model.stream(request)))).code).toBe(code);
  });

  it('turns a connection failure into network', async () => {
    api.script({ kind: 'network-error' });
    expect((await modelFailureOf(collectStream(model.stream(request)))).code).toBe('network');
  });

  it('turns a stream that stops before message_stop into stream-interrupted', async () => {
    api.script({ kind: 'cut', deltas: ['Здравствуйте! Ваш заказ'] });
    expect((await modelFailureOf(collectStream(model.stream(request)))).code).toBe('stream-interrupted');
  });

  it('turns an overloaded_error event in the middle of the stream into overloaded', async () => {
    api.script({ kind: 'error-event', deltas: ['Здравствуйте!'], errorType: 'overloaded_error' });
    expect((await modelFailureOf(collectStream(model.stream(request)))).code).toBe('overloaded');
  });

  it('keeps the API key out of error messages', async () => {
    api.script({ kind: 'status', status: 401 });
    const error = await modelFailureOf(collectStream(model.stream(request)));
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(API_KEY);
  });
});

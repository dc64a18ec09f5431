// Faults of the model APIs, which cannot be reached here: the real providers talk to msw
// handlers that answer as the documented APIs do when they fail (test-support/model-apis.ts).
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createAnthropicModel } from './anthropic-model.ts';
import type { ChatStreamEvent } from './chat-model.ts';
import { createCircuitBreaker } from './circuit-breaker.ts';
import { createOpenAICompatibleModel } from './openai-compatible-model.ts';
import { type ResilienceOptions, withResilience } from './resilient-model.ts';
import {
  ANTHROPIC_BASE_URL,
  modelFailureOf,
  OPENAI_BASE_URL,
  useModelApis,
} from './test-support/model-apis.ts';

const { anthropic, openai } = useModelApis();

const API_KEY = 'sk-ant-secret-for-log-test-42';
const CUSTOMER_TEXT = 'Мой телефон в заказе 10452378 неверный';
const request = {
  system: 'Ты — помощник оператора.',
  messages: [{ role: 'user' as const, content: CUSTOMER_TEXT }],
  maxTokens: 100,
};

function options(overrides: Partial<ResilienceOptions> = {}): ResilienceOptions {
  return {
    firstTokenTimeoutMs: 150,
    totalTimeoutMs: 1_000,
    latencyBudgetMs: 5_000,
    maxRetries: 2,
    retryBaseMs: 1,
    retryMaxMs: 5,
    breaker: createCircuitBreaker({ failureThreshold: 100, openMs: 1_000 }),
    random: () => 0.5,
    ...overrides,
  };
}

function claude(overrides: Partial<ResilienceOptions> = {}) {
  return withResilience(
    createAnthropicModel({ apiKey: API_KEY, baseURL: ANTHROPIC_BASE_URL, model: 'claude-haiku-5-5' }),
    options(overrides),
  );
}

async function eventsOf(stream: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('withResilience', () => {
  it('retries 429 (after its retry-after) and 529, then answers', async () => {
    anthropic.script(
      { kind: 'status', status: 429, headers: { 'retry-after-ms': '5' } },
      { kind: 'status', status: 529 },
      { kind: 'reply', deltas: ['Заказ в пути.'] },
    );
    const before = anthropic.requests.length;
    const result = await claude().generate(request);
    expect(result.text).toBe('Заказ в пути.');
    expect(anthropic.requests.length - before).toBe(3);
  });

  it('gives up after the bounded retries with a typed failure that counts the attempts', async () => {
    anthropic.script({ kind: 'status', status: 500 });
    const before = anthropic.requests.length;
    const error = await modelFailureOf(claude({ maxRetries: 2 }).generate(request));
    expect([error.code, error.attempts]).toEqual(['server-error', 3]);
    expect(anthropic.requests.length - before).toBe(3);
  });

  it('does not wait for a retry-after that would end past the latency budget', async () => {
    anthropic.script({ kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    const before = anthropic.requests.length;
    const error = await modelFailureOf(claude({ latencyBudgetMs: 2_000 }).generate(request));
    expect([error.code, error.retryAfterMs, error.attempts]).toEqual(['rate-limited', 30_000, 1]);
    expect(anthropic.requests.length - before).toBe(1);
  });

  it('abandons an attempt that sends no text before the first-token timeout, and retries', async () => {
    anthropic.script({ kind: 'hang' }, { kind: 'reply', deltas: ['Успели.'] });
    const before = anthropic.requests.length;
    expect((await claude().generate(request)).text).toBe('Успели.');
    expect(anthropic.requests.length - before).toBe(2);
  });

  it('fails with timeout-first-token when no attempt sends text in time', async () => {
    anthropic.script({ kind: 'reply', deltas: ['Поздно.'], firstDelayMs: 2_000 });
    expect((await modelFailureOf(claude({ maxRetries: 0 }).generate(request))).code).toBe(
      'timeout-first-token',
    );
  });

  it('fails with timeout-total when a started answer stalls past the total timeout', async () => {
    anthropic.script({ kind: 'stall', deltas: ['Здравствуйте! Ваш заказ'] });
    const error = await modelFailureOf(claude({ maxRetries: 0, totalTimeoutMs: 300 }).generate(request));
    expect(error.code).toBe('timeout-total');
  });

  it('tells the consumer to drop partial text when a stream cut halfway is retried', async () => {
    anthropic.script(
      { kind: 'cut', deltas: ['Здравствуйте! Ваш заказ '] },
      { kind: 'reply', deltas: ['Заказ ', 'в пути.'] },
    );
    const events = await eventsOf(claude().stream(request));
    expect(events.map((event) => (event.type === 'text' ? event.text : event.type))).toEqual([
      'Здравствуйте! Ваш заказ ',
      'restart',
      'Заказ ',
      'в пути.',
      'done',
    ]);
    expect(events[1]).toEqual({ type: 'restart', reason: 'stream-interrupted' });
  });

  it('retries network errors and mid-stream overloaded events of the OpenAI-compatible provider too', async () => {
    openai.script(
      { kind: 'network-error' },
      { kind: 'error-event', deltas: ['Здрав'], errorType: 'overloaded' },
      { kind: 'reply', deltas: ['Ответ из России.'] },
    );
    const model = withResilience(
      createOpenAICompatibleModel({ baseURL: OPENAI_BASE_URL, model: 'qwen-ru' }),
      options(),
    );
    const before = openai.requests.length;
    expect((await model.generate(request)).text).toBe('Ответ из России.');
    expect(openai.requests.length - before).toBe(3);
  });

  it('does not retry what cannot succeed: a rejected key', async () => {
    anthropic.script({ kind: 'status', status: 401 });
    const before = anthropic.requests.length;
    expect((await modelFailureOf(claude().generate(request))).code).toBe('auth');
    expect(anthropic.requests.length - before).toBe(1);
  });

  it('stops at once when the caller aborts, without retrying or blaming the API', async () => {
    anthropic.script({ kind: 'hang' });
    const breaker = createCircuitBreaker({ failureThreshold: 1, openMs: 60_000 });
    const controller = new AbortController();
    const before = anthropic.requests.length;
    const pending = claude({ breaker, firstTokenTimeoutMs: 5_000 }).generate(request, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('client left')), 50);
    expect((await modelFailureOf(pending)).code).toBe('cancelled');
    expect(anthropic.requests.length - before).toBe(1);
    expect(breaker.state).toBe('closed');
  });

  it('opens the circuit after repeated failures, stops calling, then recovers through a half-open probe', async () => {
    let clock = 0;
    const breaker = createCircuitBreaker({ failureThreshold: 2, openMs: 10_000, now: () => clock });
    const model = claude({ breaker, maxRetries: 0 });
    anthropic.script({ kind: 'status', status: 529 });
    const before = anthropic.requests.length;
    await modelFailureOf(model.generate(request));
    await modelFailureOf(model.generate(request));
    expect(breaker.state).toBe('open');
    expect((await modelFailureOf(model.generate(request))).code).toBe('circuit-open');
    expect(anthropic.requests.length - before).toBe(2);

    clock += 10_000;
    expect(breaker.state).toBe('half-open');
    anthropic.script({ kind: 'reply', deltas: ['Снова работаем.'] });
    expect((await model.generate(request)).text).toBe('Снова работаем.');
    expect(breaker.state).toBe('closed');
  });

  it('logs retries with codes and counts, never the API key or the customer text', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    anthropic.script({ kind: 'status', status: 529 }, { kind: 'reply', deltas: ['Готово.'] });
    await claude({ logger }).generate(request);
    const log = lines.join('');
    expect(log).toContain('"code":"overloaded"');
    expect(log).not.toContain(API_KEY);
    expect(log).not.toContain('10452378');
  });
});

describe('withResilience, a consumer that stops reading', () => {
  it('ends the request and leaves the breaker without a verdict', async () => {
    anthropic.script({ kind: 'stall', deltas: ['Здравствуйте! ', 'Ваш заказ'] });
    const breaker = createCircuitBreaker({ failureThreshold: 1, openMs: 60_000 });
    for await (const event of claude({ breaker }).stream(request)) {
      expect(event).toEqual({ type: 'text', text: 'Здравствуйте! ' });
      break;
    }
    expect(breaker.state).toBe('closed');
    await expect.poll(() => anthropic.requests.at(-1)!.signal.aborted).toBe(true);
  });
});

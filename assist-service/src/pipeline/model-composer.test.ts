// The compose stage with a model: what goes out first, and the offline answers behind it. The
// Anthropic API cannot be reached here: the real SDK talks to the msw handler written from the
// documented Messages API (models/test-support/model-apis.ts), through the resilient wrapper the
// service builds from its configuration. The offline composer is the real one; the test only
// notes when it is called.
import { loadPrompt } from '@naparnik/prompts';
import { describe, expect, it } from 'vitest';
import type { AssistEvent } from '../contract/index.ts';
import type { HitAssessment } from '../engines/offline/confidence.ts';
import { createOfflineComposer } from '../engines/offline/offline-engine.ts';
import { renderSlots, understand } from '../engines/offline/understanding.ts';
import { chatModelsAt, FAULT_SETTINGS, useModelApis } from '../models/test-support/model-apis.ts';
import type { ComposeInput, Composer } from './compose.ts';
import { createModelComposer } from './model-composer.ts';

const { anthropic } = useModelApis();

const messages = [{ role: 'customer' as const, text: 'Сколько стоит доставка курьером до Казани?' }];
const understanding = understand(messages, { now: new Date('2026-12-06T12:00:00Z') });
const answer: HitAssessment = {
  hit: {
    documentId: 'faq-delivery-cost',
    chunkId: 'faq-delivery-cost#0',
    score: 0.05,
    kind: 'faq',
    title: 'Сколько стоит доставка?',
    titlePath: [],
    text: 'Курьером в другие города — 450 ₽, от 5 000 ₽ бесплатно.',
    source: 'faq.csv',
    language: 'ru',
    tags: [],
    signals: {},
  },
  score: 0.9,
  questionCoverage: 0.9,
  queryCoverage: 0.9,
};
const input: ComposeInput = {
  request: { collection: 'demo', conversation: { channel: 'chat', messages } },
  messages,
  understanding,
  retrieved: {
    query: { text: messages[0]!.text, latest: messages[0]!.text },
    hits: [answer.hit],
    assessed: [answer],
    answers: [answer],
    ruledOut: [],
    evidence: [],
    unmatched: 0,
  },
  profile: {
    collection: 'demo',
    updatedAt: '2026-01-01T00:00:00.000Z',
    steps: [],
    rules: [],
    routing: [],
    departments: [],
  },
  context: {
    voice: {
      steps: [],
      language: 'ru',
      channel: 'chat',
      firstReply: true,
      hurry: false,
      negative: false,
      values: {},
    },
    channel: 'chat',
    maxLength: undefined,
    render: renderSlots('ru'),
    engine: 'claude',
  },
};

/** The real offline composer, noting how many requests the API had received when it was asked. */
function watchedOffline(): Composer & { askedAfter: number[] } {
  const offline = createOfflineComposer();
  const askedAfter: number[] = [];
  return {
    ...offline,
    askedAfter,
    compose(composeInput, options) {
      askedAfter.push(anthropic.requests.length);
      return offline.compose(composeInput, options);
    },
  };
}

function compose(offline: Composer, settings: Record<string, string> = {}) {
  const events: AssistEvent[] = [];
  let dispatchedAfter: number | undefined;
  const composer = createModelComposer({
    id: 'claude',
    models: chatModelsAt('anthropic', settings),
    prompt: loadPrompt('reply@v1'),
    offline,
  });
  const result = composer.compose(input, {
    signal: AbortSignal.timeout(10_000),
    emit: (event) => events.push(event),
    onDispatched: () => {
      dispatchedAfter ??= anthropic.requests.length;
    },
  });
  return { result, events, dispatchedAfter: () => dispatchedAfter };
}

describe('the compose stage with a model', () => {
  it('sends the draft’s request before it builds the offline alternatives, and says when it has left', async () => {
    anthropic.script({ kind: 'reply', deltas: ['Курьером в Казань — 450 ₽ [1].'], firstDelayMs: 50 });
    const before = anthropic.requests.length;
    const offline = watchedOffline();
    const { result, dispatchedAfter } = compose(offline);
    const composed = await result;
    expect(offline.askedAfter).toEqual([before + 1]);
    expect(dispatchedAfter()).toBe(before + 1);
    expect(composed.suggestions[0]?.kind).toBe('generated');
    expect(composed.suggestions.slice(1).every((suggestion) => suggestion.engine === 'offline')).toBe(true);
  });

  it.each([
    {
      fault: 'a refused connection (no answer at all)',
      behaviour: { kind: 'network-error' },
      reason: 'network',
    },
    { fault: 'no first token in time', behaviour: { kind: 'hang' }, reason: 'timeout-first-token' },
    { fault: '500', behaviour: { kind: 'status', status: 500 }, reason: 'server-error' },
  ] as const)('answers offline after $fault, with the reason', async ({ behaviour, reason }) => {
    anthropic.script(behaviour);
    const offline = watchedOffline();
    const { result, dispatchedAfter } = compose(offline, FAULT_SETTINGS);
    const composed = await result;
    expect(composed.engine).toBe('offline');
    expect(composed.degraded).toEqual({ reason, engine: 'claude' });
    expect(composed.suggestions[0]?.citations[0]?.documentId).toBe('faq-delivery-cost');
    expect(offline.askedAfter).toHaveLength(1);
    expect(dispatchedAfter()).toBeDefined();
  });

  it('asks no model and answers offline at once when nothing retrieved fits', async () => {
    const before = anthropic.requests.length;
    const offline = watchedOffline();
    const events: AssistEvent[] = [];
    let dispatched = false;
    const composed = await createModelComposer({
      id: 'claude',
      models: chatModelsAt('anthropic'),
      prompt: loadPrompt('reply@v1'),
      offline,
    }).compose(
      { ...input, retrieved: { ...input.retrieved, answers: [], assessed: [], hits: [] } },
      {
        signal: AbortSignal.timeout(1000),
        emit: (event) => events.push(event),
        onDispatched: () => (dispatched = true),
      },
    );
    expect(anthropic.requests.length).toBe(before);
    expect(dispatched).toBe(true);
    expect(composed.engine).toBe('offline');
    expect(events).toEqual([]);
  });
});

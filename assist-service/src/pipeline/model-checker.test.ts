// The check stage with an in-country model behind an OpenAI-compatible endpoint. No such endpoint
// runs here: our client talks to msw handlers written from the documented chat completions
// `tool_calls` shapes (models/test-support/model-apis.ts), through the same resilient wrapper,
// retries and circuit breaker the service builds from its configuration.
import { loadPrompt } from '@naparnik/prompts';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createChatModels } from '../models/create-chat-models.ts';
import { OPENAI_BASE_URL, openaiApi } from '../models/test-support/model-apis.ts';
import type { ScriptProfile } from '../retrieval/script-profiles.ts';
import { checkAgainstScript } from './check.ts';
import { createModelChecker } from './model-checker.ts';

const api = openaiApi();
const server = setupServer(api.handler);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => api.script({ kind: 'reply', deltas: ['{"findings": []}'] }));
afterAll(() => server.close());

const PROFILE: ScriptProfile = {
  collection: 'demo',
  updatedAt: '2026-01-01T00:00:00.000Z',
  steps: [],
  rules: [
    {
      type: 'script-rules',
      address: 'vy',
      language: 'ru',
      documentId: 'script-ru/rules',
      chunkId: 'script-ru/rules#0',
      rules: {
        banned: [{ phrase: 'вернём деньги в любом случае', reason: 'Только по условиям возврата.' }],
        required: [],
        length: {},
      },
    },
  ],
  routing: [],
  departments: [],
};

function checker(settings: Record<string, string> = {}) {
  const { models } = loadConfig({
    NAPARNIK_OPENAI_BASE_URL: OPENAI_BASE_URL,
    NAPARNIK_OPENAI_MODEL: 'qwen3-32b',
    NAPARNIK_MODEL_RETRY_BASE_MS: '1',
    NAPARNIK_MODEL_RETRY_MAX_MS: '5',
    ...settings,
  });
  return createModelChecker({
    id: 'openai-compatible',
    models: createChatModels(models)!,
    prompt: loadPrompt('check-draft@v2'),
  });
}

const DRAFT = 'Ты не переживай, деньги вам точно вернут при любом раскладе. Заказ уже отменён.';
const CONTEXT = { profile: PROFILE, channel: 'chat' as const, language: 'ru' as const, firstReply: false };

describe('the check stage with an OpenAI-compatible model', () => {
  it('adds the model’s findings from tool_calls to the rules’ and reports the engine and prompt', async () => {
    const json = JSON.stringify({
      findings: [
        {
          category: 'banned-promise',
          severity: 'error',
          quote: 'деньги вам точно вернут при любом раскладе',
          message: 'Пересказ запрещённого обещания вернуть деньги в любом случае.',
          fix: 'вернём деньги, если товар подходит под условия возврата',
        },
        {
          category: 'unfounded-claim',
          severity: 'error',
          quote: 'Заказ уже отменён',
          message: 'Отмену никто не подтвердил.',
          fix: 'Отменю заказ и напишу вам',
        },
      ],
    });
    api.script({ kind: 'reply', deltas: [json.slice(0, 50), json.slice(50)] });
    const result = await checker().check(DRAFT, {
      ...CONTEXT,
      messages: [{ role: 'customer', text: 'Отмените заказ' }],
    });
    const rules = checkAgainstScript(DRAFT, CONTEXT);
    expect(result.findings.length).toBe(rules.findings.length + 2);
    for (const finding of rules.findings) expect(result.findings).toContainEqual(finding);
    const promise = result.findings.find((finding) => finding.type === 'banned-promise')!;
    expect(DRAFT.slice(promise.span!.start, promise.span!.end)).toBe(
      'деньги вам точно вернут при любом раскладе',
    );
    expect(result.model).toMatchObject({
      engine: 'openai-compatible',
      promptId: 'check-draft@v2',
      added: 2,
      dropped: 0,
    });
    expect(result.model?.usage.model).toBe('qwen3-32b');
    const sent = api.requests.at(-1)!.body as { tool_choice: unknown; tools: unknown[] };
    expect(sent.tool_choice).toEqual({ type: 'function', function: { name: 'report_draft_findings' } });
    expect(sent.tools).toHaveLength(1);
  });

  it('retries a 500 and then uses the answer', async () => {
    const before = api.requests.length;
    api.script(
      { kind: 'status', status: 500 },
      {
        kind: 'reply',
        deltas: [
          '{"findings": [{"category": "rudeness", "severity": "warning", ',
          '"quote": "Ты не переживай", "message": "Фамильярно.", "fix": "Не переживайте"}]}',
        ],
      },
    );
    const result = await checker().check(DRAFT, CONTEXT);
    expect(api.requests.length - before).toBe(2);
    expect(result.findings.map((finding) => finding.type)).toContain('rudeness');
    expect(result.degraded).toBeUndefined();
  });

  it.each([
    ['a network error', { kind: 'network-error' as const }, 'network'],
    ['a 429 past the retries', { kind: 'status' as const, status: 429 }, 'rate-limited'],
    [
      'a mid-stream error',
      { kind: 'error-event' as const, deltas: ['{"find'], errorType: 'server_error' },
      'server-error',
    ],
    [
      'arguments that are not JSON',
      { kind: 'reply' as const, deltas: ['{"findings": ['] },
      'invalid-response',
    ],
    ['a wrong key', { kind: 'status' as const, status: 401 }, 'auth'],
  ])('gives the rules’ findings alone on %s, with the reason', async (_name, behaviour, reason) => {
    api.script(behaviour);
    const result = await checker({ NAPARNIK_MODEL_MAX_RETRIES: '1' }).check(DRAFT, CONTEXT);
    expect(result.degraded).toEqual({ reason, engine: 'openai-compatible' });
    expect(result.model).toBeUndefined();
    expect(result.findings).toEqual(checkAgainstScript(DRAFT, CONTEXT).findings);
  });

  it('answers with the rules at once while the circuit is open', async () => {
    api.script({ kind: 'status', status: 503 });
    const tripping = checker({ NAPARNIK_MODEL_MAX_RETRIES: '0', NAPARNIK_MODEL_BREAKER_FAILURES: '1' });
    expect((await tripping.check(DRAFT, CONTEXT)).degraded?.reason).toBe('overloaded');
    const before = api.requests.length;
    expect((await tripping.check(DRAFT, CONTEXT)).degraded?.reason).toBe('circuit-open');
    expect(api.requests.length).toBe(before);
  });
});

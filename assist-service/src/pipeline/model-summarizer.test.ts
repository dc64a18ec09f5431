// The summary stage with a model. Neither API can be reached here: the real Anthropic SDK and our
// OpenAI-compatible client talk to msw handlers written from the documented tool-use shapes
// (models/test-support/model-apis.ts), through the resilient wrapper the service builds from its
// configuration. The offline fallback is the real understand stage's summary.
import { loadPrompt } from '@naparnik/prompts';
import { describe, expect, it } from 'vitest';
import { understand } from '../engines/offline/understanding.ts';
import { API_FAULTS, chatModelsAt, FAULT_SETTINGS, useModelApis } from '../models/test-support/model-apis.ts';
import { createModelSummarizer } from './model-summarizer.ts';
import { OFFLINE_SUMMARIZER } from './summarize.ts';

const { providers } = useModelApis();

const EMAIL = 'ivan.sidorov@example.ru';
const messages = [
  {
    role: 'customer' as const,
    text: `Не пришёл возврат за заказ 20817364, прошло две недели. Моя почта ${EMAIL}`,
  },
  { role: 'operator' as const, text: 'Проверим платёж и вернёмся с ответом завтра.' },
  { role: 'customer' as const, text: 'А можно ускорить?' },
];
const understanding = understand(messages, { now: new Date('2026-12-06T12:00:00Z') });

const fromModel = {
  issue: 'Не пришёл возврат за заказ 20817364; ответ просят на [EMAIL_1].',
  tried: ['Клиент ждёт две недели'],
  promised: ['Ответ завтра'],
  openQuestions: ['Можно ли ускорить возврат'],
};

describe.each(providers)('the summary stage with a model ($provider)', ({ provider, engine, api }) => {
  const summarizer = (settings: Record<string, string> = {}) =>
    createModelSummarizer({
      id: engine,
      models: chatModelsAt(provider, settings),
      prompt: loadPrompt('summary@v2'),
      offline: OFFLINE_SUMMARIZER,
    });
  const summarize = (settings: Record<string, string> = {}) =>
    summarizer(settings).summarize(
      { messages, understanding, language: 'ru' },
      { signal: AbortSignal.timeout(10_000) },
    );

  it('writes the summary with the forced tool, the conversation delimited and no personal value sent', async () => {
    api.script({ kind: 'reply', deltas: [JSON.stringify(fromModel)], usage: { input: 320, output: 60 } });
    const before = api.requests.length;
    const result = await summarize();
    expect(result.summary).toEqual({
      ...understanding.summary,
      issue: `Не пришёл возврат за заказ 20817364; ответ просят на ${EMAIL}.`,
      tried: ['Клиент ждёт две недели'],
      promised: ['Ответ завтра'],
      openQuestions: ['Можно ли ускорить возврат'],
    });
    expect(result.engine).toBe(engine);
    expect(result.promptId).toBe('summary@v2');
    expect(result.degraded).toBeUndefined();
    expect(result.usage).toMatchObject({ inputTokens: 320, outputTokens: 60 });

    expect(api.requests.length - before).toBe(1);
    const sent = JSON.stringify(api.requests.at(-1)!.body);
    expect(sent).toContain('"report_summary"');
    const choice = api.requests.at(-1)!.body.tool_choice as { name?: string; function?: { name?: string } };
    expect(choice.name ?? choice.function?.name).toBe('report_summary');
    expect(sent).toContain('trust=\\"untrusted\\"');
    expect(sent).toContain('А можно ускорить?');
    expect(sent).not.toContain(EMAIL);
    expect(sent).toContain('[EMAIL_1]');
  });

  it.each(API_FAULTS)(
    'gives the offline summary with the reason when the API fails: $fault',
    async ({ behaviour, reason }) => {
      api.script(behaviour);
      const result = await summarize(FAULT_SETTINGS);
      expect(result.summary).toEqual(understanding.summary);
      expect(result.engine).toBe('offline');
      expect(result.degraded).toEqual({ reason, engine: engine });
    },
  );

  it('gives the offline summary when the tool input stays outside its schema, the failed calls counted in the log only', async () => {
    api.script({ kind: 'reply', deltas: ['{"issue": "Возврат", "tried": "всё"}'] });
    const before = api.requests.length;
    const result = await summarize();
    expect(api.requests.length - before).toBe(2);
    expect(result.summary).toEqual(understanding.summary);
    expect(result.degraded?.reason).toBe('invalid-response');
  });

  it('does not ask the model about an automated notice', async () => {
    const notice = [
      {
        role: 'customer' as const,
        text: 'Ваш заказ № 556677 передан в доставку. Это автоматическое сообщение.',
      },
    ];
    const automated = understand(notice, { now: new Date('2026-12-06T12:00:00Z') });
    expect(automated.automated).toBeDefined();
    const before = api.requests.length;
    const result = await summarizer().summarize(
      { messages: notice, understanding: automated, language: 'ru' },
      { signal: AbortSignal.timeout(10_000) },
    );
    expect(api.requests.length).toBe(before);
    expect(result).toEqual({ summary: automated.summary, engine: 'offline' });
  });
});

// The simulator is what the evals' synthetic cassettes and the model bench run on: the real
// providers (the Anthropic SDK; our fetch + SSE parser) must read what it sends.
import { formatConversation, formatSources, loadPrompt } from '@naparnik/prompts';
import { describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../anthropic-model.ts';
import { type ChatModel, collectStream } from '../chat-model.ts';
import { checkDraftWithModel } from '../check-draft-with-model.ts';
import { draftFaqFromAnswersWithModel } from '../faq-from-answers-with-model.ts';
import { createOpenAICompatibleModel } from '../openai-compatible-model.ts';
import { suggestNextActionsWithModel, summarizeWithModel } from '../summary-with-model.ts';
import { createModelSimulator, createSimulatedFetch, endpointOf } from './simulated-model-api.ts';

const SYSTEM = 'Ты — помощник оператора. Правила команды: обращение на «Вы».';

function replyPrompt(options: { language: string; hurry: boolean; sources: string[] }): string {
  const sources = formatSources(
    options.sources.map((text, index) => ({
      number: index + 1,
      kind: 'faq',
      title: `FAQ ${index + 1}`,
      text,
    })),
  );
  const conversation = formatConversation([{ role: 'customer', text: 'Сколько идёт доставка?' }]);
  return [
    `Канал: chat. Язык ответа: ${options.language}. Клиент торопится: ${options.hurry ? 'да' : 'нет'}.`,
    'Наибольшая длина ответа: 600 символов.',
    sources.markup,
    conversation.markup,
  ].join('\n\n');
}

const SOURCES = [
  'Курьер привозит заказ за 1–3 дня. В регионы — до 7 дней. Стоимость зависит от города.',
  'Отследить заказ можно в личном кабинете. Ссылка приходит в SMS.',
];

describe('simulated model API', () => {
  it('streams a cited reply the Anthropic SDK reads, writing the system prompt to the cache once', async () => {
    const model = createAnthropicModel({
      apiKey: 'simulated',
      baseURL: 'https://simulated.invalid',
      model: 'claude-haiku-5-5',
      fetch: createSimulatedFetch(),
    });
    const request = {
      system: SYSTEM,
      messages: [
        { role: 'user' as const, content: replyPrompt({ language: 'ru', hurry: false, sources: SOURCES }) },
      ],
      maxTokens: 400,
    };
    const first = await collectStream(model.stream(request));
    expect(first.text).toBe(
      'Здравствуйте! Курьер привозит заказ за 1–3 дня. В регионы — до 7 дней. [1] Отследить заказ можно в личном кабинете. Ссылка приходит в SMS. [2]',
    );
    expect(first.stopReason).toBe('end_turn');
    expect(first.usage.cacheWriteTokens).toBe(Math.ceil(SYSTEM.length / 4));
    expect(first.usage.cacheReadTokens).toBe(0);
    const second = await collectStream(model.stream(request));
    expect(second.usage.cacheReadTokens).toBe(Math.ceil(SYSTEM.length / 4));
    expect(second.usage.cacheWriteTokens).toBe(0);
  });

  it('answers an OpenAI-compatible stream with usage, and only one source when the customer hurries', async () => {
    const model = createOpenAICompatibleModel({
      baseURL: 'https://simulated.invalid/v1',
      apiKey: 'simulated',
      model: 'qwen-local',
      fetch: createSimulatedFetch(),
    });
    const result = await collectStream(
      model.stream({
        system: SYSTEM,
        messages: [{ role: 'user', content: replyPrompt({ language: 'en', hurry: true, sources: SOURCES }) }],
        maxTokens: 400,
      }),
    );
    expect(result.text).toBe('Hello! Курьер привозит заказ за 1–3 дня. [1]');
    expect(result.model).toBe('qwen-local');
    expect(result.usage.outputTokens).toBe(Math.ceil(result.text.length / 4));
  });

  it('asks a clarifying question when the prompt carries no sources', () => {
    const response = createModelSimulator().respond('anthropic-messages', {
      model: 'claude-haiku-5-5',
      stream: false,
      system: [{ type: 'text', text: SYSTEM }],
      messages: [{ role: 'user', content: 'Язык ответа: ru.\n(источников нет)' }],
    });
    const body = JSON.parse(response.frames[0]!) as { content: Array<{ text: string }> };
    expect(body.content[0]!.text).toMatch(/^Здравствуйте! Уточните/u);
  });

  it.each([
    [
      'Anthropic',
      () =>
        createAnthropicModel({
          apiKey: 'simulated',
          baseURL: 'https://simulated.invalid',
          model: 'claude-sonnet-5-5',
          fetch: createSimulatedFetch(),
        }),
    ],
    [
      'OpenAI-compatible',
      () =>
        createOpenAICompatibleModel({
          baseURL: 'https://simulated.invalid/v1',
          model: 'qwen-local',
          fetch: createSimulatedFetch(),
        }),
    ],
  ] as Array<[string, () => ChatModel]>)(
    'answers every structured task over %s with a tool call its schema accepts',
    async (_name, build) => {
      const model = build();
      const task = (id: string) => ({ model, prompt: loadPrompt(id), prices: {} });
      const messages = [{ role: 'customer' as const, text: 'Где мой заказ 10452378?' }];
      const summary = await summarizeWithModel({ messages, language: 'ru' }, task('summary@v2'));
      expect(summary.summary).toEqual({ issue: '', tried: [], promised: [], openQuestions: [] });
      const actions = await suggestNextActionsWithModel(
        { messages, routing: { departments: [], rules: [] }, language: 'ru' },
        task('next-actions@v2'),
      );
      expect(actions.actions).toEqual([]);
      const faq = await draftFaqFromAnswersWithModel(
        { pairs: [{ question: 'Где заказ?', answer: 'В пути.' }], language: 'ru' },
        task('faq-from-answers@v2'),
      );
      expect(faq.entry.question).toBe('…');
      const check = await checkDraftWithModel(
        { draft: 'Заказ в пути.', channel: 'chat', language: 'ru' },
        task('check-draft@v2'),
      );
      expect(check.findings).toEqual([]);
    },
  );

  it('knows the two APIs by their paths only', () => {
    expect(endpointOf('/v1/messages')).toBe('anthropic-messages');
    expect(endpointOf('/api/v1/chat/completions')).toBe('openai-chat-completions');
    expect(endpointOf('/v1/complete')).toBeUndefined();
  });
});

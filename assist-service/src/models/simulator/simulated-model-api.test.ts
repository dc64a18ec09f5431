// The simulator is what the evals' synthetic cassettes and the model bench run on: the real
// providers (the Anthropic SDK; our fetch + SSE parser) must read what it sends.
import { formatConversation, formatSources } from '@naparnik/prompts';
import { describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../anthropic-model.ts';
import { collectStream } from '../chat-model.ts';
import { createOpenAICompatibleModel } from '../openai-compatible-model.ts';
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

  it('knows the two APIs by their paths only', () => {
    expect(endpointOf('/v1/messages')).toBe('anthropic-messages');
    expect(endpointOf('/api/v1/chat/completions')).toBe('openai-chat-completions');
    expect(endpointOf('/v1/complete')).toBeUndefined();
  });
});

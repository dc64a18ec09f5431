// The model APIs cannot be reached here: these run the real Anthropic SDK against msw handlers
// written from the documented Messages API shapes (test-support/).
import { loadPrompt } from '@naparnik/prompts';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicModel } from './anthropic-model.ts';
import { suggestNextActionsWithModel, summarizeWithModel } from './summary-with-model.ts';
import { ANTHROPIC_BASE_URL, anthropicApi } from './test-support/model-apis.ts';

const api = anthropicApi();
const server = setupServer(api.handler);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => api.script({ kind: 'reply', deltas: ['Готово.'] }));
afterAll(() => server.close());

const PHONE = '+7 916 123-45-67';
let model: ReturnType<typeof createAnthropicModel>;
beforeAll(() => {
  model = createAnthropicModel({
    apiKey: 'sk-ant-test',
    baseURL: ANTHROPIC_BASE_URL,
    model: 'claude-sonnet-5-5',
  });
});

const messages = [
  {
    role: 'customer' as const,
    text: `Заказ 10452378 пришёл с браком, уже писал вчера. Перезвоните на ${PHONE}`,
  },
  { role: 'operator' as const, text: 'Передадим в отдел качества, ответим до пятницы.' },
  { role: 'customer' as const, text: 'А деньги вернут?' },
];

describe('summarizeWithModel', () => {
  it('returns the schema’s summary with personal values restored, and sends none of them', async () => {
    const answer = {
      issue: 'Заказ 10452378 пришёл с браком; клиент просит перезвонить на [PHONE_1].',
      tried: ['Клиент уже писал вчера'],
      promised: ['Ответ до пятницы'],
      openQuestions: ['Вернут ли деньги'],
    };
    api.script({ kind: 'reply', deltas: [JSON.stringify(answer)] });
    const result = await summarizeWithModel(
      { messages, language: 'ru' },
      { model, prompt: loadPrompt('summary@v1'), prices: {} },
    );
    expect(result.summary.issue).toBe(
      `Заказ 10452378 пришёл с браком; клиент просит перезвонить на ${PHONE}.`,
    );
    expect(result.summary.promised).toEqual(['Ответ до пятницы']);
    expect(result.promptId).toBe('summary@v1');
    const sent = api.requests.at(-1)!.body;
    expect(JSON.stringify(sent)).not.toContain('123-45-67');
    expect((sent.output_config as { format: { type: string } }).format.type).toBe('json_schema');
  });
});

describe('suggestNextActionsWithModel', () => {
  it('keeps actions within the team’s departments and rules, and counts the rest', async () => {
    const answer = {
      actions: [
        {
          type: 'handover',
          department: 'quality',
          reason: 'Брак товара',
          ruleId: 'defect-to-quality',
          sources: [1],
        },
        { type: 'handover', department: 'legal', reason: 'Выдуманный отдел' },
        {
          type: 'ask',
          slot: 'photo',
          ask: 'Пришлите, пожалуйста, фото брака.',
          reason: 'Нужно фото',
          precondition: 'сначала: уточнить номер заказа',
        },
        { type: 'escalate', reason: 'Правило, которого нет', ruleId: 'no-such-rule' },
      ],
    };
    api.script({ kind: 'reply', deltas: [JSON.stringify(answer)] });
    const result = await suggestNextActionsWithModel(
      {
        messages,
        sources: [
          { chunkId: 'rules#1', kind: 'routing', title: 'Брак', text: 'Брак передаётся в отдел качества.' },
        ],
        routing: {
          departments: [{ id: 'quality', name: 'Отдел качества' }],
          rules: [{ id: 'defect-to-quality', action: 'handover', department: 'quality' }],
        },
        language: 'ru',
      },
      { model, prompt: loadPrompt('next-actions@v1'), prices: {} },
    );
    expect(result.actions.map((action) => action.type)).toEqual(['handover', 'ask']);
    expect(result.actions[1]!.precondition).toBe('сначала: уточнить номер заказа');
    expect(result.droppedActions).toBe(2);
    const system = (api.requests.at(-1)!.body.system as Array<{ text: string }>)[0]!.text;
    expect(system).toContain('id: quality');
  });
});

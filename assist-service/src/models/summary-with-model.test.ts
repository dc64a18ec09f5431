// The model APIs cannot be reached here: these run the real Anthropic SDK and our
// OpenAI-compatible client against msw handlers written from the documented tool-use shapes
// (Messages API `tool_use` blocks with `input_json_delta`, chat completions `tool_calls`).
import { loadPrompt } from '@naparnik/prompts';
import { describe, expect, it } from 'vitest';
import { createAnthropicModel } from './anthropic-model.ts';
import type { ChatModel } from './chat-model.ts';
import { createOpenAICompatibleModel } from './openai-compatible-model.ts';
import { suggestNextActionsWithModel, summarizeWithModel } from './summary-with-model.ts';
import {
  ANTHROPIC_BASE_URL,
  modelFailureOf,
  OPENAI_BASE_URL,
  useModelApis,
} from './test-support/model-apis.ts';

const { anthropic, openai } = useModelApis();

const PHONE = '+7 916 123-45-67';

const messages = [
  {
    role: 'customer' as const,
    text: `Заказ 10452378 пришёл с браком, уже писал вчера. Перезвоните на ${PHONE}`,
  },
  { role: 'operator' as const, text: 'Передадим в отдел качества, ответим до пятницы.' },
  { role: 'customer' as const, text: 'А деньги вернут?' },
];

const summary = {
  issue: 'Заказ 10452378 пришёл с браком; клиент просит перезвонить на [PHONE_1].',
  tried: ['Клиент уже писал вчера'],
  promised: ['Ответ до пятницы'],
  openQuestions: ['Вернут ли деньги'],
};
const summaryJson = JSON.stringify(summary);

const providers: Array<{
  name: string;
  api: typeof anthropic;
  model: () => ChatModel;
  /** The forced tool's name, or undefined when the request forces none. */
  forced: (body: Record<string, unknown>) => string | undefined;
  toolNames: (body: Record<string, unknown>) => string[];
  /** The provider's other way to ask for structure, which must not be sent. */
  jsonOutputField: string;
}> = [
  {
    name: 'Anthropic',
    api: anthropic,
    model: () =>
      createAnthropicModel({
        apiKey: 'sk-ant-test',
        baseURL: ANTHROPIC_BASE_URL,
        model: 'claude-sonnet-5-5',
      }),
    forced: (body) => (body.tool_choice as { type?: string; name?: string } | undefined)?.name,
    toolNames: (body) => ((body.tools ?? []) as Array<{ name: string }>).map((tool) => tool.name),
    jsonOutputField: 'output_config',
  },
  {
    name: 'OpenAI-compatible',
    api: openai,
    model: () => createOpenAICompatibleModel({ baseURL: OPENAI_BASE_URL, model: 'qwen3-32b' }),
    forced: (body) => (body.tool_choice as { function?: { name?: string } } | undefined)?.function?.name,
    toolNames: (body) =>
      ((body.tools ?? []) as Array<{ function: { name: string } }>).map((tool) => tool.function.name),
    jsonOutputField: 'response_format',
  },
];

const summaryPrompt = loadPrompt('summary@v2');
const actionsPrompt = loadPrompt('next-actions@v2');

describe.each(providers)(
  'summarizeWithModel over $name',
  ({ api, model, forced, toolNames, jsonOutputField }) => {
    const summarize = () =>
      summarizeWithModel({ messages, language: 'ru' }, { model: model(), prompt: summaryPrompt, prices: {} });

    it('forces report_summary, assembles its streamed input and restores personal values it never sent', async () => {
      api.script({
        kind: 'reply',
        deltas: [summaryJson.slice(0, 30), summaryJson.slice(30, 90), summaryJson.slice(90)],
        usage: { input: 300, output: 60 },
      });
      const before = api.requests.length;
      const result = await summarize();
      expect(result.summary.issue).toBe(
        `Заказ 10452378 пришёл с браком; клиент просит перезвонить на ${PHONE}.`,
      );
      expect(result.summary.promised).toEqual(['Ответ до пятницы']);
      expect(result.promptId).toBe('summary@v2');
      expect(result.usage.outputTokens).toBe(60);
      expect(api.requests.length - before).toBe(1);
      const sent = api.requests.at(-1)!.body;
      expect(toolNames(sent)).toEqual(['report_summary']);
      expect(forced(sent)).toBe('report_summary');
      expect(sent).not.toHaveProperty(jsonOutputField);
      expect(JSON.stringify(sent)).not.toContain('123-45-67');
    });

    it('asks once more when the model answers in prose without the tool call, and counts both calls', async () => {
      api.script(
        {
          kind: 'reply',
          deltas: ['Клиент получил брак и ждёт звонка.'],
          withoutToolCall: true,
          usage: { input: 300, output: 12 },
        },
        { kind: 'reply', deltas: [summaryJson], usage: { input: 300, output: 60 } },
      );
      const before = api.requests.length;
      const result = await summarize();
      expect(result.summary.openQuestions).toEqual(['Вернут ли деньги']);
      expect(api.requests.length - before).toBe(2);
      expect(result.usage.outputTokens).toBe(72);
    });

    it('gives up with invalid-response after one retry when the tool call never comes', async () => {
      api.script({ kind: 'reply', deltas: ['Сводка: брак.'], withoutToolCall: true });
      const before = api.requests.length;
      const error = await modelFailureOf(summarize());
      expect(error.code).toBe('invalid-response');
      expect(error.message).toContain('did not call the tool report_summary');
      expect(error.attempts).toBe(2);
      expect(api.requests.length - before).toBe(2);
    });

    it('gives up with invalid-response when the tool input stays outside the schema', async () => {
      api.script({ kind: 'reply', deltas: ['{"issue": "Брак", "tried": "всё"}'] });
      const before = api.requests.length;
      const error = await modelFailureOf(summarize());
      expect(error.code).toBe('invalid-response');
      expect(error.message).toContain('outside its schema');
      expect(api.requests.length - before).toBe(2);
    });

    it('does not ask again after an API fault: that retry is the resilient wrapper’s', async () => {
      api.script({ kind: 'status', status: 529 });
      const before = api.requests.length;
      const error = await modelFailureOf(summarize());
      expect(error.code).toBe('overloaded');
      expect(api.requests.length - before).toBe(1);
    });
  },
);

describe.each(providers)(
  'suggestNextActionsWithModel over $name',
  ({ api, model, forced, jsonOutputField }) => {
    it('keeps actions within the team’s departments and rules, with their preconditions, and counts the rest', async () => {
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
      const json = JSON.stringify(answer);
      api.script({ kind: 'reply', deltas: [json.slice(0, 50), json.slice(50, 200), json.slice(200)] });
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
        { model: model(), prompt: actionsPrompt, prices: {} },
      );
      expect(result.actions.map((action) => action.type)).toEqual(['handover', 'ask']);
      expect(result.actions[1]!.precondition).toBe('сначала: уточнить номер заказа');
      expect(result.droppedActions).toBe(2);
      expect(result.promptId).toBe('next-actions@v2');
      const sent = api.requests.at(-1)!.body;
      expect(forced(sent)).toBe('suggest_next_actions');
      expect(sent).not.toHaveProperty(jsonOutputField);
      expect(JSON.stringify(sent)).toContain('id: quality');
    });

    it('gives up with invalid-response when the tool arguments are not JSON', async () => {
      api.script({ kind: 'reply', deltas: ['{"actions": [{"type": "ask", '] });
      const error = await modelFailureOf(
        suggestNextActionsWithModel(
          { messages, routing: { departments: [], rules: [] }, language: 'ru' },
          { model: model(), prompt: actionsPrompt, prices: {} },
        ),
      );
      expect(error.code).toBe('invalid-response');
      expect(error.message).toContain('not JSON');
    });
  },
);

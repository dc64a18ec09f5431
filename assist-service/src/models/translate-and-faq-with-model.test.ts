// The model APIs cannot be reached here: these run the OpenAI-compatible client against msw
// handlers written from the documented chat completions shapes (test-support/).
import { loadPrompt } from '@naparnik/prompts';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { draftFaqFromAnswersWithModel } from './faq-from-answers-with-model.ts';
import { createOpenAICompatibleModel } from './openai-compatible-model.ts';
import { OPENAI_BASE_URL, openaiApi } from './test-support/model-apis.ts';
import { translateWithModel } from './translate-with-model.ts';

const api = openaiApi();
const server = setupServer(api.handler);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => api.script({ kind: 'reply', deltas: ['Готово.'] }));
afterAll(() => server.close());

const PHONE = '+7 916 123-45-67';
const model = createOpenAICompatibleModel({ baseURL: OPENAI_BASE_URL, model: 'qwen-ru' });

describe('translateWithModel', () => {
  it('translates with personal values kept out and put back, and reports a lost or added number', async () => {
    api.script({
      kind: 'reply',
      deltas: ['Your order 10452378 will arrive in 2–3 business days. ', 'Call us at [PHONE_1].'],
    });
    const result = await translateWithModel(
      {
        text: `Ваш заказ 10452378 приедет через 2–3 рабочих дня. Звоните: ${PHONE}.`,
        sourceLanguage: 'ru',
        targetLanguage: 'en',
        address: 'вы',
      },
      { model, prompt: loadPrompt('translate@v1'), prices: {} },
    );
    expect(result.text).toBe(`Your order 10452378 will arrive in 2–3 business days. Call us at ${PHONE}.`);
    expect(result.addedFacts).toEqual([]);
    expect(result.lostFacts).toEqual([]);
    expect(JSON.stringify(api.requests.at(-1)!.body)).not.toContain('123-45-67');

    api.script({ kind: 'reply', deltas: ['Your order will arrive in 5 days.'] });
    const wrong = await translateWithModel(
      {
        text: 'Ваш заказ 10452378 приедет через 2 дня.',
        sourceLanguage: 'ru',
        targetLanguage: 'en',
        address: 'вы',
      },
      { model, prompt: loadPrompt('translate@v1'), prices: {} },
    );
    expect(wrong.addedFacts.map((fact) => fact.raw)).toEqual(['5']);
    expect(wrong.lostFacts.map((fact) => fact.raw).sort()).toEqual(['10452378', '2'].sort());
  });
});

describe('draftFaqFromAnswersWithModel', () => {
  it('drafts an entry from numbered pairs, keeps only real pair numbers and lists leftover personal data', async () => {
    const entry = {
      question: 'Как вернуть товар с браком?',
      variants: ['Пришёл брак, что делать?'],
      answer: 'Пришлите фото брака, после проверки вернём деньги. Телефон клиента: [PHONE_1].',
      conflicts: ['Пары 1 и 2 называют разный срок проверки.'],
      basedOn: [1, 2, 7],
    };
    api.script({ kind: 'reply', deltas: [JSON.stringify(entry)] });
    const result = await draftFaqFromAnswersWithModel(
      {
        pairs: [
          {
            question: `Брак, перезвоните ${PHONE}`,
            answer: 'Пришлите фото, проверим за 3 дня и вернём деньги.',
          },
          { question: 'Сломалось через день', answer: 'Пришлите фото, проверка до 5 дней, потом возврат.' },
        ],
        language: 'ru',
      },
      { model, prompt: loadPrompt('faq-from-answers@v2'), prices: {} },
    );
    expect(result.entry.basedOn).toEqual([1, 2]);
    expect(result.personalData).toEqual(['[PHONE_1]']);
    expect(result.entry.answer).not.toContain('123-45-67');
    const sent = api.requests.at(-1)!.body;
    expect(JSON.stringify(sent)).not.toContain('123-45-67');
    expect(JSON.stringify(sent)).toContain('<pair n=\\"2\\">');
    expect(sent.tool_choice).toEqual({ type: 'function', function: { name: 'draft_faq_entry' } });
    expect(sent).not.toHaveProperty('response_format');
    expect(result.promptId).toBe('faq-from-answers@v2');
  });
});

// The model APIs cannot be reached here: rewrite runs the real Anthropic SDK
// against msw handlers written from the documented Messages API shapes (test-support/).
import { loadPrompt } from '@naparnik/prompts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicModel } from './anthropic-model.ts';
import { rewriteWithModel } from './rewrite-with-model.ts';
import { ANTHROPIC_BASE_URL, useModelApis } from './test-support/model-apis.ts';

const { anthropic: api } = useModelApis();

const PHONE = '+7 916 123-45-67';
// Built once msw listens: the SDK takes the fetch that is global when it is made.
let model: ReturnType<typeof createAnthropicModel>;
beforeAll(() => {
  model = createAnthropicModel({
    apiKey: 'sk-ant-test',
    baseURL: ANTHROPIC_BASE_URL,
    model: 'claude-haiku-5-5',
  });
});

describe('rewriteWithModel', () => {
  const rewrite = loadPrompt('rewrite@v1');

  it('sends the draft redacted and labelled as data, and gives it back with the real values', async () => {
    api.script({
      kind: 'reply',
      deltas: ['«Пожалуйста, пришлите фото заказа 10452378 ', 'или позвоните на [PHONE_1].»'],
    });
    const result = await rewriteWithModel(
      {
        text: `Пришлите фото заказа 10452378. Или звоните ${PHONE}`,
        style: 'friendlier',
        language: 'ru',
        channel: 'chat',
        maxLength: 500,
      },
      { model, prompt: rewrite, prices: {} },
    );
    expect(result.text).toBe(`Пожалуйста, пришлите фото заказа 10452378 или позвоните на ${PHONE}.`);
    expect(result.addedFacts).toEqual([]);
    expect(result.promptId).toBe('rewrite@v1');
    const body = JSON.stringify(api.requests.at(-1)!.body);
    expect(body).not.toContain('123-45-67');
    expect(body).toContain('<data name=\\"text\\" trust=\\"untrusted\\">');
    expect(body).toContain('Стиль: friendlier');
  });

  it('reports facts the rewrite invented and a shorter text that still misses the limit', async () => {
    api.script({
      kind: 'reply',
      deltas: ['Вернём 5000 ₽ за 3 дня, заказ 10452378 уже в пути, всё будет хорошо.'],
    });
    const result = await rewriteWithModel(
      {
        text: 'Заказ 10452378 уже в пути, скоро будет у Вас.',
        style: 'shorter',
        language: 'ru',
        channel: 'chat',
        maxLength: 40,
      },
      { model, prompt: rewrite, prices: {} },
    );
    expect(result.addedFacts.map((fact) => fact.raw)).toEqual(['5000 ₽', '3']);
    expect(result.tooLong).toBe(true);
  });
});

// The model APIs cannot be reached here: rewrite and check-draft run the real Anthropic SDK
// against msw handlers written from the documented Messages API shapes (test-support/).
import { loadPrompt } from '@naparnik/prompts';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicModel } from './anthropic-model.ts';
import { checkDraftWithModel } from './check-draft-with-model.ts';
import { rewriteWithModel } from './rewrite-with-model.ts';
import { ANTHROPIC_BASE_URL, anthropicApi, modelFailureOf } from './test-support/model-apis.ts';

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

describe('checkDraftWithModel', () => {
  const checkDraft = loadPrompt('check-draft@v1');
  const draft = `Анна, не переживайте, деньги вернём в любом случае! Как Вам уже было сказано, звоните ${PHONE}.`;

  it('asks for structured output and places each finding on the real draft', async () => {
    const answer = {
      findings: [
        {
          type: 'banned-promise',
          severity: 'error',
          quote: 'деньги вернём в любом случае',
          message: 'Обещание возврата без проверки запрещено.',
          suggestion: 'вернём деньги, если проверка подтвердит брак',
          ruleId: 'no-guaranteed-refund',
        },
        {
          type: 'rudeness',
          severity: 'warning',
          quote: 'Как Вам уже было сказано',
          message: 'Звучит как упрёк.',
        },
        {
          type: 'unfounded-claim',
          severity: 'error',
          quote: 'звоните [PHONE_1]',
          message: 'Номер [PHONE_1] не из базы.',
        },
      ],
    };
    const json = JSON.stringify(answer);
    api.script({ kind: 'reply', deltas: [json.slice(0, 40), json.slice(40)] });
    const result = await checkDraftWithModel(
      {
        draft,
        channel: 'chat',
        language: 'ru',
        scriptRules: { banned: [{ id: 'no-guaranteed-refund', phrase: 'вернём деньги в любом случае' }] },
        messages: [{ role: 'customer', text: 'Мне вернут деньги за брак?' }],
      },
      { model, prompt: checkDraft, prices: {} },
    );
    const [promise, rudeness, claim] = result.findings;
    expect(promise!.span).toEqual({ start: draft.indexOf('деньги'), end: draft.indexOf('деньги') + 28 });
    expect(promise!.ruleId).toBe('no-guaranteed-refund');
    expect(rudeness!.span!.start).toBe(draft.indexOf('Как Вам'));
    expect(claim!.quote).toBe(`звоните ${PHONE}`);
    expect(claim!.message).toBe(`Номер ${PHONE} не из базы.`);
    expect(claim!.span!.start).toBe(draft.indexOf('звоните'));
    expect(result.promptId).toBe('check-draft@v1');

    const sent = api.requests.at(-1)!.body as {
      output_config?: { format: { type: string; schema: { properties: object } } };
    };
    expect(sent.output_config?.format.type).toBe('json_schema');
    expect(Object.keys(sent.output_config!.format.schema.properties)).toEqual(['findings']);
    expect(JSON.stringify(sent)).not.toContain('123-45-67');
  });

  it('rejects an answer that is not the schema’s JSON as invalid-response', async () => {
    api.script({ kind: 'reply', deltas: ['Нарушений нет, черновик хороший.'] });
    const error = await modelFailureOf(
      checkDraftWithModel(
        { draft, channel: 'chat', language: 'ru' },
        { model, prompt: checkDraft, prices: {} },
      ),
    );
    expect(error.code).toBe('invalid-response');
  });
});

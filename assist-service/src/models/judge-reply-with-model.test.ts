// The evals' judge runs only live; here the real Anthropic SDK talks to msw handlers written from
// the documented Messages API tool-use shapes (test-support/model-apis.ts), as nothing live can be
// reached from this machine.
import { loadPrompt } from '@naparnik/prompts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicModel } from './anthropic-model.ts';
import { judgeReplyWithModel, RUBRIC_CRITERIA } from './judge-reply-with-model.ts';
import { ANTHROPIC_BASE_URL, modelFailureOf, useModelApis } from './test-support/model-apis.ts';

const { anthropic } = useModelApis();
const prompt = loadPrompt('judge@v1');
let model: ReturnType<typeof createAnthropicModel>;
beforeAll(() => {
  model = createAnthropicModel({
    apiKey: 'sk-ant-test',
    baseURL: ANTHROPIC_BASE_URL,
    model: 'claude-sonnet-5-5',
  });
});

const verdicts = Object.fromEntries(
  RUBRIC_CRITERIA.map((criterion) => [
    criterion,
    { pass: criterion !== 'no_unperformed_actions', reason: '…' },
  ]),
);

describe('judgeReplyWithModel', () => {
  it('forces the rubric tool, sends reply, reference and sources as data, and reads each verdict', async () => {
    const json = JSON.stringify(verdicts);
    anthropic.script({ kind: 'reply', deltas: [json.slice(0, 50), json.slice(50)] });
    const result = await judgeReplyWithModel(
      {
        reply: 'Здравствуйте! Заказ отменён, деньги вернутся за 3 дня [1].',
        reference: 'Здравствуйте! Отменить заказ с WB можно только в приложении площадки.',
        language: 'ru',
        messages: [{ role: 'customer', text: 'Отмените заказ с вайлдберриз, телефон +7 916 123-45-67' }],
        sources: [
          { chunkId: 'faq#0', title: 'Маркетплейсы', text: 'Заказы WB отменяются на площадке.', kind: 'faq' },
        ],
      },
      { model, prompt, prices: {} },
    );
    expect(result.rubric.grounded.pass).toBe(true);
    expect(result.rubric.no_unperformed_actions.pass).toBe(false);
    expect(result.promptId).toBe('judge@v1');
    const body = anthropic.requests.at(-1)!.body as {
      tool_choice: { name: string };
      messages: Array<{ content: string }>;
    };
    expect(body.tool_choice.name).toBe('report_rubric');
    const user = body.messages[0]!.content;
    expect(user).toContain('<data name="reply" trust="untrusted">');
    expect(user).toContain('<data name="reference" trust="untrusted">');
    expect(user).toContain('Заказы WB отменяются на площадке.');
    expect(user).not.toContain('123-45-67');
  });

  it('refuses a verdict missing a criterion as invalid-response', async () => {
    anthropic.script({ kind: 'reply', deltas: [JSON.stringify({ grounded: { pass: true, reason: 'ok' } })] });
    const error = await modelFailureOf(
      judgeReplyWithModel({ reply: 'Здравствуйте!', language: 'ru' }, { model, prompt, prices: {} }),
    );
    expect(error.code).toBe('invalid-response');
  });
});

// The model APIs cannot be reached here: check-draft runs the real Anthropic SDK and our
// OpenAI-compatible client against msw handlers written from the documented tool-use shapes
// (Messages API `tool_use` blocks with `input_json_delta`, chat completions `tool_calls`).
import { loadPrompt } from '@naparnik/prompts';
import { describe, expect, it } from 'vitest';
import { createAnthropicModel } from './anthropic-model.ts';
import type { ChatModel } from './chat-model.ts';
import { checkDraftWithModel } from './check-draft-with-model.ts';
import { createOpenAICompatibleModel } from './openai-compatible-model.ts';
import {
  ANTHROPIC_BASE_URL,
  modelFailureOf,
  OPENAI_BASE_URL,
  useModelApis,
} from './test-support/model-apis.ts';

const { anthropic, openai } = useModelApis({ kind: 'reply', deltas: ['{"findings": []}'] });

const PHONE = '+7 916 123-45-67';
const prompt = loadPrompt('check-draft@v2');
const draft = `Анна, не переживайте, деньги вернём в любом случае! Как Вам уже было сказано, звоните ${PHONE}.`;

const answer = {
  findings: [
    {
      category: 'banned-promise',
      severity: 'error',
      quote: 'деньги вернём в любом случае',
      message: 'Обещание возврата без проверки запрещено.',
      fix: 'вернём деньги, если проверка подтвердит брак',
      ruleId: 'no-guaranteed-refund',
    },
    {
      category: 'rudeness',
      severity: 'error',
      quote: 'Как Вам уже было сказано',
      message: 'Звучит как упрёк.',
      fix: '',
    },
    {
      category: 'unfounded-claim',
      severity: 'error',
      quote: 'звоните [PHONE_1]',
      message: 'Номер [PHONE_1] не из базы.',
      fix: '',
    },
    // Not in the draft: the model paraphrased it. Dropped, counted.
    {
      category: 'rudeness',
      severity: 'warning',
      quote: 'как вам уже говорили',
      message: 'Упрёк.',
      fix: '',
    },
  ],
};
const json = JSON.stringify(answer);

const providers: Array<{
  name: string;
  api: typeof anthropic;
  model: () => ChatModel;
  toolOf: (body: Record<string, unknown>) => { name: string; schema: { properties: object } };
  forced: (body: Record<string, unknown>) => string | undefined;
}> = [
  {
    name: 'Anthropic (tool_use)',
    api: anthropic,
    model: () =>
      createAnthropicModel({ apiKey: 'sk-ant-test', baseURL: ANTHROPIC_BASE_URL, model: 'claude-haiku-5-5' }),
    toolOf: (body) => {
      const [tool] = body.tools as Array<{ name: string; input_schema: { properties: object } }>;
      return { name: tool!.name, schema: tool!.input_schema };
    },
    forced: (body) => (body.tool_choice as { type: string; name: string }).name,
  },
  {
    name: 'OpenAI-compatible (tool_calls)',
    api: openai,
    model: () => createOpenAICompatibleModel({ baseURL: OPENAI_BASE_URL, model: 'qwen3-32b' }),
    toolOf: (body) => {
      const [tool] = body.tools as Array<{
        type: string;
        function: { name: string; parameters: { properties: object } };
      }>;
      return { name: tool!.function.name, schema: tool!.function.parameters };
    },
    forced: (body) => (body.tool_choice as { function: { name: string } }).function.name,
  },
];

describe.each(providers)('checkDraftWithModel over $name', ({ api, model, toolOf, forced }) => {
  it('forces the report tool, places each finding on the real draft and drops a quote the draft lacks', async () => {
    api.script({ kind: 'reply', deltas: [json.slice(0, 40), json.slice(40, 200), json.slice(200)] });
    const result = await checkDraftWithModel(
      {
        draft,
        channel: 'chat',
        language: 'ru',
        scriptRules: { banned: [{ id: 'no-guaranteed-refund', phrase: 'вернём деньги в любом случае' }] },
        messages: [{ role: 'customer', text: 'Мне вернут деньги за брак?' }],
      },
      { model: model(), prompt, prices: {} },
    );
    expect(result.findings.map((finding) => finding.category)).toEqual([
      'banned-promise',
      'rudeness',
      'unfounded-claim',
    ]);
    const [promise, rudeness, claim] = result.findings;
    expect(promise!.span).toEqual({ start: draft.indexOf('деньги'), end: draft.indexOf('деньги') + 28 });
    expect(promise!.fix).toBe('вернём деньги, если проверка подтвердит брак');
    expect(rudeness!.span.start).toBe(draft.indexOf('Как Вам'));
    expect(claim!.quote).toBe(`звоните ${PHONE}`);
    expect(claim!.message).toBe(`Номер ${PHONE} не из базы.`);
    expect(result.dropped).toBe(1);
    expect(result.promptId).toBe('check-draft@v2');

    const sent = api.requests.at(-1)!.body;
    const tool = toolOf(sent);
    expect(tool.name).toBe('report_draft_findings');
    expect(forced(sent)).toBe('report_draft_findings');
    expect(Object.keys(tool.schema.properties)).toEqual(['findings']);
    expect(JSON.stringify(sent)).not.toContain('123-45-67');
    expect(JSON.stringify(sent)).toContain('trust=\\"untrusted\\"');
  });

  it('rejects tool input that does not fit the schema as invalid-response, after asking once more', async () => {
    api.script({ kind: 'reply', deltas: ['{"findings": [{"category": "spelling", "quote": "Анна"}]}'] });
    const before = api.requests.length;
    const error = await modelFailureOf(
      checkDraftWithModel({ draft, channel: 'chat', language: 'ru' }, { model: model(), prompt, prices: {} }),
    );
    expect(error.code).toBe('invalid-response');
    expect(api.requests.length - before).toBe(2);
  });

  it('rejects an answer in prose without the tool call as invalid-response', async () => {
    api.script({ kind: 'reply', deltas: ['Черновик в порядке.'], withoutToolCall: true });
    const error = await modelFailureOf(
      checkDraftWithModel({ draft, channel: 'chat', language: 'ru' }, { model: model(), prompt, prices: {} }),
    );
    expect(error.code).toBe('invalid-response');
    expect(error.message).toContain('did not call the tool report_draft_findings');
  });

  it('takes the second answer when the first tool call was malformed', async () => {
    api.script({ kind: 'reply', deltas: ['{"findings": [{"category": '] }, { kind: 'reply', deltas: [json] });
    const result = await checkDraftWithModel(
      { draft, channel: 'chat', language: 'ru' },
      { model: model(), prompt, prices: {} },
    );
    expect(result.findings).toHaveLength(3);
  });

  it('rejects tool arguments that are not JSON as invalid-response', async () => {
    api.script({ kind: 'reply', deltas: ['{"findings": [{"category": '] });
    const error = await modelFailureOf(
      checkDraftWithModel({ draft, channel: 'chat', language: 'ru' }, { model: model(), prompt, prices: {} }),
    );
    expect(error.code).toBe('invalid-response');
  });

  it('reads a non-streaming tool call the same way', async () => {
    api.script({ kind: 'reply', deltas: [json] });
    const result = await model().generate({
      system: 'Проверь черновик.',
      messages: [{ role: 'user', content: draft }],
      maxTokens: 256,
      tool: { name: 'report_draft_findings', description: 'Findings.', inputSchema: { type: 'object' } },
    });
    expect(JSON.parse(result.text)).toEqual(answer);
  });
});

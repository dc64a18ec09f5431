// check-draft with a model through the real service. The Anthropic API cannot be reached from
// this machine or CI: the real SDK talks to msw handlers written from the documented Messages API
// tool-use shapes (src/models/test-support/model-apis.ts). The service, its stores, the knowledge
// base and the route are real.
import { describe, expect, it } from 'vitest';
import { checkDraftResponseSchema } from '../src/contract/index.ts';
import { useServiceWithClaude } from './model-harness.ts';

const claude = useServiceWithClaude({
  NAPARNIK_MODEL_MAX_RETRIES: '0',
  NAPARNIK_MODEL_BREAKER_FAILURES: '50',
});
const anthropic = claude.anthropic;

const DRAFT =
  'Здравствуйте! Не переживайте, деньги вам точно вернут при любом раскладе. Как вам уже было сказано, заказ отменён.';

async function checkDraft(body: Record<string, unknown> = {}) {
  const response = await claude
    .service()
    .post('/v1/check-draft', { collection: 'demo', channel: 'chat', draft: DRAFT, ...body });
  expect(response.status).toBe(200);
  return checkDraftResponseSchema.parse(await response.json());
}

function toolAnswer(findings: Array<Record<string, string>>): { kind: 'reply'; deltas: string[] } {
  const json = JSON.stringify({ findings });
  return { kind: 'reply', deltas: [json.slice(0, 30), json.slice(30)] };
}

describe('check-draft with Claude', () => {
  it('adds the model’s findings, placed on the draft, to the rules’ findings, and says what it dropped', async () => {
    const before = anthropic.requests.length;
    anthropic.script(
      toolAnswer([
        {
          category: 'banned-promise',
          severity: 'error',
          quote: 'деньги вам точно вернут при любом раскладе',
          message: 'Это обещание возврата в любом случае, его давать нельзя.',
          fix: 'вернём деньги, если товар подходит под условия возврата',
        },
        {
          category: 'rudeness',
          severity: 'error',
          quote: 'Как вам уже было сказано',
          message: 'Звучит как упрёк клиенту.',
          fix: '',
        },
        {
          category: 'unfounded-claim',
          severity: 'error',
          quote: 'заказ отменён',
          message: 'В переписке нет подтверждения, что заказ отменили.',
          fix: 'заказ будет отменён, как только я оформлю отмену',
        },
        // The model's paraphrase, not the draft's words: nowhere to underline it.
        {
          category: 'rudeness',
          severity: 'warning',
          quote: 'как вам уже говорили',
          message: 'Упрёк.',
          fix: '',
        },
      ]),
    );
    const body = await checkDraft({
      messages: [{ role: 'customer', text: 'Отмените заказ и верните деньги' }],
    });

    const byType = new Map(body.findings.map((finding) => [finding.type, finding]));
    const promise = byType.get('banned-promise')!;
    expect(DRAFT.slice(promise.span!.start, promise.span!.end)).toBe(
      'деньги вам точно вернут при любом раскладе',
    );
    expect(promise).toMatchObject({ severity: 'error', ruleId: 'model/banned-promise' });
    expect(promise.suggestion).toBe('вернём деньги, если товар подходит под условия возврата');
    expect(DRAFT.slice(byType.get('rudeness')!.span!.start, byType.get('rudeness')!.span!.end)).toBe(
      'Как вам уже было сказано',
    );
    expect(byType.get('unfounded-claim')?.ruleId).toBe('model/unfounded-claim');
    // The rules ran too: the demo script asks a first reply to close.
    expect(body.findings.map((finding) => finding.type)).toContain('missing-closing');
    expect(body.rulesFrom).toContain('script-ru/rules');
    expect(body.model).toEqual({ engine: 'claude', promptId: 'check-draft@v2', added: 3, dropped: 1 });
    expect(body.degraded).toBeUndefined();

    const sent = anthropic.requests.slice(before).at(-1)!.body as {
      tools: Array<{ name: string }>;
      tool_choice: { type: string; name: string };
      messages: Array<{ content: string }>;
    };
    expect(sent.tools.map((tool) => tool.name)).toEqual(['report_draft_findings']);
    expect(sent.tool_choice).toMatchObject({ type: 'tool', name: 'report_draft_findings' });
    // The conversation and the knowledge entries the draft's words find go in as data.
    expect(sent.messages[0]!.content).toContain('<data name="draft" trust="untrusted">');
    expect(sent.messages[0]!.content).toContain('Отмените заказ и верните деньги');
    expect(sent.messages[0]!.content).toMatch(/<source n="1"/u);
  });

  it('keeps a rule’s finding alone when the model underlines the same banned words', async () => {
    const draft = 'Здравствуйте! Мы вернём деньги в любом случае. Хорошего дня!';
    anthropic.script(
      toolAnswer([
        {
          category: 'banned-promise',
          severity: 'error',
          quote: 'вернём деньги в любом случае',
          message: 'Запрещённое обещание.',
          fix: '',
        },
      ]),
    );
    const body = await checkDraft({ draft });
    expect(body.findings.map((finding) => finding.type)).toContain('banned-phrase');
    expect(body.findings.map((finding) => finding.type)).not.toContain('banned-promise');
    expect(body.model).toMatchObject({ added: 0, dropped: 0 });
  });

  it.each([
    ['an overloaded API', { kind: 'status' as const, status: 529 }, 'overloaded'],
    [
      'a rate limit',
      { kind: 'status' as const, status: 429, headers: { 'retry-after': '1' } },
      'rate-limited',
    ],
    ['a stream cut halfway', { kind: 'cut' as const, deltas: ['{"findings": [{"cat'] }, 'stream-interrupted'],
    [
      'tool input outside the schema',
      toolAnswer([{ category: 'spelling', quote: 'Здравствуйте' }]),
      'invalid-response',
    ],
    [
      'an answer in prose without the tool call',
      { kind: 'reply' as const, deltas: ['Черновик грубый, перепишите.'], withoutToolCall: true },
      'invalid-response',
    ],
  ])('checks with the rules alone on %s, and says so', async (_name, behaviour, reason) => {
    anthropic.script(behaviour);
    const body = await checkDraft();
    expect(body.degraded).toEqual({ reason, engine: 'claude' });
    expect(body.model).toBeUndefined();
    const types = body.findings.map((finding) => finding.type);
    expect(types).toContain('missing-closing');
    expect(types).not.toContain('rudeness');
  });
});

// The summary and the next actions written by a model, through the real service. The Anthropic
// API cannot be reached from this machine or CI: the real SDK talks to msw handlers written from
// the documented Messages API (src/models/test-support/model-apis.ts). Everything else — the
// service, its stores, the pipeline, the SSE route — is real.
import { describe, expect, it } from 'vitest';
import { type AssistEvent, assistResponseSchema } from '../src/contract/index.ts';
import { assistBody } from './harness.ts';
import { readEvents, useServiceWithClaude } from './model-harness.ts';

const claude = useServiceWithClaude({
  NAPARNIK_MODEL_FIRST_TOKEN_TIMEOUT_MS: '400',
  NAPARNIK_MODEL_TOTAL_TIMEOUT_MS: '1500',
  NAPARNIK_MODEL_LATENCY_BUDGET_MS: '2500',
  NAPARNIK_MODEL_RETRY_BASE_MS: '1',
  NAPARNIK_MODEL_RETRY_MAX_MS: '5',
  NAPARNIK_MODEL_MAX_RETRIES: '0',
  NAPARNIK_MODEL_BREAKER_FAILURES: '50',
});
const anthropic = claude.anthropic;

const PHONE = '+7 916 555-12-34';
const conversation = [
  { role: 'customer' as const, text: `Сколько стоит доставка курьером до Казани? Мой телефон ${PHONE}` },
];

const summary = {
  issue: 'Клиент спрашивает цену курьерской доставки в Казань; телефон [PHONE_1].',
  tried: [],
  promised: [],
  openQuestions: ['Сколько стоит доставка курьером до Казани'],
};
const actions = {
  actions: [
    {
      type: 'handover',
      department: 'orders',
      reason: 'Доставка — вопрос отдела заказов.',
      precondition: 'сначала: уточнить адрес доставки',
    },
  ],
};

function scriptAll(): void {
  anthropic.script({
    kind: 'reply',
    deltas: ['Здравствуйте! Курьером в другие города доставка стоит 450 ₽ [1].'],
    usage: { input: 1200, output: 40, cacheRead: 900 },
  });
  anthropic.scriptTool('report_draft_findings', {
    kind: 'reply',
    deltas: ['{"findings": []}'],
    usage: { input: 300, output: 8, cacheRead: 700 },
  });
  anthropic.scriptTool('report_summary', {
    kind: 'reply',
    deltas: [JSON.stringify(summary)],
    usage: { input: 200, output: 50 },
  });
  anthropic.scriptTool('suggest_next_actions', {
    kind: 'reply',
    deltas: [JSON.stringify(actions)],
    usage: { input: 400, output: 30 },
  });
}

const toolOf = (body: Record<string, unknown>) =>
  (body.tool_choice as { name?: string } | undefined)?.name ?? 'draft';

describe('the summary and next actions with Claude', () => {
  it('streams the model’s summary and next actions after the draft, records who wrote them and adds their tokens to the set', async () => {
    scriptAll();
    const before = anthropic.requests.length;
    const response = await claude
      .service()
      .post('/v1/assist', assistBody(conversation), { accept: 'text/event-stream' });
    const events = await readEvents(response);
    const types = events.map((event) => event.type);
    // The SSE contract is the offline one: suggestions, then the summary, then the next actions.
    expect(types.indexOf('summary')).toBeGreaterThan(types.lastIndexOf('suggestion-done'));
    expect(types.indexOf('next-actions')).toBeGreaterThan(types.indexOf('summary'));
    const summaryEvent = events.find((event) => event.type === 'summary') as Extract<
      AssistEvent,
      { type: 'summary' }
    >;
    expect(summaryEvent.summary.issue).toBe(
      `Клиент спрашивает цену курьерской доставки в Казань; телефон ${PHONE}.`,
    );
    const body = assistResponseSchema.parse((events.at(-1) as { response: unknown }).response);
    expect(body.engine).toBe('claude');
    expect(body.degraded).toBeUndefined();
    expect(body.summary.openQuestions).toEqual(['Сколько стоит доставка курьером до Казани']);
    expect(body.summary.sentiment).toBeDefined();
    expect(body.nextActions).toEqual([
      {
        type: 'handover',
        reason: 'Доставка — вопрос отдела заказов.',
        department: { id: 'orders', name: 'Отдел заказов' },
        precondition: 'сначала: уточнить адрес доставки',
        priority: 1,
      },
    ]);
    expect(body.stages).toEqual({
      summary: { engine: 'claude', promptId: 'summary@v2' },
      nextActions: { engine: 'claude', promptId: 'next-actions@v2' },
    });
    // The draft, its check, the summary and the next actions.
    expect(body.usage).toMatchObject({ inputTokens: 2100, outputTokens: 128, cacheReadTokens: 1600 });
    expect((await claude.service().events.getSuggestionSet(body.suggestionSetId))?.usage).toMatchObject({
      inputTokens: 2100,
      outputTokens: 128,
    });

    // The draft's request goes out first; the summary and the next actions right after it, before
    // the draft is done and checked.
    const sent = anthropic.requests.slice(before);
    expect(sent.map((request) => toolOf(request.body))).toEqual([
      'draft',
      'report_summary',
      'suggest_next_actions',
      'report_draft_findings',
    ]);
    for (const request of sent) expect(JSON.stringify(request.body)).not.toContain('555-12-34');
  });

  it('keeps the model’s draft and gives the offline summary and actions, saying why, when those calls fail', async () => {
    scriptAll();
    anthropic.scriptTool('report_summary', { kind: 'status', status: 500 });
    anthropic.scriptTool('suggest_next_actions', {
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '0' },
    });
    const response = await claude.service().post('/v1/assist', assistBody(conversation));
    const body = assistResponseSchema.parse(await response.json());
    expect(body.engine).toBe('claude');
    expect(body.suggestions[0]?.kind).toBe('generated');
    expect(body.degraded).toBeUndefined();
    expect(body.summary.issue).not.toContain('Клиент спрашивает');
    expect(body.nextActions.some((action) => action.precondition !== undefined)).toBe(false);
    expect(body.stages).toEqual({
      summary: { engine: 'offline', degraded: { reason: 'server-error', engine: 'claude' } },
      nextActions: { engine: 'offline', degraded: { reason: 'rate-limited', engine: 'claude' } },
    });
    // Only the draft and its check were answered: their tokens are the set's.
    expect(body.usage).toMatchObject({ inputTokens: 1500, outputTokens: 48 });
  });

  it('gives the offline summary and actions with the offline answers when the API is down for everything', async () => {
    anthropic.script({ kind: 'status', status: 529 });
    const response = await claude.service().post('/v1/assist', assistBody(conversation));
    const body = assistResponseSchema.parse(await response.json());
    expect(body.engine).toBe('offline');
    expect(body.degraded).toEqual({ reason: 'overloaded', engine: 'claude' });
    expect(body.stages?.summary?.degraded?.reason).toBe('overloaded');
    expect(body.stages?.nextActions?.degraded?.reason).toBe('overloaded');
    expect(body.usage).toBeUndefined();
  });
});

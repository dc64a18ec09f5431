// Drafting with a model through the real service. The Anthropic API cannot be reached from this
// machine or CI: the real SDK talks to msw handlers written from the documented Messages API
// (src/models/test-support/model-apis.ts). Everything else — the service, its stores, the
// pipeline, the SSE route — is real.
import { describe, expect, it } from 'vitest';
import { assistResponseSchema } from '../src/contract/index.ts';
import { assistBody } from './harness.ts';
import { readEvents, useServiceWithClaude } from './model-harness.ts';

// The draft alone: the summary's and the next actions' calls have their own tests
// (model-stages.integration.test.ts).
const claude = useServiceWithClaude({
  NAPARNIK_MODEL_SUMMARY: 'false',
  NAPARNIK_MODEL_NEXT_ACTIONS: 'false',
  NAPARNIK_MODEL_FIRST_TOKEN_TIMEOUT_MS: '400',
  NAPARNIK_MODEL_TOTAL_TIMEOUT_MS: '1500',
  NAPARNIK_MODEL_LATENCY_BUDGET_MS: '2500',
  NAPARNIK_MODEL_RETRY_BASE_MS: '1',
  NAPARNIK_MODEL_RETRY_MAX_MS: '5',
  NAPARNIK_MODEL_MAX_RETRIES: '1',
  NAPARNIK_MODEL_BREAKER_FAILURES: '50',
});
const anthropic = claude.anthropic;

const question = [{ role: 'customer' as const, text: 'Сколько стоит доставка курьером до Казани?' }];

describe('drafting with Claude', () => {
  it('streams a cited draft from the retrieved answers, checked by the model, with offline alternatives and the usage', async () => {
    anthropic.script(
      {
        kind: 'reply',
        deltas: [
          'Здравствуйте! Курьером в другие города доставка стоит 450 ₽, ',
          'от 5 000 ₽ — бесплатно [1].',
        ],
        usage: { input: 1200, output: 40, cacheRead: 900 },
      },
      // The model check of the draft: nothing wrong.
      { kind: 'reply', deltas: ['{"findings": []}'], usage: { input: 300, output: 8, cacheRead: 700 } },
    );
    const before = anthropic.requests.length;
    const response = await claude
      .service()
      .post('/v1/assist', assistBody(question), { accept: 'text/event-stream' });
    const events = await readEvents(response);
    const deltas = events.filter((event) => event.type === 'suggestion-delta' && event.index === 0);
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    const body = assistResponseSchema.parse((done as { response: unknown }).response);
    expect(body.engine).toBe('claude');
    const [draft, ...alternatives] = body.suggestions;
    expect(draft?.kind).toBe('generated');
    expect(draft?.text).toContain('450 ₽');
    expect(draft?.text).not.toContain('[1]');
    expect(draft?.citations.map((citation) => citation.documentId)).toContain('faq-delivery-cost');
    expect(draft?.promptId).toBe('reply@v1');
    expect(alternatives.every((suggestion) => suggestion.engine === 'offline')).toBe(true);
    // The draft's tokens and its check's, together.
    expect(body.usage).toMatchObject({ inputTokens: 1500, outputTokens: 48, cacheReadTokens: 1600 });
    // …and stored with the set, for the per-day sums.
    expect((await claude.service().events.getSuggestionSet(body.suggestionSetId))?.usage).toMatchObject({
      inputTokens: 1500,
      cacheReadTokens: 1600,
    });

    // What went to the API: the retrieved answer as a numbered source, the customer's words in a
    // delimited block, and the stable prefix marked for caching; then the draft, to be checked.
    const [sent, check] = anthropic.requests.slice(before);
    expect(JSON.stringify(check!.body)).toContain('report_draft_findings');
    expect(JSON.stringify(check!.body)).toContain('450 ₽');
    const serialized = JSON.stringify(sent!.body);
    expect(serialized).toContain('450');
    expect(serialized).toContain('cache_control');
    expect(serialized).toContain('Сколько стоит доставка курьером до Казани?');
  });

  it('gives a draft the to-do of a cited template that states an action as done, and never offers it as sure', async () => {
    // The template «Задержка доставки» says «мы уже отправили запрос»: a model copies that as
    // readily as the offline engine fills it in, so the operator must see «сначала: …» either way.
    anthropic.script({
      kind: 'reply',
      deltas: [
        'Здравствуйте! Приносим извинения за задержку, мы уже отправили запрос в службу доставки [1][2][3].',
      ],
    });
    const response = await claude.service().post(
      '/v1/assist',
      assistBody([
        {
          role: 'customer',
          text: 'Добрый вечер. Заказ 10452378 должен был прийти в пятницу, сегодня вторник, а отслеживание стоит на месте. Что происходит??',
        },
      ]),
    );
    const body = assistResponseSchema.parse(await response.json());
    const draft = body.suggestions.find((suggestion) => suggestion.kind === 'generated');
    expect(draft?.citations.map((citation) => citation.documentId)).toContain('tpl-delivery-delay-apology');
    expect(draft?.preconditions).toContain('отправить запрос в службу доставки');
    expect(draft?.confidence.level).not.toBe('high');
  });

  it('withdraws a draft the model check finds harmful, and the offline answers follow', async () => {
    const drafted = 'Здравствуйте! Доставка стоит 450 ₽ [1], читайте внимательнее условия.';
    anthropic.script(
      { kind: 'reply', deltas: [drafted] },
      {
        kind: 'reply',
        deltas: [
          JSON.stringify({
            findings: [
              {
                category: 'rudeness',
                severity: 'error',
                quote: 'читайте внимательнее условия',
                message: 'Упрёк клиенту.',
                fix: '',
              },
            ],
          }),
        ],
      },
    );
    const response = await claude
      .service()
      .post('/v1/assist', assistBody(question), { accept: 'text/event-stream' });
    const events = await readEvents(response);
    expect(events).toContainEqual({ type: 'suggestion-restart', index: 0, reason: 'model-check' });
    const body = assistResponseSchema.parse((events.at(-1) as { response: unknown }).response);
    expect(body.engine).toBe('offline');
    expect(body.degraded).toEqual({ reason: 'model-check', engine: 'claude' });
    expect(body.suggestions.some((suggestion) => suggestion.text.includes('внимательнее'))).toBe(false);
  });

  it('gives the model no passage that restates a reply unfit for the customer’s situation', async () => {
    // A defect claim: the refusal template is `notFor: [defect-claim]`, and the returns article
    // quotes the same law on goods of proper quality. Handed to the model, it was copied into the
    // draft as a refusal (red team, rt-chat-defect-silver on the claude engine).
    anthropic.script({ kind: 'reply', deltas: ['Здравствуйте! Примем кольцо на проверку качества [1].'] });
    const before = anthropic.requests.length;
    await claude.service().post(
      '/v1/assist',
      assistBody([
        {
          role: 'customer',
          text: 'Купила серебряное кольцо месяц назад, оно потемнело и на нём пятна. Хочу вернуть',
        },
      ]),
    );
    const [draftRequest] = anthropic.requests.slice(before);
    // The request's own part (the system part states the team's rules, which may quote the law).
    const user = (draftRequest!.body as { messages: Array<{ content: string }> }).messages[0]!.content;
    expect(user).toContain('потемнело');
    expect(user).not.toMatch(/не подлежа\S* возврату/u);
  });

  it('answers offline, saying why, when the API stays overloaded', async () => {
    anthropic.script({ kind: 'status', status: 529 });
    const response = await claude.service().post('/v1/assist', assistBody(question));
    const body = assistResponseSchema.parse(await response.json());
    expect(response.status).toBe(200);
    expect(body.engine).toBe('offline');
    expect(body.degraded).toEqual({ reason: 'overloaded', engine: 'claude' });
    expect(body.suggestions[0]?.citations.map((citation) => citation.documentId)).toContain(
      'faq-delivery-cost',
    );
  });

  it('tells the panel to discard a partial draft when the stream is cut and the offline answer follows', async () => {
    anthropic.script({ kind: 'cut', deltas: ['Здравствуйте! Доставка стоит'] });
    const response = await claude
      .service()
      .post('/v1/assist', assistBody(question), { accept: 'text/event-stream' });
    const events = await readEvents(response);
    const types = events.map((event) => event.type);
    expect(types).toContain('suggestion-restart');
    const done = events.at(-1) as { response: unknown };
    const body = assistResponseSchema.parse(done.response);
    expect(body.engine).toBe('offline');
    expect(body.degraded?.engine).toBe('claude');
    // The last text streamed for the first suggestion, after the restart, is the offline answer.
    const restartAt = types.lastIndexOf('suggestion-restart');
    const after = events
      .slice(restartAt + 1)
      .filter((event) => event.type === 'suggestion-delta' && event.index === 0)
      .map((event) => (event as { delta: string }).delta)
      .join('');
    expect(after).toBe(body.suggestions[0]?.text);
  });

  it('does not ask the model when nothing in the knowledge base fits', async () => {
    const before = anthropic.requests.length;
    const response = await claude
      .service()
      .post(
        '/v1/assist',
        assistBody([
          { role: 'customer', text: 'Ваш заказ № 556677 передан в доставку. Это автоматическое сообщение.' },
        ]),
      );
    const body = assistResponseSchema.parse(await response.json());
    expect(body.suggestions).toEqual([]);
    expect(anthropic.requests.length).toBe(before);
  });
});

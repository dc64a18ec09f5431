// Drafting an FAQ entry from a knowledge gap with a model, through the real service. The Anthropic
// API cannot be reached from this machine or CI: the real SDK talks to msw handlers written from
// the documented Messages API (src/models/test-support/model-apis.ts). Service, stores and route
// are real.
import { beforeAll, describe, expect, it } from 'vitest';
import { faqDraftResponseSchema, knowledgeGapsResponseSchema } from '../src/contract/index.ts';
import { useServiceWithClaude } from './model-harness.ts';

const claude = useServiceWithClaude({
  NAPARNIK_MODEL_MAX_RETRIES: '0',
  NAPARNIK_MODEL_BREAKER_FAILURES: '50',
});
const anthropic = claude.anthropic;
const PHONE = '+7 912 345-67-89';
const REPLIES = [
  'Подарочную коробку можно добавить в корзине за 250 ₽.',
  'Коробка стоит 250 ₽, добавьте её в корзине.',
  `Добавьте коробку в корзине, 250 ₽. Если что, звоните ${PHONE}.`,
];

describe('drafting an FAQ entry with Claude', () => {
  let clusterId: string;

  beforeAll(async () => {
    const service = claude.service();
    const now = Date.now();
    for (const [index, reply] of REPLIES.entries()) {
      const createdAt = new Date(now - (index + 1) * 3_600_000).toISOString();
      const id = `model-gap-${index}`;
      await service.events.saveSuggestionSet({
        id,
        collection: 'demo',
        engine: 'offline',
        channel: 'chat',
        language: 'ru',
        confidence: { score: 0.1, level: 'low' },
        suggestions: [],
        question: 'Можно ли упаковать заказ в подарочную коробку?',
        createdAt,
      });
      await service.events.recordFeedback({
        eventId: `${id}-sent`,
        type: 'suggestion-edited',
        suggestionSetId: id,
        suggestionIndex: 0,
        finalText: reply,
        occurredAt: createdAt,
        receivedAt: createdAt,
      });
    }
    const gaps = knowledgeGapsResponseSchema.parse(await (await service.get('/v1/knowledge-gaps')).json());
    clusterId = gaps.clusters[0]!.id;
  });

  it('asks the model with the pinned faq-from-answers prompt, the replies masked, and returns its draft', async () => {
    const before = anthropic.requests.length;
    anthropic.script({
      kind: 'reply',
      deltas: [
        JSON.stringify({
          question: 'Можно ли упаковать заказ в подарочную коробку?',
          variants: ['Есть ли подарочная упаковка?'],
          answer: 'Да, подарочную коробку можно добавить в корзине за 250 ₽.',
          conflicts: [],
          basedOn: [1, 2, 3, 9],
        }),
      ],
    });
    const response = await claude.service().post(`/v1/knowledge-gaps/${clusterId}/draft`, {});
    expect(response.status).toBe(200);
    const draft = faqDraftResponseSchema.parse(await response.json());
    expect(draft).toMatchObject({
      engine: 'claude',
      promptId: 'faq-from-answers@v2',
      answer: 'Да, подарочную коробку можно добавить в корзине за 250 ₽.',
      basedOn: 3,
      answersAvailable: 3,
    });
    const sent = JSON.stringify(anthropic.requests.slice(before).at(-1)?.body);
    expect(sent).toContain('250 ₽');
    expect(sent).not.toContain('345-67-89');
  });

  it('falls back to the offline draft with invalid-response when the model never calls draft_faq_entry', async () => {
    anthropic.script({
      kind: 'reply',
      deltas: ['Вот черновик статьи: коробка стоит 250 ₽.'],
      withoutToolCall: true,
    });
    const before = anthropic.requests.length;
    const response = await claude.service().post(`/v1/knowledge-gaps/${clusterId}/draft`, {});
    const draft = faqDraftResponseSchema.parse(await response.json());
    expect(draft.engine).toBe('offline');
    expect(draft.degraded?.reason).toBe('invalid-response');
    // Asked once more (the bound), then the operators' own answer.
    expect(anthropic.requests.length - before).toBe(2);
    expect(draft.answer).toContain('250 ₽');
  });

  it('falls back to the offline draft, saying why, when the API is overloaded', async () => {
    anthropic.script({ kind: 'status', status: 529 });
    const response = await claude.service().post(`/v1/knowledge-gaps/${clusterId}/draft`, {});
    const draft = faqDraftResponseSchema.parse(await response.json());
    expect(draft.engine).toBe('offline');
    expect(draft.degraded?.reason).toBeTruthy();
    // The operators' own (masked) reply, word for word.
    expect(draft.answer).toContain('250 ₽');
    expect(draft.answer).not.toContain('345-67-89');
  });
});

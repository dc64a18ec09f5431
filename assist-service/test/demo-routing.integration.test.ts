import { DEMO_KB_PATHS } from '@naparnik/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AssistResponse, assistResponseSchema, type Channel } from '../src/contract/index.ts';
import { startTestService, type TestService } from './harness.ts';

// What the panel proposes besides a reply, on the shipped demo knowledge base, for conversations a
// team lead judged: a defect claim is not the marketplace team's because a FAQ filed under
// «Маркетплейсы» shares a word with it; a marketplace order's hand-over answer goes ahead of the
// «подождите, проверяю…» hold message.

let service: TestService;

beforeAll(async () => {
  service = await startTestService({ demoPaths: DEMO_KB_PATHS });
  await service.ready;
}, 120_000);
afterAll(async () => {
  await service?.dispose();
});

async function assist(text: string, channel: Channel = 'chat'): Promise<AssistResponse> {
  const response = await service.post('/v1/assist', {
    collection: 'demo',
    conversation: { channel, messages: [{ role: 'customer', text }] },
  });
  expect(response.status).toBe(200);
  return assistResponseSchema.parse(await response.json());
}

const departments = (body: AssistResponse) =>
  (body.nextActions ?? []).flatMap((action) => (action.department ? [action.department.id] : []));

describe('next actions on the demo knowledge base', () => {
  it.each([
    'Серьги почернели через неделю, это подделка?',
    'кольцо потемнело через месяц, верните деньги',
    'Браслет облез за две недели, похоже на подделку. Как проверить, что он настоящий?',
  ])('does not hand a defect claim that names no marketplace to the marketplace team: %s', async (text) => {
    const body = await assist(text);
    expect(departments(body)).not.toContain('marketplaces');
  });

  it('hands over when the customer names the marketplace, and on the marketplace channel', async () => {
    expect(departments(await assist('Кольцо с Wildberries потемнело через неделю, что делать?'))).toContain(
      'marketplaces',
    );
    expect(departments(await assist('Серьги почернели через неделю', 'marketplace'))).toContain(
      'marketplaces',
    );
  });

  it('puts the marketplace hand-over answer ahead of the hold message, with what to do first', async () => {
    const body = await assist('Здравствуйте, заказал на вайлдберриз, хочу отменить заказ');
    const [first, second] = body.suggestions;
    expect(first?.citations[0]?.documentId).toBe('tpl-marketplace-handover');
    expect(first?.preconditions?.length).toBeGreaterThan(0);
    expect(first?.confidence.level).not.toBe('high');
    expect(second?.kind).toBe('script');
  });

  it.each([
    'Серьги почернели через неделю, это подделка?',
    'кольцо позеленело за месяц, вы мне что, подделку продали?',
    'My earrings turned black after a week. Are they fake?',
  ])(
    'hands a defect claim in any words to the warranty team, with the warranty reply at least "medium": %s',
    async (text) => {
      const body = await assist(text);
      expect(departments(body)).toContain('warranty');
      const warranty = body.suggestions.find((suggestion) =>
        /warranty-claim/u.test(suggestion.citations[0]?.documentId ?? ''),
      );
      expect(warranty?.confidence.level).not.toBe('low');
    },
  );

  it("puts the marketplace hand-over, not the site's address answer, first for an Ozon order", async () => {
    const body = await assist('Хочу поменять адрес доставки в заказе с озона');
    expect(body.suggestions[0]?.citations[0]?.documentId).toBe('tpl-marketplace-handover');
    const cited = body.suggestions.map((suggestion) => suggestion.citations[0]?.documentId);
    expect(cited).not.toContain('faq-order-change-address');
  });

  it('does not ask to check the material the customer named, and offers the return at its own confidence', async () => {
    const body = await assist('хочу вернуть серьги, это бижутерия');
    const [first] = body.suggestions;
    expect(first?.citations[0]?.documentId).toBe('tpl-return-bijouterie');
    expect(first?.preconditions ?? []).toEqual([]);
    const unsaid = (await assist('хочу вернуть серьги')).suggestions.find(
      (suggestion) => suggestion.citations[0]?.documentId === 'tpl-return-bijouterie',
    );
    expect(unsaid?.preconditions?.length).toBeGreaterThan(0);
  });

  it('answers a return request whatever the customer adds about when they bought it', async () => {
    const body = await assist('хочу вернуть браслет, купила на прошлой неделе');
    expect(body.suggestions.map((suggestion) => suggestion.citations[0]?.documentId)).toContain(
      'tpl-return-bijouterie',
    );
    expect(body.knowledgeGap).toBe(false);
  });

  it("thanks a review that only praises, in the script's words, instead of filing a knowledge gap", async () => {
    const body = await assist('Серьги супер, пришли быстро, упаковка подарочная. Спасибо!', 'marketplace');
    expect(body.knowledgeGap).toBe(false);
    expect(body.suggestions[0]?.kind).toBe('script');
    expect(body.suggestions[0]?.text).toMatch(/спасибо/iu);
  });
});

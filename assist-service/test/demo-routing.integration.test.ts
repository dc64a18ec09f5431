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
});

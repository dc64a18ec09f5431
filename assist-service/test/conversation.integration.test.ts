import { DEMO_KB_PATHS } from '@naparnik/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AssistResponse, assistResponseSchema } from '../src/contract/index.ts';
import { assistBody, startTestService, type TestService } from './harness.ts';

// The whole conversation is understood, not its last line: requests in an earlier turn, values
// sent alone after the operator asked, and the helpdesk's notes and audit lines kept apart.
let service: TestService;
beforeAll(async () => {
  service = await startTestService({ demoPaths: DEMO_KB_PATHS });
}, 120_000);
afterAll(async () => {
  await service?.dispose();
});

async function assist(messages: Array<{ role: string; text: string }>): Promise<AssistResponse> {
  const response = await service.post('/v1/assist', assistBody(messages as never));
  return assistResponseSchema.parse(await response.json());
}

const cited = (body: AssistResponse) =>
  body.suggestions.flatMap((suggestion) => suggestion.citations.map((citation) => citation.documentId));

describe('understanding the whole conversation', () => {
  it('finds the request in the first turn when the customer then only waits', async () => {
    const body = await assist([
      { role: 'customer', text: 'Здравствуйте! Можно поменять адрес доставки? Переезжаю к маме на Садовую' },
      { role: 'operator', text: 'Здравствуйте! Минуту, уточняю.' },
      { role: 'customer', text: 'Хорошо, жду. Только побыстрее пожалуйста' },
    ]);
    expect(cited(body).slice(0, 3)).toEqual(
      expect.arrayContaining([expect.stringMatching(/change-address|change-delivery-address/u)]),
    );
  });

  it('fills the order number the customer sent alone after the operator asked for it', async () => {
    const body = await assist([
      { role: 'customer', text: 'Где мой заказ? Жду уже неделю' },
      { role: 'operator', text: 'Здравствуйте! Подскажите, пожалуйста, номер заказа?' },
      { role: 'customer', text: '4471203' },
    ]);
    const filled = body.suggestions.flatMap((suggestion) => Object.values(suggestion.filledSlots));
    expect(filled).toContain('4471203');
  });

  it('never reads an internal note or an audit line as the customer’s words', async () => {
    const withNotes = await assist([
      { role: 'customer', text: 'Как узнать размер кольца?' },
      { role: 'note', text: 'Клиентка VIP, хочет вернуть деньги за сертификат, уточнить у старшего' },
      { role: 'system', text: 'Статус изменён с «новая» на «открыта». Заказ № 123456 подтверждён.' },
    ]);
    const plain = await assist([{ role: 'customer', text: 'Как узнать размер кольца?' }]);
    expect(cited(withNotes)[0]).toBe(cited(plain)[0]);
    expect(cited(withNotes)).not.toContain('faq-gift-card-refund');
    expect(withNotes.summary.issue).not.toMatch(/сертификат/iu);
  });
});

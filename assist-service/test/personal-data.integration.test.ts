import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assistResponseSchema,
  erasureResponseSchema,
  feedbackEventsResponseSchema,
  subjectExportResponseSchema,
} from '../src/contract/index.ts';
import { assistBody, startTestService, type TestService } from './harness.ts';

// Luhn-valid numbers of the three networks a Russian contact centre sees, written as customers
// write them; the last one follows «заказ», where the redaction keeps order numbers.
const CARDS = {
  mir: '2200 7000 0000 0009',
  visa: '4111-1111-1111-1111',
  mastercard: '5555555555554444',
  mirAsOrder: '2202201234567895',
};
const DIGITS = Object.values(CARDS).map((card) => card.replace(/\D/gu, ''));
const PHONE = '+7 916 123-45-67';

/** Every text column of every row of every table, and the database files' raw bytes as Latin-1. */
function everythingStored(dataDir: string): string {
  const database = new DatabaseSync(path.join(dataDir, 'events.sqlite'));
  const texts: string[] = [];
  const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
  for (const { name } of tables) {
    for (const row of database.prepare(`SELECT * FROM "${String(name)}"`).all()) {
      texts.push(...Object.values(row).map(String));
    }
  }
  database.close();
  for (const file of readdirSync(dataDir, { recursive: true }) as string[]) {
    if (/\.sqlite(-wal)?$/u.test(file)) texts.push(readFileSync(path.join(dataDir, file)).toString('latin1'));
  }
  return texts.join('\n').replace(/[ -]/gu, '');
}

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.dispose();
});

async function assist(body: Record<string, unknown>) {
  const response = await service.post('/v1/assist', body);
  expect(response.status).toBe(200);
  return assistResponseSchema.parse(await response.json());
}

async function feedback(event: Record<string, unknown>) {
  const response = await service.post('/v1/feedback', event);
  expect(response.status).toBe(200);
}

describe('personal data is masked before it is stored', () => {
  it('keeps no full card number in any table or database file, whichever field it came in', async () => {
    const customerText = `Где мой заказ ${CARDS.mirAsOrder}? Списали с карты ${CARDS.mir}, и ещё ${CARDS.visa}. Анна, ${PHONE}`;
    const answered = await assist(
      assistBody([{ role: 'customer', text: customerText }], {
        conversation: {
          id: 'ticket-cards',
          channel: 'chat',
          messages: [
            { role: 'customer', text: customerText },
            { role: 'operator', text: `Проверяю карту ${CARDS.mastercard}` },
          ],
          customer: { name: 'Анна', ids: { phone: PHONE, card: CARDS.mastercard } },
        },
      }),
    );
    const gap = await assist(
      assistBody([
        {
          role: 'customer',
          text: `Можно ли оплатить криптовалютой через блокчейн эфириум? Карта ${CARDS.visa}`,
        },
      ]),
    );
    expect(gap.knowledgeGap).toBe(true);
    await feedback({
      eventId: 'cards-edited',
      type: 'suggestion-edited',
      suggestionSetId: answered.suggestionSetId,
      suggestionIndex: 0,
      finalText: `Анна, деньги вернутся на карту ${CARDS.mir} и ${CARDS.mastercard}, заказ ${CARDS.mirAsOrder}`,
    });
    await feedback({
      eventId: 'cards-dismissed',
      type: 'suggestion-dismissed',
      suggestionSetId: answered.suggestionSetId,
      suggestionIndex: 0,
      reason: `клиент прислал карту ${CARDS.visa}`,
    });
    await feedback({
      eventId: 'cards-rated',
      type: 'suggestion-rated',
      suggestionSetId: gap.suggestionSetId,
      suggestionIndex: 0,
      rating: 'down',
      reason: `номер ${CARDS.mastercard}`,
    });

    const stored = everythingStored(service.dataDir);
    for (const digits of DIGITS) expect(stored).not.toContain(digits);
    expect(stored).not.toContain('9161234567');
    const history = await (await service.ready).store.listHistory('demo', { source: 'feedback' });
    for (const digits of DIGITS) expect(JSON.stringify(history)).not.toContain(digits);

    // What the team lead reads back is masked too, with the placeholders in place of the values.
    const events = feedbackEventsResponseSchema.parse(
      await (await service.get('/v1/feedback/events')).json(),
    );
    const edited = events.events.find((event) => event.eventId === 'cards-edited');
    expect(edited?.finalText).toMatch(/\[CARD(_\d+)?\]/u);
    expect(edited?.finalText).toContain('деньги вернутся');
  });
});

describe('erasure and export on request', () => {
  async function conversation(id: string, customerId: string, text: string) {
    const answered = await assist({
      collection: 'demo',
      conversation: {
        id,
        channel: 'chat',
        messages: [{ role: 'customer', text }],
        customer: { ids: { customer: customerId, phone: PHONE } },
      },
    });
    await feedback({
      eventId: `${id}-sent`,
      type: 'suggestion-edited',
      suggestionSetId: answered.suggestionSetId,
      suggestionIndex: 0,
      finalText: 'Доставка занимает до 7 дней, уточним у курьера.',
    });
    return answered.suggestionSetId;
  }

  it('exports what is held about a customer found by any of the card identifiers, and erases all of it', async () => {
    const first = await conversation(
      'conv-erase-1',
      'cust-42',
      'Сколько идёт доставка? Посылка едет неделю.',
    );
    const second = await conversation('conv-erase-2', 'cust-42', 'Как вернуть товар надлежащего качества?');
    const other = await conversation('conv-keep', 'cust-7', 'Сколько идёт доставка? Посылка едет неделю.');

    const exported = subjectExportResponseSchema.parse(
      await (await service.get('/v1/privacy/customers/cust-42/export')).json(),
    );
    expect(exported.suggestionSets.map((set) => set.id).sort()).toEqual([first, second].sort());
    expect(exported.feedbackEvents).toHaveLength(2);
    expect(exported.history.map((entry) => entry.id)).toContain(`feedback:${first}`);

    const erased = await service.request('DELETE', '/v1/privacy/customers/cust-42');
    expect(erased.status).toBe(200);
    const body = erasureResponseSchema.parse(await erased.json());
    expect(body.erased).toMatchObject({ suggestionSets: 2, feedbackEvents: 2, historyEntries: 2 });

    expect(await service.events.getSuggestionSet(first)).toBeUndefined();
    expect(await service.events.getSuggestionSet(second)).toBeUndefined();
    expect(await service.events.listFeedback({ suggestionSetId: first })).toEqual([]);
    expect(await service.events.getSuggestionSet(other)).toBeDefined();
    const history = await (await service.ready).store.listHistory('demo', { source: 'feedback' });
    expect(history.map((entry) => entry.id)).not.toContain(`feedback:${first}`);
    expect(history.map((entry) => entry.id)).toContain(`feedback:${other}`);
    // The identifier is stored only as a keyed hash, and never logged.
    expect(everythingStored(service.dataDir)).not.toContain('cust-42');
    expect(service.logs.join('\n')).not.toContain('cust-42');

    const again = erasureResponseSchema.parse(
      await (await service.request('DELETE', '/v1/privacy/customers/cust-42')).json(),
    );
    expect(again.erased).toEqual({
      suggestionSets: 0,
      feedbackEvents: 0,
      knowledgeGaps: 0,
      historyEntries: 0,
    });
  });

  it('finds a customer by the phone however it is written', async () => {
    const id = await conversation('conv-phone', 'cust-phone', 'Сколько идёт доставка? Посылка едет неделю.');
    const exported = subjectExportResponseSchema.parse(
      await (
        await service.get(`/v1/privacy/customers/${encodeURIComponent('8 (916) 1234567')}/export`)
      ).json(),
    );
    expect(exported.suggestionSets.map((set) => set.id)).toContain(id);
  });

  it('erases one conversation and leaves the others', async () => {
    const gone = await conversation('conv-one', 'cust-a', 'Как вернуть товар надлежащего качества?');
    const kept = await conversation('conv-two', 'cust-a', 'Как вернуть товар надлежащего качества?');
    const response = await service.request('DELETE', '/v1/privacy/conversations/conv-one');
    expect(erasureResponseSchema.parse(await response.json()).erased).toMatchObject({
      suggestionSets: 1,
      feedbackEvents: 1,
    });
    expect(await service.events.getSuggestionSet(gone)).toBeUndefined();
    expect(await service.events.getSuggestionSet(kept)).toBeDefined();
  });

  it('erases only for an admin: no token and a wrong one are 401, an operator 403', async () => {
    const guarded = await startTestService();
    try {
      const bare = await fetch(`${guarded.url}/v1/privacy/conversations/x`, { method: 'DELETE' });
      expect(bare.status).toBe(401);
      expect(
        (await guarded.as('wrong-token-wrong-token').request('DELETE', '/v1/privacy/conversations/x')).status,
      ).toBe(401);
      const operator = await guarded.client({ role: 'operator', name: 'op-erase' });
      expect((await operator.request('DELETE', '/v1/privacy/conversations/x')).status).toBe(403);
      expect((await guarded.request('DELETE', '/v1/privacy/conversations/x')).status).toBe(200);
    } finally {
      await guarded.dispose();
    }
  });
});

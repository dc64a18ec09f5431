import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistResponseSchema, errorBodySchema } from '../src/contract/index.ts';
import { assistBody, parseEventStream, startTestService, type TestService } from './harness.ts';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.dispose();
});

async function assist(body: unknown, headers?: Record<string, string>) {
  const response = await service.post('/v1/assist', body, headers);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, response };
}

describe('POST /v1/assist (offline engine)', () => {
  it('answers «где мой заказ» with the order-status template, filled from the conversation and the card', async () => {
    const { status, body } = await assist(
      assistBody(
        [{ role: 'customer', text: 'Здравствуйте! Где мой заказ № 123456? Когда привезут заказ?' }],
        {
          conversation: {
            channel: 'chat',
            messages: [
              { role: 'customer', text: 'Здравствуйте! Где мой заказ № 123456? Когда привезут заказ?' },
            ],
            customer: { name: 'Анна' },
          },
          operator: { id: 'op-1', displayName: 'Ольга' },
        },
      ),
    );
    expect(status).toBe(200);
    const response = assistResponseSchema.parse(body);
    const first = response.suggestions[0]!;
    expect(first.kind).toBe('template');
    expect(first.citations[0]?.documentId).toBe('tpl-order-status');
    expect(first.text).toContain('123456');
    expect(first.text).toMatch(/^Здравствуйте, Анна!/u);
    expect(first.text).toContain('Меня зовут Ольга');
    expect(first.filledSlots).toMatchObject({ order_id: '123456' });
    expect(response.detected.language).toBe('ru');
    expect(response.detected.topic?.label).toBe('Доставка');
    expect(response.engine).toBe('offline');
  });

  it('streams the same response as Server-Sent Events, the first suggestion word by word', async () => {
    const response = await service.post(
      '/v1/assist',
      assistBody([{ role: 'customer', text: 'Где мой заказ 123456?' }]),
      { accept: 'text/event-stream' },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = parseEventStream(await response.text());
    const types = events.map((event) => event.event);
    expect(types[0]).toBe('retrieval');
    expect(types.at(-1)).toBe('done');
    expect(types).toContain('summary');
    expect(types).toContain('next-actions');
    const deltas = events.flatMap((event) =>
      event.data.type === 'suggestion-delta' && event.data.index === 0 ? [event.data.delta] : [],
    );
    expect(deltas.length).toBeGreaterThan(3);
    const done = events.at(-1)!.data;
    if (done.type !== 'done') throw new Error('expected done');
    expect(deltas.join('')).toBe(done.response.suggestions[0]?.text);
    for (const event of events) expect(event.event).toBe(event.data.type);
  });

  it('says so and records a knowledge gap when nothing in the knowledge base fits', async () => {
    const { status, body } = await assist(
      assistBody([{ role: 'customer', text: 'Можно ли оплатить криптовалютой через блокчейн эфириум?' }]),
    );
    expect(status).toBe(200);
    const response = assistResponseSchema.parse(body);
    expect(response.suggestions).toEqual([]);
    expect(response.confidence.level).toBe('low');
    expect(response.knowledgeGap).toBe(true);
    const gaps = await service.events.listKnowledgeGaps({ collection: 'demo' });
    expect(gaps.some((gap) => gap.suggestionSetId === response.suggestionSetId)).toBe(true);
  });

  it('gives the short form without the introduction when the customer is in a hurry', async () => {
    const { body } = await assist(
      assistBody([{ role: 'customer', text: 'Где мой заказ 123456? Ответьте быстрее, срочно!' }], {
        operator: { id: 'op-1', displayName: 'Ольга' },
      }),
    );
    const response = assistResponseSchema.parse(body);
    expect(response.detected.hurry).toBe(true);
    const first = response.suggestions[0]!;
    expect(first.short).toBe(true);
    expect(first.text).not.toContain('Меня зовут');
    expect(first.text).toContain('Заказ № 123456 в пути');
  });

  it('answers in English from English entries', async () => {
    const { body } = await assist(
      assistBody([{ role: 'customer', text: 'Hi, how long does delivery take to Kazan?' }]),
    );
    const response = assistResponseSchema.parse(body);
    expect(response.detected.language).toBe('en');
    expect(response.suggestions[0]?.citations[0]?.documentId).toBe('faq-en-delivery');
    expect(response.suggestions.every((suggestion) => suggestion.language === 'en')).toBe(true);
  });

  it('suggests handing a defect over to the warranty department and says why', async () => {
    const { body } = await assist(
      assistBody([{ role: 'customer', text: 'Кольцо сломалось через неделю, это брак' }]),
    );
    const response = assistResponseSchema.parse(body);
    const handover = response.nextActions.find((action) => action.type === 'handover');
    expect(handover?.department).toEqual({ id: 'warranty', name: 'Гарантийный отдел' });
    expect(handover?.reason).toContain('гарантийный отдел');
  });

  it('marks an order number it could not find and asks for it', async () => {
    const { body } = await assist(
      assistBody([{ role: 'customer', text: 'Где мой заказ? Когда привезут заказ?' }]),
    );
    const response = assistResponseSchema.parse(body);
    expect(response.suggestions[0]?.missingSlots).toContain('order_id');
    expect(response.suggestions[0]?.text).toContain('[номер заказа]');
    const ask = response.nextActions.find((action) => action.type === 'ask' && action.slot === 'order_id');
    expect(ask?.ask).toBe('Подскажите, пожалуйста, номер заказа.');
  });

  it('proposes closing an automated payment receipt without a reply', async () => {
    const { body } = await assist(
      assistBody([
        {
          role: 'customer',
          text: 'Кассовый чек об оплате заказа № 55555. Сумма: 1500 руб. Спасибо за покупку!',
        },
      ]),
    );
    const response = assistResponseSchema.parse(body);
    expect(response.nextActions[0]?.type).toBe('close');
  });

  it('replies to a bare greeting with the script alone', async () => {
    const { body } = await assist(assistBody([{ role: 'customer', text: 'Здравствуйте!' }]));
    const response = assistResponseSchema.parse(body);
    expect(response.knowledgeGap).toBe(false);
    expect(response.suggestions[0]?.kind).toBe('script');
    expect(response.suggestions[0]?.text).toMatch(/^Здравствуйте/u);
  });

  it('answers 404 for an unknown collection, with the same error shape', async () => {
    const { status, body } = await assist({
      ...assistBody([{ role: 'customer', text: 'привет' }]),
      collection: 'nope',
    });
    expect(status).toBe(404);
    expect(errorBodySchema.parse(body).error.code).toBe('collection-not-found');
  });

  it('never writes conversation text to the log', async () => {
    const secret = 'Уникальнаяфразадляпроверкилогов 987654321';
    const streamed = await service.post(
      '/v1/assist',
      assistBody([{ role: 'customer', text: `Где мой заказ? ${secret}` }]),
      {
        accept: 'text/event-stream',
      },
    );
    expect(await streamed.text()).toContain(secret);
    await assist(assistBody([{ role: 'customer', text: `Где мой заказ? ${secret}` }]));
    const logs = service.logs.join('');
    expect(logs).toContain('"msg":"assist done"');
    expect(logs).not.toContain('Уникальнаяфразадляпроверкилогов');
    expect(logs).not.toContain('987654321');
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistResponseSchema } from '../src/contract/index.ts';
import { assistBody, parseEventStream, startTestService, type TestService } from './harness.ts';

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ config: { conversationBudgetChars: 20_000 } });
});
afterAll(async () => {
  await service.dispose();
});

const roles = ['customer', 'operator', 'bot', 'note', 'system'] as const;
const CONTROL = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).concat([
  '\u007f',
  '\u0085',
  '\u2028',
]);

/** Text as pages actually deliver it, and worse. */
const messyText = fc.oneof(
  fc.constant(''),
  fc.constant('   \n\t  '),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(fc.constantFrom('😀', '🙏', '👍🏽', '🇷🇺', '❤️', '\u200d'), { maxLength: 40 })
    .map((parts) => parts.join('')),
  fc.array(fc.constantFrom(...CONTROL), { maxLength: 50 }).map((parts) => parts.join('')),
  fc
    .tuple(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('<b>', '<script>alert(1)</script>', '<p>Где <i>заказ</i>?</p>', '&nbsp;&lt;', '<!--'),
    )
    .map(([text, html]) => `${html}${text}${html}`),
  fc.constantFrom(
    'Где мой заказ № 123456? Where is my order? 我的订单在哪里',
    'Здравствуйте!\n\n-----Original Message-----\nFrom: a@b.ru\nГде заказ?',
    'ЗАКАЗ!!!!!!!!!!! ГДЕ!!!!!!',
    'заказ '.repeat(2000),
    '{{customer_name}} {{order_id}} {{',
    '\uD800 lone surrogate \uDFFF',
    'a'.repeat(30_000),
  ),
);

const conversation = fc.record({
  channel: fc.constantFrom(
    'chat',
    'email',
    'messenger',
    'social',
    'marketplace',
    'review',
    'phone_transcript',
    'other',
  ),
  messages: fc.array(fc.record({ role: fc.constantFrom(...roles), text: messyText }), { maxLength: 8 }),
});

describe('malformed conversations never produce a 500', () => {
  it('answers every messy conversation with a valid response (JSON)', async () => {
    await fc.assert(
      fc.asyncProperty(conversation, async (value) => {
        const response = await service.post('/v1/assist', { collection: 'demo', conversation: value });
        const body = await response.json();
        expect(response.status, JSON.stringify(body).slice(0, 300)).toBe(200);
        assistResponseSchema.parse(body);
      }),
      { numRuns: 120 },
    );
  });

  it('streams every messy conversation to a done event (SSE)', async () => {
    await fc.assert(
      fc.asyncProperty(conversation, async (value) => {
        const response = await service.post(
          '/v1/assist',
          { collection: 'demo', conversation: value },
          { accept: 'text/event-stream' },
        );
        const events = parseEventStream(await response.text());
        expect(events.at(-1)?.event).toBe('done');
      }),
      { numRuns: 40 },
    );
  });

  it.each([
    ['no messages at all', []],
    ['an empty message', [{ role: 'customer', text: '' }]],
    ['only emoji', [{ role: 'customer', text: '😡😡😡🙏' }]],
    ['only an operator turn', [{ role: 'operator', text: 'Здравствуйте!' }]],
    [
      'HTML with a script tag',
      [{ role: 'customer', text: '<script>alert("x")</script><p>Где мой <b>заказ</b> 123456?</p>' }],
    ],
    ['control characters', [{ role: 'customer', text: 'Где\u0000 мой\u0007 заказ\u001b[31m 123456?' }]],
    ['mixed scripts', [{ role: 'customer', text: 'Где my заказ order 123456 пожалуйста please' }]],
  ] as const)('answers a conversation with %s', async (_name, messages) => {
    const response = await service.post('/v1/assist', assistBody([...messages]));
    expect(response.status).toBe(200);
    assistResponseSchema.parse(await response.json());
  });

  it('cuts a conversation longer than the budget from the oldest side instead of rejecting it', async () => {
    const old = Array.from({ length: 40 }, (_, index) => ({
      role: 'customer' as const,
      text: `Старое сообщение ${index} ${'x'.repeat(30_000)}`,
    }));
    const response = await service.post(
      '/v1/assist',
      assistBody([...old, { role: 'customer', text: 'Где мой заказ 123456?' }]),
    );
    expect(response.status).toBe(200);
    const body = assistResponseSchema.parse(await response.json());
    expect(body.conversation.truncated).toBe(true);
    expect(body.suggestions[0]?.citations[0]?.documentId).toBe('tpl-order-status');
  });

  it('rejects 10 MB of text with 413', async () => {
    const response = await service.post(
      '/v1/assist',
      assistBody([{ role: 'customer', text: 'я'.repeat(10 * 1024 * 1024) }]),
    );
    expect(response.status).toBe(413);
  });
});

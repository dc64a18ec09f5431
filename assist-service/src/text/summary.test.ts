import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences.ts';
import { automatedNotice, summarizeConversation } from './summary.ts';
import type { ConversationMessage } from './types.ts';

const now = new Date('2026-11-26T09:00:00Z');
const customer = (text: string): ConversationMessage => ({ role: 'customer', text });
const operator = (text: string): ConversationMessage => ({ role: 'operator', text });

describe('summarizeConversation', () => {
  const delivery: ConversationMessage[] = [
    customer(
      'Здравствуйте! Заказала кольцо 12 ноября, заказ № 123456. Прошло две недели, а его так и не доставили. Где мой заказ?',
    ),
    operator('Здравствуйте, Анна! Минуту, уточню информацию.'),
    operator(
      'Заказ передан в СДЭК, трек-номер 1234567890. Я передам вопрос в отдел доставки, мы свяжемся с вами завтра.',
    ),
    customer(
      'Я уже звонила в СДЭК, они говорят, что посылки у них нет. Сколько можно ждать?? Если не решите вопрос, напишу жалобу в Роспотребнадзор.',
    ),
  ];

  it('takes the issue from the customer’s most informative sentences', () => {
    const summary = summarizeConversation(delivery, { now });
    expect(summary.issue).toContain('заказ № 123456');
    expect(summary.issue).not.toMatch(/^Здравствуйте/u);
  });

  it('lists what the customer already tried', () => {
    expect(summarizeConversation(delivery, { now }).tried).toEqual([
      'Я уже звонила в СДЭК, они говорят, что посылки у них нет.',
    ]);
  });

  it('lists what the operator promised', () => {
    expect(summarizeConversation(delivery, { now }).promised).toEqual([
      'Я передам вопрос в отдел доставки, мы свяжемся с вами завтра.',
    ]);
  });

  it('keeps only the questions no operator turn answered', () => {
    expect(summarizeConversation(delivery, { now }).openQuestions).toEqual(['Сколько можно ждать??']);
  });

  it('collects the customer’s entities, each value once', () => {
    const { entities } = summarizeConversation(delivery, { now });
    expect(entities.orderIds.map((found) => found.value)).toEqual(['123456']);
    expect(entities.dates.map((found) => found.value)).toEqual(['2026-11-12']);
    expect(entities.products.map((found) => found.value)).toEqual(['кольцо']);
    // The tracking number was the operator's, not the customer's.
    expect(entities.trackingNumbers).toEqual([]);
  });

  it('reads the mood from the latest customer turns', () => {
    const { sentiment } = summarizeConversation(delivery, { now });
    expect(sentiment.label).toBe('negative');
    expect(sentiment.strong).toBe(true);
  });

  it('summarises an English e-mail thread, ignoring quoted history and signature', () => {
    const summary = summarizeConversation(
      [
        customer(
          'Hi team,\n\nThe clasp on my bracelet broke after two days. I already tried to fix it at a local jeweller. Can I get a replacement?\n\nBest regards,\nKate\n\nOn Mon, Nov 23, 2026 at 10:00 AM Aurelia <support@aurelia.ru> wrote:\n> Thank you for your order #77777!',
        ),
        operator('Hello Kate! I am sorry to hear that. We will send you a replacement this week.'),
        customer('Thanks! How long will the delivery take?'),
      ],
      { now },
    );
    expect(summary.issue).toContain('The clasp on my bracelet broke after two days.');
    expect(summary.tried).toEqual(['I already tried to fix it at a local jeweller.']);
    expect(summary.promised).toEqual(['We will send you a replacement this week.']);
    expect(summary.openQuestions).toEqual(['How long will the delivery take?']);
    expect(summary.entities.orderIds).toEqual([]);
    expect(summary.entities.customerName?.value).toBe('Kate');
    expect(summary.entities.products.map((found) => found.value)).toEqual(['bracelet']);
  });

  it('counts a hold message as no answer', () => {
    const summary = summarizeConversation(
      [customer('Можно ли обменять серьги на другой размер?'), operator('Одну минуту, уточню.')],
      { now },
    );
    expect(summary.openQuestions).toEqual(['Можно ли обменять серьги на другой размер?']);
  });

  it('returns an empty summary for no messages', () => {
    const summary = summarizeConversation([], { now });
    expect(summary).toMatchObject({ issue: '', tried: [], promised: [], openQuestions: [] });
    expect(summary.sentiment.label).toBe('neutral');
  });
});

describe('automatedNotice', () => {
  it.each<[string, string, string]>([
    [
      'a fiscal receipt',
      'Кассовый чек № 15\nИНН продавца 7701234567\nИтого: 4 990,00\nФН № 9999078900001234 ФД № 12345',
      'payment receipt',
    ],
    [
      'an order confirmation',
      'Ваш заказ № 123456 подтверждён. Ожидайте звонка курьера.',
      'order confirmation',
    ],
    [
      'a pick-up notice',
      'Заказ № 123456 прибыл в пункт выдачи. Срок хранения 7 дней.',
      'delivery notification',
    ],
    [
      'a do-not-reply e-mail',
      'Your order has been shipped.\nPlease do not reply to this email.',
      'do-not-reply notice',
    ],
    ['an English shipping notice', 'Good news! Your order #5521 has been shipped.', 'delivery notification'],
    ['a payment notice', 'Оплата прошла успешно. Есть вопросы? Напишите нам.', 'payment receipt'],
  ])('closes %s without a reply', (_name, text, kind) => {
    const notice = automatedNotice([customer(text)]);
    expect(notice.automated).toBe(true);
    expect(notice.reason).toContain(kind);
  });

  it('never takes the helpdesk’s own audit lines or notes for a notification the customer sent', () => {
    expect(
      automatedNotice([
        { role: 'system', text: 'Заказ № 123456 подтверждён. Статус изменён с «новая» на «открыта»' },
        { role: 'note', text: 'Оплата прошла успешно, проверила в CRM' },
        customer('Хочу вернуть кольцо, не подошло по размеру'),
      ]).automated,
    ).toBe(false);
    expect(automatedNotice([{ role: 'system', text: 'Ваш заказ № 123456 подтверждён.' }]).automated).toBe(
      false,
    );
  });

  it('recognises a no-reply sender', () => {
    expect(
      automatedNotice([{ role: 'customer', text: 'Статус обновлён', author: 'noreply@cdek.ru' }]),
    ).toEqual({
      automated: true,
      reason: 'do-not-reply sender (noreply@cdek.ru)',
    });
  });

  it.each<[string, ConversationMessage[]]>([
    ['a forwarded receipt with a question', [customer('Пришёл кассовый чек, почему списали дважды?')]],
    ['an ordinary question', [customer('Где мой заказ?')]],
    [
      'a notification the operator already answered',
      [customer('Ваш заказ подтверждён'), operator('Спасибо!')],
    ],
    [
      'a customer quoting a confirmation',
      [customer('Мне написали «ваш заказ подтверждён», но я хочу его отменить')],
    ],
    ['no messages', []],
  ])('does not close %s', (_name, messages) => {
    expect(automatedNotice(messages)).toEqual({ automated: false });
  });
});

describe('splitSentences', () => {
  it.each<[string, string[]]>([
    ['Заказ пришёл. Кольцо велико!', ['Заказ пришёл.', 'Кольцо велико!']],
    ['Оплатила 12.03.2026 и 1500 руб. за доставку', ['Оплатила 12.03.2026 и 1500 руб. за доставку']],
    ['Где заказ?? Жду', ['Где заказ??', 'Жду']],
    ['первая строка\nвторая', ['первая строка', 'вторая']],
    ['It broke. Why?', ['It broke.', 'Why?']],
  ])('splits «%s»', (text, expected) => {
    expect(splitSentences(text)).toEqual(expected);
  });
});

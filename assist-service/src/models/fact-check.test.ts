import { describe, expect, it } from 'vitest';
import { checkFacts } from './fact-check.ts';

const options = { now: new Date('2026-12-06T10:00:00Z'), language: 'ru' as const };

describe('checkFacts', () => {
  it('accepts dates, amounts, order numbers and links written differently from the source', () => {
    const check = checkFacts(
      'Заказ 10452378 привезём 15.12.2026, доплата 1 500 ₽, трек на https://shop.example.ru/track.',
      [
        'Доставка 15 декабря, доплата 1500 руб. Отслеживание: shop.example.ru/track',
        'Где мой заказ №10452378?',
      ],
      options,
    );
    expect(check.facts.length).toBeGreaterThanOrEqual(4);
    expect(check.ungrounded).toEqual([]);
  });

  it('flags a number, a date, an amount and a link that nothing given contains', () => {
    const check = checkFacts(
      'Вернём 3000 ₽ до 20 декабря, это займёт 14 дней, подробности на https://evil.example.com/refund.',
      ['Возврат в течение 10 дней после проверки товара.'],
      options,
    );
    expect(check.ungrounded.map((fact) => fact.kind).sort()).toEqual(['amount', 'date', 'link', 'number']);
  });

  it('ignores list markers, citation markers and personal-data placeholders', () => {
    const check = checkFacts('1. Позвоним на [PHONE_1] [2].\n2. Напишем на [EMAIL_1].', ['ничего'], options);
    expect(check.facts).toEqual([]);
  });
});

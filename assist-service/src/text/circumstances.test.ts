import { describe, expect, it } from 'vitest';
import { withoutPastTime } from './circumstances.ts';

describe('withoutPastTime', () => {
  it.each([
    ['хочу вернуть браслет, купила на прошлой неделе', 'хочу вернуть браслет, купила'],
    ['3 дня назад получила сумку, хочу вернуть', 'получила сумку, хочу вернуть'],
    ['Заказывал их позавчера, не подошли', 'Заказывал их , не подошли'],
    ['вчера пришёл заказ', 'пришёл заказ'],
    ['I want to return a bracelet I bought last week', 'I want to return a bracelet I bought'],
    ['I ordered a watch two days ago', 'I ordered a watch'],
  ])('«%s» loses when it happened', (text, expected) => {
    expect(withoutPastTime(text).trim()).toBe(expected);
  });

  it.each([
    'успеете доставить к пятнице?',
    'можно вернуть через неделю?',
    'Часы остановились, а купил их недавно',
    'работаете ли 1 января?',
    'сколько идёт доставка в Казань',
  ])('keeps «%s»: a coming day, a duration or no time at all can be the question', (text) => {
    expect(withoutPastTime(text)).toBe(text);
  });
});

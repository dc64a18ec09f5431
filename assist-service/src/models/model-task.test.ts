import { describe, expect, it } from 'vitest';
import { redactContext } from './model-task.ts';

describe('redactContext', () => {
  it('masks a first name closing a customer message alone, which no cue announces, wherever it appears', () => {
    const context = redactContext({
      messages: [
        { role: 'customer', text: 'Прошу вернуть деньги за заказ 4412098, курьер так и не приехал. Ольга' },
        { role: 'operator', text: 'Ольга, мы проверим заказ.' },
      ],
    });
    expect(context.messages.map((message) => message.text)).toEqual([
      'Прошу вернуть деньги за заказ 4412098, курьер так и не приехал. [NAME_1]',
      '[NAME_1], мы проверим заказ.',
    ]);
  });

  it('reads names from the customer’s words only, not from an operator’s sign-off or a source', () => {
    const context = redactContext({
      messages: [
        { role: 'customer', text: 'Сколько идёт доставка в Казань?' },
        { role: 'operator', text: 'Курьером 2–5 дней.\nАнна' },
      ],
    });
    expect(context.messages.map((message) => message.text)).toEqual([
      'Сколько идёт доставка в Казань?',
      'Курьером 2–5 дней.\nАнна',
    ]);
  });
});

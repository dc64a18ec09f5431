import { describe, expect, it } from 'vitest';
import { refersToOwnOrder } from './order-reference.ts';

describe('refersToOwnOrder', () => {
  it.each([
    'Сколько идет доставка в Новосибирск?',
    'Do you ship to Kazakhstan?',
    'У меня аллергия на бижутерию, есть ли у вас гипоаллергенные серьги?',
    'Вы работаете в выходные? Когда можно позвонить?',
    'Подскажите, у вас есть рассрочка?',
    'Сколько хранится заказ в магазине?',
    'Можно ли оплатить заказ при получении картой?',
    'How long does delivery take?',
    'у меня вопрос по доставке. Можно ли доставить курьером вечером?',
  ])('reads «%s» as a question about how things work', (text) => {
    expect(refersToOwnOrder([text])).toBe(false);
  });

  it.each([
    'Можно ли поменять пункт выдачи? Заказ уже в пути',
    'Можно ли забрать заказ в другом городе, не там где оформляла?',
    'Где мой заказ?',
    'Курьер не приехал в назначенное время, я весь день прождала!!!',
    'Заказ должен был прийти вчера, до сих пор нет',
    'хочу вернуть серьги, не подошли',
    'Купила браслет в магазине, через 2 дня порвался',
    'Оформил возврат 20 ноября, деньги до сих пор не пришли.',
    "I ordered a necklace 10 days ago and it still hasn't shipped.",
    'Where is my order?',
  ])('reads «%s» as about an order of the customer’s own', (text) => {
    expect(refersToOwnOrder([text])).toBe(true);
  });

  it('looks at every customer turn and survives empty input', () => {
    expect(refersToOwnOrder(['Здравствуйте', 'мой заказ не пришёл'])).toBe(true);
    expect(refersToOwnOrder([])).toBe(false);
    expect(refersToOwnOrder([''])).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { statedActions } from './stated-actions.ts';

describe('statedActions', () => {
  it('finds Russian short passive participles of done actions', () => {
    expect(statedActions('Заказ № 5 отменён. Возврат оформлен, посылка передана, заявка принята.')).toEqual([
      'отменён',
      'оформлен',
      'передана',
      'принята',
    ]);
  });

  it('finds the past tense after «мы» and «я», and «готов к»', () => {
    expect(statedActions('Мы уже отправили запрос. Я передал(а) ваш вопрос. Заказ готов к выдаче.')).toEqual([
      'Мы уже отправили',
      'Я передал(а)',
      'готов к',
    ]);
  });

  it('finds the English perfect and passive of done actions', () => {
    expect(
      statedActions('Your order has been cancelled. I have passed it on. It is ready for pickup.'),
    ).toEqual(['has been cancelled', 'I have passed', 'is ready']);
  });

  it('leaves nouns that look like participles, plans and explanations alone', () => {
    expect(
      statedActions(
        'Отмена и обмен возможны до передачи. Замена займёт день. Мы вернём деньги, если заказ должен прийти.',
      ),
    ).toEqual([]);
    expect(statedActions('We will cancel the order and refund you within 10 days.')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { clarifiedValues } from './clarifications.ts';

describe('values sent alone after the operator asked for them', () => {
  it('reads a bare number as the order number the operator asked for', () => {
    const found = clarifiedValues([
      { role: 'customer', text: 'Здравствуйте, где мой заказ?' },
      { role: 'operator', text: 'Здравствуйте! Подскажите, пожалуйста, номер вашего заказа?' },
      { role: 'customer', text: '4471203' },
    ]);
    expect(found.orderIds?.map((item) => item.value)).toEqual(['4471203']);
  });

  it('reads a tracking code after a question about tracking, in English too', () => {
    expect(
      clarifiedValues([
        { role: 'operator', text: 'Could you send me the tracking number?' },
        { role: 'customer', text: 'RA123456789RU.' },
      ]).trackingNumbers?.map((item) => item.value),
    ).toEqual(['RA123456789RU']);
  });

  it('reads the number that opens the answer when the rest follows a comma or a dash', () => {
    const asked = { role: 'operator' as const, text: 'Подскажите, пожалуйста, номер заказа.' };
    expect(
      clarifiedValues([asked, { role: 'customer', text: '5531902, ждём его с понедельника' }]).orderIds?.map(
        (item) => item.value,
      ),
    ).toEqual(['5531902']);
    expect(clarifiedValues([asked, { role: 'customer', text: '2 недели жду, номер не помню' }])).toEqual({});
  });

  it('takes nothing when the operator asked something else or the reply is a sentence', () => {
    expect(
      clarifiedValues([
        { role: 'operator', text: 'Какой у вас размер кольца?' },
        { role: 'customer', text: '17' },
      ]),
    ).toEqual({});
    expect(
      clarifiedValues([
        { role: 'operator', text: 'Назовите номер заказа' },
        { role: 'customer', text: 'я не помню, где-то в письме было 4471203 наверное' },
      ]),
    ).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import { redactAll } from './model-task.ts';

describe('redactAll', () => {
  it('masks a first name closing a message alone, which no cue announces, in every text sent', () => {
    const { texts, map } = redactAll(
      ['Прошу вернуть деньги за заказ 4412098, курьер так и не приехал. Ольга', 'Ольга, мы проверим заказ.'],
      undefined,
    );
    expect(texts).toEqual([
      'Прошу вернуть деньги за заказ 4412098, курьер так и не приехал. [NAME_1]',
      '[NAME_1], мы проверим заказ.',
    ]);
    expect(map.entries.map((entry) => entry.value)).toEqual(['Ольга']);
  });

  it('leaves a text without a name as it is', () => {
    expect(redactAll(['Сколько идёт доставка в Казань?'], undefined).texts).toEqual([
      'Сколько идёт доставка в Казань?',
    ]);
  });
});

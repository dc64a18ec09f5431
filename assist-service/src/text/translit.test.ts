import { describe, expect, it } from 'vitest';
import { fromTranslit, withTranslitRead } from './translit.ts';

describe('fromTranslit', () => {
  it.each([
    ['privet, mozhno li vernut sergi esli ne podoshli?', 'привет, можно ли вернут серьги если не подошли?'],
    ['Zdravstvuyte! Kogda pridet moy zakaz?', 'Здравствуйте! Когда придет мой заказ?'],
    ['skolko idet dostavka v novosibirsk', 'сколько идет доставка в новосибирск'],
    ['eto zoloto ili serebro?', 'это золото или серебро?'],
    ['serezhki potemneli cherez nedelyu', 'сережки потемнели через неделю'],
    ['khochu otmenit zakaz 5512345', 'хочу отменит заказ 5512345'],
    ['mne prishli ne te sergi, zakazyvala zolotye', 'мне пришли не те серьги, заказывала золотые'],
  ])('reads «%s» as «%s»', (latin, cyrillic) => {
    expect(fromTranslit(latin)).toBe(cyrillic);
  });

  it.each([
    'Can I pay with Apple Pay?',
    'Do you ship to Kazakhstan?',
    "Hi, my order 5523109 hasn't arrived yet, it's been 10 days",
    'use male voice now',
    'Ozon',
    'www.aurelia.ru/returns',
    'Заказ 5512345, mozhno otmenit?',
  ])('leaves «%s» as it is (English, a name, a link, Cyrillic already)', (text) => {
    expect(fromTranslit(text)).toBeUndefined();
  });

  it('leaves a long Latin text alone: a pasted document, each word of which would cost lookups', () => {
    const long = Array.from({ length: 60 }, () => 'mozhno li vernut sergi esli ne podoshli').join(' ');
    expect(long.length).toBeGreaterThan(2_000);
    expect(fromTranslit(long)).toBeUndefined();
    expect(fromTranslit(long.slice(0, 200))).toBeDefined();
  });

  it("reads the customer's turns only, and leaves the others' words alone", () => {
    const read = withTranslitRead([
      { role: 'customer', text: 'gde moi zakaz?' },
      { role: 'operator', text: 'Podskazhite nomer zakaza' },
    ]);
    expect(read.map((message) => message.text)).toEqual(['где мои заказ?', 'Podskazhite nomer zakaza']);
  });
});

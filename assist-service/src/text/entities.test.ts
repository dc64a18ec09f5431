import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractEntities } from './entities.ts';
import type { Entities, Found } from './types.ts';

/** Thursday 26 November 2026, midday in Moscow. */
const now = new Date('2026-11-26T09:00:00Z');
const extract = (text: string, language?: 'ru' | 'en') =>
  extractEntities(text, { now, timeZone: 'Europe/Moscow', ...(language ? { language } : {}) });

type ListKind = Exclude<keyof Entities, 'customerName'>;
const LIST_KINDS: readonly ListKind[] = [
  'orderIds',
  'contractIds',
  'trackingNumbers',
  'dates',
  'amounts',
  'phones',
  'emails',
  'urls',
  'products',
];

function expectExactSpans(text: string, entities: Entities): void {
  const all: Found[] = [
    ...LIST_KINDS.flatMap((kind) => entities[kind]),
    ...(entities.customerName ? [entities.customerName] : []),
  ];
  for (const found of all) {
    expect(found.start).toBeGreaterThanOrEqual(0);
    expect(found.end).toBeGreaterThan(found.start);
    expect(found.end).toBeLessThanOrEqual(text.length);
    expect(text.slice(found.start, found.end)).toBe(found.raw);
  }
}

const values = (list: readonly Found[]) => list.map((found) => found.value);

describe('extractEntities', () => {
  it.each<[string, ListKind, string[], 'ru' | 'en' | undefined]>([
    ['по заказу №12345 ничего не пришло', 'orderIds', ['12345'], undefined],
    ['Заказ 12345 не пришёл', 'orderIds', ['12345'], undefined],
    ['номер заказа: AB-123456', 'orderIds', ['AB-123456'], undefined],
    ['Номер моего заказа № 987654, оформлен вчера', 'orderIds', ['987654'], undefined],
    ['Оформила, № 45678, оплатила картой', 'orderIds', ['45678'], undefined],
    ['как отменить заказ? номер 5531902', 'orderIds', ['5531902'], undefined],
    ['трек-номер 80012345678901', 'orderIds', [], undefined],
    ['трек номер 80012345678901', 'orderIds', [], undefined],
    ['мой номер 89001234567', 'orderIds', [], undefined],
    ['my order #98765 has not arrived', 'orderIds', ['98765'], 'en'],
    ['Order number 55501 was cancelled', 'orderIds', ['55501'], 'en'],
    ['заказала на 2 500 ₽ вчера', 'orderIds', [], undefined],
    ['заказ 89001234567, перезвоните', 'orderIds', [], undefined],
    ['договор № 123/2026 от марта', 'orderIds', [], undefined],
    ['заказ от 12.03.2026', 'orderIds', [], undefined],
    ['Договор № ДК-2026/15 расторгнуть', 'contractIds', ['ДК-2026/15'], undefined],
    ['по договору 77-15', 'contractIds', ['77-15'], undefined],
    ['по договору оферты', 'contractIds', [], undefined],
    ['трек 80012345678901, посылка стоит', 'trackingNumbers', ['80012345678901'], undefined],
    ['трек-номер: ra123456789ru', 'trackingNumbers', ['RA123456789RU'], undefined],
    ['Отправление RA123456789RU застряло', 'trackingNumbers', ['RA123456789RU'], undefined],
    ['накладная СДЭК 1234567890', 'trackingNumbers', ['1234567890'], undefined],
    ['tracking number 1Z999AA10123456784', 'trackingNumbers', [], 'en'],
    ['Сделала заказ 12.03.2026', 'dates', ['2026-03-12'], undefined],
    ['Оплатила 12 марта', 'dates', ['2026-03-12'], undefined],
    ['Привезти нужно до 5 декабря', 'dates', ['2026-12-05'], undefined],
    ['12.03 заказ уже был', 'dates', ['2026-03-12'], undefined],
    ['оформила 2026-11-02', 'dates', ['2026-11-02'], undefined],
    ['Курьер был вчера, а обещали позавчера', 'dates', ['2026-11-25', '2026-11-24'], undefined],
    ['Привезите завтра или послезавтра', 'dates', ['2026-11-27', '2026-11-28'], undefined],
    ['Заказала в понедельник', 'dates', ['2026-11-23'], undefined],
    ['Курьер приедет в понедельник?', 'dates', ['2026-11-30'], undefined],
    ['в прошлый вторник', 'dates', ['2026-11-17'], undefined],
    ['в следующую пятницу', 'dates', ['2026-12-04'], undefined],
    ['оплатила 3 дня назад', 'dates', ['2026-11-23'], undefined],
    ['31.02.2026 быть не может', 'dates', [], undefined],
    ['цена 1.05 руб', 'dates', [], undefined],
    ['I ordered it on March 12', 'dates', ['2026-03-12'], 'en'],
    ['Delivered 12 March 2025', 'dates', ['2025-03-12'], 'en'],
    ['It came yesterday', 'dates', ['2026-11-25'], 'en'],
    ['ordered 03/12/2026', 'dates', ['2026-03-12'], 'en'],
    ['заказ от 03/12/2026', 'dates', ['2026-12-03'], 'ru'],
    ['Оплатила 1 500 ₽', 'amounts', ['1500 RUB'], undefined],
    ['списали 1500 руб. дважды', 'amounts', ['1500 RUB'], undefined],
    ['кольцо за 2 тыс. рублей', 'amounts', ['2000 RUB'], undefined],
    ['вернули только 3 тыс', 'amounts', ['3000 RUB'], undefined],
    ['итого 1 299,50 руб', 'amounts', ['1299.50 RUB'], undefined],
    ['500р за доставку', 'amounts', ['500 RUB'], undefined],
    ['I paid $25 for shipping', 'amounts', ['25 USD'], 'en'],
    ['it cost € 19,99', 'amounts', ['19.99 EUR'], 'en'],
    ['заплатила 40 долларов', 'amounts', ['40 USD'], undefined],
    ['размер 17, 5 раз писала', 'amounts', [], undefined],
    ['Мой телефон +7 (900) 123-45-67', 'phones', ['+79001234567'], undefined],
    ['звоните 8 800 555-35-35', 'phones', ['+78005553535'], undefined],
    ['номер 8-900-123-45-67', 'phones', ['+79001234567'], undefined],
    ['79161234567 это мой', 'phones', ['+79161234567'], undefined],
    ['заказ 12345 на 1 500 000 руб', 'phones', [], undefined],
    ['почта Anna.Petrova@mail.ru, пишите', 'emails', ['anna.petrova@mail.ru'], undefined],
    ['фото тут: https://disk.yandex.ru/i/abc123.', 'urls', ['https://disk.yandex.ru/i/abc123'], undefined],
    ['(см. https://aurelia.ru/catalog?id=5)', 'urls', ['https://aurelia.ru/catalog?id=5'], undefined],
    ['Колечко и кольца, серёжки и цепочку', 'products', ['кольцо', 'кольцо', 'серьги', 'цепочка'], undefined],
    ['Подвеска, кулон, брошь и часы', 'products', ['подвеска', 'кулон', 'брошь', 'часы'], undefined],
    ['Какие часы работы магазина?', 'products', [], undefined],
    ['у часов через неделю отвалился ремешок', 'products', ['часы'], undefined],
    ['Что-то не так с часами, спешат', 'products', ['часы'], undefined],
    ['жду уже 3 часов, через несколько часов закроетесь', 'products', [], undefined],
    ['в течение 24 часов, часами не могу дозвониться', 'products', [], undefined],
    ['после двух часов дня', 'products', [], undefined],
    ['Подарочный сертификат не работает', 'products', ['сертификат'], undefined],
    ['the earrings and two rings', 'products', ['earrings', 'ring'], 'en'],
    ['a gift card for a necklace', 'products', ['gift card', 'necklace'], 'en'],
  ])('finds in «%s» the %s %j', (text, kind, expected, language) => {
    const entities = extract(text, language);
    expect(values(entities[kind])).toEqual(expected);
    expectExactSpans(text, entities);
  });

  it('finds everything in a realistic e-mail, with exact offsets', () => {
    const text =
      'Здравствуйте!\nПо заказу № 123456 от 12 ноября оплатила 4 990 ₽, трек RA123456789RU, ' +
      'но посылки нет. Серьги нужны к пятнице.\nТел. 8 (916) 555-12-34, anna@mail.ru\n\nС уважением,\nАнна Петрова';
    const entities = extract(text);
    expect(values(entities.orderIds)).toEqual(['123456']);
    expect(values(entities.dates)).toEqual(['2026-11-12', '2026-11-27']);
    expect(values(entities.amounts)).toEqual(['4990 RUB']);
    expect(values(entities.trackingNumbers)).toEqual(['RA123456789RU']);
    expect(values(entities.phones)).toEqual(['+79165551234']);
    expect(values(entities.emails)).toEqual(['anna@mail.ru']);
    expect(values(entities.products)).toEqual(['серьги']);
    expect(entities.customerName?.value).toBe('Анна Петрова');
    expectExactSpans(text, entities);
  });

  it.each<[string, string | undefined]>([
    ['Меня зовут Анна, заказ не пришёл', 'Анна'],
    ['Добрый день! Меня зовут Анна Петрова.', 'Анна Петрова'],
    ['Hi, my name is John Smith. Where is my order?', 'John Smith'],
    ['Кольцо велико.\n\nС уважением,\nМария Иванова', 'Мария Иванова'],
    ['Кольцо велико. С уважением, Ольга', 'Ольга'],
    ['Please help.\n\nBest regards,\nKate', 'Kate'],
    ['Спасибо!\nАнна', 'Анна'],
    ['С уважением, ООО «Ромашка»', undefined],
    ['С уважением,\nКоманда магазина', undefined],
    ['Спасибо, Мария! А когда доставка?', undefined],
    ['меня зовут не помню как', undefined],
    // A bare given name closing the message is a sign-off; a city, a product or an address is not.
    ['Здравствуйте! Заказ 10452378, когда привезут? Анна', 'Анна'],
    ['Где мой заказ?\nАнна', 'Анна'],
    ['Где мой заказ?\n\nАнна Петрова.', 'Анна Петрова'],
    ['Кольцо велико, можно обменять?\nПетрова Мария', 'Мария'],
    ['Жду ответа! Серёжа', 'Серёжа'],
    ['When will it arrive? John', 'John'],
    ['Доставка в какой город? Москва', undefined],
    ['Когда доставка?\nКазань', undefined],
    ['Жду ответа. Серьги', undefined],
    ['Когда привезут? Ольга?', undefined],
    ['Добрый день, Ольга', undefined],
    ['Ольга\nгде мой заказ?', undefined],
    ['Заказала серьги Виктория', undefined],
  ])('takes the customer name from «%s» as %j', (text, expected) => {
    const entities = extract(text);
    expect(entities.customerName?.value).toBe(expected);
    expectExactSpans(text, entities);
  });

  it('uses the given time zone for «сегодня»', () => {
    const lateEvening = new Date('2026-11-26T22:30:00Z');
    expect(values(extractEntities('сегодня', { now: lateEvening }).dates)).toEqual(['2026-11-26']);
    expect(values(extractEntities('сегодня', { now: lateEvening, timeZone: 'Europe/Moscow' }).dates)).toEqual(
      ['2026-11-27'],
    );
  });

  it('returns empty lists for empty or non-string input', () => {
    expect(extract('').orderIds).toEqual([]);
    expect(extractEntities(null as unknown as string, { now }).products).toEqual([]);
  });
});

describe('extractEntities properties', { timeout: 60_000 }, () => {
  const fragments = [
    'заказ',
    'заказу №',
    '№',
    '#',
    '12345',
    '89001234567',
    '+7 (900) ',
    '123-45-67',
    ' ',
    '\n',
    ',',
    '.',
    'руб',
    '₽',
    '$',
    '1 500',
    'тыс.',
    '12.03.2026',
    '12 марта',
    'вчера',
    'в понедельник',
    'RA123456789RU',
    '80012345678901',
    'трек',
    'СДЭК',
    'договор',
    'колечко',
    'часы',
    'подарочный сертификат',
    'С уважением,\n',
    'меня зовут ',
    'Анна',
    'https://a.ru/x',
    'a@b.ru',
    '@',
    'ё',
    '\u200b',
    '😀',
  ];
  const realistic = fc.array(fc.constantFrom(...fragments), { maxLength: 60 }).map((parts) => parts.join(''));

  it('never throws and every span is inside the text and equals its raw', () => {
    fc.assert(
      fc.property(fc.oneof(realistic, fc.string({ unit: 'binary', maxLength: 300 })), (text) => {
        expectExactSpans(text, extract(text));
      }),
      { numRuns: 400 },
    );
  });

  it('reports no stretch of text twice across kinds', () => {
    fc.assert(
      fc.property(realistic, (text) => {
        const entities = extract(text);
        const spans = LIST_KINDS.flatMap((kind) => entities[kind]).sort((a, b) => a.start - b.start);
        for (let index = 1; index < spans.length; index++) {
          expect(spans[index]!.start).toBeGreaterThanOrEqual(spans[index - 1]!.end);
        }
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['«заказ » repeated', 'заказ '.repeat(200_000)],
    ['digits', '1'.repeat(1_000_000)],
    ['digits and spaces', '1 '.repeat(500_000)],
    ['«a.b@» repeated', 'a.b@'.repeat(250_000)],
    ['sign-offs', 'С уважением\n'.repeat(80_000)],
    ['line breaks', '\n'.repeat(1_000_000)],
  ])('finishes on 1 MB of %s without catastrophic backtracking', { timeout: 60_000 }, (_name, text) => {
    // A hang guard, not a speed target: the figures live in `pnpm bench assist`.
    expectExactSpans(text, extract(text));
  });
});

import { describe, expect, it } from 'vitest';
import {
  type Claim,
  detectCancelRequest,
  detectDefectClaim,
  detectEngravedItem,
  detectItemReturned,
  detectLateDelivery,
  detectMarketplaceOrder,
  detectMaterial,
  detectNotYetReceived,
  detectReturnRequest,
  detectSituations,
  detectWrongItem,
  leadsWithRefusal,
  marketplaceName,
  mentionsReturn,
  refusesReturn,
  reportsProblem,
} from './claims.ts';

describe('detectDefectClaim', () => {
  it.each([
    ['Серьги почернели через три дня, выглядят как подделка', 'почернели'],
    ['Покрытие на браслете облезло за неделю', 'облезло'],
    ['Замок на цепочке сломался сразу', 'сломался'],
    ['камень выпал на второй день', 'выпал'],
    ['Часы перестали работать через неделю', 'перестали работать'],
    ['часы не работают', 'не работают'],
    ['Часы идут неправильно, отстают. Купила 2 месяца назад', 'отстают'],
    ['Серьги пришли погнутые, застёжка сломана', 'погнутые'],
    ['у браслета отломилась застёжка, носила аккуратно', 'отломилась'],
    ['у кольца откололся камень', 'откололся'],
    ['По-моему это вообще не серебро', 'не серебро'],
    ['качество ужасное, не покупайте', 'качество ужасное'],
    ['The ring turned black after a week', 'turned black'],
    ['the clasp broke', 'broke'],
    // an item named beside the site: the claim stands
    ['На сайте купила часы, они не работают', 'не работают'],
    ['Сайт ни при чём. Часы перестали работать через неделю', 'перестали работать'],
  ])('finds the claim in «%s»', (text, cue) => {
    expect(detectDefectClaim(text)?.cue.toLowerCase()).toBe(cue.toLowerCase());
  });

  it.each([
    'Хочу вернуть золотое кольцо, не понравилось, я его не носила ни разу',
    'Ничего не сломалось, просто размер не подошёл',
    'Когда придут деньги за возврат?',
    'Хочу не серебряное, а золотое кольцо',
    'Can I return the watch? It did not fit my style',
    // the service, not an item: «не работает» of a certificate, a promo code, the site
    'Сертификат подарили, а он не работает на сайте, пишет неверный PIN',
    'промокод не работает, пишет что недействителен',
    'У вас сайт не работает, не могу оплатить заказ картой',
    "My gift certificate doesn't work at checkout on your website",
  ])('finds no claim in «%s»', (text) => {
    expect(detectDefectClaim(text)).toBeUndefined();
  });
});

describe('detectMarketplaceOrder', () => {
  it.each([
    ['Заказ с WB, часы не подошли', 'WB'],
    ['я его на вайлдберриз оформляла', 'вайлдберриз'],
    ['заказ с озона, хочу отказаться', 'озона'],
    ['Купила браслет на Яндекс Маркете', 'Яндекс Маркете'],
    ['I bought it on Ozon', 'Ozon'],
  ])('finds the marketplace in «%s»', (text, cue) => {
    expect(detectMarketplaceOrder(text)?.cue).toBe(cue);
  });

  it('does not take a negated mention', () => {
    expect(detectMarketplaceOrder('Заказ не с WB, а на сайте')).toBeUndefined();
  });

  it('reads a marketplace pickup point as a place to deliver to, not an order placed there', () => {
    expect(detectMarketplaceOrder('есть ли у вас доставка в пункты озон?')).toBeUndefined();
    expect(detectMarketplaceOrder('Можно забрать в ПВЗ Wildberries?')).toBeUndefined();
    expect(detectMarketplaceOrder('Заказала на озоне, забрала в пункте выдачи')?.cue).toBe('озоне');
  });

  it('lists each situation once across the customer turns', () => {
    expect(
      detectSituations(['Заказ с WB', 'кольцо потемнело', 'и ещё оно погнулось']).map(
        (claim) => claim.situation,
      ),
    ).toEqual(['defect-claim', 'marketplace-order']);
  });
});

describe('marketplaceName', () => {
  it('names the marketplace as replies do, whatever the customer wrote', () => {
    expect(
      ['вб', 'WB', 'вайлдберриз', 'озона', 'Яндекс Маркете', 'я.маркет', 'Lamoda'].map(marketplaceName),
    ).toEqual([
      'Wildberries',
      'Wildberries',
      'Wildberries',
      'Ozon',
      'Яндекс Маркет',
      'Яндекс Маркет',
      undefined,
    ]);
  });
});

describe('detectMaterial', () => {
  it.each([
    ['Хочу вернуть серьги, это бижутерия', 'non-precious-item'],
    ['можно сдать часы обратно?', 'non-precious-item'],
    ['верните деньги за сумку', 'non-precious-item'],
    ['Хочу сдать золотое кольцо обратно', 'precious-metal-item'],
    ['серебро', 'precious-metal-item'],
    ['цепочка из серебра, не подошла', 'precious-metal-item'],
    ['Can I return a gold ring?', 'precious-metal-item'],
    ['how do I return a watch', 'non-precious-item'],
    ['у часов отвалился ремешок, можно вернуть?', 'non-precious-item'],
    ['хочу вернуть часы, они золотые', 'non-precious-item'],
    ['это не золото а бижутерия', 'non-precious-item'],
  ])('«%s» says the item is %s', (text, situation) => {
    expect(detectMaterial(text)?.situation).toBe(situation);
  });

  it.each([
    'хочу вернуть браслет',
    'это не серебро, а подделка',
    'серебряная бижутерия',
    'I want to return a bracelet',
    'Есть ли доставка в течение 2 часов по Москве?',
  ])('«%s» says nothing about the material (none, negated or both kinds, hours)', (text) => {
    expect(detectMaterial(text)).toBeUndefined();
  });

  it('reads a review on a marketplace as about a marketplace order, implied by the channel alone', () => {
    expect(detectSituations(['Серьги супер!'], { channel: 'marketplace' })).toEqual([
      { situation: 'marketplace-order', cue: '', implied: true },
    ]);
    expect(detectSituations(['Заказала на Озоне, серьги супер!'], { channel: 'marketplace' })).toEqual([
      { situation: 'marketplace-order', cue: 'Озоне' },
    ]);
    expect(detectSituations(['Серьги супер!'], { channel: 'chat' })).toEqual([]);
  });

  it('reads the material from a clarifying answer in a later turn', () => {
    const situations = detectSituations(['хочу вернуть цепочку, не подошла', 'серебро']);
    expect(situations.map((claim) => claim.situation)).toEqual(['precious-metal-item', 'return-request']);
  });
});

interface OrderSituationCases {
  detect: (text: string) => Claim | undefined;
  situation: string;
  read: Array<[text: string, cue: string]>;
  notRead: string[];
}

const ORDER_SITUATIONS: OrderSituationCases[] = [
  {
    detect: detectWrongItem,
    situation: 'wrong-item',
    read: [
      ['Получила заказ, а там не та расцветка', 'не та'],
      ['Вместо браслета положили цепочку', 'Вместо'],
      ['Пришла другая модель часов', 'другая'],
      ['Склад перепутали, кольцо не моё', 'перепутали'],
      ['у вас пересорт, прислали серебро', 'пересорт'],
      ['They sent me the wrong ring size', 'sent me the wrong'],
      ['This is not what I ordered', 'not what I ordered'],
      // part of the order missing
      ['Получила посылку, а в ней нет одной сережки, только одна', 'нет одной'],
      ['Я заказала 2 товара, пришел только один', 'только один'],
      ['В заказе не хватает браслета', 'не хватает'],
      ['My parcel arrived but one of the earrings is missing', 'is missing'],
      [
        'Вчера получила заказ 5530021, в коробке не оказалось подвески, только цепочка',
        'не оказалось подвески',
      ],
      ['В посылке не было второй серёжки', 'не было второй серёжки'],
      // what keeps happening, in the present tense
      ['Ребята, вы издеваетесь? Второй раз привозите не тот размер!!!', 'не тот'],
      // what was ordered, then something else came
      ['★☆☆☆☆ Заказывала золотые серьги, пришла бижутерия! Обман!', 'Заказывала … пришла'],
      ['Заказала цепочку, а прислали браслет', 'Заказала … прислали'],
      ['Заказала золотые серьги, пришли серебряные серьги', 'Заказала … пришли'],
      ['Заказала кольцо 17 размера, пришло 18', 'Заказала … пришло'],
    ],
    // a delay, a wish, the customer's own slip, money or points that are short
    notRead: [
      'На карте не хватает денег, можно оплатить заказ частями?',
      'Получила не все баллы за покупку',
      'Только одну вещь хочу заказать, можно без доставки?',
      'Заказала не тот размер, хочу отменить',
      'Посылка так и не пришла',
      'Можно другой размер прислать?',
      'я перепутала размер, можно поменять?',
      'Can I get a different size sent instead?',
      'Присылайте другой размер, пожалуйста',
      // ordered, then came: fast, on a date, with a defect, the same item
      'Заказала серьги, пришли быстро, спасибо',
      'Заказала серьги, пришли серьги с браком',
      'Заказал 2 кольца, пришли 10 дней назад',
      'Заказала кольцо 17 размера, пришло 15 декабря',
      // not in the parcel, but no item named; nobody home
      'В коробке не оказалось чека',
      'Курьер приехал, когда меня не было дома, заказ увезли обратно',
      'Заказала золотое кольцо 17 размера, пришло золотое кольцо',
    ],
  },
  {
    detect: detectLateDelivery,
    situation: 'late-delivery',
    read: [
      ['Посылка опаздывает на три дня', 'опаздывает'],
      ['Заказ опоздал на неделю, я уже уехала', 'опоздал'],
      ['Курьер так и не приехал', 'не приехал'],
      ['Прошу вернуть деньги за заказ 4412098, товар не получила, курьер так и не приехал', 'не получила'],
      ['Браслет до сих пор не доставили', 'не доставили'],
      ['Кольцо должно было прийти в понедельник', 'должно было прийти'],
      ['Оформила заказ. Жду уже вторую неделю', 'Жду уже'],
      ['Заказ на сегодня, третий час жду курьера', 'третий час жду'],
      ['Заказала часы, жду уже вторую неделю', 'жду уже'],
      ['Почему так долго везут заказ?', 'долго везут'],
      [
        'здравствуйте подскажите пожалуйста у меня заказ должен был прийти в пункт сдэк вчера но смс так и не пришло что делать',
        'должен был прийти',
      ],
      ['Трек застрял в Москве', 'Трек застрял'],
      ['The parcel is late', 'parcel is late'],
    ],
    // money, points, a code, a question, a repair, a wrong item
    notRead: [
      'Деньги за возврат так и не пришли',
      'Бонусы не пришли за покупку',
      'Не приходит код из SMS',
      'Когда придёт заказ?',
      'Статус ремонта не меняется',
      'Пришёл не тот браслет',
      "I still haven't got my refund",
      // it came, late by hours: a complaint about the delivery, not an order on its way
      'Курьер опоздал на 3 часа и нагрубил. Жалоба!',
      'Курьер задержался на полчаса, а заказ помят',
      // a wait for the chat's answer, the order asked about beside it
      'Почему так долго отвечаете?? Жду уже 40 минут!!! Где мой заказ 5512555',
    ],
  },
  {
    detect: detectReturnRequest,
    situation: 'return-request',
    read: [
      ['Можно ли сдать браслет, если не подошёл?', 'сдать'],
      ['Хочу сдать часы обратно, не понравились', 'сдать'],
      ['Обменяйте серьги на другие, пожалуйста', 'Обменяйте'],
      ['Hi, I would like to return the watch', 'like to return'],
      ['Can I exchange this ring?', 'Can I exchange'],
    ],
    // a refund's status, a certificate, a negated wish, no item named
    notRead: [
      'Не хочу возвращать браслет, просто подскажите, как за ним ухаживать',
      'Когда вернут деньги за кольцо?',
      'Оплатила кольцо, а банк списал деньги дважды. Когда вернёте?',
      'Вы сдадите мои серьги в ремонт?',
      'Можно ли сдать часы в ремонт, если гарантия закончилась?',
      'Хочу сдать кольцо на чистку в мастерскую',
      'Можно вернуть подарочный сертификат?',
      'Не хочу возвращать цепочку, просто спросить',
      'Как вернуть деньги?',
      'I returned the earrings a week ago',
    ],
  },
  {
    detect: detectEngravedItem,
    situation: 'engraved-item',
    read: [
      ['Можно обменять кольцо с гравировкой?', 'с гравировкой'],
      ['Нам выгравировали имя, но размер не тот', 'выгравировали'],
      ['Can I return an engraved pendant?', 'engraved'],
    ],
    notRead: ['Сколько стоит гравировка?', 'Кольцо без гравировки, можно вернуть?'],
  },
  {
    detect: detectNotYetReceived,
    situation: 'not-yet-received',
    read: [
      ['Кольцо ещё не забирала, а размер, кажется, не тот', 'не забирала'],
      ['Заказ пришёл в пункт выдачи, но я передумала', 'пришёл в пункт выдачи'],
      ['Серьги лежат в ПВЗ, можно не забирать?', 'не забирать'],
      ['Курьер привезёт браслет завтра. Если не понравится, могу не брать?', 'не брать'],
      ['Заказ готов к выдаче, но часы уже не нужны', 'готов к выдаче'],
      ['Можно отказаться при получении, если цепочка не подойдёт?', 'отказаться при получении'],
      ['Я пока не выкупила заказ', 'не выкупила'],
      ["I haven't picked it up yet, can I refuse it?", "haven't picked it up"],
    ],
    // where the order is, a late order, an order in hand, a return collected, a question about pickup
    notRead: [
      'Когда привезут мой заказ?',
      'Заказала кольцо 3 дня назад, когда его уже доставят?',
      'Заказ пришёл в ПВЗ, а код не пришёл',
      'Заказ не пришёл, прошла неделя',
      'Я так и не получила посылку',
      'Забрала вчера цепочку, не понравилась',
      'Курьер не забрал возврат',
      'Как забрать заказ в магазине?',
      'Когда привезут деньги за возврат?',
      'I picked up the ring yesterday and it does not fit',
    ],
  },
  {
    detect: detectCancelRequest,
    situation: 'cancel-request',
    read: [
      ['Отмените мой заказ, пожалуйста', 'Отмените'],
      ['Передумала покупать, как отменить?', 'отменить'],
      ['Можно отменить заказ 5523411?', 'отменить'],
      ['Прошу отмену заказа, оформила по ошибке', 'Прошу отмену'],
      ['Хочу отказаться от заказа', 'отказаться от заказа'],
      ['Заказ мне больше не нужен', 'Заказ мне больше не нужен'],
      ['Заказ ещё не получила, но уже хочу от него отказаться', 'от него отказаться'],
      ['Please cancel my order 5523411', 'cancel my'],
      ['I want to cancel the earrings order', 'want to cancel'],
    ],
    // where the order is, a cancellation that happened, a negated request, another case cancelled
    notRead: [
      'хочу узнать где мой заказ',
      'Заказ отменили без моего ведома, почему?',
      'Не отменяйте заказ, я заберу его завтра',
      'Не хочу отменять заказ, просто скажите, когда его отправят',
      'Хочу отменить заявку на возврат',
      'Когда привезут заказ?',
      'Мне нужен заказ к пятнице',
      "Please don't cancel my order",
      'Why was my order cancelled?',
    ],
  },
  {
    detect: detectItemReturned,
    situation: 'item-returned',
    read: [
      ['сдала браслет в магазин 8 дней назад, деньги до сих пор не вернули', 'сдала'],
      ['Вернула серьги в пункт СДЭК, когда придут деньги?', 'Вернула'],
      ['возврат уже оформила, когда вернут деньги?', 'возврат уже оформила'],
      ['Оформил возврат 20 ноября, деньги до сих пор не пришли', 'Оформил возврат'],
      ['Добрый день, когда придут деньги за возврат?', 'за возврат'],
      ['Отправила кольцо обратно неделю назад', 'Отправила кольцо обратно'],
      ['I returned the ring last week, where is my refund?', 'I returned'],
    ],
    // a request, money said of the future, points, a double charge, a repair, a negation
    notRead: [
      'Хочу вернуть серьги, не подошли',
      'Когда придут баллы за заказ?',
      'Банк списал деньги дважды за один заказ 5531777. Когда вернёте вторую сумму?',
      'Как оформить возврат?',
      'Сдала часы в ремонт две недели назад',
      'Серьги я не вернула, они у меня',
      'Деньги не вернули до сих пор',
      'I want to return a bracelet',
    ],
  },
];

describe.each(ORDER_SITUATIONS)('$situation', ({ detect, situation, read, notRead }) => {
  it.each(read)('reads «%s» («%s»)', (text, cue) => {
    expect(detect(text)).toEqual({ situation, cue });
  });

  it.each(notRead)('does not read «%s»', (text) => {
    expect(detect(text)).toBeUndefined();
  });
});

describe('reportsProblem', () => {
  it('says the customer reports a problem for a wrong item, a late order or a defect, not for a question', () => {
    expect(reportsProblem(['Добрый день', 'в коробке оказались не те серьги'])).toBe(true);
    expect(reportsProblem(['Посылка опаздывает'])).toBe(true);
    expect(reportsProblem(['Застёжка сломалась'])).toBe(true);
    expect(reportsProblem(['Сколько стоит доставка?'])).toBe(false);
  });
});

describe('detectSituations', () => {
  it('finds no problem in a turn that asks in advance, and keeps the one it reports', () => {
    // the watch is still a watch; nothing broke
    expect(detectSituations(['Если часы сломаются через год, гарантия будет?'])).toEqual([
      { situation: 'non-precious-item', cue: 'часы' },
    ]);
    expect(
      detectSituations(['Часы сломались через месяц. Если ремонт долгий, верните деньги']).map(
        (claim) => claim.situation,
      ),
    ).toContain('defect-claim');
  });
});

describe('refusesReturn and mentionsReturn', () => {
  it('tells a return refusal from a reply that takes the item back', () => {
    expect(refusesReturn('К сожалению, кольцо вернуть или обменять не получится')).toBe(true);
    expect(refusesReturn('Золотое кольцо надлежащего качества обменять нельзя')).toBe(true);
    expect(refusesReturn('Jewellery of proper quality cannot be returned or exchanged')).toBe(true);
    expect(refusesReturn('Часы можно вернуть в течение 7 дней')).toBe(false);
  });

  it('calls a reply a refusal when it says so first, not in a note at its end', () => {
    expect(
      leadsWithRefusal(
        'Понимаю, как неприятно. К сожалению, кольцо вернуть или обменять не получится. Вот что можно.',
      ),
    ).toBe(true);
    expect(
      leadsWithRefusal(
        'Сделаем гравировку за 990 ₽. Это займёт 1–3 дня. Изделие с гравировкой вернуть или обменять нельзя.',
      ),
    ).toBe(false);
  });

  it('hears a customer speak of returning or exchanging, and not of caring for an item', () => {
    expect(mentionsReturn(['Хочу поменять кольцо на другое'])).toBe(true);
    expect(mentionsReturn(['Можно сдать серьги обратно?'])).toBe(true);
    expect(mentionsReturn(['Can I get a refund?'])).toBe(true);
    expect(mentionsReturn(['Кольцо не понравилось, я его не носила'])).toBe(true);
    expect(mentionsReturn(['Как почистить золотое кольцо с бриллиантом дома?'])).toBe(false);
  });
});

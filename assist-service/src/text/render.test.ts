import { describe, expect, it } from 'vitest';
import { type RenderOptions, renderTemplate } from './render.ts';

const ORDER_STATUS =
  '{{customer_name}}, ваш заказ № {{order_id}} передан в службу доставки. Отследить его можно по номеру {{tracking_number}}.';

describe('renderTemplate', () => {
  it('fills every slot it has a value for', () => {
    const result = renderTemplate(ORDER_STATUS, {
      customer_name: 'Анна',
      order_id: '123456',
      tracking_number: 'RA123456789RU',
    });
    expect(result).toEqual({
      text: 'Анна, ваш заказ № 123456 передан в службу доставки. Отследить его можно по номеру RA123456789RU.',
      filled: { customer_name: 'Анна', order_id: '123456', tracking_number: 'RA123456789RU' },
      missing: [],
    });
  });

  it.each<[string, string, Record<string, string>, RenderOptions, string, string[]]>([
    [
      'marks a missing order number as «[номер заказа]»',
      'Ваш заказ № {{order_id}} в пути.',
      {},
      {},
      'Ваш заказ № [номер заказа] в пути.',
      ['order_id'],
    ],
    [
      'uses the template’s own label, lower-cased',
      'Размер: {{ring_size}}',
      {},
      { slots: { ring_size: { label: 'Размер кольца' } } },
      'Размер: [размер кольца]',
      ['ring_size'],
    ],
    [
      'prefers the labels map and keeps acronyms as written',
      'ИНН: {{inn}}',
      {},
      { labels: { inn: 'ИНН покупателя' } },
      'ИНН: [ИНН покупателя]',
      ['inn'],
    ],
    [
      'falls back to the slot name for an unknown slot',
      'Код: {{promo_code}}',
      {},
      {},
      'Код: [promo_code]',
      ['promo_code'],
    ],
    [
      'uses English labels for an English template',
      'Your order {{order_id}} has shipped.',
      {},
      { language: 'en' },
      'Your order [order number] has shipped.',
      ['order_id'],
    ],
    [
      'uses a custom marker',
      'Заказ {{order_id}}',
      {},
      { missingMarker: (slot) => `⟦${slot}⟧` },
      'Заказ ⟦order_id⟧',
      ['order_id'],
    ],
    [
      'drops an optional name and its comma after «Здравствуйте»',
      'Здравствуйте, {{customer_name}}! Чем помочь?',
      {},
      { slots: { customer_name: { required: false } } },
      'Здравствуйте! Чем помочь?',
      [],
    ],
    [
      'drops an optional name that opened the sentence and capitalises what follows',
      ORDER_STATUS,
      { order_id: '123456', tracking_number: 'RA123456789RU' },
      { slots: { customer_name: { required: false } } },
      'Ваш заказ № 123456 передан в службу доставки. Отследить его можно по номеру RA123456789RU.',
      [],
    ],
    [
      'drops empty brackets left by an optional slot',
      'Кольцо ({{product}}) готово к выдаче.',
      {},
      { slots: { product: { required: false } } },
      'Кольцо готово к выдаче.',
      [],
    ],
    [
      'keeps an unfilled slot that is not declared optional visibly marked',
      'Ожидаемая дата доставки — {{delivery_date}}.',
      {},
      {},
      'Ожидаемая дата доставки — [дата доставки].',
      ['delivery_date'],
    ],
    [
      'drops the whole sentence of an optional slot after a dash, not just the slot',
      'Отследить можно в личном кабинете. Ожидаемая дата доставки — {{date}}. Перед доставкой придёт SMS.',
      {},
      { slots: { date: { required: false } } },
      'Отследить можно в личном кабинете. Перед доставкой придёт SMS.',
      [],
    ],
    [
      'drops the clause of an optional slot between commas',
      'Заказ № {{order_id}} в пути, трек-номер {{tracking_number}}, ожидаемая дата — {{date}}.',
      { order_id: '123', tracking_number: 'RA1' },
      { slots: { date: { required: false } } },
      'Заказ № 123 в пути, трек-номер RA1.',
      [],
    ],
    [
      'drops a clause after a semicolon',
      'Всё успеет измениться; новая ожидаемая дата доставки — {{date}}.',
      {},
      { slots: { date: { required: false } } },
      'Всё успеет измениться.',
      [],
    ],
    [
      'drops only the prepositional phrase when the clause stands without it',
      'Сертификат действует 1 год с даты покупки — до {{date}}, его можно тратить частями.',
      {},
      { slots: { date: { required: false } } },
      'Сертификат действует 1 год с даты покупки, его можно тратить частями.',
      [],
    ],
    [
      'drops a phrase of a few words ending at the slot',
      'Оформите заявку по заказу № {{order_id}}, затем принесите изделие в магазин по адресу {{store_address}}.',
      {},
      { slots: { order_id: { required: false }, store_address: { required: false } } },
      'Оформите заявку, затем принесите изделие в магазин.',
      [],
    ],
    [
      'drops the clause when the phrase left a single word and capitalises what follows',
      'Введите PIN в корзине. Действует до {{date}}, можно тратить частями.',
      {},
      { slots: { date: { required: false } } },
      'Введите PIN в корзине. Можно тратить частями.',
      [],
    ],
    [
      'drops an English clause and capitalises the next one',
      'The expected delivery date is {{date}}; you will have 15 minutes to try everything on.',
      {},
      { language: 'en', slots: { date: { required: false } } },
      'You will have 15 minutes to try everything on.',
      [],
    ],
    [
      'keeps an optional slot marked when its clause introduces a list',
      'Анна, {{product}} можно купить частями:\n— Сплит;\n— рассрочка.',
      {},
      { slots: { product: { required: false } } },
      'Анна, [товар] можно купить частями:\n— Сплит;\n— рассрочка.',
      ['product'],
    ],
    [
      'drops a line that held only an optional slot',
      'Спасибо за отзыв.\n{{review_answer}}\nБудем рады видеть вас снова!',
      {},
      { slots: { review_answer: { required: false } } },
      'Спасибо за отзыв.\nБудем рады видеть вас снова!',
      [],
    ],
    [
      'treats a blank value as missing',
      'Заказ {{order_id}}',
      { order_id: '   ' },
      {},
      'Заказ [номер заказа]',
      ['order_id'],
    ],
    [
      'reports a slot used twice once',
      '{{order_id}} / {{order_id}}',
      {},
      {},
      '[номер заказа] / [номер заказа]',
      ['order_id'],
    ],
  ])('%s', (_name, template, values, options, text, missing) => {
    const result = renderTemplate(template, values, options);
    expect(result.text).toBe(text);
    expect(result.missing).toEqual(missing);
  });

  it('asks for the order number only while the conversation has none (conditional sections)', () => {
    const intake =
      'Чтобы оформить обращение{{#order_id}} по заказу № {{order_id}}{{/order_id}}, пришлите ' +
      '{{^order_id}}номер заказа или фото чека, {{/order_id}}2–3 фото дефекта.';
    expect(renderTemplate(intake, { order_id: '4521873' })).toEqual({
      text: 'Чтобы оформить обращение по заказу № 4521873, пришлите 2–3 фото дефекта.',
      filled: { order_id: '4521873' },
      missing: [],
    });
    expect(renderTemplate(intake, { order_id: '  ' })).toEqual({
      text: 'Чтобы оформить обращение, пришлите номер заказа или фото чека, 2–3 фото дефекта.',
      filled: {},
      missing: [],
    });
  });

  it('inserts values literally, even with «$&» or braces in them', () => {
    expect(renderTemplate('Промокод: {{code}}', { code: '$&{{x}}' }).text).toBe('Промокод: $&{{x}}');
  });

  it('keeps a name exactly as given', () => {
    expect(renderTemplate('{{customer_name}}, добрый день!', { customer_name: 'анна-мария' }).text).toBe(
      'анна-мария, добрый день!',
    );
  });

  it('accepts spaces inside the braces', () => {
    expect(renderTemplate('Заказ {{ order_id }}', { order_id: '77' }).filled).toEqual({ order_id: '77' });
  });
});

describe('renderTemplate puts values in the form the template needs', () => {
  it('puts a common-noun value in place of the generic noun it stands in apposition to', () => {
    const template = 'Жаль, что с изделием {{product}} возникла проблема.';
    expect(renderTemplate(template, { product: 'кольцо' }).text).toBe(
      'Жаль, что с кольцом возникла проблема.',
    );
    expect(renderTemplate(template, { product: 'серьги' }).text).toBe(
      'Жаль, что с серьгами возникла проблема.',
    );
    expect(renderTemplate(template, { product: 'серебряная цепочка' }).text).toBe(
      'Жаль, что с серебряной цепочкой возникла проблема.',
    );
    expect(renderTemplate('Спасибо за отзыв о товаре {{product}}.', { product: 'часы' }).text).toBe(
      'Спасибо за отзыв о часах.',
    );
  });

  it('keeps the generic noun before a name, an id or a word the dictionary does not know', () => {
    expect(renderTemplate('с изделием {{product}}', { product: 'Pandora' }).text).toBe('с изделием Pandora');
    expect(renderTemplate('по обращению {{claim_id}}', { claim_id: 'ГР-104233' }).text).toBe(
      'по обращению ГР-104233',
    );
    expect(renderTemplate('с клиенткой {{customer_name}}', { customer_name: 'Анна' }).text).toBe(
      'с клиенткой Анной',
    );
    expect(renderTemplate('с изделием {{product}}', { product: 'кольцо' }).missing).toEqual([]);
  });

  it('declines a value after a preposition', () => {
    expect(renderTemplate('Подарок для {{customer_name}}', { customer_name: 'Анна' }).text).toBe(
      'Подарок для Анны',
    );
  });

  it('takes the case the slot declares when the context does not decide it', () => {
    const options: RenderOptions = { slots: { product: { case: 'винительный' } } };
    expect(renderTemplate('Сделаем гравировку на {{product}}.', { product: 'цепочка' }, options).text).toBe(
      'Сделаем гравировку на цепочку.',
    );
  });

  it('agrees a noun with the number before it', () => {
    expect(renderTemplate('В заказе {{count}} {{product}}.', { count: '5', product: 'кольцо' }).text).toBe(
      'В заказе 5 колец.',
    );
  });

  it('keeps the value as given where nothing governs it, and keeps it in filledSlots', () => {
    const result = renderTemplate('{{product}} можно вернуть, {{customer_name}}.', {
      product: 'Серьги',
      customer_name: 'Анна',
    });
    expect(result.text).toBe('Серьги можно вернуть, Анна.');
    const declined = renderTemplate('с изделием {{product}}', { product: 'кольцо' });
    expect(declined.filled).toEqual({ product: 'кольцо' });
  });

  it('gives an English product a determiner', () => {
    const english: RenderOptions = { language: 'en' };
    expect(
      renderTemplate('We are sorry that {{product}} has a problem.', { product: 'ring' }, english).text,
    ).toBe('We are sorry that your ring has a problem.');
    expect(renderTemplate('{{product}} can be returned.', { product: 'watch' }, english).text).toBe(
      'Your watch can be returned.',
    );
    expect(renderTemplate('Return the {{product}}.', { product: 'watch' }, english).text).toBe(
      'Return the watch.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../retrieval/knowledge-base.ts';
import type { ScriptStepEntry } from '../../retrieval/script-profiles.ts';
import { stemSet } from '../../retrieval/stems.ts';
import type { Entities } from '../../text/types.ts';
import { assessHit, confidenceLevel } from './confidence.ts';
import { nextActionsFor } from './next-actions.ts';
import { buildRetrievalQuery, cutAtWord, requestQueries, withTimeOfDay } from './retrieval-query.ts';
import { addressName, slotValues, withSystemSlots } from './slots.ts';
import { citationsOf, saysSomething } from './suggestions.ts';
import { understand } from './understanding.ts';
import { dropLeadingName, fillStep, wrapInScript } from './voice.ts';

function hit(overrides: Partial<SearchHit>): SearchHit {
  return {
    documentId: 'doc',
    chunkId: 'doc#0',
    score: 0.03,
    kind: 'faq',
    title: '',
    titlePath: [],
    text: '',
    source: 'faq.csv',
    language: 'ru',
    tags: [],
    signals: {},
    ...overrides,
  };
}

const noEntities: Entities = {
  orderIds: [],
  contractIds: [],
  trackingNumbers: [],
  dates: [],
  amounts: [],
  phones: [],
  emails: [],
  urls: [],
  products: [],
};

function step(
  overrides: Partial<ScriptStepEntry> & Pick<ScriptStepEntry, 'step' | 'variants'>,
): ScriptStepEntry {
  return {
    type: 'script-step',
    id: overrides.step,
    address: 'vy',
    language: 'ru',
    detect: [],
    required: false,
    position: 'any',
    documentId: `script-ru/${overrides.step}`,
    chunkId: `script-ru/${overrides.step}#0`,
    ...overrides,
  };
}

describe('retrieval query', () => {
  it('puts the newest customer turn first and skips turns that say nothing once cleaned', () => {
    const query = buildRetrievalQuery([
      { role: 'customer', text: 'Заказ не пришёл' },
      { role: 'operator', text: 'Уточните номер' },
      { role: 'customer', text: 'Номер 123456, где он?' },
      { role: 'customer', text: 'Спасибо!' },
    ]);
    expect(query.latest).toContain('123456');
    expect(query.text.indexOf('123456')).toBeLessThan(query.text.indexOf('не пришёл'));
    expect(query.text).not.toContain('Уточните');
  });

  it('leaves out a clause that only gives the order number, and keeps a question about the order', () => {
    const refund = buildRetrievalQuery([
      {
        role: 'customer',
        text: 'Оформил возврат 20 ноября, деньги до сих пор не пришли. Номер заказа 6650912.',
      },
    ]);
    expect(refund.text).toBe('Оформил возврат 20 ноября, деньги до сих пор не пришли.');
    const warranty = buildRetrievalQuery([
      { role: 'customer', text: 'Заказ № 4521873, у часов через неделю отвалился ремешок' },
    ]);
    expect(warranty.text).toBe('у часов через неделю отвалился ремешок');
    expect(buildRetrievalQuery([{ role: 'customer', text: 'Где мой заказ 5523411?' }]).text).toBe(
      'Где мой заказ 5523411?',
    );
    expect(buildRetrievalQuery([{ role: 'customer', text: 'Order #5512093' }]).text).toBe('Order #5512093');
  });

  it('is empty when the customer only greeted', () => {
    expect(buildRetrievalQuery([{ role: 'customer', text: 'Здравствуйте!' }]).text).toBe('');
    expect(buildRetrievalQuery([{ role: 'customer', text: 'Спасибо, всё понятно' }]).text).toBe('');
  });

  it('is empty when the customer only thanks for an answer the operator gave, not for a question', () => {
    const asked = { role: 'customer', text: 'Сколько идёт доставка в Казань?' } as const;
    const thanks = { role: 'customer', text: 'спасибо, всё понятно' } as const;
    const answered = [asked, { role: 'operator', text: 'Курьером 2–5 дней.' } as const, thanks];
    expect(requestQueries(answered)).toEqual([{ text: '', latest: '' }]);
    const questioned = [asked, { role: 'operator', text: 'Подскажите, какой адрес?' } as const, thanks];
    expect(buildRetrievalQuery(questioned).text).toContain('доставка в Казань');
    expect(buildRetrievalQuery([asked, thanks]).text).toContain('доставка в Казань');
  });

  it('offers each substantive customer turn alone after the whole conversation, and nothing more for one turn', () => {
    const queries = requestQueries([
      { role: 'customer', text: 'Можно поменять адрес доставки?' },
      { role: 'operator', text: 'Назовите номер заказа' },
      { role: 'note', text: 'клиентка просит вернуть деньги за сертификат' },
      { role: 'customer', text: 'Заказ 4471203, кольцо с гравировкой' },
    ]);
    expect(queries.map((query) => query.text)).toEqual([
      'кольцо с гравировкой\nМожно поменять адрес доставки?',
      'кольцо с гравировкой',
      'Можно поменять адрес доставки?',
    ]);
    expect(queries[0]?.text).toContain('адрес доставки');
    expect(queries.some((query) => query.text.includes('сертификат'))).toBe(false);
    expect(requestQueries([{ role: 'customer', text: 'Где мой заказ?' }])).toHaveLength(1);
  });

  it('adds the word for time to a question that names a time of day, and only then', () => {
    expect(withTimeOfDay('Курьер может приехать после 19:00?')).toBe(
      'Курьер может приехать после 19:00? время',
    );
    expect(withTimeOfDay('можно привезти к 9 утра')).toBe('можно привезти к 9 утра время');
    expect(withTimeOfDay('Привезите вечером')).toBe('Привезите вечером время');
    expect(withTimeOfDay('Can the courier come after 7 pm?')).toBe('Can the courier come after 7 pm? time');
    expect(withTimeOfDay('заказала кольцо 3 дня назад')).toBe('заказала кольцо 3 дня назад');
    expect(withTimeOfDay('стоит 19.00 рублей, заказ 1234:56')).toBe('стоит 19.00 рублей, заказ 1234:56');
    expect(buildRetrievalQuery([{ role: 'customer', text: 'Курьер будет после 20:30?' }]).latest).toContain(
      'время',
    );
  });

  it('offers each sentence of the newest turn alone last, marked, when the turn has several', () => {
    const queries = requestQueries([
      {
        role: 'customer',
        text: 'Вы что издеваетесь??? Третий раз пишу, где мой заказ 5523411, ужасный сервис',
      },
    ]);
    expect(queries.map((query) => [query.text, query.sentence ?? false])).toEqual([
      ['Вы что издеваетесь??? Третий раз пишу, где мой заказ 5523411, ужасный сервис', false],
      ['Вы что издеваетесь???', true],
      ['Третий раз пишу, где мой заказ 5523411, ужасный сервис', true],
    ]);
    // Judged against the whole turn, not the sentence alone.
    expect(new Set(queries.map((query) => query.latest)).size).toBe(1);
    expect(requestQueries([{ role: 'customer', text: 'Где мой заказ? Заказ № 10452378.' }])).toHaveLength(1);
    // Two words alone match an entry's question word for word and ask nothing.
    const short = requestQueries([
      { role: 'customer', text: 'Заказ должен был прийти в пятницу, а его нет. Что происходит??' },
    ]);
    expect(short.map((query) => query.text)).not.toContain('Что происходит??');
  });

  it('cuts at a word boundary', () => {
    expect(cutAtWord('доставка курьером по Москве', 20)).toBe('доставка курьером');
  });
});

describe('confidence', () => {
  it('is high when the customer asks the FAQ question in other words, low when only one word is shared', () => {
    const entry = hit({
      title: 'Сколько идёт доставка?',
      text: 'Курьером 1–2 дня.',
      metadata: { question: 'Сколько идёт доставка?' },
    });
    const close = assessHit(entry, stemSet('подскажите, сколько идёт доставка до Казани'));
    const far = assessHit(entry, stemSet('можно ли купить биткоин с доставкой ракеты'));
    expect(confidenceLevel(close.score)).not.toBe('low');
    expect(close.score).toBeGreaterThan(far.score);
    expect(confidenceLevel(far.score)).toBe('low');
  });

  it('counts a template’s sample questions as its phrasings (English too)', () => {
    const template = hit({
      kind: 'template',
      title: 'Order in transit',
      text: 'Your order is on its way.',
      metadata: { questions: ['Where is my order?'] },
    });
    expect(assessHit(template, stemSet('where is my order')).questionCoverage).toBe(1);
  });
});

describe('citations', () => {
  it('cite the entries the search folded into the hit as twins, with the same quote', () => {
    const entry = hit({
      documentId: 'faq-version-ios',
      chunkId: 'faq-version-ios#0',
      title: 'Версия приложения на iOS',
      text: 'Нажмите на фото профиля:   версия под кнопкой «Выйти».',
      twins: [
        { documentId: 'faq-version-android', chunkId: 'faq-version-android#0', title: 'Версия на Android' },
      ],
    });
    const citations = citationsOf(assessHit(entry, stemSet('как узнать версию')));
    expect(citations.map((citation) => [citation.documentId, citation.title])).toEqual([
      ['faq-version-ios', 'Версия приложения на iOS'],
      ['faq-version-android', 'Версия на Android'],
    ]);
    expect(new Set(citations.map((citation) => citation.quote))).toEqual(
      new Set(['Нажмите на фото профиля: версия под кнопкой «Выйти».']),
    );
  });
});

describe('templates with nothing left to say', () => {
  const askNumber = assessHit(
    hit({
      kind: 'template',
      metadata: { text: '{{^order_id}}Подскажите, пожалуйста, номер заказа.{{/order_id}}' },
    }),
    new Set(),
  );

  it('are not offered once the customer gave what the template only asks for', () => {
    expect(saysSomething(askNumber, {})).toBe(true);
    expect(saysSomething(askNumber, { order_id: '  ' })).toBe(true);
    expect(saysSomething(askNumber, { order_id: '5520381' })).toBe(false);
  });

  it('are offered while any of their text stays, and an FAQ answer always is', () => {
    const claim = assessHit(
      hit({
        kind: 'template',
        metadata: { text: 'Пришлите, пожалуйста, {{^order_id}}номер заказа и {{/order_id}}фото дефекта.' },
      }),
      new Set(),
    );
    expect(saysSomething(claim, { order_id: '5520381' })).toBe(true);
    expect(
      saysSomething(assessHit(hit({ text: '{{^order_id}}x{{/order_id}}' }), new Set()), { order_id: '1' }),
    ).toBe(true);
  });
});

describe('slot values', () => {
  it('prefers the customer card to what the customer typed, and the newest number typed', () => {
    const values = slotValues({
      entities: {
        ...noEntities,
        orderIds: [
          { value: '111111', raw: '111111', start: 0, end: 6 },
          { value: '222222', raw: '222222', start: 10, end: 16 },
        ],
        customerName: { value: 'Аня', raw: 'Аня', start: 0, end: 3 },
      },
      customer: {
        name: 'Иванова Анна Петровна',
        ids: { contract: 'Д-77' },
        fields: { store_address: 'Тверская, 1' },
      },
      operator: { id: 'op', displayName: 'Ольга Смирнова' },
      language: 'ru',
    });
    expect(values).toMatchObject({
      customer_name: 'Анна Петровна',
      order_id: '222222',
      contract_id: 'Д-77',
      operator_name: 'Ольга',
      store_address: 'Тверская, 1',
    });
  });

  it('fills {{date}} with a day the customer names in the past, not with a wish for the future', () => {
    const dates = [
      { value: '2026-11-17', raw: '17 ноября', start: 0, end: 9 },
      { value: '2026-11-27', raw: 'к пятнице', start: 20, end: 29 },
    ];
    const values = slotValues({ entities: { ...noEntities, dates }, language: 'ru', today: '2026-11-24' });
    expect(values.date).toBe('17.11.2026');
  });

  it('fills a slot declared `source: system` from the helpdesk card only, never from the customer’s words', () => {
    const values = { order_id: '10452378', date: '04.12.2026', amount: '4 990 ₽', product: 'часы' };
    const slots = { date: { source: 'system' }, amount: { source: 'system' }, order_id: {} };
    expect(withSystemSlots(values, {}, slots)).toEqual({ order_id: '10452378', product: 'часы' });
    expect(withSystemSlots(values, { date: '01.12.2026' }, slots)).toEqual({
      order_id: '10452378',
      date: '01.12.2026',
      product: 'часы',
    });
    expect(withSystemSlots(values, {}, { order_id: {} })).toBe(values);
  });

  it('does not greet by a login or an e-mail address', () => {
    expect(addressName('user12345')).toBeUndefined();
    expect(addressName('anna@example.com')).toBeUndefined();
  });

  it('addresses the customer by the given name (and patronymic), never by the surname', () => {
    expect(addressName('Игорь Смирнов')).toBe('Игорь');
    expect(addressName('Смирнов Игорь')).toBe('Игорь');
    expect(addressName('Anna Smith')).toBe('Anna');
    expect(addressName('Анна Петровна')).toBe('Анна Петровна');
    expect(addressName('Иванова Анна Петровна')).toBe('Анна Петровна');
    expect(addressName('Анна Петровна Иванова')).toBe('Анна Петровна');
    expect(addressName('Зульфия Ахметова')).toBe('Зульфия Ахметова');
  });
});

describe('script voice', () => {
  const steps = [
    step({ step: 'greeting', variants: ['Здравствуйте, {{customer_name}}!'], required: true }),
    step({ step: 'introduction', variants: ['Меня зовут {{operator_name}}.'], channels: ['chat'] }),
    step({ step: 'apology', variants: ['Приносим извинения.'] }),
    step({ step: 'closing', variants: ['Хорошего дня!'], required: true }),
    step({ step: 'greeting', variants: ['Hello!'], language: 'en' }),
  ];
  const base = {
    steps,
    language: 'ru',
    channel: 'chat' as const,
    firstReply: true,
    hurry: false,
    negative: false,
    values: { customer_name: 'Анна', operator_name: 'Ольга' },
  };

  it('greets, introduces and closes a first reply, and does not repeat the name', () => {
    expect(wrapInScript('Анна, ваш заказ в пути.', base).text).toBe(
      'Здравствуйте, Анна! Меня зовут Ольга.\nВаш заказ в пути.\nХорошего дня!',
    );
  });

  it('only answers and closes in a later reply', () => {
    expect(wrapInScript('Заказ в пути.', { ...base, firstReply: false }).text).toBe(
      'Заказ в пути.\nХорошего дня!',
    );
  });

  it('apologises to an upset customer, unless in a hurry, and skips the introduction in a hurry', () => {
    expect(wrapInScript('Заказ в пути.', { ...base, negative: true }).text).toContain('Приносим извинения.');
    const hurried = wrapInScript('Заказ в пути.', { ...base, negative: true, hurry: true }).text;
    expect(hurried).not.toContain('Меня зовут');
    expect(hurried).not.toContain('извинения');
  });

  it('drops an unknown name from a greeting instead of marking it', () => {
    expect(fillStep('Здравствуйте, {{customer_name}}!', {})).toBe('Здравствуйте!');
    expect(wrapInScript('Ok.', { ...base, values: {} }).text).toBe('Здравствуйте!\nOk.\nХорошего дня!');
  });

  it('drops an unknown name that opens a greeting, with its comma', () => {
    const marketplace = [
      step({ step: 'greeting', variants: ['{{customer_name}}, здравствуйте!', 'Здравствуйте!'] }),
    ];
    expect(fillStep('{{customer_name}}, здравствуйте!', {})).toBe('Здравствуйте!');
    expect(wrapInScript('Спасибо за отзыв.', { ...base, steps: marketplace, values: {} }).text).toBe(
      'Здравствуйте!\nСпасибо за отзыв.',
    );
  });

  it('puts nothing before an answer that greets by itself, and does not close twice', () => {
    const text = wrapInScript('Здравствуйте! Спасибо за отзыв.\nХорошего дня!', {
      ...base,
      negative: true,
      values: {},
    }).text;
    expect(text).toBe('Здравствуйте! Спасибо за отзыв.\nХорошего дня!');
  });

  it('puts a step the script places at the end (an e-mail signature) after the closing', () => {
    const email = [
      step({ step: 'greeting', variants: ['Здравствуйте!'], channels: ['email'] }),
      step({
        step: 'introduction',
        variants: ['С уважением,\n{{operator_name}}'],
        channels: ['email'],
        position: 'end',
      }),
      step({ step: 'closing', variants: ['Хорошего дня!'], channels: ['email'] }),
    ];
    expect(wrapInScript('Заказ в пути.', { ...base, steps: email, channel: 'email' }).text).toBe(
      'Здравствуйте!\n\nЗаказ в пути.\n\nХорошего дня!\n\nС уважением,\nОльга',
    );
  });

  it('uses only the steps of the reply’s language and separates e-mail paragraphs', () => {
    expect(wrapInScript('On its way.', { ...base, language: 'en', channel: 'email' }).text).toBe(
      'Hello!\n\nOn its way.',
    );
  });

  it('does not close while the issue is open: an upset or pressing customer, a reported problem', () => {
    const finished = 'Курьер привозит заказ за 1–2 дня.';
    expect(wrapInScript(finished, base).text).toContain('Хорошего дня!');
    for (const open of [{ negative: true }, { hurry: true }, { problem: true }]) {
      expect(wrapInScript(finished, { ...base, ...open }).text, JSON.stringify(open)).not.toContain(
        'Хорошего дня!',
      );
    }
  });

  it('drops a leading name only when followed by a comma', () => {
    expect(dropLeadingName('Анна, ваш заказ', 'Анна')).toBe('Ваш заказ');
    expect(dropLeadingName('Аннотация', 'Анна')).toBe('Аннотация');
  });
});

describe('next actions', () => {
  const now = new Date('2026-11-24T10:00:00Z');
  const departments = [
    { id: 'orders', name: 'Отдел заказов' },
    { id: 'warranty', name: 'Гарантийный отдел' },
    { id: 'quality', name: 'Отдел качества' },
  ];
  const rule = (id: string, action: 'handover' | 'ask', priority: number, extra: object) => ({
    id,
    action,
    priority,
    when: { keywords: ['застёжка'] },
    ...extra,
  });

  /** The actions (rule ids, else types) for one customer turn under these routing rules. */
  const actionsUnder = (routing: readonly object[], text: string, topicLabels: string[] = []) =>
    nextActionsFor({
      profile: { collection: 'demo', updatedAt: '', steps: [], rules: [], departments, routing } as never,
      understanding: understand([{ role: 'customer', text }], { now }),
      topicLabels,
      channel: 'chat',
      language: 'ru',
      values: {},
      missingSlots: [],
      template: undefined,
      customerText: [text],
    }).map((action) => action.ruleId ?? action.type);

  it('proposes one action of each kind, the strongest rule’s, most important first, at most three', () => {
    const routing = [
      rule('to-warranty', 'handover', 55, { department: 'warranty' }),
      rule('to-orders', 'handover', 40, { department: 'orders' }),
      rule('ask-order', 'ask', 60, { slot: 'order_id' }),
      rule('ask-claim', 'ask', 60, { slot: 'claim_id' }),
    ];
    expect(actionsUnder(routing, 'ЗАСТЁЖКА ОТВАЛИЛАСЬ!!! Верните деньги немедленно, сегодня же')).toEqual([
      'escalate',
      'ask-order',
      'to-warranty',
    ]);
  });

  it('asks the customer only for slots whose template says how to ask, not for what the operator looks up', () => {
    const template = hit({
      kind: 'template',
      metadata: {
        slots: {
          order_id: { label: 'Номер заказа', required: true, ask: 'Подскажите номер заказа.' },
          tracking_number: { label: 'Трек-номер', required: true },
        },
      },
    });
    const actions = nextActionsFor({
      profile: { collection: 'demo', updatedAt: '', steps: [], rules: [], routing: [], departments: [] },
      understanding: understand([{ role: 'customer', text: 'Где заказ?' }], { now }),
      topicLabels: [],
      channel: 'chat',
      language: 'ru',
      values: {},
      missingSlots: ['order_id', 'tracking_number'],
      template,
      customerText: ['Где заказ?'],
    });
    expect(actions).toEqual([
      expect.objectContaining({ type: 'ask', slot: 'order_id', ask: 'Подскажите номер заказа.' }),
    ]);
  });

  it('asks for an order number only in a conversation about an order, not to say how long delivery takes', () => {
    const routing = [
      {
        ...rule('ask-order', 'ask', 60, { slot: 'order_id' }),
        when: { topics: ['Доставка'], missing: ['order_id'] },
      },
    ];
    expect(actionsUnder(routing, 'Сколько идёт доставка в Новосибирск?', ['Доставка'])).toEqual([]);
    expect(actionsUnder(routing, 'Можно поменять пункт выдачи? Заказ уже в пути', ['Доставка'])).toEqual([
      'ask-order',
    ]);
  });

  it('escalates a bad rating even when the words are calm, and not a good one', () => {
    const profile = { collection: 'demo', updatedAt: '', steps: [], rules: [], routing: [], departments: [] };
    const actionsFor = (stars: number) =>
      nextActionsFor({
        profile,
        understanding: understand([{ role: 'customer', text: 'Цепочка тоньше, чем на фото' }], {
          now: new Date('2026-11-24T10:00:00Z'),
        }),
        topicLabels: [],
        channel: 'marketplace',
        language: 'ru',
        values: {},
        missingSlots: [],
        template: undefined,
        customerText: ['Цепочка тоньше, чем на фото'],
        rating: { stars, raw: String(stars) },
      });
    expect(actionsFor(1)).toContainEqual(
      expect.objectContaining({ type: 'escalate', reason: expect.stringContaining('1 из 5') }),
    );
    expect(actionsFor(4).some((action) => action.type === 'escalate')).toBe(false);
  });
});

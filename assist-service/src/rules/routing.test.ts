import { describe, expect, it } from 'vitest';
import type { Sentiment } from '../text/types.ts';
import { evaluateRouting, type RoutingInput } from './routing.ts';
import type { DepartmentLike, RoutingRuleLike } from './script-types.ts';

/** The FORMATS.md example routing file, plus an English reason and an escalation. */
const departments: DepartmentLike[] = [
  { id: 'orders', name: 'Отдел заказов', description: 'Изменение, отмена и статус заказов' },
  { id: 'warranty', name: 'Гарантийный отдел' },
];
const rules: RoutingRuleLike[] = [
  {
    id: 'route-defect',
    action: 'handover',
    department: 'warranty',
    priority: 10,
    when: {
      topics: ['Гарантия и ремонт'],
      keywords: ['брак', 'сломалась', 'порвалась', 'потемнело'],
      channels: ['chat', 'marketplace'],
      sentiment: 'negative',
    },
    reason: 'Дефекты изделий рассматривает гарантийный отдел.',
    reasons: { en: 'The warranty team handles defects.' },
  },
  {
    id: 'ask-order-number',
    action: 'ask',
    slot: 'order_id',
    when: { topics: ['Заказы', 'Доставка'], missing: ['order_id'] },
    reason: 'Без номера заказа не найти заказ в системе.',
  },
  {
    id: 'close-payment-receipt',
    action: 'close',
    when: { patterns: ['кассовый чек', 'чек об оплате', 'ваш заказ (?:№\\s*\\d+ )?подтвержд'] },
    reason: 'Автоматическое уведомление, ответ не нужен.',
  },
  {
    id: 'escalate-threats',
    action: 'escalate',
    priority: 20,
    when: { keywords: ['Роспотребнадзор', 'суд'] },
  },
];

const negative: Sentiment = { label: 'negative', score: -0.6, strong: false, cues: [] };
const neutral: Sentiment = { label: 'neutral', score: 0, strong: false, cues: [] };

function input(overrides: Partial<RoutingInput>): RoutingInput {
  return {
    rules,
    departments,
    customerText: '',
    channel: 'chat',
    topics: [],
    sentiment: neutral,
    missingSlots: [],
    language: 'ru',
    ...overrides,
  };
}

const summary = (actions: ReturnType<typeof evaluateRouting>) =>
  actions.map((action) => `${action.type}:${action.department?.id ?? action.slot ?? ''}@${action.ruleId}`);

describe('evaluateRouting', () => {
  it('holds a rule on the situation the customer is in, whatever the words that put them in it', () => {
    const bySituation: RoutingRuleLike = {
      id: 'handover-defect-claim',
      action: 'handover',
      department: 'warranty',
      when: { situations: ['defect-claim'] },
      reason: 'Дефекты изделий рассматривает гарантийный отдел.',
    };
    const routed = (situations: string[]) =>
      evaluateRouting(input({ rules: [bySituation], customerText: 'Серьги почернели', situations }));
    expect(routed(['defect-claim']).map((action) => action.department?.id)).toEqual(['warranty']);
    expect(routed([])).toEqual([]);
    expect(routed(['marketplace-order'])).toEqual([]);
  });

  it('hands a broken bracelet over to the warranty team, matching «сломался» to «сломалась»', () => {
    const actions = evaluateRouting(
      input({
        customerText: 'Браслет сломался через неделю!',
        topics: ['гарантия и ремонт'],
        sentiment: negative,
      }),
    );
    expect(actions).toEqual([
      {
        type: 'handover',
        department: { id: 'warranty', name: 'Гарантийный отдел' },
        reason: 'Дефекты изделий рассматривает гарантийный отдел.',
        ruleId: 'route-defect',
        priority: 10,
      },
    ]);
  });

  it('does not read «обменять» as the keyword «обман», whose stem is only three letters', () => {
    const fraud: RoutingRuleLike = {
      id: 'escalate-fraud',
      action: 'escalate',
      when: { keywords: ['обман'] },
    };
    const routed = (customerText: string) =>
      evaluateRouting(input({ rules: [fraud], customerText })).map((action) => action.ruleId);
    expect(routed('Цепочка порвалась, хочу обменять')).toEqual([]);
    expect(routed('Это обман! Вы меня обманули')).toEqual(['escalate-fraud']);
    expect(routed('Сплошной обман покупателей')).toEqual(['escalate-fraud']);
  });

  it('gives the English reason when the conversation is in English', () => {
    const actions = evaluateRouting(
      input({
        customerText: 'Серьги потемнели',
        topics: ['Гарантия и ремонт'],
        sentiment: negative,
        language: 'en',
      }),
    );
    expect(actions[0]?.reason).toBe('The warranty team handles defects.');
  });

  it.each<[string, Partial<RoutingInput>]>([
    ['on a channel the rule does not list', { channel: 'email' }],
    ['when the customer is not upset', { sentiment: neutral }],
    ['without a matching keyword', { customerText: 'Браслет великоват' }],
    ['for another topic', { topics: ['Доставка'] }],
  ])('does not hand over %s', (_name, overrides) => {
    const actions = evaluateRouting(
      input({
        customerText: 'Браслет сломался',
        topics: ['Гарантия и ремонт'],
        sentiment: negative,
        ...overrides,
      }),
    );
    expect(summary(actions)).toEqual([]);
  });

  it('asks for the order number when the topic is delivery and it is missing', () => {
    const actions = evaluateRouting(
      input({ customerText: 'Где мой заказ?', topics: ['Доставка', 'сроки'], missingSlots: ['order_id'] }),
    );
    expect(summary(actions)).toEqual(['ask:order_id@ask-order-number']);
    expect(actions[0]?.reason).toBe('Без номера заказа не найти заказ в системе.');
  });

  it('does not ask for the order number once it is known', () => {
    expect(evaluateRouting(input({ customerText: 'Где заказ 12345?', topics: ['Доставка'] }))).toEqual([]);
  });

  it.each(['Кассовый чек № 15 от 26.11.2026', 'Ваш заказ № 123456 подтверждён', 'ЧЕК ОБ ОПЛАТЕ'])(
    'closes the notification «%s» by pattern',
    (text) => {
      expect(summary(evaluateRouting(input({ customerText: text })))).toEqual([
        'close:@close-payment-receipt',
      ]);
    },
  );

  it('orders actions by priority and falls back to a default reason', () => {
    const actions = evaluateRouting(
      input({
        customerText: 'Кольцо сломалось, подам в суд!',
        topics: ['Гарантия и ремонт', 'Заказы'],
        sentiment: negative,
        missingSlots: ['order_id'],
      }),
    );
    expect(summary(actions)).toEqual([
      'escalate:@escalate-threats',
      'handover:warranty@route-defect',
      'ask:order_id@ask-order-number',
    ]);
    expect(actions[0]?.reason).toBe('Передать обращение старшему специалисту.');
  });

  it('keeps one action per type and department, the one with the highest priority', () => {
    const duplicate: RoutingRuleLike = {
      id: 'route-defect-keywords',
      action: 'handover',
      department: 'warranty',
      priority: 5,
      when: { keywords: ['брак'] },
      reason: 'Брак — в гарантийный отдел.',
    };
    const actions = evaluateRouting(
      input({
        rules: [duplicate, ...rules],
        customerText: 'Это брак, замок сломался',
        topics: ['Гарантия и ремонт'],
        sentiment: negative,
      }),
    );
    expect(summary(actions)).toEqual(['handover:warranty@route-defect']);
  });

  it('names an unknown department by its id', () => {
    const rule: RoutingRuleLike = {
      id: 'vip',
      action: 'handover',
      department: 'vip',
      when: { keywords: ['vip'] },
    };
    const [action] = evaluateRouting(
      input({ rules: [rule], customerText: 'I am a VIP customer', language: 'en' }),
    );
    expect(action).toEqual({
      type: 'handover',
      department: { id: 'vip', name: 'vip' },
      reason: 'Hand the conversation over to the responsible team.',
      ruleId: 'vip',
      priority: 0,
    });
  });

  it('ignores a rule whose pattern is not a valid regular expression', () => {
    const rule: RoutingRuleLike = { id: 'broken', action: 'close', when: { patterns: ['(['] } };
    expect(evaluateRouting(input({ rules: [rule], customerText: '([' }))).toEqual([]);
  });
});

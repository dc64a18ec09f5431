import {
  type AssistEvent,
  type AssistResponse,
  assistEventSchema,
  assistResponseSchema,
  type ConversationMessage,
  type Suggestion,
} from '@naparnik/assist-service/contract';
import type { PageReading, ServiceStatus } from '../../src/messaging.ts';

const found = (value: string) => ({ value, raw: value, start: 0, end: value.length });

export function suggestion(index: number, text: string, overrides: Partial<Suggestion> = {}): Suggestion {
  return {
    index,
    text,
    kind: 'template',
    title: index === 0 ? 'Задержка доставки' : 'Обмен по размеру',
    language: 'ru',
    citations: [
      {
        documentId: 'templates/delivery.md',
        chunkId: `templates/delivery.md#${index}`,
        title: index === 0 ? 'Шаблон: задержка доставки' : 'FAQ: обмен колец',
        quote:
          index === 0
            ? 'Если курьер не приехал, проверьте статус по трек-номеру…'
            : 'Кольцо можно обменять в течение 14 дней…',
      },
    ],
    confidence: { score: 0.82, level: 'high' },
    filledSlots: { name: 'Анна' },
    missingSlots: [],
    short: false,
    engine: 'offline',
    ...overrides,
  };
}

export const suggestions: Suggestion[] = [
  suggestion(
    0,
    'Анна, здравствуйте! Заказ № 31047589 задержан на складе службы доставки. Привезём его [дата доставки].',
    {
      missingSlots: ['дата доставки'],
      confidence: { score: 0.74, level: 'medium' },
    },
  ),
  suggestion(1, 'Да, кольцо можно обменять на другой размер в течение 14 дней, если сохранены бирка и чек.'),
];

export const assistResponse: AssistResponse = assistResponseSchema.parse({
  suggestionSetId: 'set-1',
  collection: 'aurelia',
  engine: 'offline',
  suggestions,
  confidence: { score: 0.74, level: 'medium' },
  knowledgeGap: false,
  summary: {
    issue: 'Клиент не получил заказ в обещанный срок и спрашивает об обмене размера.',
    tried: ['Оператор проверил статус: задержан на складе'],
    promised: [],
    openQuestions: ['Когда привезут заказ?', 'Можно ли обменять размер?'],
    entities: {
      orderIds: [found('31047589')],
      contractIds: [],
      trackingNumbers: [],
      dates: [],
      amounts: [],
      phones: [],
      emails: [],
      urls: [],
      products: [],
    },
    sentiment: { label: 'negative', score: -0.4, strong: false, cues: ['так и не приехал'] },
  },
  nextActions: [
    {
      type: 'ask',
      reason: 'Нужен номер заказа для проверки',
      slot: 'order',
      ask: 'Подскажите номер заказа?',
      priority: 1,
    },
    {
      type: 'escalate',
      reason: 'Доставка задержана больше чем на сутки',
      department: { id: 'logistics', name: 'Логистика' },
      priority: 5,
    },
  ],
  detected: {
    language: 'ru',
    topic: { label: 'delivery', score: 0.8 },
    sentiment: { label: 'negative', score: -0.4, strong: false, cues: [] },
    hurry: false,
  },
  conversation: { messages: 6, truncated: false },
  tookMs: 42,
});

/** A realistic stream: retrieval, deltas, done suggestions, summary, next actions, done. */
export const assistEvents: AssistEvent[] = [
  {
    type: 'retrieval',
    suggestionSetId: 'set-1',
    hits: [
      {
        documentId: 'templates/delivery.md',
        chunkId: 'templates/delivery.md#0',
        title: 'Задержка доставки',
        kind: 'template',
        score: 0.9,
      },
    ],
    detected: assistResponse.detected,
  },
  { type: 'suggestion-delta', index: 0, delta: 'Анна, здравствуйте! ' },
  { type: 'suggestion-delta', index: 0, delta: 'Заказ № 31047589 задержан на складе службы доставки. ' },
  { type: 'suggestion-delta', index: 0, delta: 'Привезём его [дата доставки].' },
  { type: 'suggestion-done', suggestion: suggestions[0]! },
  { type: 'suggestion-delta', index: 1, delta: suggestions[1]!.text },
  { type: 'suggestion-done', suggestion: suggestions[1]! },
  { type: 'summary', summary: assistResponse.summary },
  { type: 'next-actions', nextActions: assistResponse.nextActions },
  { type: 'done', response: assistResponse },
].map((event) => assistEventSchema.parse(event));

/** A ready service, Russian panel: what `status` answers in panel tests. */
export const readyStatus: ServiceStatus = {
  reachable: true,
  ready: true,
  version: '0.1.0',
  serviceUrl: 'http://127.0.0.1:8787',
  collection: 'aurelia',
  locale: 'ru',
};

/** The demo desk read with these messages. */
export function demoDeskReading(messages: ConversationMessage[]): PageReading {
  return {
    adapter: 'demo-desk',
    url: 'http://127.0.0.1:8787/demo-desk/',
    hasComposer: true,
    conversation: { channel: 'chat', messages },
  };
}

import { seededRandom } from '@naparnik/ingest';
import type { Suggestion } from '../src/contract/index.ts';
import type { FeedbackRecord, KnowledgeGapRecord, SuggestionSetRecord } from '../src/feedback/event-store.ts';

/**
 * Feedback as a support team makes it, generated from a seed (the same seed, the same data): sets
 * over working hours of a year, several operators, collections, topics, channels, templates and
 * engines, and what operators did with each suggestion shown — insert and send as is, send edited,
 * dismiss with a reason, rate down. `pnpm bench console` and the analytics tests use it.
 */
export interface GeneratedBatch {
  set: SuggestionSetRecord;
  events: FeedbackRecord[];
  gap?: KnowledgeGapRecord;
}

export interface GeneratorOptions {
  seed: number;
  /** Sets are spread over [end − days, end). */
  end: Date;
  days: number;
  /** Suggestion sets a day on average (default 1,400); a set makes about 2.5 events. */
  setsPerDay?: number;
  operators?: number;
}

const COLLECTIONS = ['support', 'delivery', 'billing'];
const TOPICS = ['Доставка', 'Возврат', 'Оплата', 'Скидки', 'Гарантия', 'Аккаунт', 'Заказ', 'Жалоба'];
const CHANNELS = ['chat', 'chat', 'chat', 'email', 'messenger', 'marketplace'] as const;
const DISMISS_REASONS = ['не по теме', 'устарело', 'неверный тон', '', 'клиент уже ответил'];
const DOWN_REASONS = ['неверные сведения', 'слишком длинно', 'не тот шаблон', ''];
const TEMPLATES = Array.from({ length: 40 }, (_, index) => ({
  documentId: `tpl-${String(index + 1).padStart(2, '0')}`,
  title: `Шаблон ${index + 1}: ${TOPICS[index % TOPICS.length]!.toLowerCase()}`,
  text: `Здравствуйте! По вопросу «${TOPICS[index % TOPICS.length]!.toLowerCase()}»: заказ будет доставлен в течение ${
    (index % 5) + 1
  } рабочих дней, трек-номер придёт в SMS. Если что-то пойдёт не так, напишите нам — поможем.`,
}));

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

/** An operator's rewrite of a suggestion: a phrase changed, cut or added. */
function edit(text: string, random: () => number): string {
  const roll = random();
  if (roll < 0.4) return text.replace('Здравствуйте!', 'Добрый день!');
  if (roll < 0.7) return `${text} Хорошего дня!`;
  if (roll < 0.9) return text.slice(0, Math.floor(text.length * (0.5 + random() * 0.4)));
  return `Уточните, пожалуйста, номер заказа — проверю, где он сейчас. ${text.slice(0, 40)}`;
}

/** An endless stream of batches in time order; take as many as the test or bench needs. */
export function* generateFeedback(options: GeneratorOptions): Generator<GeneratedBatch> {
  const random = seededRandom(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const operators = Array.from({ length: options.operators ?? 12 }, (_, index) => `op-${index + 1}`);
  const start = options.end.getTime() - options.days * DAY;
  let time = start;
  const perDay = options.setsPerDay ?? 1400;
  // Four sets in five come in working hours (08–22 Moscow, 05–19 UTC), the rest at night.
  const busyGap = (14 * 60 * MINUTE) / (0.8 * perDay);
  const quietGap = (10 * 60 * MINUTE) / (0.2 * perDay);
  let serial = 0;
  for (;;) {
    const hour = new Date(time).getUTCHours();
    const busy = hour >= 5 && hour < 19;
    time += Math.floor(random() * 2 * (busy ? busyGap : quietGap));
    if (time >= options.end.getTime()) time = start + (time - options.end.getTime());
    serial += 1;
    const id = `gen-${options.seed}-${serial}`;
    const engine = random() < 0.6 ? 'claude' : 'offline';
    const count = 1 + Math.floor(random() * 3);
    const suggestions: Suggestion[] = Array.from({ length: count }, (_, index) => {
      const template = pick(TEMPLATES);
      return {
        index,
        text: template.text,
        kind: 'template',
        title: template.title,
        language: 'ru',
        citations: [
          {
            documentId: template.documentId,
            chunkId: `${template.documentId}#0`,
            title: template.title,
            quote: '',
          },
        ],
        confidence: { score: 0.7, level: 'medium' },
        filledSlots: {},
        missingSlots: [],
        short: false,
        engine,
        ...(engine === 'claude' ? { promptId: random() < 0.5 ? 'draft@1' : 'draft@2' } : {}),
      } as Suggestion;
    });
    const createdAt = new Date(time);
    const operator = pick(operators);
    const degraded = engine === 'claude' && random() < 0.04;
    const set: SuggestionSetRecord = {
      id,
      conversationId: `conversation-${options.seed}-${serial}`,
      collection: pick(COLLECTIONS),
      engine: degraded ? 'offline' : engine,
      channel: pick(CHANNELS),
      language: 'ru',
      topic: pick(TOPICS),
      confidence: { score: 0.7, level: 'medium' },
      suggestions,
      operatorId: operator,
      ...(degraded ? { degradedReason: pick(['timeout', 'rate-limited', 'overloaded']) } : {}),
      ...(engine === 'claude' && !degraded
        ? {
            usage: {
              model: 'claude-sonnet',
              inputTokens: 1500 + Math.floor(random() * 1500),
              outputTokens: 200 + Math.floor(random() * 300),
              cacheReadTokens: 1000,
              cacheWriteTokens: 0,
              costUsd: 0.01,
            },
          }
        : {}),
      tookMs: Math.round((engine === 'claude' ? 900 : 120) * (0.5 + random() * 2)),
      customerMessageAt: new Date(time - (5 + Math.floor(random() * 120)) * 1000).toISOString(),
      createdAt: createdAt.toISOString(),
    };
    const events: FeedbackRecord[] = [];
    let at = time + 500;
    const event = (
      type: FeedbackRecord['type'],
      index: number,
      extra: Partial<FeedbackRecord> = {},
    ): FeedbackRecord => {
      at += 1000 + Math.floor(random() * 60_000);
      const iso = new Date(at).toISOString();
      return {
        eventId: `${id}-${events.length}`,
        type,
        suggestionSetId: id,
        suggestionIndex: index,
        operatorId: operator,
        occurredAt: iso,
        receivedAt: iso,
        ...extra,
      };
    };
    for (const suggestion of suggestions) events.push(event('suggestion-shown', suggestion.index));
    const chosen = suggestions[Math.floor(random() * suggestions.length)]!;
    const roll = random();
    if (roll < 0.5) {
      events.push(event('suggestion-inserted', chosen.index));
      if (random() < 0.85) {
        const finalText = random() < 0.55 ? chosen.text : edit(chosen.text, random);
        events.push(event('suggestion-edited', chosen.index, { finalText }));
      }
    } else if (roll < 0.58) {
      // The operator wrote the reply without the suggestion; the client reported what was sent.
      events.push(event('suggestion-edited', chosen.index, { finalText: edit(chosen.text, random) }));
    } else if (roll < 0.8) {
      events.push(event('suggestion-dismissed', chosen.index, { reason: pick(DISMISS_REASONS) }));
    }
    if (random() < 0.08) {
      const down = random() < 0.45;
      events.push(
        event('suggestion-rated', chosen.index, {
          rating: down ? 'down' : 'up',
          ...(down ? { reason: pick(DOWN_REASONS) } : {}),
        }),
      );
    }
    const gap: KnowledgeGapRecord | undefined =
      random() < 0.05
        ? {
            id: `${id}-gap`,
            collection: set.collection,
            suggestionSetId: id,
            query: 'можно ли оплатить частями',
            language: 'ru',
            topic: set.topic!,
            bestScore: 0.1,
            createdAt: set.createdAt,
          }
        : undefined;
    yield { set, events, ...(gap ? { gap } : {}) };
  }
}

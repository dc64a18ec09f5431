/**
 * Notifications that land in the support inbox as if a customer wrote them: receipts, order
 * confirmations, delivery updates, "do not reply" mail. The operator closes them without a reply.
 */
import { stripQuotedHistory } from './clean.ts';
import { stripHtml } from './html.ts';
import { splitSentences } from './sentences.ts';
import type { ConversationMessage } from './types.ts';

interface Marker {
  kind: string;
  pattern: RegExp;
}

/** Each says "automated" on its own. */
const STRONG_MARKERS: readonly Marker[] = [
  {
    kind: 'do-not-reply notice',
    pattern:
      /(?:(?:please )?do not reply|don['’]t reply|no-?reply|не отвечайте на (?:это|данное) (?:письмо|сообщение)|(?:письмо|сообщение) (?:сформировано|отправлено|создано) автоматически|(?:это|данное) (?:автоматическое|автоматически сформированное) (?:письмо|сообщение|уведомление)|автоматическая рассылка|this (?:is an automated|message was sent automatically|email was sent automatically)|automated (?:message|notification|email))/iu,
  },
  {
    kind: 'payment receipt',
    pattern:
      /(?:кассовый чек|электронный чек|чек (?:об оплате|прихода|№)|фискальн\p{L}* (?:признак|накопител)|(?<![\p{L}])(?:ФН|ФД|ФПД)(?: ?№|:)|ИНН продавца|payment receipt|your receipt|receipt (?:for|from) )/u,
  },
];

/** Notification phrasing: a customer does not write «ваш заказ подтверждён» about their own order. */
const NOTICE_MARKERS: readonly Marker[] = [
  {
    kind: 'order confirmation',
    pattern:
      /(?:ваш заказ (?:№ ?\S{1,20} )?(?:подтвержд|оформлен|принят|создан|успешно)|заказ (?:№ ?\S{1,20} )?успешно оформлен|спасибо за (?:ваш )?заказ(?![\p{L}])|order (?:#?\S{1,20} )?(?:has been |is )?(?:confirmed|placed)|thank you for your order|order confirmation)/iu,
  },
  {
    kind: 'payment receipt',
    pattern:
      /(?:оплата (?:прошла успешно|получена|принята)|плат[её]ж (?:принят|получен|прош[её]л|успешно)|payment (?:received|successful|confirmed)|we(?:'ve| have) received your payment)/iu,
  },
  {
    kind: 'delivery notification',
    pattern:
      /(?:(?:заказ|посылка|отправление) (?:№ ?\S{1,20} )?(?:передан[оа]? (?:в службу доставки|курьеру)|доставлен[оа]?(?![\p{L}])|прибыл[оа]? в (?:пункт выдачи|отделение|постамат)|ожидает (?:вас )?в (?:пункте выдачи|отделении|постамате))|(?:order|package|parcel|shipment) (?:#?\S{1,20} )?(?:has been |was |is )?(?:shipped|dispatched|delivered|out for delivery|ready for pickup))/iu,
  },
];

const NOREPLY_AUTHOR = /(?:no-?reply|mailer-daemon|notifications?@|robot@)/iu;

/** What a person writes and a notification does not. */
const HUMAN_VOICE =
  /(?<![\p{L}])(?:подскажите|помогите|почему|хочу|не могу|не приш\p{L}*|не получил\p{L}*|у меня|мне нужно|верните|списали|why|i want|i need|please help|can you|could you|i didn['’]t|i have not|i haven['’]t)(?![\p{L}])/iu;
/** Questions notifications ask themselves. */
const STOCK_QUESTION = /(?:есть|остались|возникли) (?:ещ[её] )?вопросы|questions\s?\?|need help\s?\?/iu;

function soundsHuman(text: string): boolean {
  if (HUMAN_VOICE.test(text)) return true;
  return splitSentences(text).some((sentence) => sentence.includes('?') && !STOCK_QUESTION.test(sentence));
}

/**
 * Whether a conversation is only an automated notification. A conversation an operator has
 * already answered, or where the sender asks something in their own words, is never one.
 */
export function automatedNotice(messages: readonly ConversationMessage[]): {
  automated: boolean;
  reason?: string;
} {
  const notAutomated = { automated: false };
  if (!Array.isArray(messages) || messages.length === 0) return notAutomated;
  if (messages.some((message) => message.role === 'operator')) return notAutomated;
  // The helpdesk's own audit lines (`system`: status changes, assignments) and internal notes are
  // not what the customer sent: a notification is judged on the customer's messages alone.
  const incoming = messages.filter((message) => message.role === 'customer');
  if (incoming.length === 0) return notAutomated;

  const reasons: string[] = [];
  for (const message of incoming) {
    const text = stripQuotedHistory(stripHtml(String(message.text ?? ''))).slice(0, 20_000);
    if (soundsHuman(text)) return notAutomated;
    for (const marker of [...STRONG_MARKERS, ...NOTICE_MARKERS]) {
      const match = marker.pattern.exec(text);
      if (match) reasons.push(`${marker.kind} («${match[0].trim()}»)`);
    }
    if (message.author && NOREPLY_AUTHOR.test(message.author))
      reasons.push(`do-not-reply sender (${message.author})`);
  }
  const [reason] = reasons;
  return reason === undefined ? notAutomated : { automated: true, reason };
}

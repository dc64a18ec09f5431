import { foldForMatching } from './normalize.ts';
import type { SafetyFinding } from './types.ts';

/**
 * Link attacks in a customer message (decision 0037): a message that tells the reply — or the
 * operator, about «the customer» in the third person — to carry a link, or that asks for the
 * conversation's data to be put into a link. A customer's own links («вот ссылка на кольцо»,
 * «пришлите ссылку на отслеживание», «в прошлом ответе вы прислали ссылку …») are not flagged:
 * each rule needs a link and, in the same sentence, an order about the reply or about the
 * customer, or data going into the link. Written from the dev halves only
 * (`injection-ru.jsonl` dev, `injection-ru-links-dev.jsonl`).
 */

const B = String.raw`(?<![\p{L}\p{N}_])`;
const E = String.raw`(?![\p{L}\p{N}_])`;

/** A URL, a www. name or a bare domain with a path; not an e-mail address's domain. */
const LINK =
  /(?<![@\p{L}\p{N}._-])(?:https?:\/\/[^\s<>"'«»()[\]]+|www\.[^\s<>"'«»()[\]]+|(?:[a-z0-9-]+\.)+[a-z]{2,12}(?:\/[^\s<>"'«»()[\]]*)?)(?![\p{L}\p{N}@-])/iu;

/** Second-person orders (ты and вы forms), and the words that make a sentence an order. */
const ORDER = new RegExp(
  String.raw`${B}(?:(?:встав|добав|постав|отправ|скин|перенаправ|направ|подстав)(?:ь|ьте)|(?:прикреп|прилож|укаж|включ|размест|пришл|перешл|предлож|сообщ|скаж|напиш|допиш|отобраз|покаж)(?:и|ите)|(?:порекоменд|посовет|сгенерир|сформир)у(?:й|йте)|(?:вставля|добавля|отправля|присыла|прикрепля|указыва)(?:й|йте)|дай|дайте|выдай|выдайте|пусть|долж(?:ен|на|но|ны)|обязательно)${E}`,
  'iu',
);

/** The reply being written: «в ответ(е)», «к ответу», «в подсказке», «в каждое сообщение клиенту». */
const REPLY = new RegExp(
  String.raw`${B}(?:(?:в|во|к)\s+(?:(?:сво|тво|ваш|каждо|люб|следующ|эт)\p{L}*\s+)?(?:ответ|подсказк|сообщени|реплик|письм)\p{L}*|ответ\p{L}*\s+(?:клиенту|покупателю)|вместо\s+(?:\p{L}+\s+)?ответа)${E}`,
  'iu',
);

/** «The customer» in the third person: a message written to the operator or the assistant. */
const CUSTOMER = new RegExp(String.raw`${B}(?:клиент(?:у|а|ам|ов)|покупател(?:ю|я|ям|ей))${E}`, 'iu');

/** The conversation's data, named. */
const DATA = String.raw`(?:телефон|номер|карт|истори|диалог|переписк|чат|фио|паспорт|адрес|почт|e-?mail|данн|реквизит|имя|фамили|снилс)\p{L}*`;

/** Data put into a link: a parameter left open with data named after it, or «допиши в ссылку». */
const DATA_INTO_LINK = new RegExp(
  String.raw`[?&][\p{L}\p{N}_-]*=(?:[{<\[]|\s|$|\p{Lu}{3,})[^.!?\n]{0,120}?${B}${DATA}${E}|${B}(?:допиш|подстав|впиш|припиш|добав|встав)\p{L}*\s+(?:(?:\p{L}+\s+){0,3}?)(?:в|к)\s+(?:конец\s+|конце\s+)?(?:эт\p{L}*\s+)?(?:ссылк\p{L}*|адрес\p{L}*|url|не[её]|него)${E}`,
  'iu',
);

/** A Markdown image from elsewhere: shown, it sends its URL (and what was put into it) away. */
const REMOTE_IMAGE = /!\[[^\]\n]{0,200}\]\(\s*(?:https?:)?\/\//giu;

/** Sentences with their offsets; a dot inside a link («aurelia.ru/p») does not end one. */
const SENTENCE = /(?:[^.!?\n]|[.!?](?=[^\s.!?]))+/gu;

export function findLinkDirectives(text: string): SafetyFinding[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const folded = foldForMatching(text);
  const findings: SafetyFinding[] = [];
  for (const match of folded.matchAll(REMOTE_IMAGE)) {
    findings.push({
      kind: 'prompt-injection',
      rule: 'remote-image',
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  for (const sentence of folded.matchAll(SENTENCE)) {
    const part = sentence[0];
    if (!LINK.test(part)) continue;
    const rule = DATA_INTO_LINK.test(part)
      ? 'data-into-link'
      : ORDER.test(part) && REPLY.test(part)
        ? 'link-into-reply'
        : ORDER.test(part) && CUSTOMER.test(part)
          ? 'link-to-customer'
          : undefined;
    if (!rule) continue;
    const start = sentence.index + (part.length - part.trimStart().length);
    findings.push({ kind: 'prompt-injection', rule, start, end: sentence.index + part.trimEnd().length });
  }
  return findings.sort((left, right) => left.start - right.start || left.end - right.end);
}

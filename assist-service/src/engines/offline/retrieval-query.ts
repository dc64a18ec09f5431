import type { ConversationMessage } from '../../contract/index.ts';
import { cleanForRetrieval } from '../../text/clean.ts';
import { splitSentences } from '../../text/sentences.ts';

export interface RetrievalQuery {
  /** What is searched: the newest customer turn first, older ones after it, shorter. */
  text: string;
  /** The cleaned newest customer turn (the question the suggestions must answer). */
  latest: string;
  /** One sentence of the newest turn, searched alone. */
  sentence?: true;
}

/** Characters each customer turn may add, newest first: the latest turn weighs most. */
const TURN_BUDGETS = [600, 300, 150];

/** A turn that only acknowledges («всё понятно», "got it") once thanks and greetings are gone. */
const ACKNOWLEDGEMENT =
  /^(?:(?:вс[её]|теперь|да|ага|угу)[ ,]{1,2})?(?:понятно|ясно|хорошо|ок|окей|ладно|отлично|супер|договорились|поняла?|ok(?:ay)?|got it|all clear|understood|great|perfect|that'?s all(?: i needed)?)(?![\p{L}])[\s!.,)]*$/iu;

function saysNothing(text: string): boolean {
  const cleaned = searchable(text);
  return !/[\p{L}\p{N}]/u.test(cleaned) || ACKNOWLEDGEMENT.test(cleaned);
}

/**
 * A clause that only hands over an order number («Номер заказа 6650912.», «Заказ 4521873,», "Order
 * #5512093") asks nothing: the number is read as an entity, and its label words would pull the
 * search towards entries about order numbers («…появился номер заказа, заказ принят»). The clause
 * runs between sentence or clause marks; «где мой заказ 123?» keeps its words.
 */
const ORDER_NUMBER_CLAUSE =
  /(?<=^|[.!?,;:\n])[ \t]*(?:(?:мой|мой\s+номер|номер)\s+)?(?:заказа?|order(?:\s+(?:number|no\.?))?)[ \t]*(?:№|#|no\.?|номер)?[ \t]*:?[ \t]*[\p{L}]{0,3}-?\p{N}[\p{N}-]{3,}[ \t]*(?=[.!?,;:\n]|$)/giu;

/** The same pattern without `g`: `test` keeps no position between calls. */
const HAS_ORDER_NUMBER_CLAUSE = new RegExp(ORDER_NUMBER_CLAUSE.source, 'iu');

function withoutOrderNumberClauses(text: string): string {
  if (!HAS_ORDER_NUMBER_CLAUSE.test(text)) return text;
  const stripped = text
    .replace(ORDER_NUMBER_CLAUSE, ' ')
    .replace(/^[\s.!?,;:]+/u, '')
    .replace(/([.!?,;:])(?:[ \t]*[.!?,;:])+/gu, '$1')
    .replace(/[ \t]{2,}/gu, ' ')
    .trim();
  return /\p{L}/u.test(stripped) ? stripped : text;
}

/** A customer turn as searched: cleaned, without clauses that only give an order number. */
function searchable(text: string): string {
  return withoutOrderNumberClauses(cleanForRetrieval(text));
}

/**
 * Whether the conversation is closing: the customer's newest turn only thanks or acknowledges, and
 * the operator has replied since the customer last asked something, without asking anything back
 * (after «Подскажите номер заказа?» the request is still open). Nothing is left to look up.
 */
function closing(messages: readonly ConversationMessage[]): boolean {
  const customer = messages.filter((message) => message.role === 'customer');
  const latest = customer.at(-1);
  if (!latest || !saysNothing(latest.text)) return false;
  const asked = messages.findLastIndex(
    (message) => message.role === 'customer' && !saysNothing(message.text),
  );
  const reply = messages.findLastIndex((message) => message.role === 'operator');
  return asked >= 0 && reply > asked && !messages[reply]!.text.trim().endsWith('?');
}

/**
 * The search query for a conversation. The customer's latest turns carry the question; greetings,
 * signatures, quoted history and URLs are stripped by `cleanForRetrieval`. Turns that say nothing
 * once cleaned («Спасибо!», «Здравствуйте») are skipped, so the budget goes to the next one back —
 * unless the operator has answered that one already and the customer only thanks: then the query
 * is empty, as for a greeting alone.
 */
export function buildRetrievalQuery(messages: readonly ConversationMessage[]): RetrievalQuery {
  if (closing(messages)) return { text: '', latest: '' };
  const parts: string[] = [];
  for (let index = messages.length - 1; index >= 0 && parts.length < TURN_BUDGETS.length; index--) {
    const message = messages[index]!;
    if (message.role !== 'customer') continue;
    if (saysNothing(message.text)) continue;
    const cleaned = searchable(message.text);
    parts.push(withTimeOfDay(cutAtWord(cleaned, TURN_BUDGETS[parts.length]!)));
  }
  return { text: parts.join('\n'), latest: parts[0] ?? '' };
}

/**
 * A time of day («после 19:00», «к 9 утра» (not «3 дня»: days), «вечером», "after 7 pm", "in the evening") asks about
 * a time, but the entry that answers it says «время доставки», «интервал 18:00–22:00»: no word of
 * the question but the clock matches. The word for time goes into the query beside it, so the
 * search can meet the entry's own words; the customer's text is otherwise as typed.
 */
const CLOCK_TIME =
  /(?<![\p{N}.,])(?:[01]?\d|2[0-3]):[0-5]\d(?![\p{N}])|(?<![\p{L}\p{N}])\d{1,2}\s*(?:утра|вечера|am|pm|a\.m\.|p\.m\.)(?![\p{L}])|(?<![\p{L}])(?:вечером|утром|in the (?:morning|afternoon|evening))(?![\p{L}])/iu;

export function withTimeOfDay(text: string): string {
  if (!CLOCK_TIME.test(text)) return text;
  return `${text} ${/\p{Script=Cyrillic}/u.test(text) ? 'время' : 'time'}`;
}

/** At most `limit` characters, ending at a word boundary when there is one. */
export function cutAtWord(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const space = cut.lastIndexOf(' ');
  return space > limit / 2 ? cut.slice(0, space) : cut;
}

/** Sentences of the newest turn searched alone, at most: each is a search. */
const MAX_SENTENCE_QUERIES = 3;
const MIN_SENTENCE_WORDS = 3;

/**
 * Where the customer's request may sit: the whole conversation's query first, and when the
 * customer wrote several substantive turns, each of them alone — a request in the first message
 * followed by «жду ответа» or a clarification must still be found — then, when the newest turn has
 * several sentences, each of them alone: «вы что издеваетесь??? третий раз пишу, где мой заказ
 * 5523411, ужасный сервис» buries the question under words no entry shares. The retrieve stage
 * searches them in this order, stops at the first the knowledge base answers likely enough to
 * offer, and otherwise keeps the one it answers most confidently.
 */
export function requestQueries(messages: readonly ConversationMessage[]): RetrievalQuery[] {
  const whole = buildRetrievalQuery(messages);
  if (!whole.text) return [whole];
  const turns: string[] = [];
  for (let index = messages.length - 1; index >= 0 && turns.length < TURN_BUDGETS.length; index--) {
    const message = messages[index]!;
    if (message.role !== 'customer') continue;
    if (saysNothing(message.text)) continue;
    const cleaned = searchable(message.text);
    turns.push(withTimeOfDay(cutAtWord(cleaned, TURN_BUDGETS[0]!)));
  }
  const seen = new Set([whole.text]);
  const candidates = [whole];
  const add = (text: string, sentence: boolean) => {
    if (seen.has(text)) return;
    seen.add(text);
    // A sentence is searched alone, but its answers are judged against the whole turn: «Больше не
    // куплю» alone shares «больше» with «Берите больший размер».
    candidates.push(sentence ? { text, latest: turns[0] ?? text, sentence } : { text, latest: text });
  };
  if (turns.length >= 2) for (const turn of turns) add(turn, false);
  // A sentence of one or two words («Что происходит??») matches an entry's question word for word
  // and says nothing: it is no request alone.
  const sentences = splitSentences(turns[0] ?? '').filter(
    (sentence) => (sentence.match(/\p{L}+/gu)?.length ?? 0) >= MIN_SENTENCE_WORDS,
  );
  if (sentences.length >= 2) {
    for (const sentence of sentences.slice(0, MAX_SENTENCE_QUERIES)) add(sentence, true);
  }
  return candidates;
}

/**
 * An extractive, structured summary of a conversation for the operator who picks it up: the
 * customer's issue in their own words, what was tried, what the team promised, what is still
 * unanswered, the values mentioned and the customer's mood.
 */
import { analyze, isStopword, stem, tokenize } from './analyze.ts';
import { cleanForRetrieval, removeInvisible, stripQuotedHistory } from './clean.ts';
import { extractEntities } from './entities.ts';
import { extractProducts } from './products.ts';
import { splitSentences } from './sentences.ts';
import { detectConversationLanguage, detectHurry, detectSentiment } from './signals.ts';
import { SpanSet } from './spans.ts';
import type { ConversationMessage, ConversationSummary, Entities, Found } from './types.ts';

export { automatedNotice } from './automated.ts';

export interface SummaryOptions {
  now: Date;
  timeZone?: string;
}

/** Bounds that keep a summary cheap whatever is pasted into a conversation. */
const MAX_TURNS = 60;
const MAX_SENTENCES_PER_TURN = 40;
const MAX_ISSUE_LENGTH = 300;
const MAX_ITEMS = 5;

const TRIED =
  /(?<![\p{L}])(?:пробовал\p{L}*|попробовал\p{L}*|пытал\p{L}*|перезагруз\p{L}*|переустанов\p{L}*|обращал\p{L}*|звонил\p{L}*|tried|already|restarted|reinstalled|contacted|called)(?![\p{L}])/iu;
const ALREADY = /(?<![\p{L}])уже(?![\p{L}])/iu;
const PAST_VERB = /(?<![\p{L}])\p{L}{2,}(?:л|ла|ло|ли|лся|лась|лись)(?![\p{L}])/iu;
const WAITING = /(?<![\p{L}])жд\p{L}*|жду(?![\p{L}])/iu;
/** What the team says it has done. */
const TEAM_DONE =
  /(?<![\p{L}])(?:проверил\p{L}*|оформил\p{L}*|передал\p{L}*|отправил\p{L}*|создал\p{L}*|зарегистрировал\p{L}*|вернул\p{L}*|перевыпустил\p{L}*|(?:i|we) (?:have|'ve) (?:checked|sent|refunded|created|forwarded|escalated))(?![\p{L}])/iu;
const PROMISE =
  /(?<![\p{L}])(?:передам|передадим|оформим|оформлю|верн[её]м|верну|свяжемся|свяжусь|перезвоним|перезвоню|провер(?:им|ю)|уточн(?:им|ю)|отправим|отправлю|сообщим|сообщу|направим|направлю|исправим|заменим|компенсируем|вышлем|пришл[её]м|доставим|решим|разбер[её]мся|we will|we'll|i will|i'll|we are going to|will be (?:refunded|sent|replaced|delivered|contacted))(?![\p{L}])/iu;
const QUESTION_START =
  /^(?:подскажите|скажите|можно ли|могу ли|как (?:мне|можно)|когда|где|почему|could you|can you|is it possible|how (?:do|can)|when|where|why)(?![\p{L}])/iu;
/** «Минуту, уточню» keeps the customer waiting; it answers nothing. */
const HOLD =
  /(?<![\p{L}])(?:минут\p{L}*|секунд\p{L}*|уточн\p{L}*|провер\p{L}*|ожидайте|one moment|just a moment|let me check|please wait|hold on)(?![\p{L}])/iu;
/** «Минуту, уточню» is a hold, not a promise worth listing. */
const WAIT_WORDS =
  /(?<![\p{L}])(?:минут\p{L}*|секунд\p{L}*|ожидайте|one moment|just a moment|please wait|hold on)(?![\p{L}])/iu;
const PROBLEM_STEMS = new Set(
  [
    'не',
    'нет',
    'сломал',
    'брак',
    'вернуть',
    'возврат',
    'обмен',
    'пришел',
    'пришл',
    'получил',
    'доставк',
    'оплат',
    'списал',
    'размер',
    'потемнел',
    'порвал',
    'отмен',
    'broken',
    'refund',
    'return',
    'exchang',
    'arriv',
    'deliveri',
    'cancel',
    'charg',
    'wrong',
    'damag',
  ].map((word) => stem(word)),
);
/** Words every question shares; overlap on them says nothing about an answer. */
const QUESTION_WORDS = new Set(
  [
    'подскажите',
    'скажите',
    'можно',
    'ли',
    'где',
    'когда',
    'почему',
    'как',
    'какой',
    'сколько',
    'what',
    'when',
    'where',
    'why',
    'how',
    'can',
    'could',
  ].map((word) => stem(word)),
);

interface Sentence {
  text: string;
  turn: number;
  position: number;
}

interface Turn {
  role: ConversationMessage['role'];
  index: number;
  sentences: string[];
}

function turnsOf(messages: readonly ConversationMessage[]): Turn[] {
  return messages.slice(-MAX_TURNS).map((message, index) => ({
    role: message.role,
    index,
    sentences: splitSentences(cleanForRetrieval(String(message.text ?? ''), { keepLineBreaks: true })).slice(
      0,
      MAX_SENTENCES_PER_TURN,
    ),
  }));
}

function contentStems(text: string): string[] {
  return analyze(text).filter((word) => !QUESTION_WORDS.has(word));
}

function isQuestion(sentence: string): boolean {
  return sentence.includes('?') || QUESTION_START.test(sentence);
}

/**
 * How much a sentence says about the problem: content words, problem words, products and
 * numbers count; the opening message counts extra (it usually states the issue); threats and
 * impatience say how the customer feels, not what happened.
 */
function issueScore(sentence: Sentence, firstCustomerTurn: number): number {
  const stems = analyze(sentence.text);
  const distinct = new Set(stems);
  let score = Math.min(distinct.size, 15);
  if (stems.some((word) => PROBLEM_STEMS.has(word))) score += 2;
  if (isQuestion(sentence.text)) score += 1;
  if (sentence.turn === firstCustomerTurn) score += 2;
  if (/\d{4,}/u.test(sentence.text)) score += 1;
  if (extractProducts(sentence.text, new SpanSet()).length > 0) score += 2;
  if (detectSentiment(sentence.text).strong || detectHurry(sentence.text).hurry) score -= 4;
  if (distinct.size < 2) score -= 3;
  return score;
}

function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const lastSpace = cut.lastIndexOf(' ');
  return `${cut.slice(0, lastSpace > limit / 2 ? lastSpace : limit).trimEnd()}…`;
}

function pickIssue(sentences: readonly Sentence[], firstCustomerTurn: number): string {
  if (sentences.length === 0) return '';
  const scored = sentences.map((sentence) => ({ sentence, score: issueScore(sentence, firstCustomerTurn) }));
  const best = scored.reduce((top, item) => (item.score > top.score ? item : top));
  const chosen = [best.sentence];
  const neighbours = scored.filter(
    (item) =>
      item.sentence.turn === best.sentence.turn &&
      Math.abs(item.sentence.position - best.sentence.position) === 1 &&
      item.score >= best.score * 0.6 &&
      item.sentence.text.length + best.sentence.text.length <= MAX_ISSUE_LENGTH,
  );
  const second = neighbours.sort((a, b) => b.score - a.score)[0];
  if (second) chosen.push(second.sentence);
  chosen.sort((a, b) => a.position - b.position);
  return truncate(chosen.map((sentence) => sentence.text).join(' '), MAX_ISSUE_LENGTH);
}

function uniqueTexts(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const text of texts) {
    const key = tokenize(text).join(' ');
    if (key.length === 0 || seen.has(key)) continue;
    seen.add(key);
    result.push(text);
  }
  return result;
}

function isTried(sentence: string): boolean {
  if (isQuestion(sentence)) return false;
  if (TRIED.test(sentence)) return true;
  // «уже» alone is often impatience («жду уже неделю»); it reports an action with a past verb.
  return ALREADY.test(sentence) && PAST_VERB.test(sentence) && !WAITING.test(sentence);
}

/** Questions of the customer that no later operator turn answers. */
function openQuestionsOf(turns: readonly Turn[]): string[] {
  const open: string[] = [];
  for (const turn of turns) {
    if (turn.role !== 'customer') continue;
    const later = turns.filter((other) => other.index > turn.index && other.role === 'operator');
    const substantive = later.filter((other) => {
      const text = other.sentences.join(' ');
      return text.length > 0 && !(HOLD.test(text) && text.length < 120);
    });
    for (const question of turn.sentences.filter(isQuestion)) {
      const stems = new Set(contentStems(question));
      const answered = substantive.some((other, position) => {
        const answerStems = contentStems(other.sentences.join(' '));
        const overlaps = answerStems.some((word) => stems.has(word) && !isStopword(word));
        const firstReply = position === 0 && other.sentences.join(' ').length >= 40;
        return overlaps || firstReply || stems.size === 0;
      });
      if (!answered) open.push(question);
    }
  }
  return uniqueTexts(open).slice(-MAX_ITEMS);
}

function dedupeFound(list: readonly Found[]): Found[] {
  const seen = new Set<string>();
  return list.filter((item) => {
    if (seen.has(item.value)) return false;
    seen.add(item.value);
    return true;
  });
}

/**
 * Entities of the customer's turns. Offsets refer to the customer turns (quoted history removed)
 * joined with blank lines, in order.
 */
function customerEntities(
  messages: readonly ConversationMessage[],
  options: SummaryOptions,
  language: 'ru' | 'en',
): Entities {
  const text = messages
    .filter((message) => message.role === 'customer')
    .slice(-MAX_TURNS)
    .map((message) => stripQuotedHistory(removeInvisible(String(message.text ?? ''))))
    .join('\n\n');
  const entities = extractEntities(text, {
    now: options.now,
    language,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
  return {
    ...entities,
    orderIds: dedupeFound(entities.orderIds),
    contractIds: dedupeFound(entities.contractIds),
    trackingNumbers: dedupeFound(entities.trackingNumbers),
    dates: dedupeFound(entities.dates),
    amounts: dedupeFound(entities.amounts),
    phones: dedupeFound(entities.phones),
    emails: dedupeFound(entities.emails),
    urls: dedupeFound(entities.urls),
    products: dedupeFound(entities.products),
  };
}

export function summarizeConversation(
  messages: readonly ConversationMessage[],
  options: SummaryOptions,
): ConversationSummary {
  const list = Array.isArray(messages) ? messages : [];
  const turns = turnsOf(list);
  const customerTurns = turns.filter((turn) => turn.role === 'customer');
  const operatorTurns = turns.filter((turn) => turn.role === 'operator');
  const customerSentences: Sentence[] = customerTurns.flatMap((turn) =>
    turn.sentences.map((text, position) => ({ text, turn: turn.index, position })),
  );

  const issue = pickIssue(customerSentences, customerTurns[0]?.index ?? -1);
  const tried = uniqueTexts([
    ...customerSentences.map((sentence) => sentence.text).filter(isTried),
    ...operatorTurns
      .flatMap((turn) => turn.sentences)
      .filter((sentence) => !isQuestion(sentence) && TEAM_DONE.test(sentence)),
  ]).slice(0, MAX_ITEMS);
  const promised = uniqueTexts(
    operatorTurns
      .flatMap((turn) => turn.sentences)
      .filter(
        (sentence) =>
          PROMISE.test(sentence) &&
          !sentence.endsWith('?') &&
          !(WAIT_WORDS.test(sentence) && sentence.length < 60),
      ),
  ).slice(-MAX_ITEMS);
  const latest = customerTurns.slice(-3).flatMap((turn) => turn.sentences);
  const language = detectConversationLanguage(list);

  return {
    issue,
    tried,
    promised,
    openQuestions: openQuestionsOf(turns),
    entities: customerEntities(list, options, language),
    sentiment: detectSentiment(latest.join('\n')),
  };
}

/**
 * How the customer feels and whether they are in a hurry, from their words alone: a small lexicon
 * with negation and intensifiers, shouting («!!!», CAPS), and threats that always count as strong.
 */
import { detectLanguage } from './analyze.ts';
import { cleanForRetrieval } from './clean.ts';
import {
  ACRONYMS,
  INTENSIFIERS,
  type LexiconEntry,
  NEGATED_COMPLAINTS,
  NEGATIVE_WORDS,
  NEGATORS,
  POSITIVE_WORDS,
  STRONG_PATTERNS,
  WAITING_COMPLAINTS,
} from './sentiment-lexicon.ts';
import type { ConversationMessage, Sentiment } from './types.ts';

export { detectLanguage };

/** Words that make a Russian sentence a yes/no question («можно ли…», «есть…?», «будет…?»). */
const YES_NO_WORDS =
  /(?<![\p{L}])(?:ли|можно|могу|можем|может|могут|сможет|смогу|сможем|есть|нужно|надо|будет|будут|правда|разве|обязательно|реально|возможно|должен|должна|должны|нельзя|получится|бывает)(?![\p{L}])/iu;
/**
 * A question word: the sentence asks what, how or why, and «да» or «нет» answers none of it. «Что»
 * counts opening the sentence or after a preposition («Через что…», «На что…»), not inside it («Правда,
 * что баллы сгорают?» is a yes/no question).
 */
const QUESTION_WORDS =
  /(?<![\p{L}])(?:как|где|когда|сколько|почему|зачем|куда|кто|какой|какая|какое|какие|каким|какими|каких|какую|каком|какой-то|откуда|кому|каков|чем|(?:через|на|за|во?|из|с|о|об|для|от|до|про|при|по)\s+(?:что|чего|чему|чём)|what|where|when|why|how|who|which|whose|whom)(?![\p{L}])|^\s*что(?![\p{L}])/iu;
/** An English sentence that opens with an auxiliary asks yes or no ("Can I…", "Do you…"). */
const ENGLISH_YES_NO =
  /^(?:(?:and|but|so|also|hi|hello)[\s,]+)?(?:do|does|did|can|could|is|are|was|were|will|would|should|shall|may|might|have|has|had|am)\b/iu;

/**
 * Whether the customer asks a yes/no question: a sentence with «ли», «можно», «есть…?», an
 * intonation question ending in «?» or an English one opening with an auxiliary — and no question
 * word (как, сколько, почему, what, how…). A reply to anything else («Как скачать видео?», «У меня
 * был день рождения, а баллы не пришли») does not open with «Да,» or «Нет,»: on the RUTUBE dev
 * questions, operators dropped it in every such case (20 of 20) and kept it after 33 of 61 yes/no
 * questions.
 */
export function asksYesNo(customerTexts: readonly string[]): boolean {
  return customerTexts.some((text) => yesNoSentences(text).length > 0);
}

/** The sentences of a text that ask a yes/no question (no question word; «?», «ли», "can I"). */
function yesNoSentences(text: string): string[] {
  if (typeof text !== 'string') return [];
  const found: string[] = [];
  for (const match of cleanForRetrieval(text)
    .slice(0, 4_000)
    .matchAll(/[^.!?\n]+[.!?]*/gu)) {
    const sentence = match[0].trim();
    if (!sentence || QUESTION_WORDS.test(sentence)) continue;
    if (sentence.includes('?') || YES_NO_WORDS.test(sentence) || ENGLISH_YES_NO.test(sentence))
      found.push(sentence);
  }
  return found;
}

/** A number as written: «12», «16,5», «50 000». */
const NUMBER = /\d+(?:[ \u00a0]\d{3})*(?:[.,]\d+)?/u;
/** What a number counts: months, days, years, hours, percent, roubles. */
const QUANTITY = new RegExp(
  `(?<![\\p{L}\\d])(${NUMBER.source})\\s*(?:месяц\\p{L}*|мес(?![\\p{L}])|дн\\p{L}*|день|недел\\p{L}*|год\\p{L}*|лет|час(?:а|ов)?(?![\\p{L}])|минут\\p{L}*|процент\\p{L}*|%|руб\\p{L}*|₽|тысяч\\p{L}*|тыс(?![\\p{L}])|months?|days?|weeks?|years?|hours?|percent|rubles?)`,
  'giu',
);

/** The numbers a text says, spaces inside them left out («50 000» → «50000»). */
export function numbersIn(text: string): Set<string> {
  return new Set([...text.matchAll(new RegExp(NUMBER.source, 'gu'))].map((match) => plainNumber(match[0])));
}

function plainNumber(written: string): string {
  return written.replace(/[ \u00a0]/gu, '');
}

/**
 * The quantities the customer's latest yes/no question asks about («Есть ли рассрочка на 12
 * месяцев?» → «12»): an answer that never says the number does not answer «Да» to it, whatever it
 * offers («Да, рассрочка 0-0-6 … на 6 месяцев» is a no).
 */
export function askedQuantities(customerTexts: readonly string[]): string[] {
  const latest = customerTexts.at(-1);
  const found = new Set<string>();
  for (const sentence of latest === undefined ? [] : yesNoSentences(latest)) {
    for (const quantity of sentence.matchAll(QUANTITY)) found.add(plainNumber(quantity[1]!));
  }
  return [...found];
}

/** Sentiment looks at the start of long texts only: a complaint says what it is early. */
const SENTIMENT_WINDOW = 20_000;
const WORD = /[\p{L}\p{N}]+/gu;
const MAX_CUES = 200;
const CLAUSE_BREAK = /[.!?;,:\n]/u;
/**
 * Signs of anger that make a complaint a strong one (escalated) without a threat: shouting, «!!!»,
 * «???» and up to two pressing phrases («немедленно», «третий день жду»). A product rule — one sign
 * is emphasis, two an upset customer, three one who needs a senior colleague now — not fitted to
 * any set of conversations.
 */
const STRONG_ANGER_SIGNS = 3;
const MAX_PRESSING_SIGNS = 2;

interface Word {
  raw: string;
  norm: string;
  start: number;
  end: number;
}

function wordsOf(text: string): Word[] {
  return [...text.matchAll(WORD)].map((match) => ({
    raw: match[0],
    norm: match[0].toLowerCase().replaceAll('ё', 'е'),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

function lookup(lexicon: readonly LexiconEntry[], word: string): number {
  for (const entry of lexicon) {
    const matches = entry.form.startsWith('=') ? word === entry.form.slice(1) : word.startsWith(entry.form);
    if (matches) return entry.weight;
  }
  return 0;
}

/** The index of a negator governing the word at `index` (up to three words before, same clause), or -1. */
function negatorBefore(text: string, words: readonly Word[], index: number): number {
  for (let back = index - 1; back >= 0 && back >= index - 3; back--) {
    const between = text.slice(words[back]!.end, words[index]!.start);
    if (CLAUSE_BREAK.test(between.replace(/'/gu, ''))) return -1;
    // «не только красивые, но и удобные», "not only": the «не» adds, it does not deny.
    if (NEGATORS.has(words[back]!.norm) && !NOT_ONLY.has(words[back + 1]?.norm ?? '')) return back;
  }
  return -1;
}

const NOT_ONLY: ReadonlySet<string> = new Set(['только', 'лишь', 'only']);

/** Words that open a condition: what follows is feared or supposed, not reported. */
const CONDITIONALS: ReadonlySet<string> = new Set(['если', 'вдруг', 'if', 'unless']);
/** «если честно», "if anything": discourse markers, not conditions. */
const NOT_CONDITIONS: ReadonlySet<string> = new Set(['честно', 'откровенно', 'anything']);

/**
 * Whether the word at `index` sits in a condition of its own clause («если не понравится, можно не
 * брать?», "if it doesn't fit"): a complaint the customer only supposes is no complaint.
 */
function isSupposed(text: string, words: readonly Word[], index: number): boolean {
  for (let back = index - 1; back >= 0; back--) {
    const between = text.slice(words[back]!.end, words[back + 1]!.start);
    if (CLAUSE_BREAK.test(between)) return false;
    if (CONDITIONALS.has(words[back]!.norm)) return !NOT_CONDITIONS.has(words[back + 1]?.norm ?? '');
  }
  return false;
}

/** Words a question may open with before its condition: «А если…», "And if…". */
const OPENERS: ReadonlySet<string> = new Set(['а', 'и', 'но', 'ну', 'and', 'but', 'so']);

/**
 * Whether the customer asks in advance: the turn (its greeting left out, as retrieval leaves it)
 * opens with a condition — «Если кольцо не подойдёт по размеру, можно будет поменять?», «А вдруг
 * не понравится?», "If the ring doesn't fit, can I exchange it?". Nothing has gone wrong yet, so a
 * reply that opens with sympathy («Жаль, что кольцо не подошло») answers a complaint nobody made.
 * «Кольцо не подошло. Если поменять нельзя…» reports the problem first and is not asked in advance.
 */
export function asksInAdvance(text: string): boolean {
  const words = wordsOf(cleanForRetrieval(text));
  let index = 0;
  while (index < words.length - 1 && OPENERS.has(words[index]!.norm)) index++;
  const first = words[index];
  return (
    first !== undefined && CONDITIONALS.has(first.norm) && !NOT_CONDITIONS.has(words[index + 1]?.norm ?? '')
  );
}

/** «не подошло», «не понравились», «не налезает»: with «не» before them, what went wrong with an item. */
const MISFIT_NEGATED = /^(?:подош|подошл|подход|подойд|понрав|налез|налаз|сел|сидит|застег|застёг)/u;
/** «мало», «велико», «спадает», «жмёт»: a size that does not fit, said without «не». */
const MISFIT_SAID =
  /^(?:мало|малов|мал|велико|велик|великов|спада|слета|жмет|жмёт|давит|тесн|натира|маломерит|большемерит)$/u;
const ENGLISH_MISFIT =
  /\b(?:(?:does|did|do)(?:n't| not) (?:fit|suit|like)|too (?:small|big|large|tight|loose)|(?:is|are|was|were) (?:too )?(?:small|tight|loose))\b/iu;

/**
 * Whether the customer says something went wrong with an item they have: «кольцо не подошло»,
 * «серьги не понравились», «браслет мал», "it doesn't fit" — outside a condition («если не
 * подойдёт», "if it doesn't fit"). With a problem reported or anger, a reply may open with sympathy;
 * without any of them it answers a question nobody complained in («хочу поменять размер кольца в
 * заказе» is no «Жаль, что кольцо не подошло»).
 */
export function reportsMisfit(customerTexts: readonly string[]): boolean {
  for (const raw of customerTexts) {
    const text = cleanForRetrieval(raw);
    const words = wordsOf(text);
    for (const [index, word] of words.entries()) {
      const negated = NEGATORS.has(words[index - 1]?.norm ?? '');
      const misfit = (negated && MISFIT_NEGATED.test(word.norm)) || MISFIT_SAID.test(word.norm);
      if (misfit && !isSupposed(text, words, index)) return true;
    }
    const english = ENGLISH_MISFIT.exec(text);
    if (english && !/\bif\b[^.?!,]*$/iu.test(text.slice(0, english.index))) return true;
  }
  return false;
}

function isIntensified(words: readonly Word[], index: number): boolean {
  for (let back = index - 1; back >= 0 && back >= index - 2; back--) {
    if (INTENSIFIERS.has(words[back]!.norm)) return true;
  }
  return false;
}

function isShouted(word: string): boolean {
  return word.length >= 3 && /^\p{Lu}+$/u.test(word) && !ACRONYMS.has(word);
}

/**
 * A reservation after praise: «но», «однако», «только вот», «жаль, что», «из минусов», "but",
 * "however" followed by what is wrong — «Серьги хорошие, но застёжка тугая». Not «не только…, но
 * и…», which adds praise. A review that says one is not praise only: its complaint wants an answer.
 */
const RESERVATION =
  /(?:^|[\s,;:(—–-])(?:но(?!\s+и(?!\p{L}))|однако|только\s+вот|жаль,?\s+что|из\s+минусов|минус(?:ы)?\s*[:—–-]|but|however|except(?:\s+that)?|the\s+only\s+(?:problem|issue|downside))[\s,:]+\p{L}/iu;

/** Whether the text holds a reservation (`RESERVATION`) with words after it. */
export function hasReservation(text: string): boolean {
  return typeof text === 'string' && RESERVATION.test(text);
}

/** Sentiment of one text; `cues` lists what decided it. */
export function detectSentiment(text: string): Sentiment {
  const neutral: Sentiment = { label: 'neutral', score: 0, strong: false, cues: [] };
  if (typeof text !== 'string' || text.trim().length === 0) return neutral;
  const window = text.slice(0, SENTIMENT_WINDOW);
  const words = wordsOf(window);
  const cues: string[] = [];
  let positive = 0;
  let negative = 0;

  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    let weight = lookup(NEGATIVE_WORDS, word.norm) || lookup(POSITIVE_WORDS, word.norm);
    const negator = negatorBefore(window, words, index);
    if (isSupposed(window, words, index)) continue;
    if (weight === 0) {
      if (negator < 0 || !NEGATED_COMPLAINTS.some((stem) => word.norm.startsWith(stem))) continue;
      weight = -0.8;
    } else if (negator >= 0) {
      // «не понравилось» is a complaint; «не плохо» is only mildly kind.
      weight = weight > 0 ? -0.8 * weight : 0.3 * -weight;
    }
    const cueStart = negator >= 0 ? words[negator]!.start : word.start;
    if (isIntensified(words, index)) weight *= 1.5;
    if (weight > 0) positive += weight;
    else negative -= weight;
    cues.push(window.slice(cueStart, word.end));
  }

  for (const pattern of WAITING_COMPLAINTS) {
    for (const match of window.matchAll(pattern)) {
      negative += 1;
      cues.push(match[0]);
    }
  }

  const shoutedFlags = words.map((word) => isShouted(word.raw));
  const shouted = shoutedFlags.filter(Boolean).length;
  const longWords = words.filter((word) => word.raw.length >= 3 && /^\p{L}+$/u.test(word.raw)).length;
  // «ВЫ ВООБЩЕ РАБОТАЕТЕ???» before a calm sentence is shouting too: two shouted words in a row.
  const shoutedRun = shoutedFlags.some((flag, index) => flag && shoutedFlags[index + 1] === true);
  const shouting = shouted >= 2 && (shoutedRun || shouted / Math.max(1, longWords) >= 0.4);
  const exclamations = /!{2,}/u.test(window);
  const questions = /\?{2,}/u.test(window);
  if (shouting) cues.push('CAPS');
  if (exclamations) cues.push('!!!');
  if (questions) cues.push('???');
  // Shouting makes whatever is said louder; with nothing kind said, it is anger.
  const amplifier = 1 + (shouting ? 0.3 : 0) + (exclamations ? 0.2 : 0);
  if (positive > negative) positive *= amplifier;
  else {
    negative *= amplifier;
    if (positive === 0) negative += (shouting ? 0.8 : 0) + (questions ? 0.3 : 0);
  }

  const threats: string[] = [];
  for (const pattern of STRONG_PATTERNS) {
    for (const match of window.matchAll(pattern)) threats.push(match[0]);
  }
  const sum = positive - negative;
  let score = Math.max(-1, Math.min(1, sum / (Math.abs(sum) + 1.5)));
  // Words written in capitals here and there ("STILL no refund … NOW") are emphasis, a sign as well.
  const pressing = detectHurry(window).cues.filter((cue) => !/^[?!]+$/u.test(cue)).length;
  const angerSigns =
    (shouted >= 2 ? 1 : 0) +
    (exclamations ? 1 : 0) +
    (questions ? 1 : 0) +
    Math.min(pressing, MAX_PRESSING_SIGNS);
  const furious = score <= -0.2 && angerSigns >= STRONG_ANGER_SIGNS;
  const strong = threats.length > 0 || furious;
  if (threats.length > 0) score = Math.min(score, -0.8);
  const label = score <= -0.2 ? 'negative' : score >= 0.2 ? 'positive' : 'neutral';
  return { label, score: Math.round(score * 100) / 100, strong, cues: unique([...threats, ...cues]) };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

const HURRY_PATTERNS: readonly RegExp[] = [
  /(?<![\p{L}])срочн\p{L}*/giu,
  // Plain «быстрее» compares («быстрее, чем ждала»); only the pressing forms count.
  /(?<![\p{L}])(?:побыстрее|поскорее|скорей бы)(?![\p{L}])/giu,
  /(?<![\p{L}])как можно (?:быстрее|скорее|раньше)/giu,
  /(?<![\p{L}])сколько (?:можно|ещ[её]|мне|нам) (?:ещ[её] )?ждать/giu,
  /(?<![\p{L}])жду (?:ответа |вашего ответа )?уже/giu,
  /(?<![\p{L}])уже (?:\d{1,3}|вторую|третью|целую|неделю|месяц|два|две|три|пять|несколько)(?: \p{L}{1,10})? жд\p{L}*/giu,
  /(?<![\p{L}])(?:до сих пор|немедленно|сегодня же|прямо сейчас|когда уже|пишу (?:уже )?(?:второй|третий|который|пятый) раз)(?![\p{L}])/giu,
  /(?<![\p{L}])(?:asap|urgent\p{L}*|as soon as possible|right now|right away|immediately|still (?:waiting|no|not|nothing|hasn't|haven't)|how long (?:do|will|should|must) (?:i|we) (?:have to )?wait)(?![\p{L}])/giu,
  /\?{2,}/gu,
];

/** Whether the customer is pressing for speed, with the phrases that show it (in order, none inside another). */
export function detectHurry(text: string): { hurry: boolean; cues: string[] } {
  if (typeof text !== 'string') return { hurry: false, cues: [] };
  const window = text.slice(0, SENTIMENT_WINDOW);
  const found: { text: string; start: number; end: number }[] = [];
  for (const pattern of HURRY_PATTERNS) {
    for (const match of window.matchAll(pattern)) {
      if (found.length >= MAX_CUES) break;
      found.push({ text: match[0], start: match.index, end: match.index + match[0].length });
    }
  }
  const outer = found.filter(
    (cue) =>
      !found.some(
        (other) =>
          other !== cue &&
          other.start <= cue.start &&
          other.end >= cue.end &&
          other.end - other.start > cue.end - cue.start,
      ),
  );
  const cues = unique(outer.sort((a, b) => a.start - b.start).map((cue) => cue.text));
  return { hurry: cues.length > 0, cues };
}

/**
 * The language to answer in: the customer's latest turns weigh most (3, 2, then 1 each), the team's
 * turns only break ties; Russian when nothing tells.
 */
export function detectConversationLanguage(messages: readonly ConversationMessage[]): 'ru' | 'en' {
  const votes = { ru: 0, en: 0 };
  const customerTurns = messages.filter((message) => message.role === 'customer');
  customerTurns
    .slice()
    .reverse()
    .forEach((message, rank) => {
      const language = detectLanguage(message.text ?? '');
      if (language !== 'und') votes[language] += rank === 0 ? 3 : rank === 1 ? 2 : 1;
    });
  for (const message of messages) {
    if (message.role === 'customer') continue;
    const language = detectLanguage(message.text ?? '');
    if (language !== 'und') votes[language] += 0.1;
  }
  return votes.en > votes.ru ? 'en' : 'ru';
}

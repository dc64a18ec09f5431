/**
 * Dates in customer text («12.03.2026», «12 марта», «вчера», «в понедельник», "March 12"),
 * resolved to ISO calendar days against a given `now` in a given time zone.
 */
import { MAX_PER_KIND, SpanSet } from './spans.ts';
import type { Found } from './types.ts';

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

export interface DateOptions {
  now: Date;
  /** IANA zone the customer's "today" is in; UTC when absent. */
  timeZone?: string;
  language?: 'ru' | 'en';
}

const DAY_MS = 86_400_000;

/** Building a formatter costs more than a whole extraction, so one is kept per zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    if (formatters.size < 100) formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function calendarDayOf(now: Date, timeZone?: string): CalendarDay {
  if (timeZone) {
    try {
      const parts = Object.fromEntries(
        formatterFor(timeZone)
          .formatToParts(now)
          .map((part) => [part.type, part.value]),
      );
      return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) };
    } catch {
      // An unknown zone falls back to UTC rather than failing the whole extraction.
    }
  }
  return { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() };
}

function toTime(day: CalendarDay): number {
  return Date.UTC(day.year, day.month - 1, day.day);
}

function fromTime(time: number): CalendarDay {
  const date = new Date(time);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function addDays(day: CalendarDay, days: number): CalendarDay {
  return fromTime(toTime(day) + days * DAY_MS);
}

export function toIso(day: CalendarDay): string {
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(day.year, 4)}-${pad(day.month, 2)}-${pad(day.day, 2)}`;
}

function isValid(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 2200) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A day and month without a year. Customers mostly talk about what already happened, so the last
 * occurrence wins unless the next one is less than 90 days away («до 5 декабря» in late November).
 */
function nearestYear(today: CalendarDay, month: number, day: number): CalendarDay | undefined {
  const todayTime = toTime(today);
  let past: CalendarDay | undefined;
  let future: CalendarDay | undefined;
  for (const year of [today.year - 1, today.year, today.year + 1]) {
    if (!isValid(year, month, day)) continue;
    const time = toTime({ year, month, day });
    if (time <= todayTime) past = { year, month, day };
    else future ??= { year, month, day };
  }
  if (future && (toTime(future) - todayTime) / DAY_MS <= 90) return future;
  return past ?? future;
}

const MONTH_WORDS: ReadonlyMap<string, number> = new Map(
  [
    ['январь января январе янв january jan', 1],
    ['февраль февраля феврале фев февр february feb', 2],
    ['март марта марте мар march mar', 3],
    ['май мая мае may', 5],
    ['апрель апреля апреле апр april apr', 4],
    ['июнь июня июне июн june jun', 6],
    ['июль июля июле июл july jul', 7],
    ['август августа августе авг august aug', 8],
    ['сентябрь сентября сентябре сен сент september sep sept', 9],
    ['октябрь октября октябре окт october oct', 10],
    ['ноябрь ноября ноябре ноя нояб november nov', 11],
    ['декабрь декабря декабре дек december dec', 12],
  ].flatMap(([words, month]) =>
    String(words)
      .split(' ')
      .map((word) => [word, Number(month)] as const),
  ),
);

function monthOf(word: string): number | undefined {
  return MONTH_WORDS.get(word.toLowerCase().replaceAll('ё', 'е'));
}

const NOT_AFTER_NUMBER = String.raw`(?![\p{N}]|[.,/]\p{N}|\s?(?:руб|р\.|₽|\$|€|%|usd|eur|кг|гр|мм|см|карат|ct|шт))`;

const NUMERIC_DATE = new RegExp(
  String.raw`(?<![\p{N}.,/])(\d{1,2})([./])(\d{1,2})(?:\2(\d{4}|\d{2}))?${NOT_AFTER_NUMBER}`,
  'giu',
);
const ISO_DATE = /(?<![\p{N}])(\d{4})-(\d{2})-(\d{2})(?![\p{N}])/gu;
const DAY_MONTH =
  /(?<![\p{L}\p{N}])(\d{1,2})(?:-?го|st|nd|rd|th)?(?: of)?\s{1,2}(\p{L}{3,9})\.?(?:,?\s{1,2}(\d{4})(?![\p{N}])(?:\s{0,2}(?:года|году|г\.|г(?![\p{L}])))?)?/giu;
const MONTH_DAY =
  /(?<![\p{L}\p{N}])(\p{L}{3,9})\.?\s{1,2}(\d{1,2})(?:st|nd|rd|th)?(?![\p{N}:])(?:,?\s{1,2}(\d{4})(?![\p{N}]))?/giu;

const RELATIVE_DAYS: ReadonlyMap<string, number> = new Map([
  ['позавчера', -2],
  ['вчера', -1],
  ['сегодня', 0],
  ['завтра', 1],
  ['послезавтра', 2],
  ['the day before yesterday', -2],
  ['yesterday', -1],
  ['today', 0],
  ['the day after tomorrow', 2],
  ['tomorrow', 1],
]);
const RELATIVE =
  /(?<![\p{L}])(?:позавчера|вчера|сегодня|послезавтра|завтра|the day before yesterday|yesterday|today|the day after tomorrow|tomorrow)(?![\p{L}])/giu;

const SMALL_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['один', 1],
  ['два', 2],
  ['две', 2],
  ['три', 3],
  ['четыре', 4],
  ['пять', 5],
  ['шесть', 6],
  ['семь', 7],
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['a', 1],
]);
const AGO =
  /(?<![\p{L}\p{N}])(?:(\d{1,2}|два|две|три|четыре|пять|шесть|семь|one|two|three|four|five|six|seven|a)\s{1,2})?(дня|дней|день|недели|недель|неделю|days?|weeks?)\s{1,2}(назад|ago)(?![\p{L}])/giu;

/** Monday = 1 … Sunday = 7, as ISO weekdays. */
const WEEKDAYS: readonly (readonly [RegExp, number])[] = [
  [/^понедельник|^monday/u, 1],
  [/^вторник|^tuesday/u, 2],
  [/^сред|^wednesday/u, 3],
  [/^четверг|^thursday/u, 4],
  [/^пятниц|^friday/u, 5],
  [/^суббот|^saturday/u, 6],
  [/^воскресень|^sunday/u, 7],
];
const WEEKDAY =
  /(?<![\p{L}])(?:(в|во|on|к|ко|до|by|until|till)\s{1,2})?(?:(прошл\p{L}{0,3}|следующ\p{L}{0,3}|ближайш\p{L}{0,3}|эт[уоиа]|этот|last|next|this)\s{1,2})?(понедельник\p{L}{0,2}|вторник\p{L}{0,2}|сред[уаеы]|четверг\p{L}{0,2}|пятниц[уаеы]|суббот[уаеы]|воскресень[еяю]|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?![\p{L}])/giu;

const PAST_EXCEPTIONS = new Set(
  'если стол стул пол угол канал сигнал материал журнал металл финал персонал начало мало дело тело число масло кресло зло тепло село около весело пошли'.split(
    ' ',
  ),
);
const PAST_VERB_RU = /^\p{L}{2,}(?:л|ла|ло|ли|лся|лась|лось|лись)$/u;
const PAST_EN = /^(?:\p{L}{2,}ed|was|were|did|had|came|got|sent|paid|bought|made|went|said|told)$/u;
const FUTURE_CUE = /^(?:будет|будут|буду|будем|will|shall|gonna)$/u;

/** Whether the sentence around a weekday talks about the past («заказала в понедельник»). */
function soundsPast(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 120), start);
  const after = text.slice(end, end + 120);
  const sentenceStart = Math.max(...['.', '!', '?', '\n'].map((mark) => before.lastIndexOf(mark))) + 1;
  const ends = ['.', '!', '?', '\n'].map((mark) => after.indexOf(mark)).filter((index) => index >= 0);
  const sentence = `${before.slice(sentenceStart)} ${after.slice(0, ends.length > 0 ? Math.min(...ends) : after.length)}`;
  let past = false;
  for (const match of sentence.toLowerCase().matchAll(/[\p{L}]+/gu)) {
    const word = match[0].replaceAll('ё', 'е');
    if (FUTURE_CUE.test(word)) return false;
    if (PAST_EN.test(word) || (PAST_VERB_RU.test(word) && word.length >= 4 && !PAST_EXCEPTIONS.has(word))) {
      past = true;
    }
  }
  return past;
}

function weekdayOf(day: CalendarDay): number {
  const weekday = new Date(toTime(day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

type WeekdayDirection = 'past' | 'future' | 'this' | 'last-week' | 'next-week';

/**
 * «в прошлый вторник» is Tuesday of last week and «в следующую пятницу» Friday of next week;
 * without a qualifier the tense decides between the nearest past and the nearest future one.
 */
function resolveWeekday(today: CalendarDay, target: number, direction: WeekdayDirection): CalendarDay {
  const current = weekdayOf(today);
  switch (direction) {
    case 'this':
      return addDays(today, target - current);
    case 'last-week':
      return addDays(today, target - current - 7);
    case 'next-week':
      return addDays(today, target - current + 7);
    case 'past':
      return addDays(today, -((current - target + 7) % 7 || 7));
    case 'future':
      return addDays(today, (target - current + 7) % 7 || 7);
  }
}

function found(match: RegExpExecArray, day: CalendarDay | undefined, raw = match[0]): Found | undefined {
  if (!day) return undefined;
  return { value: toIso(day), raw, start: match.index, end: match.index + raw.length };
}

/** «12 марта.» ends a sentence; only an abbreviated month («12 мар.») owns its dot. */
function withoutSentenceDot(match: RegExpExecArray): string {
  const raw = match[0];
  const monthWord = match[2] ?? '';
  return match[3] === undefined && raw.endsWith('.') && monthWord.length > 4 ? raw.slice(0, -1) : raw;
}

/** Every date in the text, in order of appearance, overlapping mentions reported once. */
export function extractDates(text: string, options: DateOptions): Found[] {
  const today = calendarDayOf(options.now, options.timeZone);
  const results: Found[] = [];
  const claimed = new SpanSet();
  const add = (item: Found | undefined) => {
    if (item && results.length < MAX_PER_KIND && claimed.claim(item)) results.push(item);
  };

  for (const match of text.matchAll(ISO_DATE)) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    add(found(match, isValid(year, month, day) ? { year, month, day } : undefined));
  }
  for (const match of text.matchAll(NUMERIC_DATE)) {
    let first = Number(match[1]);
    let second = Number(match[3]);
    const yearText = match[4];
    // "03/12/2026" in English is March 12; dotted dates are always day first.
    if (match[2] === '/' && options.language === 'en' && first <= 12) [first, second] = [second, first];
    if (yearText === undefined) {
      if (match[3]!.length !== 2 || match[2] !== '.') continue;
      add(found(match, nearestYear(today, second, first)));
      continue;
    }
    const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
    add(found(match, isValid(year, second, first) ? { year, month: second, day: first } : undefined));
  }
  for (const match of text.matchAll(DAY_MONTH)) {
    const month = monthOf(match[2]!);
    if (month === undefined) continue;
    const day = Number(match[1]);
    const year = match[3] === undefined ? undefined : Number(match[3]);
    const resolved =
      year === undefined
        ? nearestYear(today, month, day)
        : isValid(year, month, day)
          ? { year, month, day }
          : undefined;
    add(found(match, resolved, withoutSentenceDot(match)));
  }
  for (const match of text.matchAll(MONTH_DAY)) {
    const month = monthOf(match[1]!);
    if (month === undefined || !/^[a-z]/iu.test(match[1]!)) continue;
    const day = Number(match[2]);
    const year = match[3] === undefined ? undefined : Number(match[3]);
    const resolved =
      year === undefined
        ? nearestYear(today, month, day)
        : isValid(year, month, day)
          ? { year, month, day }
          : undefined;
    add(found(match, resolved));
  }
  for (const match of text.matchAll(RELATIVE)) {
    const offset = RELATIVE_DAYS.get(match[0].toLowerCase().replaceAll('ё', 'е'));
    if (offset !== undefined) add(found(match, addDays(today, offset)));
  }
  for (const match of text.matchAll(AGO)) {
    const count =
      match[1] === undefined ? 1 : (SMALL_NUMBERS.get(match[1].toLowerCase()) ?? Number(match[1]));
    const unit = match[2]!.toLowerCase();
    const days = /^(?:нед|week)/u.test(unit) ? count * 7 : count;
    if (Number.isFinite(days) && days <= 400) add(found(match, addDays(today, -days)));
  }
  for (const match of text.matchAll(WEEKDAY)) {
    const name = match[3]!.toLowerCase();
    const target = WEEKDAYS.find(([pattern]) => pattern.test(name))?.[1];
    if (target === undefined) continue;
    const preposition = match[1]?.toLowerCase() ?? '';
    const qualifier = match[2]?.toLowerCase() ?? '';
    let direction: WeekdayDirection;
    if (/^(?:прошл|last)/u.test(qualifier)) direction = 'last-week';
    else if (/^(?:следующ|next)/u.test(qualifier)) direction = 'next-week';
    else if (/^ближайш/u.test(qualifier)) direction = 'future';
    else if (/^(?:эт|this)/u.test(qualifier)) direction = 'this';
    // «к пятнице», «до понедельника», "by Friday": a deadline is ahead.
    else if (/^(?:к|ко|до|by|until|till)$/u.test(preposition)) direction = 'future';
    else direction = soundsPast(text, match.index, match.index + match[0].length) ? 'past' : 'future';
    add(found(match, resolveWeekday(today, target, direction)));
  }
  return results.sort((a, b) => a.start - b.start);
}

/**
 * Values a reply needs from what the customer wrote: order and contract numbers, tracking numbers,
 * dates, amounts, phones, e-mails, URLs, products and the customer's name. Offsets are UTF-16
 * offsets into the given text, so `text.slice(start, end) === raw` always holds.
 *
 * Kinds are extracted in an order that settles ambiguity: a stretch of text claimed by one kind
 * (a URL, an order number after «заказ») is not reported again as another (a date, a phone).
 */
import { extractDates } from './dates.ts';
import { extractCustomerName } from './names.ts';
import { extractProducts } from './products.ts';
import { MAX_PER_KIND, type Span, SpanSet } from './spans.ts';
import type { Entities, Found } from './types.ts';

export interface ExtractOptions {
  now: Date;
  language?: 'ru' | 'en';
  /** IANA zone for «вчера»/«завтра»; UTC when absent. */
  timeZone?: string;
}

const URL = /(?<![\p{L}\p{N}@.])(?:https?:\/\/|www\.)[^\s<>"'«»]{1,2000}/giu;
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@(?:[\p{L}\p{N}-]{1,63}\.){1,8}\p{L}{2,24}(?![\p{L}\p{N}-])/gu;

const SEPARATOR = String.raw`[ \t\u00a0]{0,2}[:\-–—]?[ \t\u00a0]{0,2}(?:№|#)?[ \t\u00a0]{0,2}`;
const NUMBER_MARK = String.raw`(?:[ \t\u00a0]{0,2}(?:№|#|n°|no\.|no(?=\s)|nr\.?|номер|number|id)(?:[ \t\u00a0]{1,2}is)?)?`;
const NOT_MONEY = String.raw`(?![ \t\u00a0]{0,2}(?:₽|руб|р\.|р(?![\p{L}])|rub|\$|usd|€|eur|тыс|k(?![\p{L}])|%|шт|штук|pcs))`;
const ID_END = String.raw`(?![\p{L}\p{N}]|[.,/]\p{N})`;

const ORDER_ID = String.raw`((?:[a-zа-яё]{1,4}[-–]?)?\d{4,12}(?:-\d{1,8})?)`;
const ORDER_AFTER_KEYWORD = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:заказ\p{L}{0,3}|order(?:[ \t]{1,2}(?:number|no\.|num|id))?|ордер\p{L}{0,3})${NUMBER_MARK}${SEPARATOR}${ORDER_ID}${ID_END}${NOT_MONEY}`,
  'giu',
);
/**
 * «№ 5531902», and «номер 5531902» with no noun between (what a customer types when asked for the
 * order number, or after «как отменить заказ?»); «трек-номер», «номер телефона» and the words of
 * NOT_ORDER_CONTEXT say it is another number.
 */
const BARE_NUMBER = new RegExp(
  String.raw`(?<![\p{L}\p{N}-])(?:№|#|номер(?:ом|а|у)?(?=[ \t\u00a0:]))[ \t\u00a0:]{0,3}${ORDER_ID}${ID_END}${NOT_MONEY}`,
  'giu',
);
/** «№ 123» after these words is their number, not an order's. */
const NOT_ORDER_CONTEXT =
  /(?:договор\p{L}{0,3}|обращени\p{L}{0,3}|заявк\p{L}{0,3}|тикет\p{L}{0,3}|накладн\p{L}{0,3}|квитанци\p{L}{0,3}|чек\p{L}{0,3}|сч[её]т\p{L}{0,3}|акт\p{L}{0,3}|документ\p{L}{0,3}|дом\p{L}{0,3}|кв\.?|квартир\p{L}{0,3}|офис\p{L}{0,3}|магазин\p{L}{0,3}|склад\p{L}{0,3}|contract|agreement|ticket|case|request|invoice|receipt|house|apt\.?|трек\p{L}{0,10})[ \t\u00a0]{0,3}$/iu;

const CONTRACT = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:договор\p{L}{0,3}|contract|agreement)${NUMBER_MARK}${SEPARATOR}([a-zа-яё0-9][a-zа-яё0-9\-/]{1,24})`,
  'giu',
);

const TRACK_KEYWORD = String.raw`(?:трек\p{L}{0,3}(?:[ \t-]{0,2}номер\p{L}{0,3})?|сдэк\p{L}{0,3}|cdek|шпи|номер[ \t]{1,2}отправлени\p{L}{0,3}|накладн\p{L}{0,3}|track(?:ing)?(?:[ \t]{1,2}(?:number|no\.|code))?)`;
const TRACK_AFTER_KEYWORD = new RegExp(
  String.raw`(?<![\p{L}\p{N}])${TRACK_KEYWORD}${NUMBER_MARK}${SEPARATOR}([a-z]{2}\d{9}[a-z]{2}|[a-z]{0,3}\d{8,16}[a-z]{0,2})(?![\p{L}\p{N}])`,
  'giu',
);
/** UPU S10 (RA123456789RU) and Почта России's 14-digit internal numbers. */
const TRACK_BARE = /(?<![\p{L}\p{N}])(?:[A-Z]{2}\d{9}[A-Z]{2}|\d{14})(?![\p{L}\p{N}])/gu;

const PHONE =
  /(?<![\p{N}\p{L}+])(\+[ \t]?7|8|7)[ \t\u00a0-]{0,2}\(?[ \t]?(\d{3})[ \t]?\)?[ \t\u00a0-]{0,2}(\d{3})[ \t\u00a0-]{0,2}(\d{2})[ \t\u00a0-]{0,2}(\d{2})(?![\p{N}])/gu;

const NUMBER = String.raw`(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{1,12})(?:[.,](\d{1,2}))?`;
const MULTIPLIER = String.raw`(тыс\.?|тысяч\p{L}{0,2}|млн\.?|миллион\p{L}{0,2}|k|к)`;
const CURRENCY = String.raw`(₽|руб\p{L}{0,4}\.?|р\.|р(?![\p{L}])|rub(?![\p{L}])|rur(?![\p{L}])|\$|usd|долл\p{L}{0,5}|dollars?|€|eur(?:os?)?(?![\p{L}])|евро)`;
const AMOUNT_AFTER = new RegExp(
  String.raw`(?<![\p{N}.,])${NUMBER}(?:[ \t\u00a0]{0,2}${MULTIPLIER}(?![\p{L}]))?[ \t\u00a0]{0,2}${CURRENCY}`,
  'giu',
);
const AMOUNT_THOUSANDS = new RegExp(
  String.raw`(?<![\p{N}.,])${NUMBER}[ \t\u00a0]{0,2}(тыс\.?|тысяч\p{L}{0,2}|млн\.?|миллион\p{L}{0,2})(?![\p{L}])`,
  'giu',
);
const AMOUNT_BEFORE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(\$|€|₽|usd|eur|rub)[ \t\u00a0]{0,2}${NUMBER}(?:[ \t\u00a0]{0,2}(k|тыс\.?|млн\.?)(?![\p{L}]))?`,
  'giu',
);

/** Entities of a text that holds none. */
export function emptyEntities(): Entities {
  return {
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
}

/** The span of capture group 1 inside a match (the number after its keyword). */
function groupSpan(match: RegExpExecArray, group = 1): Span {
  const value = match[group]!;
  const start = match.index + match[0].lastIndexOf(value);
  return { start, end: start + value.length };
}

function take(text: string, list: Found[], claimed: SpanSet, span: Span, value: string): void {
  if (list.length >= MAX_PER_KIND || !claimed.claim(span)) return;
  list.push({ value, raw: text.slice(span.start, span.end), start: span.start, end: span.end });
}

function isPhoneShaped(value: string): boolean {
  return /^[78]\d{10}$/u.test(value);
}

function currencyCode(word: string): string {
  const lower = word.toLowerCase();
  if (lower === '$' || lower.startsWith('usd') || lower.startsWith('долл') || lower.startsWith('dollar'))
    return 'USD';
  if (lower === '€' || lower.startsWith('eur') || lower === 'евро') return 'EUR';
  return 'RUB';
}

function multiplierOf(word: string | undefined): number {
  if (!word) return 1;
  const lower = word.toLowerCase();
  if (lower.startsWith('млн') || lower.startsWith('миллион')) return 1_000_000;
  return 1000;
}

function amountValue(
  whole: string,
  fraction: string | undefined,
  multiplier: string | undefined,
  currency: string,
): string {
  const number = Number(`${whole.replace(/\D/gu, '')}.${fraction ?? '0'}`) * multiplierOf(multiplier);
  const rounded = Math.round(number * 100) / 100;
  return `${Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(2)} ${currencyCode(currency)}`;
}

function trimUrl(url: string): string {
  let end = url.length;
  while (end > 0 && /[.,;:!?)\]}'"»]/u.test(url[end - 1]!)) {
    // Keep a closing bracket that closes one opened inside the URL (wiki-style links).
    if (url[end - 1] === ')' && url.slice(0, end).split('(').length > url.slice(0, end).split(')').length - 1)
      break;
    end--;
  }
  return url.slice(0, end);
}

/** Entities are looked for in the first two million characters; beyond that is pasted data, not a message. */
const MAX_TEXT = 2_000_000;

function extractInto(text: string, options: ExtractOptions, entities: Entities): void {
  const claimed = new SpanSet();

  for (const match of text.matchAll(URL)) {
    if (entities.urls.length >= MAX_PER_KIND) break;
    const url = trimUrl(match[0]);
    if (url.length > 4)
      take(text, entities.urls, claimed, { start: match.index, end: match.index + url.length }, url);
  }
  for (const match of text.matchAll(EMAIL)) {
    if (entities.emails.length >= MAX_PER_KIND) break;
    take(
      text,
      entities.emails,
      claimed,
      { start: match.index, end: match.index + match[0].length },
      match[0].toLowerCase(),
    );
  }
  for (const match of text.matchAll(ORDER_AFTER_KEYWORD)) {
    if (entities.orderIds.length >= MAX_PER_KIND) break;
    const id = match[1]!;
    if (isPhoneShaped(id)) continue;
    take(text, entities.orderIds, claimed, groupSpan(match), id.toUpperCase().replace('–', '-'));
  }
  for (const match of text.matchAll(CONTRACT)) {
    const id = match[1]!.replace(/[-/]+$/u, '');
    if (!/\d/u.test(id)) continue;
    const start = match.index + match[0].lastIndexOf(match[1]!);
    take(text, entities.contractIds, claimed, { start, end: start + id.length }, id.toUpperCase());
  }
  for (const match of text.matchAll(TRACK_AFTER_KEYWORD)) {
    take(text, entities.trackingNumbers, claimed, groupSpan(match), match[1]!.toUpperCase());
  }
  for (const match of text.matchAll(TRACK_BARE)) {
    take(
      text,
      entities.trackingNumbers,
      claimed,
      { start: match.index, end: match.index + match[0].length },
      match[0],
    );
  }
  for (const match of text.matchAll(PHONE)) {
    if (entities.phones.length >= MAX_PER_KIND) break;
    const digits = `${match[2]}${match[3]}${match[4]}${match[5]}`;
    take(
      text,
      entities.phones,
      claimed,
      { start: match.index, end: match.index + match[0].length },
      `+7${digits}`,
    );
  }
  for (const match of text.matchAll(BARE_NUMBER)) {
    const id = match[1]!;
    const before = text.slice(Math.max(0, match.index - 30), match.index);
    if (isPhoneShaped(id) || NOT_ORDER_CONTEXT.test(before)) continue;
    take(text, entities.orderIds, claimed, groupSpan(match), id.toUpperCase().replace('–', '-'));
  }
  for (const match of text.matchAll(AMOUNT_BEFORE)) {
    const span = { start: match.index, end: match.index + match[0].length };
    take(text, entities.amounts, claimed, span, amountValue(match[2]!, match[3], match[4], match[1]!));
  }
  for (const match of text.matchAll(AMOUNT_AFTER)) {
    const span = { start: match.index, end: match.index + match[0].length };
    take(text, entities.amounts, claimed, span, amountValue(match[1]!, match[2], match[3], match[4]!));
  }
  for (const match of text.matchAll(AMOUNT_THOUSANDS)) {
    const span = { start: match.index, end: match.index + match[0].length };
    take(text, entities.amounts, claimed, span, amountValue(match[1]!, match[2], match[3], '₽'));
  }
  entities.orderIds.sort((a, b) => a.start - b.start);
  entities.amounts.sort((a, b) => a.start - b.start);

  for (const date of extractDates(text, options)) {
    if (entities.dates.length < MAX_PER_KIND && claimed.claim(date)) entities.dates.push(date);
  }
  entities.products.push(...extractProducts(text, claimed));
  const name = extractCustomerName(text);
  if (name && !claimed.overlaps(name)) entities.customerName = name;
}

/**
 * Everything worth knowing in one text. Never throws: on anything unexpected it returns what it
 * found so far.
 */
export function extractEntities(text: string, options: ExtractOptions): Entities {
  const entities = emptyEntities();
  if (typeof text !== 'string' || text.length === 0) return entities;
  try {
    extractInto(text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text, options, entities);
  } catch {
    // Partial results are better than none for an assist panel.
  }
  return entities;
}

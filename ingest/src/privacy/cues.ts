/**
 * Words that tell what a number next to them is. A number is read in the light of the nearest cue
 * before it (within one line and a few words), and a number right after an order, tracking or
 * ticket cue is the support team's own reference: it is never masked, whatever its shape.
 */

export type NumberCue = 'phone' | 'card' | 'passport' | 'snils' | 'inn';

const WORD_START = '(?<![\\p{L}\\p{N}])';
const WORD_END = '(?![\\p{L}\\p{N}])';

const CUE_SOURCES: Record<NumberCue, string> = {
  phone: [
    'тел(?:\\.|ефон\\p{L}*)?',
    'моб(?:\\.|ильн\\p{L}*)?',
    'сотов\\p{L}*',
    'городск\\p{L}*',
    'мой номер',
    'номер мой',
    'my number',
    'номер\\p{L}* (?:для )?связи',
    'контактн\\p{L}* номер\\p{L}*',
    '(?:по|пере)?звон\\p{L}*',
    'whats ?app',
    'ва[тц]сап\\p{L}*',
    'вотсап\\p{L}*',
    'viber',
    'вайбер\\p{L}*',
    'telegram',
    'телеграм\\p{L}*',
    'смс',
    'sms',
    'phone',
    'mobile',
    'cell',
    'call(?: me)?(?: at| on)?',
    'text me(?: at| on)?',
    'tel\\.?',
    'contact number',
  ].join('|'),
  card: ['карт\\p{L}*', 'card', 'visa', 'виза', 'mastercard', 'мастеркард', 'мир', 'pan'].join('|'),
  passport: [
    'паспорт\\p{L}*',
    'сери[яиюей]',
    'passport',
    'выдан\\p{L}*',
    'удостоверени\\p{L}* личности',
    'документ\\p{L}*',
  ].join('|'),
  snils: ['снилс\\p{L}*', 'snils', 'страхов\\p{L}* (?:номер\\p{L}*|свидетельств\\p{L}*)'].join('|'),
  inn: ['инн', 'inn', 'tax id', 'taxpayer', 'налогоплательщик\\p{L}*'].join('|'),
};

const CUE_PATTERN = new RegExp(
  Object.entries(CUE_SOURCES)
    .map(([kind, source]) => `(?<${kind}>${WORD_START}(?:${source})${WORD_END})`)
    .join('|'),
  'giu',
);

/** How far back a cue still speaks for a number: a few words, and never across a line. */
const CUE_WINDOW = 48;

/** The last cue in the few words before `start` on the same line, and the text between it and `start`. */
function lastCue(text: string, start: number): { kind: NumberCue; gap: string } | undefined {
  let from = Math.max(0, start - CUE_WINDOW);
  // Widen to a whole word: «…звонитесь» cut from «дозвонитесь» must not read as «звоните».
  while (from > 0 && /[\p{L}\p{N}]/u.test(text[from - 1]!)) from--;
  let window = text.slice(from, start);
  const lineBreak = window.lastIndexOf('\n');
  if (lineBreak >= 0) window = window.slice(lineBreak + 1);
  let found: { kind: NumberCue; end: number } | undefined;
  for (const match of window.matchAll(CUE_PATTERN)) {
    const kind = Object.entries(match.groups ?? {}).find(([, value]) => value !== undefined)?.[0];
    const end = match.index + match[0].length;
    if (kind && (!found || end >= found.end)) found = { kind: kind as NumberCue, end };
  }
  return found && { kind: found.kind, gap: window.slice(found.end) };
}

/**
 * What the words before a number say about it: `nearest`, the last cue a few words back on the same
 * line; `attached`, the same cue when it stands right before the number («тел. 8…», «СНИЛС: 112…»,
 * «телефон для связи 8…»: at most two short words between, no digits, no sentence end).
 */
export interface CuesBefore {
  nearest?: NumberCue;
  attached?: NumberCue;
}

export function cuesBefore(text: string, start: number): CuesBefore {
  const cue = lastCue(text, start);
  if (!cue) return {};
  const words = cue.gap.match(/\p{L}+/gu) ?? [];
  const attached =
    cue.gap.length <= 24 && words.length <= 2 && !/[\d!?;]/u.test(cue.gap) && !/[.]\s+\p{Lu}/u.test(cue.gap);
  return { nearest: cue.kind, ...(attached ? { attached: cue.kind } : {}) };
}

/** The kind named by the nearest cue before `start`, if any. */
export function nearestCue(text: string, start: number): NumberCue | undefined {
  return lastCue(text, start)?.kind;
}

const ORDER_CUE = [
  'заказ\\p{L}*',
  'трек\\p{L}*(?:[\\s-]?номер\\p{L}*)?',
  'отправлени\\p{L}*',
  'посылк\\p{L}*',
  'накладн\\p{L}*',
  'шпи',
  'обращени\\p{L}*',
  'заявк\\p{L}*',
  'тикет\\p{L}*',
  'чек\\p{L}*',
  'квитанци\\p{L}*',
  'артикул\\p{L}*',
  'брон\\p{L}*',
  'транзакци\\p{L}*',
  'операци\\p{L}*',
  'платеж\\p{L}*',
  'платёж\\p{L}*',
  'промокод\\p{L}*',
  'id',
  'айди',
  'order\\p{L}*',
  'track\\p{L}*(?: number)?',
  'tracking',
  'ticket',
  'case',
  'invoice',
  'booking',
  'confirmation(?: number| code)?',
  'reference',
  'ref\\.?',
  'parcel',
  'shipment',
  'receipt',
  'transaction',
  'sku',
].join('|');

/** The cue, then what may sit between it and its number: «№», «#», «номер», a colon, «is». */
const ORDER_PREFIX = `${WORD_START}(?:${ORDER_CUE})${WORD_END}[\\s:№#\\-–—.«"]*(?:(?:номер\\p{L}*|number|no\\.?|nr\\.?)${WORD_END}[\\s:№#\\-–—.«"]*)?(?:(?:is|это)\\s+)?`;
/**
 * An order reference: letters and digits, parts joined by dashes or slashes, then possibly groups of
 * 2–4 digits after single spaces («4276 1300 1234 5678»). A longer number after a space is not part
 * of it: «заказ 12345 89161234567» is an order and a phone.
 */
const ORDER_TOKEN =
  '(?=[\\p{L}\\p{N}\\-–/]*\\p{N})[\\p{L}\\p{N}]+(?:[\\-–/][\\p{L}\\p{N}]+)*(?: \\p{N}{2,4}(?![\\p{L}\\p{N}]))*';
const ORDER_REFERENCES = new RegExp(
  `${ORDER_PREFIX}(?<first>${ORDER_TOKEN})(?<rest>(?:\\s*(?:,|и|или|and|or|&)\\s*[№#]?\\s*${ORDER_TOKEN})*)`,
  'giu',
);
const ORDER_TOKEN_ANYWHERE = new RegExp(ORDER_TOKEN, 'gu');

export interface Range {
  start: number;
  end: number;
}

/** Where the order, tracking and ticket numbers of a text are: spans that must stay as they are. */
export function orderReferences(text: string): Range[] {
  const ranges: Range[] = [];
  for (const match of text.matchAll(ORDER_REFERENCES)) {
    const first = match.groups?.first ?? '';
    const rest = match.groups?.rest ?? '';
    const firstStart = match.index + match[0].length - first.length - rest.length;
    ranges.push({ start: firstStart, end: firstStart + first.length });
    const restStart = firstStart + first.length;
    // «заказы 1234, 1235 и 1240»: more references of the same length; anything else ends the list.
    for (const token of rest.matchAll(ORDER_TOKEN_ANYWHERE)) {
      if (Math.abs(token[0].length - first.length) > 2) break;
      ranges.push({ start: restStart + token.index, end: restStart + token.index + token[0].length });
    }
  }
  return ranges;
}

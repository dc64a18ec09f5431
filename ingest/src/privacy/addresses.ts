import type { Candidate } from './candidate.ts';

/**
 * Addresses are runs of comma-separated parts that name a place: «г. Москва, ул. Ленина, д. 5,
 * кв. 12», «123456, Москва, Тверская 7». After a cue («адрес: …», «по адресу …», «address: …»)
 * one part is enough and the first may be a bare city; without a cue it takes two parts, one of
 * them a street. Parts end at a line, a semicolon or the end of a sentence.
 */

const CUE =
  /(?<![\p{L}\p{N}])(?:адрес\p{L}*(?:\s(?:доставки|регистрации|проживания|прописки|получателя|пункта выдачи))?|живу (?:по адресу|на|в)|проживаю(?: по адресу)?|доставьте (?:на|по адресу)|(?:shipping |delivery |home |mailing )?address(?: is)?|i live at)(?![\p{L}\p{N}])\s*[:\-–—]?\s*/giu;

/** Street-level words: a part with one of them is a street. */
const STREET_WORDS =
  'улица|проспект|переулок|шоссе|бульвар|набережная|площадь|микрорайон|проезд|тупик|аллея|street|avenue|road|lane|boulevard';
const STREET_ABBREVIATIONS = 'ул|пр-т|просп|пр|пер|ш|б-р|бул|наб|пл|мкр|мкрн|st|ave|rd|blvd';
const OTHER_WORDS =
  'город|посёлок|поселок|село|деревня|область|край|район|республика|дом|корпус|строение|квартира|офис|подъезд|этаж|литер|apartment|suite|unit';
const OTHER_ABBREVIATIONS = 'г|гор|пос|пгт|с|дер|д|обл|р-н|респ|к|корп|стр|кв|оф|под|эт|лит|apt';
const ABBREVIATIONS = `${STREET_ABBREVIATIONS}|${OTHER_ABBREVIATIONS}`;
/** Abbreviations with a hyphen are unambiguous without their dot. */
const WORDS = `${STREET_WORDS}|${OTHER_WORDS}|пр-т|б-р|р-н`;
const LETTER_OR_DIGIT = '[\\p{L}\\p{N}]';
/** An abbreviation counts only with its dot or a number after it, so «к сожалению» is not a building. */
const MARKER = new RegExp(
  `^(?:(?:${ABBREVIATIONS})(?:\\.\\s*${LETTER_OR_DIGIT}|\\s*\\d)|(?:${WORDS})\\s+${LETTER_OR_DIGIT})`,
  'iu',
);
const TRAILING_MARKER = new RegExp(
  `\\s(?:(?:${ABBREVIATIONS})\\.|${STREET_WORDS}|область|край|район|ave|st|rd|blvd|ln|dr)$`,
  'iu',
);
const STREET_MARKER = new RegExp(
  `(?:^|\\s)(?:(?:${STREET_ABBREVIATIONS})(?:\\.|\\s*\\d|$)|(?:${STREET_WORDS}|пр-т|б-р)(?:\\s|$))`,
  'iu',
);
/** Russian six digits; a US state and ZIP code; a UK postcode. */
const POSTCODE = /^(?:\d{6}|\p{Lu}{2}\s\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})$/u;
/** Streets named after a date or a number: «8 Марта 79», «50 лет Октября». */
const NUMBERED_STREET = /^\d{1,3}\s(?:лет\s)?\p{Lu}\p{Ll}+(?:\s\d{1,4}\p{L}?)?$/u;
const HOUSE_NUMBER = /^\d{1,4}(?:\s?\p{L}|\/\d{1,3}|\s?к\d{1,2}|\s?с\d{1,2})?$/u;
const CITY = /^\p{Lu}\p{Ll}+(?:[- ]\p{Lu}?\p{Ll}+){0,2}(?:\s\d{1,4}\p{L}?)?$/u;
const CITY_BEFORE = /(?<![\p{L}\p{N}])\p{Lu}\p{Ll}+(?:[- ]\p{Lu}?\p{Ll}+){0,2},\s*$/u;
const ABBREVIATION_BEFORE_DOT = new RegExp(`^(?:${ABBREVIATIONS})$`, 'iu');

const MAX_PART = 60;

type Part = { start: number; end: number; kind: 'marker' | 'street' | 'postcode' | 'house' | 'city' };

/** The next part starting at `from`, cut at a sentence end that is not an abbreviation's dot. */
function readPart(text: string, from: number): { start: number; end: number; text: string } | undefined {
  let index = from;
  while (index < text.length && (text[index] === ' ' || text[index] === '\u00a0')) index++;
  const start = index;
  let end = start;
  // A part longer than MAX_PART is not an address part; stop reading there, so scanning stays linear.
  while (end < text.length && end - start <= MAX_PART) {
    const character = text[end]!;
    if (',;\n!?()'.includes(character)) break;
    if (character === '.') {
      const word = text.slice(start, end).split(/\s/u).at(-1) ?? '';
      const sentenceEnd = end + 1 >= text.length || /\s/u.test(text[end + 1]!);
      if (sentenceEnd && !ABBREVIATION_BEFORE_DOT.test(word)) break;
    }
    end++;
  }
  const value = text.slice(start, end).trimEnd();
  if (!value) return undefined;
  return { start, end: start + value.length, text: value };
}

function classify(part: string, first: boolean, cued: boolean): Part['kind'] | undefined {
  if (part.length > MAX_PART || /https?:|www\.|@/iu.test(part)) return undefined;
  if (POSTCODE.test(part)) return 'postcode';
  if (MARKER.test(part) || TRAILING_MARKER.test(part)) return STREET_MARKER.test(part) ? 'street' : 'marker';
  if (HOUSE_NUMBER.test(part)) return first ? undefined : 'house';
  if (cued && (CITY.test(part) || NUMBERED_STREET.test(part))) return 'city';
  return undefined;
}

function addressAt(text: string, from: number, cued: boolean): { start: number; end: number } | undefined {
  const parts: Part[] = [];
  let position = from;
  for (;;) {
    const part = readPart(text, position);
    if (!part) break;
    const kind = classify(part.text, parts.length === 0, cued);
    if (!kind) break;
    parts.push({ start: part.start, end: part.end, kind });
    position = part.end;
    if (text[position] !== ',') break;
    position += 1;
  }
  if (!parts.length) return undefined;
  const enough = cued
    ? parts.some((part) => part.kind !== 'house')
    : parts.length >= 2 && parts.some((part) => part.kind === 'street');
  if (!enough) return undefined;
  let start = parts[0]!.start;
  if (!cued) {
    // «…не нашёл Нижний Новгород, ул. Центральная…»: the city just before the first marked part.
    const city = CITY_BEFORE.exec(text.slice(Math.max(0, start - 40), start));
    if (city) start -= city[0].length;
  }
  return { start, end: parts.at(-1)!.end };
}

function addressKey(value: string): string {
  return value
    .toLowerCase()
    .replace(/ё/gu, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const UNCUED_START = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:\\d{6},|(?:${ABBREVIATIONS})\\.\\s*${LETTER_OR_DIGIT}|(?:${WORDS})\\s+${LETTER_OR_DIGIT})`,
  'giu',
);

export function findAddresses(text: string): Candidate[] {
  const found: Candidate[] = [];
  const push = (range: { start: number; end: number } | undefined, priority: number) => {
    if (!range) return;
    const value = text.slice(range.start, range.end);
    found.push({ kind: 'address', ...range, priority, key: addressKey(value) });
  };
  for (const cue of text.matchAll(CUE)) push(addressAt(text, cue.index + cue[0].length, true), 35);
  for (const start of text.matchAll(UNCUED_START)) push(addressAt(text, start.index, false), 30);
  return found;
}

import { type Candidate, CUE_BONUS } from './candidate.ts';
import { isCardNumber, isInnValid, isSnilsValid } from './checksums.ts';
import { type CuesBefore, nearestCue } from './cues.ts';

/**
 * Numbers written with any grouping: «+7 (916) 123-45-67», «4276 1300 0000 0000», «112-233-445 95».
 * A run is digit groups joined by short separators; every contiguous stretch of groups that starts
 * and ends at a space (or the run's edge) is read as each kind it could be, and the readings compete
 * in the redactor. A run glued to letters, a slash or «@» is part of a link, a code or a handle.
 */

const RUN = /\+?[ \u00a0]?\(?\d[\d \u00a0\-–.()]*\d\)?|\+?\d/gu;
const SEPARATOR =
  /^(?:[ \u00a0]{1,2}|[ \u00a0]?[-–.][ \u00a0]?|[ \u00a0]?\([ \u00a0]?|[ \u00a0]?\)[ \u00a0]?[-–]?[ \u00a0]?)$/u;
const GLUED_BEFORE = /[\p{L}\p{N}_/@=&%$€₽#]/u;
const GLUED_AFTER = /[\p{L}\p{N}_/@%$€₽]/u;

/** «ID12345678901», «/video/89161234567», «1.89161234567»: the digits belong to something else. */
function gluedBefore(text: string, start: number): boolean {
  const before = text[start - 1] ?? '';
  if (GLUED_BEFORE.test(before)) return true;
  // «WB-889779155», «A-2291»: a code's prefix; «номер-8916…» is still a phone.
  if (before === '-') return /[A-Z0-9]/u.test(text[start - 2] ?? '');
  return (before === '.' || before === ',') && /\d/u.test(text[start - 2] ?? '');
}

interface Group {
  start: number;
  end: number;
  digits: string;
  /** The separator before this group allows a number to start here. */
  open: boolean;
}

/** A stretch of groups as it appears in the text. */
export interface NumberSpan {
  start: number;
  end: number;
  digits: string;
  plus: boolean;
  /** Digits per group, e.g. [3, 3, 3, 2] for «112-233-445 95». */
  shape: number[];
  /** The whole run, not a stretch inside a longer one. */
  whole: boolean;
}

function splitGroups(run: string, offset: number): Group[][] {
  const parts: Group[][] = [];
  let current: Group[] = [];
  let previousEnd = -1;
  for (const match of run.matchAll(/\d+/gu)) {
    const start = offset + match.index;
    if (previousEnd >= 0) {
      const separator = run.slice(previousEnd - offset, match.index);
      if (!SEPARATOR.test(separator) || (separator.match(/[.]/gu)?.length ?? 0) > 1) {
        parts.push(current);
        current = [];
      } else {
        current.push({ start, end: start + match[0].length, digits: match[0], open: /\s/u.test(separator) });
        previousEnd = start + match[0].length;
        continue;
      }
    }
    current.push({ start, end: start + match[0].length, digits: match[0], open: true });
    previousEnd = start + match[0].length;
  }
  if (current.length) parts.push(current);
  return parts;
}

/** Every stretch of digit groups that could be one identifier (7 to 19 digits). */
export function numberSpans(text: string): NumberSpan[] {
  const spans: NumberSpan[] = [];
  for (const match of text.matchAll(RUN)) {
    for (const groups of splitGroups(match[0], match.index)) {
      for (let first = 0; first < groups.length; first++) {
        if (!groups[first]!.open) continue;
        const startGroup = groups[first]!;
        let start = startGroup.start;
        if (text[start - 1] === '(') start -= 1;
        let plus = false;
        if (text[start - 1] === '+') {
          plus = true;
          start -= 1;
        } else if (text.slice(start - 2, start) === '+ ') {
          plus = true;
          start -= 2;
        }
        if (first === 0 && gluedBefore(text, start)) continue;
        let digits = '';
        const shape: number[] = [];
        for (let last = first; last < groups.length; last++) {
          const group = groups[last]!;
          digits += group.digits;
          shape.push(group.digits.length);
          if (digits.length > 19) break;
          const next = groups[last + 1];
          if (next && !next.open) continue;
          let end = group.end;
          if (text[end] === ')' && text.slice(start, end).includes('(')) end += 1;
          if (!next && GLUED_AFTER.test(text[end] ?? '')) continue;
          if (text[end] === '.' && /\d/u.test(text[end + 1] ?? '')) continue;
          if (digits.length >= 5) {
            spans.push({ start, end, digits, plus, shape: [...shape], whole: first === 0 && !next });
          }
        }
      }
    }
  }
  return spans;
}

/** Ten digits are a phone when grouped after a three-digit code: «916 123-45-67», «(495) 1234567». */
function isPhoneShaped(shape: number[]): boolean {
  return shape.length >= 2 && shape[0] === 3;
}

const DATE = /^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})$/u;

/** Each reading of one number span as a kind, with its priority. */
export function readNumber(
  text: string,
  span: NumberSpan,
  cues: CuesBefore,
  options: { english: boolean },
): Candidate[] {
  const { digits, plus, shape } = span;
  const { nearest: cue, attached } = cues;
  const readings: Candidate[] = [];
  const add = (kind: Candidate['kind'], priority: number, key: string) =>
    readings.push({
      kind,
      start: span.start,
      end: span.end,
      priority: priority + (cue === kind ? CUE_BONUS : 0),
      key,
    });
  const length = digits.length;

  // Phones: +7 and 8/7 with a Russian area code, international numbers with +, shorter ones right
  // after a phone cue. Not a date, and not a number right after another kind's cue («СНИЛС 888…»).
  const otherKindAttached = attached !== undefined && attached !== 'phone';
  if (!DATE.test(text.slice(span.start, span.end)) && !(otherKindAttached && !plus)) {
    if (plus && digits.startsWith('7') && length === 11) add('phone', 70, `+${digits}`);
    else if (plus && !digits.startsWith('7') && length >= 8 && length <= 15) add('phone', 65, `+${digits}`);
    else if (
      !plus &&
      length === 11 &&
      /^[78][3489]/u.test(digits) &&
      (cue === 'phone' || shape.join() !== '3,3,3,2')
    ) {
      // «812-345-678 90» is how a SNILS is written, not a phone.
      add('phone', 60, `+7${digits.slice(1)}`);
    } else if (
      !plus &&
      length === 10 &&
      /^[3489]/u.test(digits) &&
      (attached === 'phone' || isPhoneShaped(shape))
    ) {
      add('phone', 55, `+7${digits}`);
    } else if (
      options.english &&
      ((length === 10 && /^[2-9]/u.test(digits) && (attached === 'phone' || isPhoneShaped(shape))) ||
        (length === 11 && digits.startsWith('1') && shape.length >= 3))
    ) {
      add('phone', 55, `+1${digits.slice(-10)}`);
    } else if (
      attached === 'phone' &&
      length >= 7 &&
      length <= 12 &&
      !text.slice(span.start, span.end).includes('.')
    ) {
      // Short numbers only right after a phone word, and never dotted like a version («mobile ver. 8.4.22.515»).
      add('phone', 40, digits);
    }
  }

  if (!plus && length >= 13 && length <= 19 && isCardNumber(digits)) {
    add('card', 90, `${digits.slice(0, 6)}${digits.slice(-4)}`);
  }
  if (
    length === 11 &&
    isSnilsValid(digits) &&
    (span.whole || cue === 'snils' || shape.join() === '3,3,3,2')
  ) {
    add('snils', shape.join() === '3,3,3,2' ? 85 : 45, digits);
  }
  if (length === 12 && isInnValid(digits) && (span.whole || cue === 'inn')) add('inn', 50, digits);
  if (length === 10 && cue === 'inn' && isInnValid(digits)) add('inn', 50, digits);
  if (length === 10 && cue === 'passport' && ['2,2,6', '4,6', '10', '2,2,3,3'].includes(shape.join())) {
    add('passport', 50, digits);
  }
  return readings;
}

/** «серия 4512 номер 345678», «серия 45 12 № 345678»: series and number apart, one span. */
const SERIES_AND_NUMBER =
  /(?<![\p{L}\p{N}])(?:серия|серии|серию)\s*[:\-–]?\s*(?<series>\d{2}\s?\d{2})[\s,]*(?:(?:номер|№|n|#)\s*[:\-–]?\s*)?(?<number>\d{3}\s?\d{3})(?!\d)/giu;

/** «паспорт 45 12 №345678»: the «№» between series and number marks a document, given a passport cue. */
const SERIES_NUMBER_MARKED =
  /(?<![\p{L}\p{N}])(?<series>\d{2}\s?\d{2})\s*(?:№|номер)\s*(?<number>\d{6})(?!\d)/gu;

export function passportSeriesAndNumber(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(SERIES_NUMBER_MARKED)) {
    if (nearestCue(text, match.index) !== 'passport') continue;
    found.push({
      kind: 'passport',
      start: match.index,
      end: match.index + match[0].length,
      priority: 80 + CUE_BONUS,
      key: `${match.groups?.series ?? ''}${match.groups?.number ?? ''}`.replace(/\s/gu, ''),
    });
  }
  for (const match of text.matchAll(SERIES_AND_NUMBER)) {
    const series = match.groups?.series ?? '';
    const number = match.groups?.number ?? '';
    const start = match.index + match[0].indexOf(series);
    found.push({
      kind: 'passport',
      start,
      end: match.index + match[0].length,
      priority: 80 + CUE_BONUS,
      key: `${series}${number}`.replace(/\s/gu, ''),
    });
  }
  return found;
}

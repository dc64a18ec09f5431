import { type Candidate, CUE_BONUS } from './candidate.ts';
import { isCardNumber, isInnValid, isSnilsValid } from './checksums.ts';
import { type NumberCue, nearestCue } from './cues.ts';

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
          if (digits.length >= 5) spans.push({ start, end, digits, plus, shape: [...shape] });
        }
      }
    }
  }
  return spans;
}

function isPhoneShaped(shape: number[]): boolean {
  return shape.length >= 3 || (shape.length === 2 && shape[0] === 3);
}

/** Each reading of one number span as a kind, with its priority. */
export function readNumber(text: string, span: NumberSpan, options: { english: boolean }): Candidate[] {
  const { digits, plus, shape } = span;
  const cue: NumberCue | undefined = nearestCue(text, span.start);
  const readings: Candidate[] = [];
  const add = (kind: Candidate['kind'], priority: number, key: string) =>
    readings.push({
      kind,
      start: span.start,
      end: span.end,
      priority: priority + (cue === kind ? CUE_BONUS : 0),
      key,
    });

  // Phones: +7 and 8/7 with a Russian area code, international numbers with +, shorter ones after a cue.
  const length = digits.length;
  if (plus && digits.startsWith('7') && length === 11) add('phone', 70, `+${digits}`);
  else if (plus && !digits.startsWith('7') && length >= 8 && length <= 15) add('phone', 65, `+${digits}`);
  else if (!plus && length === 11 && /^[78][3489]/u.test(digits)) add('phone', 60, `+7${digits.slice(1)}`);
  else if (!plus && length === 10 && digits.startsWith('9') && (cue === 'phone' || isPhoneShaped(shape))) {
    add('phone', 55, `+7${digits}`);
  } else if (
    options.english &&
    ((length === 10 && /^[2-9]/u.test(digits) && (cue === 'phone' || isPhoneShaped(shape))) ||
      (length === 11 && digits.startsWith('1') && isPhoneShaped(shape)))
  ) {
    add('phone', 55, `+1${digits.slice(-10)}`);
  } else if (cue === 'phone' && length >= 7 && length <= 12) add('phone', 40, digits);

  if (length >= 13 && length <= 19 && isCardNumber(digits)) {
    add('card', 90, `${digits.slice(0, 6)}${digits.slice(-4)}`);
  }
  if (length === 11 && isSnilsValid(digits)) {
    const formatted = shape.join(',') === '3,3,3,2';
    add('snils', formatted ? 85 : 45, digits);
  }
  if (length === 12 && isInnValid(digits)) add('inn', 50, digits);
  if (length === 10 && cue === 'inn' && isInnValid(digits)) add('inn', 50, digits);
  if (length === 10 && cue === 'passport' && ['2,2,6', '4,6', '10', '2,2,3,3'].includes(shape.join(','))) {
    add('passport', 50, digits);
  }
  return readings;
}

/** «серия 4512 номер 345678», «серия 45 12 № 345678»: series and number apart, one span. */
const SERIES_AND_NUMBER =
  /(?<![\p{L}\p{N}])(?:серия|серии|серию)\s*[:\-–]?\s*(?<series>\d{2}\s?\d{2})[\s,]*(?:(?:номер|№|n|#)\s*[:\-–]?\s*)?(?<number>\d{3}\s?\d{3})(?!\d)/giu;

export function passportSeriesAndNumber(text: string): Candidate[] {
  const found: Candidate[] = [];
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

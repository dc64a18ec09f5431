/**
 * The customer's name, from a self-introduction («меня зовут Анна», "my name is Anna"), a
 * signature («С уважением,\nАнна Петрова», "Thanks,\nJohn") or a bare name closing a message
 * («…когда привезут? Анна»). Only capitalised words that look like a person's name count; company
 * names and role words are refused, and a bare name must be a common given name.
 */
import { isGivenName } from './given-names.ts';
import type { Found } from './types.ts';

const INTRODUCTION = /(?<![\p{L}])(?:меня зовут|зовут меня|my name is|my name's)[ \t]{1,3}/giu;
/** One to three capitalised words, or a name with initials («Анна П.», "John K."). */
const NAME =
  /^\p{Lu}\p{Ll}{1,24}(?:-\p{Lu}\p{Ll}{1,24})?(?:[ \t]\p{Lu}\p{Ll}{1,24}(?:-\p{Lu}\p{Ll}{1,24})?){0,2}(?:[ \t]\p{Lu}\.){0,2}/u;
const SIGN_OFF =
  /^(?:с уважением|с наилучшими пожеланиями|с благодарностью|всего доброго|всего хорошего|best regards|kind regards|warm regards|regards|best wishes|cheers|sincerely|yours sincerely|thanks(?: in advance| a lot)?|thank you|many thanks|спасибо(?: заранее| большое)?|заранее спасибо|благодарю|--|—)(?![\p{L}])[ \t]*[,.!]?[ \t]*/iu;

/** A sign-off after a sentence on the same line: «Кольцо велико. С уважением, Ольга». */
const INLINE_SIGN_OFF =
  /[.!?…][ \t]{1,3}(?:с уважением|с наилучшими пожеланиями|best regards|kind regards|regards|sincerely)[ \t]*[,.]?[ \t]*/iu;

const THANKS_OR_DASH = /^(?:thank|many|спасибо|заранее|благодарю|-|—)/iu;

/** Words that are capitalised in a signature but are not a person. */
const NOT_A_NAME = new Set(
  `ооо ип ао зао пао оао нко llc inc ltd gmbh corp company компания магазин shop store team команда служба
  support отдел department клиент клиентка покупатель покупательница customer client спасибо thanks
  благодарю здравствуйте привет hello hi добрый уважением regards менеджер manager директор director
  отправлено sent россия москва moscow`.split(/\s+/u),
);

function isPersonName(name: string): boolean {
  return name.split(/[ \t-]+/u).every((word) => !NOT_A_NAME.has(word.toLowerCase().replace(/\.$/u, '')));
}

function nameAt(text: string, start: number, lineEnd: number): Found | undefined {
  const rest = text.slice(start, Math.min(lineEnd, start + 120));
  const match = NAME.exec(rest);
  if (!match) return undefined;
  const after = rest.slice(match[0].length);
  // A name is followed by the end of the line or punctuation, not by more words of a sentence.
  if (!/^(?:[ \t]*$|[ \t]*[,.!;)(]|[ \t]*[-–—|][ \t])/u.test(after)) return undefined;
  const value = match[0].trim();
  if (!isPersonName(value)) return undefined;
  return { value, raw: value, start, end: start + value.length };
}

interface Line {
  start: number;
  end: number;
}

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    lines.push({ start, end: end > start && text[end - 1] === '\r' ? end - 1 : end });
    if (newline < 0) break;
    start = newline + 1;
  }
  return lines;
}

function fromSignature(text: string): Found | undefined {
  const lines = linesOf(text);
  let found: Found | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.end - line.start > 2000) continue;
    const content = text.slice(line.start, line.end);
    const inline = INLINE_SIGN_OFF.exec(content);
    if (inline) {
      const candidate = nameAt(text, line.start + inline.index + inline[0].length, line.end);
      if (candidate && content.slice(candidate.end - line.start).trim().length <= 1) found = candidate;
    }
    if (line.end - line.start > 120) continue;
    const indent = content.length - content.trimStart().length;
    const signOff = SIGN_OFF.exec(content.trimStart());
    if (!signOff) continue;
    const restStart = line.start + indent + signOff[0].length;
    if (restStart < line.end) {
      // «Спасибо, Мария!» thanks the operator; only a real sign-off has the name on its line.
      if (THANKS_OR_DASH.test(signOff[0])) continue;
      found = nameAt(text, restStart, line.end) ?? found;
      continue;
    }
    // The name is on one of the next two non-empty lines, alone on its line.
    for (let ahead = index + 1, seen = 0; ahead < lines.length && seen < 2; ahead++) {
      const next = lines[ahead]!;
      const nextContent = text.slice(next.start, next.end);
      if (nextContent.trim().length === 0) continue;
      seen++;
      const nextIndent = nextContent.length - nextContent.trimStart().length;
      const candidate = nameAt(text, next.start + nextIndent, next.end);
      if (candidate && candidate.end - next.start >= nextContent.trimEnd().length - 1) {
        found = candidate;
        break;
      }
    }
  }
  return found;
}

/**
 * A given name, optionally with a surname or an initial («Анна», «Анна П.», «Петрова Анна»), and
 * nothing else but a full stop or an exclamation mark.
 */
const BARE_NAME =
  /^(\p{Lu}\p{Ll}{1,24})(?:[ \t]{1,3}(\p{Lu}\p{Ll}{1,24}(?:-\p{Lu}\p{Ll}{1,24})?|\p{Lu}\.))?[ \t]*[.!]?[ \t]*$/u;
/** Where a bare name may start on its line: the line's start, or after a sentence's end. */
const AFTER_SENTENCE = /[.!?…)][ \t]{1,3}(?=\p{Lu}[^?…]{0,60}$)/gu;

function bareName(text: string, start: number, end: number): Found | undefined {
  const slice = text.slice(start, end);
  const match = BARE_NAME.exec(slice);
  if (!match) return undefined;
  const first = match[1]!;
  const second = match[2];
  const initial = second?.endsWith('.') ?? false;
  const firstIsGiven = isGivenName(first);
  if (!firstIsGiven && (second === undefined || initial || !isGivenName(second))) return undefined;
  if (!isPersonName(second ? `${first} ${second}` : first)) return undefined;
  let raw = slice.trimEnd();
  if (/[.!]$/u.test(raw) && !(initial && raw.endsWith(second!))) raw = raw.slice(0, -1).trimEnd();
  // «Петрова Анна» is addressed as «Анна».
  const value = firstIsGiven ? raw.replace(/[ \t]+/gu, ' ') : second!;
  return { value, raw, start, end: start + raw.length };
}

/**
 * A bare given name at the end of one line: the whole line («Анна») or what follows its last
 * sentence («Когда привезут? Анна»). Offsets are into `line`.
 */
export function bareSignOff(line: string): Found | undefined {
  if (line.length === 0 || line.length > 2000) return undefined;
  const indent = line.length - line.trimStart().length;
  const whole = bareName(line, indent, line.length);
  if (whole) return whole;
  let last: RegExpExecArray | undefined;
  for (const match of line.matchAll(AFTER_SENTENCE)) last = match;
  return last ? bareName(line, last.index + last[0].length, line.length) : undefined;
}

/**
 * A bare given name closing a message («…\nАнна», «Когда привезут? Анна»). Its line must end the
 * text or a paragraph (the engine joins customer turns with blank lines), so a name in the middle
 * of a message is not taken for a signature.
 */
function fromBareSignOff(text: string): Found | undefined {
  const lines = linesOf(text);
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index]!;
    const next = lines[index + 1];
    if (next && text.slice(next.start, next.end).trim().length > 0) continue;
    const found = bareSignOff(text.slice(line.start, line.end));
    if (found) return { ...found, start: line.start + found.start, end: line.start + found.end };
  }
  return undefined;
}

/**
 * The customer's name: a self-introduction wins over a signature; of several signatures (a
 * sign-off phrase with a name, or a bare name closing a message), the last.
 */
export function extractCustomerName(text: string): Found | undefined {
  for (const match of text.matchAll(INTRODUCTION)) {
    const start = match.index + match[0].length;
    const lineEnd = text.indexOf('\n', start);
    const name = nameAt(text, start, lineEnd < 0 ? text.length : lineEnd);
    if (name) return name;
  }
  const signed = fromSignature(text);
  const bare = fromBareSignOff(text);
  if (!signed || !bare) return signed ?? bare;
  return bare.start > signed.end ? bare : signed;
}

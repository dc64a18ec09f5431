/**
 * The customer's name, from a self-introduction («меня зовут Анна», "my name is Anna") or a
 * signature («С уважением,\nАнна Петрова», "Thanks,\nJohn"). Only capitalised words that look like
 * a person's name count; company names and role words are refused.
 */
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

/** The customer's name: a self-introduction wins over a signature; of several signatures, the last. */
export function extractCustomerName(text: string): Found | undefined {
  for (const match of text.matchAll(INTRODUCTION)) {
    const start = match.index + match[0].length;
    const lineEnd = text.indexOf('\n', start);
    const name = nameAt(text, start, lineEnd < 0 ? text.length : lineEnd);
    if (name) return name;
  }
  return fromSignature(text);
}

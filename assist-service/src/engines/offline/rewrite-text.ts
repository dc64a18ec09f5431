/**
 * Text surgery the rewrite rules share: whole-word phrase replacement that keeps the case of what
 * it replaces, sentences with their offsets, the facts a rewrite must never lose, and tidying up
 * the spaces and punctuation a removal leaves behind.
 */
import type { RewriteChange } from '../../contract/index.ts';
import { splitSentences } from '../../text/sentences.ts';

export type Change = RewriteChange;

export interface Step {
  text: string;
  changes: Change[];
}

/** Letters, digits and hyphens on both sides of a phrase are what make it a whole word («U-turn» is not «u»). */
const BEFORE = '(?<![\\p{L}\\p{N}_-])';
const AFTER = '(?![\\p{L}\\p{N}_-])';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** A phrase as a whole-word, case-insensitive pattern; spaces match any run of spaces, «е» matches «ё». */
export function phrasePattern(phrase: string): RegExp {
  const body = escapeRegExp(phrase)
    .replace(/\s+/gu, '\\s+')
    .replace(/'/gu, "['’]")
    .replace(/[её]/gu, '[её]')
    .replace(/[ЕЁ]/gu, '[ЕЁ]');
  return new RegExp(`${BEFORE}${body}${AFTER}`, 'giu');
}

function startsUpper(text: string): boolean {
  const first = text.match(/\p{L}/u)?.[0];
  return first !== undefined && first !== first.toLowerCase();
}

export function capitalise(text: string): string {
  return text.replace(/\p{L}/u, (letter) => letter.toUpperCase());
}

/** The replacement in the case of the original: «В данный момент» → «Сейчас», «ТЫ» stays a capital start only. */
export function keepCase(original: string, replacement: string): string {
  if (replacement === '') return '';
  return startsUpper(original) ? capitalise(replacement) : replacement;
}

/** Where a sentence starts: the text's start, a line break, or after . ! ? … and spaces. */
function atSentenceStart(text: string, index: number): boolean {
  const before = text.slice(0, index).replace(/[ \t«"“(]+$/u, '');
  return before === '' || /[.!?…\n]$/u.test(before);
}

export interface Replacement {
  /** Matched whole-word and case-insensitively (a string), or as given (a RegExp with the g flag). */
  find: string | RegExp;
  /** The new text ('' removes); the original's capital start is kept. */
  replace: string | ((match: string, groups: string[]) => string);
  rule: Change['rule'];
  /** A capitalised match inside a sentence is a name and stays («Ty Cobb», not «Thank you Cobb»). */
  keepNames?: boolean;
}

/** Written in capitals: two or more letters, none lower-case («OK», «ОК», «XP»): a label or a code. */
function inCapitals(match: string): boolean {
  const letters = match.match(/\p{L}/gu) ?? [];
  return (
    letters.length >= 2 &&
    letters.every((letter) => letter === letter.toUpperCase() && letter !== letter.toLowerCase())
  );
}

/** Inside «…», „…“, “…” or "…" on its line: someone's exact words (a button, a message) that stay as written. */
function quoted(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  const open: string[] = [];
  for (const character of text.slice(lineStart, index)) {
    const top = open.at(-1);
    if (character === '«' || character === '„') open.push(character);
    else if (character === '»' && top === '«') open.pop();
    else if (character === '“' && top === '„') open.pop();
    else if (character === '“') open.push(character);
    else if (character === '”' && top === '“') open.pop();
    else if (character === '"') {
      if (top === '"') open.pop();
      else open.push(character);
    }
  }
  return open.length > 0;
}

/** A match the rules leave alone: quoted, in capitals, or (for `keepNames`) a capitalised word inside a sentence. */
function untouchable(text: string, start: number, match: string, replacement: Replacement): boolean {
  if (quoted(text, start) || inCapitals(match)) return true;
  return replacement.keepNames === true && startsUpper(match) && !atSentenceStart(text, start);
}

/**
 * Applies replacements in order. A removal at a sentence's start capitalises what now starts it,
 * so «Собственно, заказ уже в пути» becomes «Заказ уже в пути».
 */
export function replaceAll(text: string, replacements: readonly Replacement[]): Step {
  const changes: Change[] = [];
  let current = text;
  for (const replacement of replacements) {
    const pattern = typeof replacement.find === 'string' ? phrasePattern(replacement.find) : replacement.find;
    let output = '';
    let last = 0;
    for (const match of current.matchAll(pattern)) {
      const whole = match[0];
      if (whole === '') continue;
      const start = match.index;
      if (untouchable(current, start, whole, replacement)) continue;
      const wanted =
        typeof replacement.replace === 'function'
          ? replacement.replace(
              whole,
              match.slice(1).map((group) => group ?? ''),
            )
          : replacement.replace;
      const next = wanted === '' ? '' : keepCase(whole, wanted);
      if (next === whole) continue;
      output += current.slice(last, start) + next;
      last = start + whole.length;
      const enclosed = next === '' && /,\s*$/u.test(output) && /^\s*,/u.test(current.slice(last));
      if (enclosed) {
        // «Заказ, в принципе, готов» → «Заказ готов»: the words went, and so do their commas.
        output = output.replace(/,\s*$/u, ' ');
        last += current.slice(last).match(/^\s*,/u)?.[0].length ?? 0;
      } else if (next === '' && atSentenceStart(current, start)) {
        // Take the comma and spaces the removed words leave («Собственно, заказ…»), then capitalise.
        const rest = current.slice(last).match(/^[\s,;:—–-]*/u)?.[0] ?? '';
        const newline = rest.includes('\n') ? '\n' : '';
        last += rest.length;
        const following = current.slice(last);
        const letter = following.match(/^\p{Ll}/u)?.[0];
        output += newline;
        if (letter) {
          output += letter.toUpperCase();
          last += letter.length;
        }
      }
      changes.push({ rule: replacement.rule, before: whole, after: next });
    }
    current = output + current.slice(last);
  }
  return { text: tidy(current), changes };
}

/** Spaces and punctuation a removal leaves behind: doubled spaces, « ,», «, .», leading commas. */
export function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/[ \t]{2,}/gu, ' ')
        .replace(/ +([,.!?;:…)»])/gu, '$1')
        .replace(/([(«]) +/gu, '$1')
        .replace(/,(\s*[,.!?;:])/gu, '$1')
        .replace(/^[ \t]*[,;:][ \t]*/u, '')
        .replace(/[ \t]+$/u, ''),
    )
    .join('\n')
    .trim();
}

export interface SentenceRange {
  start: number;
  end: number;
  text: string;
  /** Which line of the text it is on (sentences never cross a line break). */
  line: number;
}

/** Sentences with their offsets, line by line. */
export function sentenceRanges(text: string): SentenceRange[] {
  const ranges: SentenceRange[] = [];
  let lineStart = 0;
  text.split('\n').forEach((line, lineIndex) => {
    let cursor = 0;
    for (const sentence of splitSentences(line)) {
      const at = line.indexOf(sentence, cursor);
      if (at < 0) continue;
      ranges.push({
        start: lineStart + at,
        end: lineStart + at + sentence.length,
        text: sentence,
        line: lineIndex,
      });
      cursor = at + sentence.length;
    }
    lineStart += line.length + 1;
  });
  return ranges;
}

/**
 * The text without the given sentences. A line left empty goes with its line break, so removing
 * the middle line of «A\nB\nC» gives «A\nC», while blank lines the author put in stay.
 */
export function removeSentences(text: string, drop: ReadonlySet<SentenceRange>): string {
  if (drop.size === 0) return text;
  const lines = text.split('\n');
  const byLine = new Map<number, SentenceRange[]>();
  for (const range of drop) byLine.set(range.line, [...(byLine.get(range.line) ?? []), range]);
  let lineStart = 0;
  const kept: string[] = [];
  lines.forEach((line, index) => {
    const ranges = (byLine.get(index) ?? []).sort((a, b) => a.start - b.start);
    let result = line;
    for (const range of [...ranges].reverse()) {
      const from = range.start - lineStart;
      let to = range.end - lineStart;
      while (to < result.length && /[ \t]/u.test(result[to]!)) to++;
      result = result.slice(0, from) + result.slice(to);
    }
    lineStart += line.length + 1;
    if (ranges.length > 0 && result.trim() === '') return;
    kept.push(result.replace(/[ \t]+$/u, ''));
  });
  return kept.join('\n').trim();
}

// The facts a rewrite must carry over: numbers (order ids, sums, dates, times), links, e-mail
// addresses, template placeholders and the slot markers the engine leaves for the operator.
const FACTS =
  /https?:\/\/[^\s<>«»"]+|www\.[^\s<>«»"]+|[\w.+-]+@[\w-]+\.[\w.-]+|\{\{[^{}]*\}\}|\[[^\]\n]{1,80}\]|\p{N}+(?:[.,:/-]\p{N}+)*/gu;

export function facts(text: string): string[] {
  return [...text.matchAll(FACTS)].map((match) => match[0].replace(/[.,;:!?)]+$/u, ''));
}

/** Facts of `before` that `after` no longer has (each distinct fact must survive at least once). */
export function lostFacts(before: string, after: string): string[] {
  const kept = new Set(facts(after));
  return [...new Set(facts(before))].filter((fact) => !kept.has(fact));
}

/** A rule's step, kept only when it loses no fact; a losing step is dropped whole. */
export function guarded(before: string, step: Step): Step {
  if (step.changes.length === 0) return { text: before, changes: [] };
  return lostFacts(before, step.text).length === 0 ? step : { text: before, changes: [] };
}

/**
 * Steps run one after another on the text as the previous ones left it, each kept only when it
 * loses no fact; `result()` is the text and every kept change.
 */
export function guardedSteps(text: string) {
  let current = text;
  const changes: Change[] = [];
  return {
    apply(step: (current: string) => Step): void {
      const kept = guarded(current, step(current));
      current = kept.text;
      changes.push(...kept.changes);
    },
    result: (): Step => ({ text: current, changes }),
  };
}

/**
 * Dropping an optional slot nobody filled, with the words that only made sense around it. Removing
 * the placeholder alone leaves fragments («Ожидаемая дата доставки — {{date}}.» → «Ожидаемая дата
 * доставки.»), so the unit removed is, in this order:
 *
 * 1. brackets or quotes holding only the slot: «Кольцо ({{product}}) готово» → «Кольцо готово»;
 * 2. a prepositional phrase ending the clause, when the clause keeps at least two words:
 *    «гравировку на {{product}}: …» → «гравировку: …», «— до {{date}}, …» → «, …»;
 * 3. otherwise the whole clause (between commas, semicolons and sentence ends; a dash or colon
 *    right before the slot is part of it, as in «дата — {{date}}»), or the whole sentence:
 *    «{{customer_name}}, ваш заказ…» → «Ваш заказ…», «Здравствуйте, {{customer_name}}!» →
 *    «Здравствуйте!», «Ожидаемая дата доставки — {{date}}. Перед…» → «Перед…».
 *
 * A clause that introduces a list («{{product}} можно купить частями:» and lines after it) cannot go
 * without the list: such a slot is kept, and the caller marks it for the operator.
 */

export const SLOT_PLACEHOLDER = /\{\{[ \t]{0,5}([A-Za-z_][A-Za-z0-9_]{0,63})[ \t]{0,5}\}\}/gu;

const PREPOSITIONS: ReadonlySet<string> = new Set(
  `в во на до по к ко с со у о об обо от из за для про при через после около без
  on until by for in at to from with before after of`.split(/\s+/u),
);
/** Words whose full stop is not a sentence's end. */
const ABBREVIATIONS: ReadonlySet<string> = new Set(
  'no nr tel ул д г гг т тел руб р стр им см св пр etc e.g i.e vs mr mrs ms dr st'.split(' '),
);
const CLAUSE_DELIMITERS = ',;';
const SENTENCE_END = '.!?…';
const DASHES = '—–';
/** Prepositional phrases of at most this many words between the preposition and the slot. */
const MAX_PHRASE_WORDS = 2;
const WORD = /[\p{L}\p{N}]/u;

interface Boundary {
  /** Index of the delimiter in the line; -1 for the line's start, line.length for its end. */
  at: number;
  kind: 'start' | 'sentence' | 'clause' | 'colon' | 'bracket' | 'end';
}

function isSentenceEnd(line: string, index: number): boolean {
  const character = line[index]!;
  if (!SENTENCE_END.includes(character)) return false;
  const next = line[index + 1];
  if (next !== undefined && !/\s/u.test(next)) return false;
  if (character !== '.') return true;
  const word = /[\p{L}.]*$/u.exec(line.slice(Math.max(0, index - 8), index))?.[0] ?? '';
  return !ABBREVIATIONS.has(word.toLowerCase()) && !/^\p{Lu}$/u.test(word);
}

/** The clause's left edge: a comma or semicolon, a sentence's end, or a dash/colon with words after it. */
function leftBoundary(line: string, slotStart: number): Boundary {
  let depth = 0;
  let sawWord = false;
  for (let index = slotStart - 1; index >= 0; index--) {
    const character = line[index]!;
    if (character === ')') depth++;
    else if (character === '(') {
      if (depth === 0) return { at: index, kind: 'bracket' };
      depth--;
    } else if (depth > 0) continue;
    else if (CLAUSE_DELIMITERS.includes(character)) return { at: index, kind: 'clause' };
    else if (isSentenceEnd(line, index)) return { at: index, kind: 'sentence' };
    else if ((character === ':' || DASHES.includes(character)) && sawWord)
      return { at: index, kind: 'clause' };
    else if (WORD.test(character)) sawWord = true;
  }
  return { at: -1, kind: 'start' };
}

/** The clause's right edge: a comma, semicolon or colon, a sentence's end, or the line's end. */
function rightBoundary(line: string, slotEnd: number): Boundary {
  let depth = 0;
  for (let index = slotEnd; index < line.length; index++) {
    const character = line[index]!;
    if (character === '(') depth++;
    else if (character === ')') {
      if (depth === 0) return { at: index, kind: 'bracket' };
      depth--;
    } else if (depth > 0) continue;
    else if (CLAUSE_DELIMITERS.includes(character)) return { at: index, kind: 'clause' };
    else if (character === ':') return { at: index, kind: 'colon' };
    else if (isSentenceEnd(line, index)) return { at: index, kind: 'sentence' };
  }
  return { at: line.length, kind: 'end' };
}

function countWords(text: string): number {
  return text.split(/\s+/u).filter((word) => WORD.test(word) && !word.includes('{{')).length;
}

/** Brackets or quotes around nothing but the slot: their start and end. */
function enclosing(line: string, start: number, end: number): [number, number] | undefined {
  const before = /([(«"“])[ \t]*$/u.exec(line.slice(0, start));
  const after = /^[ \t]*([)»"”])/u.exec(line.slice(end));
  if (!before || !after) return undefined;
  const pairs: Record<string, string> = { '(': ')', '«': '»', '"': '"', '“': '”' };
  if (pairs[before[1]!] !== after[1]) return undefined;
  let from = start - before[0].length;
  while (from > 0 && /[ \t]/u.test(line[from - 1]!)) from--;
  return [from, end + after[0].length];
}

/** Where a prepositional phrase ending at the slot starts (with a dash before it), if there is one. */
function phraseStart(line: string, slotStart: number, slotEnd: number): number | undefined {
  if (!/^[ \t]*(?:$|[,;:.!?…)]|[—–][ \t])/u.test(line.slice(slotEnd))) return undefined;
  let position = slotStart;
  for (let words = 0; words <= MAX_PHRASE_WORDS; words++) {
    let end = position;
    while (end > 0 && /[ \t]/u.test(line[end - 1]!)) end--;
    if (end === position) return undefined;
    let start = end;
    while (start > 0 && /[\p{L}\p{N}№#.]/u.test(line[start - 1]!)) start--;
    if (start === end) return undefined;
    if (PREPOSITIONS.has(line.slice(start, end).toLowerCase())) {
      const dash = /[ \t]*[—–][ \t]*$/u.exec(line.slice(0, start));
      let from = dash ? start - dash[0].length : start;
      while (from > 0 && /[ \t]/u.test(line[from - 1]!)) from--;
      return from;
    }
    position = start;
  }
  return undefined;
}

function capitalizeAt(line: string, index: number): string {
  const character = line[index];
  if (character === undefined) return line;
  return line.slice(0, index) + character.toLocaleUpperCase() + line.slice(index + 1);
}

/** The line without the slot at [start, end) and what goes with it; undefined when it must stay. */
function dropOne(line: string, start: number, end: number): string | undefined {
  const brackets = enclosing(line, start, end);
  if (brackets) return line.slice(0, brackets[0]) + line.slice(brackets[1]);

  const left = leftBoundary(line, start);
  const right = rightBoundary(line, end);
  const phrase = phraseStart(line, start, end);
  if (phrase !== undefined && phrase > left.at) {
    const kept = countWords(line.slice(left.at + 1, phrase)) + countWords(line.slice(end, right.at));
    if (kept >= 2) return line.slice(0, phrase) + line.slice(end);
  }
  if (right.kind === 'colon' && line.slice(right.at + 1).trim() === '') return undefined;

  if (left.kind === 'bracket' && right.kind === 'bracket') {
    let from = left.at;
    while (from > 0 && /[ \t]/u.test(line[from - 1]!)) from--;
    return line.slice(0, from) + line.slice(right.at + 1);
  }
  if (left.kind === 'start' || left.kind === 'sentence') {
    let from = left.at + 1;
    while (from < start && /[ \t]/u.test(line[from]!)) from++;
    if (right.kind === 'end') return line.slice(0, from).trimEnd();
    let to = right.at + 1;
    while (to < line.length && /[ \t]/u.test(line[to]!)) to++;
    const rest = line.slice(0, from) + line.slice(to);
    // A whole sentence went: the next one starts where it started. A clause went: capitalise.
    return right.kind === 'sentence' ? rest.trimEnd() : capitalizeAt(rest, from);
  }
  return line.slice(0, left.at) + line.slice(right.kind === 'end' ? line.length : right.at);
}

/** Spaces and punctuation left behind: «слово ,» → «слово,», «,.» → «.», double spaces. */
function tidy(line: string): string {
  return line
    .replace(/(\S)[ \t]{2,}/gu, '$1 ')
    .replace(/[ \t]+([,.!?;:…])/gu, '$1')
    .replace(/([,;:])(?=[,.!?;:])/gu, '')
    .trimEnd();
}

/**
 * The template with every droppable slot removed as described above. Slots that cannot be dropped
 * cleanly stay as placeholders.
 */
export function dropOptionalSlots(text: string, droppable: (slot: string) => boolean): string {
  const lines = text.split('\n');
  const result: string[] = [];
  for (const original of lines) {
    let line = original;
    let changed = false;
    const kept = new Set<number>();
    for (let guard = 0; guard < 64; guard++) {
      const placeholder = new RegExp(SLOT_PLACEHOLDER.source, 'gu');
      let target: RegExpExecArray | undefined;
      for (const match of line.matchAll(placeholder)) {
        if (droppable(match[1]!) && !kept.has(match.index)) {
          target = match;
          break;
        }
      }
      if (!target) break;
      const dropped = dropOne(line, target.index, target.index + target[0].length);
      if (dropped === undefined) {
        kept.add(target.index);
        continue;
      }
      line = dropped;
      changed = true;
      kept.clear();
    }
    if (!changed) result.push(line);
    else if (line.trim() !== '') result.push(tidy(line));
    // A line that held nothing but dropped slots goes entirely.
  }
  return result.join('\n');
}

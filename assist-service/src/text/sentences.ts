/**
 * Sentences of cleaned message text. A full stop ends a sentence only before a space and a capital
 * letter, a digit or a quote, so «12.03.2026», «руб. за доставку» and «т. е.» stay whole.
 */

const TERMINATOR = /[.!?…]/u;
const OPENS_SENTENCE = /[\p{Lu}\p{N}«"“(]/u;
const MAX_SENTENCE = 1000;

export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  const push = (end: number) => {
    const sentence = text.slice(start, end).trim();
    if (sentence.length > 0)
      sentences.push(sentence.length > MAX_SENTENCE ? sentence.slice(0, MAX_SENTENCE) : sentence);
    start = end;
  };
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (character === '\n') {
      push(index + 1);
      continue;
    }
    if (!TERMINATOR.test(character)) continue;
    let end = index + 1;
    while (end < text.length && /[.!?…)»"”]/u.test(text[end]!)) end++;
    const next = text[end];
    if (next !== undefined && !/\s/u.test(next)) {
      index = end - 1;
      continue;
    }
    let following = end;
    while (following < text.length && /[ \t]/u.test(text[following]!)) following++;
    const nextLetter = text[following];
    const isFullStop = character === '.' && !/[!?…]/u.test(text.slice(index, end));
    if (nextLetter === undefined || nextLetter === '\n' || !isFullStop || OPENS_SENTENCE.test(nextLetter)) {
      push(end);
    }
    index = end - 1;
  }
  push(text.length);
  return sentences;
}

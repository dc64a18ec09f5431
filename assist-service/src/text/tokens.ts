import { stem } from './analyze.ts';

/** A word of the original text with its offsets, its normalised form and its stem. */
export interface WordToken {
  /** The word as written. */
  text: string;
  /** Lower case, ё→е. */
  norm: string;
  stem: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower case and ё→е: how every comparison in text/ and rules/ sees a word. */
export function normalizeWord(word: string): string {
  return word.toLowerCase().replaceAll('ё', 'е');
}

/** Words with UTF-16 offsets into `text` (offsets are taken before normalising, so they stay exact). */
export function wordTokens(text: string): WordToken[] {
  const tokens: WordToken[] = [];
  for (const match of text.matchAll(WORD)) {
    const norm = normalizeWord(match[0]);
    tokens.push({
      text: match[0],
      norm,
      stem: stem(norm),
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  return tokens;
}

/** The stems of a phrase, in order. */
export function phraseStems(phrase: string): string[] {
  return [...phrase.matchAll(WORD)].map((match) => stem(normalizeWord(match[0])));
}

/**
 * Whether two stems are forms of one word. Snowball leaves some verb forms longer than others
 * («вернем» → «верн», «вернуть» → «вернут»), so a stem that starts the other counts when it is long
 * enough not to be a coincidence and differs by a suffix, not a whole word part.
 */
export function stemsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (!longer.startsWith(shorter)) return false;
  if (shorter.length >= 4) return longer.length - shorter.length <= 3;
  return shorter.length === 3 && longer.length - shorter.length <= 2 && /\p{L}/u.test(shorter);
}

export interface PhraseMatch {
  start: number;
  end: number;
  /** Index of the first and one past the last token of the match. */
  firstToken: number;
  lastToken: number;
}

/**
 * Whether a token is a form of a phrase's word: their stems match, and where the shorter stem has
 * only three letters, the words as written also agree on the letter after it. Three letters are
 * too few to tell words apart: «обман» and «обменять» both stem to «обм…», but only «обмана»,
 * «обманули» go on «обма».
 */
function wordMatches(token: WordToken, word: WordToken): boolean {
  if (!stemsMatch(token.stem, word.stem)) return false;
  const shorter = Math.min(token.stem.length, word.stem.length);
  if (shorter >= 4) return true;
  // A three-letter word as written is that word, not the start of a longer one: «пор» of «до сих
  // пор» is no form of «порвалась».
  if (token.norm.length <= shorter || word.norm.length <= shorter) return token.stem === word.stem;
  return token.norm.slice(0, shorter + 1) === word.norm.slice(0, shorter + 1);
}

/**
 * Where a phrase as written (a banned phrase, a routing keyword) occurs among the tokens, matching
 * word by word (`wordMatches`) and allowing up to `maxGap` extra words between consecutive phrase
 * words («вернём вам деньги» for «вернём деньги»).
 */
export function findPhrase(tokens: readonly WordToken[], phrase: string, maxGap = 1): PhraseMatch[] {
  const matches: PhraseMatch[] = [];
  const words = wordTokens(phrase);
  const first = words[0];
  if (first === undefined) return matches;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (!wordMatches(token, first)) continue;
    let position = index;
    let matched = true;
    for (let word = 1; word < words.length && matched; word++) {
      matched = false;
      const limit = Math.min(tokens.length - 1, position + 1 + maxGap);
      for (let next = position + 1; next <= limit; next++) {
        if (wordMatches(tokens[next]!, words[word]!)) {
          position = next;
          matched = true;
          break;
        }
      }
    }
    if (!matched) continue;
    matches.push({
      start: token.start,
      end: tokens[position]!.end,
      firstToken: index,
      lastToken: position + 1,
    });
    index = position;
  }
  return matches;
}

/// <reference path="./snowball-stemmers.d.ts" />
import snowball from 'snowball-stemmers';
import { ENGLISH_STOPWORDS, RUSSIAN_STOPWORDS } from './stopwords.ts';

const russianStemmer = snowball.newStemmer('russian');
const englishStemmer = snowball.newStemmer('english');

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/gu;
const TOKEN = /[\p{L}\p{N}]+/gu;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;
const TRAILING_VOWELS = /[аеиоуыэюяйь]+$/u;

/** Lower case, NFC, ё→е, no zero-width characters: what both the index and the query see. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(ZERO_WIDTH, '').toLowerCase().replaceAll('ё', 'е');
}

/** Word tokens of normalised text (letters and digits; punctuation and emoji dropped). */
export function tokenize(text: string): string[] {
  return normalizeText(text).match(TOKEN) ?? [];
}

const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 200_000;

/**
 * Snowball stem by the token's script, then, for Russian, drop trailing vowels that Snowball
 * keeps on verb stems, so that «заказать» (→ «заказа») meets «заказы» (→ «заказ»).
 */
export function stem(token: string): string {
  const cached = stemCache.get(token);
  if (cached !== undefined) return cached;
  let result = token;
  if (CYRILLIC.test(token)) {
    result = russianStemmer.stem(token);
    if (result.length > 3) {
      const trimmed = result.replace(TRAILING_VOWELS, '');
      if (trimmed.length >= 3) result = trimmed;
    }
  } else if (LATIN.test(token)) {
    result = englishStemmer.stem(token);
  }
  if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
  stemCache.set(token, result);
  return result;
}

export function isStopword(token: string): boolean {
  return RUSSIAN_STOPWORDS.has(token) || ENGLISH_STOPWORDS.has(token);
}

/** Stems of the content words of a text, in order, repeats kept (term frequency matters). */
export function analyze(text: string): string[] {
  const stems: string[] = [];
  for (const token of tokenize(text)) {
    if (isStopword(token)) continue;
    stems.push(stem(token));
  }
  return stems;
}

/**
 * The language of a text by its letters: 'ru' when Cyrillic dominates, 'en' when Latin does,
 * 'und' when there are too few letters to tell.
 */
export function detectLanguage(text: string): 'ru' | 'en' | 'und' {
  let cyrillic = 0;
  let latin = 0;
  for (const character of text.slice(0, 4000)) {
    if (CYRILLIC.test(character)) cyrillic++;
    else if (LATIN.test(character)) latin++;
  }
  if (cyrillic + latin < 3) return 'und';
  return cyrillic >= latin ? 'ru' : 'en';
}

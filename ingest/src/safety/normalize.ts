/**
 * What the rules see of a text: the same words however they are disguised. Written from the dev
 * half of the Russian injection set (evals/src/data/fixtures/injection-ru.jsonl), whose attacks
 * hide Russian words behind Latin lookalike letters, zero-width characters and transliteration.
 */

/** Latin letters that look like Cyrillic ones («игнoрируй» with a Latin o). */
const LOOKALIKES: Readonly<Record<string, string>> = {
  a: 'а',
  c: 'с',
  e: 'е',
  o: 'о',
  p: 'р',
  x: 'х',
  y: 'у',
  k: 'к',
  m: 'м',
  t: 'т',
  h: 'н',
  b: 'в',
  A: 'А',
  C: 'С',
  E: 'Е',
  O: 'О',
  P: 'Р',
  X: 'Х',
  Y: 'У',
  K: 'К',
  M: 'М',
  T: 'Т',
  H: 'Н',
  B: 'В',
};

/** Invisible characters that split or hide words: each becomes a space. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/gu;

/**
 * ё→е, invisible characters → spaces, and in a word that has Cyrillic letters, Latin lookalikes →
 * Cyrillic. Every replacement is one UTF-16 unit for one, so offsets into the result hold for the
 * original.
 */
export function foldForMatching(text: string): string {
  return text
    .replaceAll('ё', 'е')
    .replaceAll('Ё', 'Е')
    .replace(INVISIBLE, ' ')
    .replace(/[\p{L}]+/gu, (word) =>
      /\p{Script=Cyrillic}/u.test(word) && /[a-z]/iu.test(word)
        ? word.replace(/[a-zA-Z]/gu, (letter) => LOOKALIKES[letter] ?? letter)
        : word,
    );
}

/** Longest first: Russian written in Latin letters the way people type it («ignoriruy», «instruktsii»). */
const TRANSLIT: ReadonlyArray<readonly [string, string]> = [
  ['shch', 'щ'],
  ['sch', 'щ'],
  ['tch', 'тч'],
  ['zh', 'ж'],
  ['kh', 'х'],
  ['ts', 'ц'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['yu', 'ю'],
  ['ya', 'я'],
  ['yo', 'е'],
  ['ju', 'ю'],
  ['ja', 'я'],
  ['a', 'а'],
  ['b', 'б'],
  ['v', 'в'],
  ['g', 'г'],
  ['d', 'д'],
  ['e', 'е'],
  ['z', 'з'],
  ['i', 'и'],
  ['j', 'й'],
  ['k', 'к'],
  ['l', 'л'],
  ['m', 'м'],
  ['n', 'н'],
  ['o', 'о'],
  ['p', 'п'],
  ['r', 'р'],
  ['s', 'с'],
  ['t', 'т'],
  ['u', 'у'],
  ['f', 'ф'],
  ['h', 'х'],
  ['c', 'ц'],
  ['w', 'в'],
  ['x', 'кс'],
  ["'", 'ь'],
];
const VOWELS = new Set(['а', 'е', 'и', 'о', 'у', 'ы', 'я', 'ю']);

/** Latin words the Russian rules already spell in Latin: left as they are. */
const KEEP_LATIN = new Set([
  'cvv',
  'cvv2',
  'cvc',
  'cvc2',
  'sms',
  'pin',
  'gpt',
  'dan',
  'www',
  'http',
  'https',
]);

/** A Latin word's letters in Cyrillic, by the common transliteration; `y` is «й» after a vowel, else «ы». */
function transliterateWord(word: string): string {
  let out = '';
  let index = 0;
  const lower = word.toLowerCase();
  while (index < lower.length) {
    if (lower[index] === 'y' && !['a', 'u', 'o'].includes(lower[index + 1] ?? '')) {
      out += VOWELS.has(out.at(-1) ?? '') || out.at(-1) === 'ы' ? 'й' : 'ы';
      index += 1;
      continue;
    }
    const pair = TRANSLIT.find(([latin]) => lower.startsWith(latin, index));
    if (pair) {
      out += pair[1];
      index += pair[0].length;
    } else {
      out += lower[index];
      index += 1;
    }
  }
  return out;
}

export interface Transliterated {
  text: string;
  /** For each UTF-16 unit of `text`, the offset in the original it came from. */
  source: number[];
}

/**
 * The text with its Latin words (outside links) read as transliterated Russian, or undefined when
 * it has none worth reading: the rules run over it too, and a finding maps back by `source`.
 */
export function transliterated(text: string): Transliterated | undefined {
  if (!/[a-z]{3}/iu.test(text)) return undefined;
  let out = '';
  const source: number[] = [];
  let changed = false;
  const pattern = /https?:\/\/\S+|www\.\S+|\S+@\S+|[a-z']+/giu;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const start = match.index;
    for (let index = last; index < start; index++) {
      out += text[index];
      source.push(index);
    }
    const word = match[0];
    const keep =
      /^(?:https?:|www\.)/iu.test(word) || word.includes('@') || KEEP_LATIN.has(word.toLowerCase());
    const replaced = keep ? word : transliterateWord(word);
    if (replaced !== word) changed = true;
    for (let index = 0; index < replaced.length; index++) {
      out += replaced[index];
      // Proportional: close enough to underline the word the finding is in.
      source.push(start + Math.min(word.length - 1, Math.floor((index * word.length) / replaced.length)));
    }
    last = start + word.length;
  }
  for (let index = last; index < text.length; index++) {
    out += text[index];
    source.push(index);
  }
  return changed ? { text: out, source } : undefined;
}

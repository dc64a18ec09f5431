import { withinOneEdit } from './typo-correction.ts';

/**
 * Brand and product names written in the other alphabet: customers write «ютуб», «андроид»,
 * «самсунг», «шортс» where the knowledge base says YouTube, Android, Samsung, Shorts (and the
 * reverse: "wildberries" for a base that says «Вайлдберриз»). Neither stemming nor one-edit typo
 * correction meets them. Both sides are spelled in one Latin sound alphabet — Cyrillic
 * transliterated, the spellings English and Russian use for one sound folded together, doubled
 * letters collapsed — and a query stem the collection never uses is read as the collection's stems
 * of the other alphabet spelled the same, or one edit apart when both are four letters or longer
 * («шортс» → "short"; «комнат» is not "comment"). Stems are looked up by their consonants (vowels
 * dropped, a leading one kept as a mark) and then checked letter by letter.
 */
export interface Transliterator {
  /** The collection's stems in the other alphabet that sound like `stem`. */
  equivalents(stem: string): string[];
}

/** Skeletons this short (two letters: «ок», «тв») match too many unrelated words. */
export const MIN_SKELETON_LENGTH = 3;

const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'h',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sh',
  ъ: '',
  ы: 'i',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
};

/** English spellings of one sound, as a Russian speaker writes it (order matters). */
const LATIN_FOLDS: ReadonlyArray<[RegExp, string]> = [
  [/ph/gu, 'f'],
  [/th/gu, 't'],
  [/ck/gu, 'k'],
  [/qu/gu, 'kv'],
  [/q/gu, 'k'],
  [/x/gu, 'ks'],
  [/w/gu, 'v'],
  [/c(?=[eiy])/gu, 's'],
  [/c(?!h)/gu, 'k'],
  [/j/gu, 'dzh'],
  [/y/gu, 'i'],
  [/ee|ea/gu, 'i'],
  [/oo|ou/gu, 'u'],
];

const CYRILLIC = /^[а-яё]+$/u;
const LATIN = /^[a-z]+$/u;
const VOWELS = /[aeiou]/gu;

/** A lower-case stem in the one sound alphabet, doubled letters collapsed; '' for other scripts. */
export function soundSpelling(stem: string): string {
  let latin: string;
  if (CYRILLIC.test(stem)) {
    latin = [...stem.replaceAll('ё', 'е')].map((letter) => CYRILLIC_TO_LATIN[letter] ?? '').join('');
  } else if (LATIN.test(stem)) {
    latin = LATIN_FOLDS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), stem);
  } else {
    return '';
  }
  return latin.replace(/(.)\1+/gu, '$1');
}

/** The consonants of a sound spelling, a leading vowel kept as a mark: the lookup key. */
export function soundSkeleton(spelling: string): string {
  const mark = /^[aeiou]/u.test(spelling) ? 'V' : '';
  return mark + spelling.replace(VOWELS, '');
}

/** Spelled the same, or one edit apart when both are four letters or longer. */
function soundsAlike(left: string, right: string): boolean {
  if (left === right) return true;
  return Math.min(left.length, right.length) >= 4 && withinOneEdit(left, right);
}

function scriptOf(stem: string): 'cyrillic' | 'latin' | undefined {
  if (CYRILLIC.test(stem)) return 'cyrillic';
  if (LATIN.test(stem)) return 'latin';
  return undefined;
}

export function createTransliterator(stems: Iterable<string>): Transliterator {
  type Entry = { stem: string; spelling: string };
  const bySkeleton = new Map<string, { cyrillic: Entry[]; latin: Entry[] }>();
  for (const stem of new Set(stems)) {
    const script = scriptOf(stem);
    if (!script) continue;
    const spelling = soundSpelling(stem);
    const skeleton = soundSkeleton(spelling);
    if (skeleton.length < MIN_SKELETON_LENGTH) continue;
    let entry = bySkeleton.get(skeleton);
    if (!entry) {
      entry = { cyrillic: [], latin: [] };
      bySkeleton.set(skeleton, entry);
    }
    entry[script].push({ stem, spelling });
  }
  return {
    equivalents(stem) {
      const script = scriptOf(stem);
      if (!script) return [];
      const spelling = soundSpelling(stem);
      const skeleton = soundSkeleton(spelling);
      if (skeleton.length < MIN_SKELETON_LENGTH) return [];
      const other = script === 'cyrillic' ? 'latin' : 'cyrillic';
      // «шортс» keeps the plural's s that the English stemmer takes from "shorts" (→ "short").
      const keys =
        script === 'cyrillic' && skeleton.length > MIN_SKELETON_LENGTH && skeleton.endsWith('s')
          ? [skeleton, skeleton.slice(0, -1)]
          : [skeleton];
      const found = keys
        .flatMap((key) => bySkeleton.get(key)?.[other] ?? [])
        .filter((entry) => soundsAlike(spelling, entry.spelling))
        .map((entry) => entry.stem);
      return [...new Set(found)].sort();
    },
  };
}

/// <reference path="./vendor/az.d.ts" />
/**
 * Russian slot values in the form the template's grammar needs: «с изделием {{product}}» →
 * «с кольцом» (a common noun takes the generic noun's place), «о товаре {{product}}» → «о серьгах», «{{count}} {{product}}» →
 * «2 кольца». Morphology is Az.js over the OpenCorpora dictionary, chosen by measurement
 * (docs/decisions/0003-russian-morphology.md). A word the dictionary does not know is left as
 * given: a wrong guess in a reply is worse than a nominative.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Az from 'az';

export const GRAMMATICAL_CASES = ['nomn', 'gent', 'datv', 'accs', 'ablt', 'loct'] as const;
export type GrammaticalCase = (typeof GRAMMATICAL_CASES)[number];

/** What a template may write in a slot's `case` (FORMATS.md): the tag, or the case's Russian name. */
const CASE_NAMES: Readonly<Record<string, GrammaticalCase>> = {
  nomn: 'nomn',
  gent: 'gent',
  datv: 'datv',
  accs: 'accs',
  ablt: 'ablt',
  loct: 'loct',
  именительный: 'nomn',
  родительный: 'gent',
  дательный: 'datv',
  винительный: 'accs',
  творительный: 'ablt',
  предложный: 'loct',
};

export function parseCaseName(name: string): GrammaticalCase | undefined {
  return CASE_NAMES[name.trim().toLowerCase()];
}

/** Prepositions that govern one case only («на», «в», «за» take two and are left to the template). */
const PREPOSITION_CASE: Readonly<Record<string, GrammaticalCase>> = {
  с: 'ablt',
  со: 'ablt',
  перед: 'ablt',
  над: 'ablt',
  между: 'ablt',
  о: 'loct',
  об: 'loct',
  обо: 'loct',
  при: 'loct',
  к: 'datv',
  ко: 'datv',
  по: 'datv',
  благодаря: 'datv',
  для: 'gent',
  без: 'gent',
  у: 'gent',
  от: 'gent',
  до: 'gent',
  из: 'gent',
  после: 'gent',
  около: 'gent',
  кроме: 'gent',
  вместо: 'gent',
  'из-за': 'gent',
};

const dictionaryDir = () =>
  path.join(path.dirname(createRequire(import.meta.url).resolve('az')), '..', 'dicts');

let loaded = false;

/**
 * Loads the dictionary once per process, synchronously (about 0.3–0.6 s, 12 MB): rendering stays a
 * pure function and the first reply is rendered exactly like every later one.
 */
function ensureLoaded(): void {
  if (loaded) return;
  const pending: Array<() => void> = [];
  const originalLoad = Az.load;
  // Az reads its files through `Az.load` with callbacks; read them synchronously instead and run
  // the callbacks after `init` has counted every file it waits for.
  Az.load = (file, responseType, callback) => {
    let value: unknown;
    if (responseType === 'json') value = JSON.parse(readFileSync(file, 'utf8'));
    else {
      const bytes = readFileSync(file);
      value = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    }
    pending.push(() => callback(null, value));
  };
  let failure: unknown;
  try {
    Az.Morph.init(dictionaryDir(), (error) => {
      if (error) failure = error;
    });
    while (pending.length > 0) pending.shift()?.();
  } finally {
    Az.load = originalLoad;
  }
  if (failure) throw failure;
  loaded = true;
}

/** Parses by word; a conversation's words repeat across requests. Cleared whole when full. */
const parseCache = new Map<string, Az.Parse[]>();
const PARSE_CACHE_LIMIT = 50_000;
/** No stutter («приииивет») or typo guessing: a guess is not knowledge (and costs twice the time). */
const MORPH_OPTIONS = { stutter: 0, typos: 0 };

function dictionaryParses(word: string): Az.Parse[] {
  const cached = parseCache.get(word);
  if (cached) return cached;
  ensureLoaded();
  const parses = Az.Morph(word, MORPH_OPTIONS).filter((parse) => parse.parser === 'Dictionary');
  if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
  parseCache.set(word, parses);
  return parses;
}

/**
 * The dictionary form of a word («почернели» → «почернеть»), ё folded to е; undefined for a word
 * the dictionary does not know.
 */
export function lemmaOf(word: string): string | undefined {
  if (!/^\p{Script=Cyrillic}+(?:-\p{Script=Cyrillic}+)*$/u.test(word)) return undefined;
  const parse = dictionaryParses(word.toLowerCase())[0];
  return parse ? parse.normalize().word.replace(/ё/gu, 'е') : undefined;
}

/**
 * Whether the dictionary reads the word as an infinitive or an imperative («вернуть», «верните»,
 * «сдайте»): a request, not a statement or a question about the future («вернёте?», «сдадите»).
 * Undefined for a word it does not know.
 */
export function isInfinitiveOrImperative(word: string): boolean | undefined {
  if (!/^\p{Script=Cyrillic}+$/u.test(word)) return undefined;
  const parses = dictionaryParses(word.toLowerCase());
  if (parses.length === 0) return undefined;
  return parses.some((parse) => Boolean(parse.tag.INFN) || Boolean(parse.tag.impr));
}

/**
 * Whether the dictionary reads the word as a verb in the past tense («заказывала», «пришли»):
 * something that happened, not a question about how it works. False for a word it does not know.
 */
export function isPastTense(word: string): boolean {
  if (!/^\p{Script=Cyrillic}+$/u.test(word)) return false;
  return dictionaryParses(word.toLowerCase()).some((parse) => Boolean(parse.tag.past));
}

/**
 * Whether the dictionary reads the word as a verb in the present tense («привозите»,
 * «присылаете», «приходит»): what keeps happening, not a request («присылайте») or a plan.
 */
export function isPresentTense(word: string): boolean {
  if (!/^\p{Script=Cyrillic}+$/u.test(word)) return false;
  return dictionaryParses(word.toLowerCase()).some((parse) => Boolean(parse.tag.VERB && parse.tag.pres));
}

/** The parse of a word as a value is given: nominative first (a card says «серьги», not «серёг»). */
function baseParse(word: string): Az.Parse | undefined {
  const parses = dictionaryParses(word);
  return (
    parses.find((parse) => parse.tag.NOUN && parse.tag.nomn) ??
    parses.find((parse) => parse.tag.ADJF && parse.tag.nomn) ??
    parses[0]
  );
}

/** The original's capitals on the form, part by part («Санкт-Петербург» → «Санкт-Петербурга»). */
function keepCapital(original: string, form: string): string {
  const capital = (part: string) => part.charAt(0) !== part.charAt(0).toLowerCase();
  const originalParts = original.split('-');
  const formParts = form.split('-');
  if (originalParts.length !== formParts.length) {
    return capital(original) ? form.charAt(0).toUpperCase() + form.slice(1) : form;
  }
  return formParts
    .map((part, index) =>
      capital(originalParts[index] ?? '') ? part.charAt(0).toUpperCase() + part.slice(1) : part,
    )
    .join('-');
}

const CYRILLIC_WORD = /^\p{Script=Cyrillic}+(?:-\p{Script=Cyrillic}+)*$/u;

/**
 * A value («серебряное кольцо», «Нижний Новгород», «Анна») in the given case. Words up to the
 * first preposition are the phrase's head and agree with its noun; the rest («с фианитом») stays.
 * Returns the value unchanged when any head word is unknown to the dictionary.
 */
export function inflectPhrase(value: string, grammaticalCase: GrammaticalCase): string {
  if (grammaticalCase === 'nomn') return value;
  const words = value.trim().split(/\s+/u);
  if (words.length === 0 || words.length > 5 || !words.every((word) => CYRILLIC_WORD.test(word)))
    return value;
  const headEnd = words.findIndex((word, index) => {
    const parses = dictionaryParses(word);
    return index > 0 && (parses[0]?.tag.PREP || !parses.some((parse) => parse.tag.nomn));
  });
  const head = headEnd === -1 ? words : words.slice(0, headEnd);
  const noun = head
    .map((word) => baseParse(word) ?? baseParse(word.split('-')[0] ?? word))
    .find((parse) => parse?.tag.NOUN);
  if (!noun) return value;
  const number = noun.tag.plur || noun.tag.Pltm ? 'plur' : 'sing';
  const gender = (['masc', 'femn', 'neut'] as const).find((name) => noun.tag[name]);
  const inflectWord = (word: string): string | undefined => {
    const parse = baseParse(word);
    if (!parse) return undefined;
    if (parse.tag.Fixd) return word;
    const wanted: string[] = [grammaticalCase, number];
    if (gender && number === 'sing' && parse.tag.ADJF) wanted.push(gender);
    const form = parse.inflect(wanted) || parse.inflect([grammaticalCase]);
    return form ? keepCapital(word, form.word) : undefined;
  };
  const result: string[] = [];
  for (const [index, word] of words.entries()) {
    if (index >= head.length) {
      result.push(word);
      continue;
    }
    const whole = inflectWord(word);
    if (whole !== undefined) {
      result.push(whole);
      continue;
    }
    // A compound the dictionary lacks: «Ростов-на-Дону» declines its first part, others their last.
    const parts = word.split('-');
    const target = parts[1] === 'на' ? 0 : parts.length - 1;
    const inflected = inflectWord(parts[target] ?? word);
    if (inflected === undefined) return value;
    parts[target] = inflected;
    result.push(parts.join('-'));
  }
  return result.join(' ');
}

/** CLDR's Russian plural category of a whole number. */
function pluralCategory(count: number): 'one' | 'few' | 'many' {
  const units = count % 10;
  const tens = count % 100;
  if (units === 1 && tens !== 11) return 'one';
  if (units >= 2 && units <= 4 && (tens < 12 || tens > 14)) return 'few';
  return 'many';
}

/** A noun agreeing with a count: (2, «кольцо») → «кольца», (5, «кольцо») → «колец». */
export function agreeWithCount(count: number, noun: string): string {
  if (!Number.isInteger(count) || count < 0 || !CYRILLIC_WORD.test(noun)) return noun;
  const category = pluralCategory(count);
  if (category === 'one') return noun;
  const parse = baseParse(noun);
  if (!parse?.tag.NOUN) return noun;
  const form = parse.inflect(category === 'few' ? ['sing', 'gent'] : ['plur', 'gent']);
  return form ? keepCapital(noun, form.word) : noun;
}

/**
 * The case a slot takes from the words just before it: a preposition that governs one case
 * («с {{product}}», «для {{customer_name}}»), or a noun in apposition that is unambiguously in an
 * oblique case («с изделием {{product}}», «о товаре {{product}}»). Undefined when the context
 * does not decide (sentence start, «на {{product}}»): the value goes in as given.
 */
export function caseFromContext(before: string): GrammaticalCase | undefined {
  return slotContext(before)?.grammaticalCase;
}

/**
 * The generic noun a slot stands in apposition to («с изделием {{product}}» → «изделием»), as
 * written: a common-noun value takes its place (`isCommonNoun`).
 */
export function appositionHead(before: string): string | undefined {
  return slotContext(before)?.head;
}

function slotContext(before: string): { grammaticalCase: GrammaticalCase; head?: string } | undefined {
  const words = before
    .toLowerCase()
    .replace(/ё/gu, 'е')
    .split(/[^\p{L}-]+/u)
    .filter(Boolean);
  // Punctuation right before the slot («…вернуть: {{product}}», «Здравствуйте, {{name}}!») ends the context.
  if (!/\p{L}\s*$/u.test(before)) return undefined;
  const last = words.at(-1);
  if (!last) return undefined;
  const preposition = PREPOSITION_CASE[last];
  if (preposition) return { grammaticalCase: preposition };
  const parses = dictionaryParses(last).filter((parse) => parse.tag.NOUN);
  if (parses.length === 0) return undefined;
  const cases = new Set(
    parses.map((parse) => GRAMMATICAL_CASES.find((name) => parse.tag[name])).filter(Boolean),
  );
  const [only] = cases;
  if (cases.size !== 1 || only === undefined || only === 'nomn' || only === 'accs') return undefined;
  // The apposition counts only after a preposition governing it («с изделием»), not after a verb.
  const previous = words.at(-2);
  if (!previous || PREPOSITION_CASE[previous] !== only) return undefined;
  const head = /(\p{L}[\p{L}-]*)\s*$/u.exec(before)?.[1];
  return head ? { grammaticalCase: only, head } : { grammaticalCase: only };
}

/** Grammemes of proper names: a person, a place, an organisation, a trademark. */
const PROPER_NAME_GRAMMEMES = ['Name', 'Surn', 'Patr', 'Geox', 'Orgn', 'Trad'] as const;

/**
 * Whether a value is a common noun phrase the dictionary knows («серьги», «серебряное кольцо»).
 * Such a value names the thing itself, so it replaces a generic noun in apposition: «с изделием
 * серьгами» agrees in case but not in number and reads as a form, «с серьгами» is what a person
 * writes. A name stays in apposition («для клиента Анны»).
 */
export function isCommonNoun(value: string): boolean {
  const words = value.trim().split(/\s+/u);
  if (words.length === 0 || words.length > 5 || !words.every((word) => CYRILLIC_WORD.test(word)))
    return false;
  const noun = words.map((word) => baseParse(word.toLowerCase())).find((parse) => parse?.tag.NOUN);
  return noun !== undefined && !PROPER_NAME_GRAMMEMES.some((grammeme) => noun.tag[grammeme]);
}

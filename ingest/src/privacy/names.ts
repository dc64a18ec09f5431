import { ENGLISH_STOPWORDS, RUSSIAN_STOPWORDS } from '../text/stopwords.ts';
import type { Candidate } from './candidate.ts';

/**
 * Names are masked where the text says a name follows («меня зовут …», «ФИО: …», «получатель …»,
 * «my name is …») and where three capitalised words form a Russian full name with a patronymic.
 * A capitalised word after a cue is not a name when it is a pronoun, a greeting or an organisation.
 */

const CUE =
  /(?<![\p{L}\p{N}])(?:меня зовут|зовут меня|мо[её] имя|мо[её] фамилия|ф\.?\s?и\.?\s?о\.?|фамилия,? имя(?:,? отчество)?|получател[ьяюем]|отправител[ьяюем]|на имя|владел(?:ец|ьца|ьцем) карты|держател[ьяем] карты|плательщик|с уважением,?|my name is|my name's|full name|name(?=\s*:))(?![\p{L}\p{N}])\s*(?:[:\-–—]|is)?\s*/giu;

const NAME_WORD = '\\p{Lu}\\p{Ll}+(?:-\\p{Lu}\\p{Ll}+)?';
const INITIALS = '\\p{Lu}\\.\\s?(?:\\p{Lu}\\.)?';
const NAME_AFTER_CUE = new RegExp(
  `^(?:${NAME_WORD}|${INITIALS})(?:\\s(?:${NAME_WORD}|${INITIALS})){0,2}`,
  'u',
);

/** Cues after which a name may come in lower case («меня зовут анна», «ФИО: иванов иван»). */
const STRONG_CUE = /зовут|мо[её] имя|ф\.?\s?и\.?\s?о|фамилия|name/iu;
const LOWER_CASE_NAME = /^\p{Ll}{2,}(?:-\p{Ll}+)?(?:\s\p{Ll}{2,}(?:-\p{Ll}+)?){0,2}(?=$|[\s,.!?;:)])/u;

const NOT_NAMES = new Set(
  [
    'я',
    'вы',
    'мы',
    'он',
    'она',
    'они',
    'ваш',
    'ваша',
    'наш',
    'наша',
    'здравствуйте',
    'добрый',
    'доброе',
    'спасибо',
    'привет',
    'уважаемый',
    'уважаемая',
    'команда',
    'служба',
    'поддержка',
    'отдел',
    'компания',
    'магазин',
    'банк',
    'ооо',
    'ип',
    'ао',
    'пао',
    'зао',
    'не',
    'нет',
    'да',
    'тот',
    'этот',
    'support',
    'team',
    'customer',
    'service',
    'the',
    'this',
    'not',
    'and',
    'i',
    'как',
    'так',
    'никак',
    'просто',
    'тоже',
    'иначе',
    'помню',
    'знаю',
    'sure',
    'not',
  ].map((word) => word.toLowerCase()),
);

function isFunctionWord(word: string): boolean {
  // An initial («И.», «А.С.») is part of a name even when the letter alone is a word («и», «с»).
  if (/^(?:\p{Lu}\.)+$/u.test(word)) return false;
  const lower = word.replace(/\.$/u, '').toLowerCase();
  return NOT_NAMES.has(lower) || RUSSIAN_STOPWORDS.has(lower) || ENGLISH_STOPWORDS.has(lower);
}

const FULL_NAME_WITH_PATRONYMIC = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${NAME_WORD}\\s){1,2}\\p{Lu}\\p{Ll}+(?:ович|евич|ич|овна|евна|ична|инична)(?:\\s${NAME_WORD})?(?![\\p{L}\\p{N}])`,
  'gu',
);
const SURNAME_WITH_INITIALS =
  /(?<![\p{L}\p{N}])\p{Lu}\p{Ll}+(?:ов|ев|ёв|ин|ын|ский|цкий|ова|ева|ёва|ина|ына|ская|цкая)\s\p{Lu}\.\s?\p{Lu}\.(?![\p{L}])/gu;

function nameKey(value: string): string {
  return value.toLowerCase().replace(/ё/gu, 'е').replace(/\s+/gu, ' ').trim();
}

function trimName(value: string): string {
  const words = value.split(/\s+/u);
  while (words.length && NOT_NAMES.has(words.at(-1)!.replace(/\.$/u, '').toLowerCase())) words.pop();
  return words.join(' ');
}

export function findNames(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const cue of text.matchAll(CUE)) {
    const from = cue.index + cue[0].length;
    const after = text.slice(from);
    const match =
      NAME_AFTER_CUE.exec(after) ?? (STRONG_CUE.test(cue[0]) ? LOWER_CASE_NAME.exec(after) : null);
    if (!match) continue;
    // Up to the first function word: «меня зовут анна и я» is «анна».
    const words: string[] = [];
    for (const word of match[0].split(/\s/u)) {
      if (isFunctionWord(word)) break;
      words.push(word);
    }
    const value = trimName(words.join(' '));
    if (!value) continue;
    found.push({ kind: 'name', start: from, end: from + value.length, priority: 30, key: nameKey(value) });
  }
  for (const pattern of [FULL_NAME_WITH_PATRONYMIC, SURNAME_WITH_INITIALS]) {
    for (const match of text.matchAll(pattern)) {
      found.push({
        kind: 'name',
        start: match.index,
        end: match.index + match[0].length,
        priority: 25,
        key: nameKey(match[0]),
      });
    }
  }
  return found;
}

/**
 * Every whole-word occurrence of names the caller already knows are the customer's («Ольга», read
 * from a bare name closing a message, which no cue here announces), so that a value one reader
 * found is masked wherever it appears. Names under two letters or with digits are ignored.
 */
export function knownNameOccurrences(text: string, names: readonly string[]): Candidate[] {
  const found: Candidate[] = [];
  for (const name of new Set(names.map((value) => value.trim()))) {
    if (name.length < 2 || /[\p{N}@]/u.test(name) || name.length > 60) continue;
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&').replace(/\s+/gu, '\\s+');
    // As written: «Вера» the name, not «вера» the word.
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'gu');
    for (const match of text.matchAll(pattern)) {
      found.push({
        kind: 'name',
        start: match.index,
        end: match.index + match[0].length,
        priority: 30,
        key: nameKey(match[0]),
      });
    }
  }
  return found;
}

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
  ].map((word) => word.toLowerCase()),
);

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
    const match = NAME_AFTER_CUE.exec(text.slice(from));
    if (!match) continue;
    const first = match[0].split(/\s/u)[0]!.replace(/\.$/u, '').toLowerCase();
    if (NOT_NAMES.has(first)) continue;
    const value = trimName(match[0]);
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

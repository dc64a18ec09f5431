import type { ConversationMessage } from '../contract/index.ts';
import { lemmaOf } from './inflect.ts';

/**
 * Russian typed in Latin letters («privet, mozhno li vernut sergi esli ne podoshli?») from a phone
 * without a Cyrillic keyboard: read back into Cyrillic so that the conversation is understood,
 * searched and answered in Russian, as the operator would read it. The everyday schemes (and their
 * mix) are covered: «zh», «kh», «ch», «sh», «shch», «ts», «ya»/«ja», «yu»/«ju», «yo»/«jo», «'» for
 * the soft sign; a letter with two readings («e» at the start of a word, «y» after a vowel) takes
 * the one the dictionary knows.
 */

/** Longest first: «shch» before «sh» before «s». */
const DIGRAPHS: ReadonlyArray<readonly [string, string]> = [
  ['shch', 'щ'],
  ['sch', 'щ'],
  ['zh', 'ж'],
  ['kh', 'х'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['ts', 'ц'],
  ['tz', 'ц'],
  ['ya', 'я'],
  ['ja', 'я'],
  ['yu', 'ю'],
  ['ju', 'ю'],
  ['yo', 'ё'],
  ['jo', 'ё'],
  ['ye', 'е'],
  ['je', 'е'],
  ["''", 'ъ'],
];

const LETTERS: Readonly<Record<string, string>> = {
  a: 'а',
  b: 'б',
  c: 'ц',
  d: 'д',
  e: 'е',
  f: 'ф',
  g: 'г',
  h: 'х',
  i: 'и',
  j: 'й',
  k: 'к',
  l: 'л',
  m: 'м',
  n: 'н',
  o: 'о',
  p: 'п',
  q: 'к',
  r: 'р',
  s: 'с',
  t: 'т',
  u: 'у',
  v: 'в',
  w: 'в',
  x: 'кс',
  y: 'ы',
  z: 'з',
  "'": 'ь',
};

const VOWELS = /[аеёиоуыэюя]/u;

/** The plain reading of a Latin word, letter by letter. */
function plainReading(word: string): string {
  let result = '';
  let index = 0;
  outer: while (index < word.length) {
    // «zolotye», «novye»: after a consonant «ye» is «ые», not «е» as in «yesli», «moye».
    if (word.startsWith('ye', index) && index > 0 && !/[aeiouy']/u.test(word[index - 1]!)) {
      result += 'ые';
      index += 2;
      continue;
    }
    for (const [latin, cyrillic] of DIGRAPHS) {
      if (word.startsWith(latin, index)) {
        result += cyrillic;
        index += latin.length;
        continue outer;
      }
    }
    const letter = word[index]!;
    result += LETTERS[letter] ?? letter;
    index++;
  }
  return result;
}

/** Consonants a soft sign often follows and translit often drops: «skolko», «sergi», «kolco». */
const SOFTENED = /[лнтдсзрмвпб](?=[бвгджзклмнпрстфхцчшщ]|$)/gu;

/**
 * The readings to try, most likely first: the plain one; «э» for a leading «е» («eto», «eti»
 * first, «esli», «ego» last); «й» for «ы» after a vowel («moy»); a soft sign the writer left out
 * («skolko» → «сколько»), one at a time.
 */
function readings(word: string): string[] {
  const plain = plainReading(word);
  const shortI = plain.replace(/([аеёиоуыэюя])ы/gu, '$1й');
  const bases = [plain, shortI];
  const withE = bases.filter((base) => base.startsWith('е')).map((base) => `э${base.slice(1)}`);
  const ordered = plain.startsWith('ет') ? [...withE, ...bases] : [...bases, ...withE];
  const softened = ordered.flatMap((base) =>
    [...base.matchAll(SOFTENED)].map((match) => {
      const at = match.index + match[0].length;
      return `${base.slice(0, at)}ь${base.slice(at)}`;
    }),
  );
  return [...new Set([...ordered, ...softened])];
}

function known(word: string): boolean {
  return word.length > 0 && lemmaOf(word) !== undefined;
}

/** One Latin word in Cyrillic: the first reading the dictionary knows, else the plain one. */
function readWord(word: string): { text: string; known: boolean } {
  const lower = word.toLowerCase();
  const options = readings(lower);
  const found = options.find(known);
  const text = found ?? options[0]!;
  // A word written with a capital keeps it («Ozon» is a name either way).
  const cased = word[0] !== lower[0] ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  return { text: cased, known: found !== undefined && VOWELS.test(text) };
}

const LATIN_WORD = /[A-Za-z]+(?:'[A-Za-z]+)*'?/gu;
/**
 * English words no Russian one is transliterated as: one of them and the text is English («Do you
 * ship to Kazakhstan?» would otherwise read «до … шип то Казахстан»).
 */
const ENGLISH_ONLY: ReadonlySet<string> = new Set(
  (
    'you your the is are was were am my me we our it its this that these those what how where when ' +
    'why which who can could would should will have has had does did doesn don didn isn aren wasn ' +
    'with for from of and or but please thanks thank hi hello order orders ship delivery return ' +
    'refund item want need get got there here not any some now just yes also very like only than ' +
    'then them they she his her him couldn shouldn wouldn make use show set'
  ).split(' '),
);
/**
 * Most of the words (of three letters and more) must read as Russian ones, and at least two: of
 * 26,785 English queries (CLINC150, BANKING77) 4 read as Russian («shopping list», «stop
 * processing»; 52 at 0.6 before `ENGLISH_ONLY` was filled out), and 20 of 20 translit questions
 * written for the tests were read at 0.6 and 0.7 (16 at 0.8).
 */
const MIN_KNOWN_SHARE = 0.7;
const MIN_KNOWN_WORDS = 2;
const MIN_COUNTED_LETTERS = 3;
/**
 * A chat message typed in translit is short; a longer Latin text is a pasted document or a letter
 * in English, and each word read costs dictionary lookups (22,000 characters of Latin gibberish took
 * 0.6 s before this bound): it is not read.
 */
const MAX_CHARACTERS = 2_000;
/** Whether the text is Russian is decided on its first words of three letters and more. */
const DECIDING_WORDS = 12;

/**
 * The text in Cyrillic when it is Russian in Latin letters; undefined otherwise (English, a code,
 * a link, a text that holds Cyrillic already). «Can I pay with Apple Pay?» reads «кан и пай вит…»,
 * too few of them Russian words to be Russian.
 */
export function fromTranslit(text: string): string | undefined {
  if (typeof text !== 'string' || text.length > MAX_CHARACTERS || /\p{Script=Cyrillic}/u.test(text)) {
    return undefined;
  }
  const words = [...text.matchAll(LATIN_WORD)].filter((match) => !isInsideLink(text, match.index));
  if (words.length < MIN_KNOWN_WORDS) return undefined;
  if (words.some((match) => ENGLISH_ONLY.has(match[0].toLowerCase()))) return undefined;
  // Short words («a», «i», «to», «on») read as Russian ones in English as well: only words of
  // three letters and more count.
  const deciding = words.filter((match) => match[0].length >= MIN_COUNTED_LETTERS).slice(0, DECIDING_WORDS);
  // Stops at the first unknown word too many: Latin gibberish costs four words' lookups, not all.
  const allowedUnknown = Math.floor(deciding.length * (1 - MIN_KNOWN_SHARE) + 1e-9);
  let unknown = 0;
  for (const match of deciding) {
    if (!readWord(match[0]).known && ++unknown > allowedUnknown) return undefined;
  }
  if (deciding.length - unknown < MIN_KNOWN_WORDS) return undefined;
  const read = words.map((match) => ({ match, ...readWord(match[0]) }));
  let result = '';
  let position = 0;
  for (const word of read) {
    result += text.slice(position, word.match.index) + word.text;
    position = word.match.index + word.match[0].length;
  }
  return result + text.slice(position);
}

function isInsideLink(text: string, index: number): boolean {
  const end = text.indexOf(' ', index);
  const token = text.slice(text.lastIndexOf(' ', index) + 1, end === -1 ? undefined : end);
  return /(?:https?:\/\/|www\.|@|\.[a-z]{2,}(?:\/|$))/iu.test(token);
}

/** The conversation with each customer turn typed in translit read back into Cyrillic. */
export function withTranslitRead(messages: readonly ConversationMessage[]): ConversationMessage[] {
  return messages.map((message) => {
    if (message.role !== 'customer') return message;
    const cyrillic = fromTranslit(message.text);
    return cyrillic === undefined ? message : { ...message, text: cyrillic };
  });
}

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

/**
 * Word families: the verb, its other aspect and its action noun share no Snowball stem
 * («вернуть» → «вернут», «возврат» → «возврат»; «доставят» → «достав», «доставка» → «доставк»),
 * yet a customer asks with the verb («когда вернут деньги») where the knowledge base names the
 * action («сроки возврата»). Every stem of a family stands for its first member's stem, at
 * ingest and at query time alike. A general list of support vocabulary (orders, payments,
 * accounts, media), written before it was measured and not edited on what it scored
 * (docs/decisions/0059-word-families.md). A stem shorter than four letters joins no family:
 * Snowball cuts «обмен» and «обман» alike to «обм».
 */
const FAMILIES: readonly (readonly string[])[] = [
  ['вернуть', 'возвращать', 'возврат', 'возвращение', 'вернуться', 'возвратить', 'возвращаться'],
  ['доставить', 'доставлять', 'доставка', 'доставлен'],
  ['получить', 'получать', 'получение'],
  ['оплатить', 'оплачивать', 'оплата'],
  ['платить', 'заплатить', 'платеж', 'плата'],
  ['списать', 'списывать', 'списание'],
  ['начислить', 'начислять', 'начисление'],
  ['отменить', 'отменять', 'отмена'],
  ['обменять', 'обменивать', 'обмен'],
  ['заменить', 'заменять', 'замена'],
  ['изменить', 'изменять', 'изменение'],
  ['оформить', 'оформлять', 'оформление'],
  ['подключить', 'подключать', 'подключение'],
  ['отключить', 'отключать', 'отключение'],
  ['удалить', 'удалять', 'удаление'],
  ['восстановить', 'восстанавливать', 'восстановление'],
  ['зарегистрироваться', 'регистрироваться', 'регистрация', 'зарегистрировать'],
  ['авторизоваться', 'авторизация'],
  ['загрузить', 'загружать', 'загрузка'],
  ['скачать', 'скачивать', 'скачивание'],
  ['просмотреть', 'просматривать', 'просмотр'],
  ['отследить', 'отслеживать', 'отслеживание'],
  ['проверить', 'проверять', 'проверка'],
  ['подтвердить', 'подтверждать', 'подтверждение'],
  ['уведомить', 'уведомлять', 'уведомление'],
  ['монетизировать', 'монетизация'],
  ['заблокировать', 'блокировать', 'блокировка'],
  ['разблокировать', 'разблокировка'],
  ['ограничить', 'ограничивать', 'ограничение'],
  ['настроить', 'настраивать', 'настройка'],
  ['установить', 'устанавливать', 'установка'],
  ['обновить', 'обновлять', 'обновление'],
  ['транслировать', 'трансляция'],
  ['опубликовать', 'публиковать', 'публикация'],
  ['прокомментировать', 'комментировать', 'комментарий'],
  ['подписаться', 'подписываться', 'подписка'],
  ['продлить', 'продлевать', 'продление'],
  ['хранить', 'хранение'],
  ['отремонтировать', 'ремонтировать', 'ремонт'],
  ['купить', 'покупать', 'покупка'],
  ['продать', 'продавать', 'продажа'],
  ['заказать', 'заказывать', 'заказ'],
  ['выплатить', 'выплачивать', 'выплата'],
  ['вывести', 'выводить', 'вывод'],
  ['пополнить', 'пополнять', 'пополнение'],
  ['перевести', 'переводить', 'перевод'],
  ['отправить', 'отправлять', 'отправка'],
  ['примерить', 'примерять', 'примерка'],
  ['упаковать', 'упаковывать', 'упаковка'],
  ['выгравировать', 'гравировать', 'гравировка'],
  ['активировать', 'активация'],
  ['зачислить', 'зачислять', 'зачисление'],
  ['отказаться', 'отказываться', 'отказ'],
  ['пожаловаться', 'жаловаться', 'жалоба'],
  ['войти', 'входить', 'вход'],
  ['создать', 'создавать', 'создание'],
  ['добавить', 'добавлять', 'добавление'],
  ['ответить', 'отвечать', 'ответ'],
  ['сломаться', 'ломаться', 'поломка', 'сломать'],
  ['задержать', 'задерживать', 'задержка'],
];

/** Snowball's stem of a Russian or English word, its trailing verb vowels dropped. */
export function snowballStem(token: string): string {
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
  return result;
}

let families: Map<string, string> | undefined;

/**
 * The term a stem stands for: its family's stem, or itself. Idempotent, so stems a store wrote
 * before families existed (`chunk_stems`) are read through it too.
 */
export function familyOf(stemmed: string): string {
  if (!families) {
    families = new Map();
    for (const words of FAMILIES) {
      const stems = words.map((word) => snowballStem(normalizeText(word)));
      for (const member of stems) if (member.length >= 4) families.set(member, stems[0]!);
    }
  }
  return families.get(stemmed) ?? stemmed;
}

const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 200_000;

/**
 * The term a word is indexed and searched by: Snowball's stem (for Russian without the trailing
 * vowels Snowball keeps on verb stems, so that «заказать» (→ «заказа») meets «заказы» (→ «заказ»)),
 * then its word family's (`familyOf`).
 */
export function stem(token: string): string {
  const cached = stemCache.get(token);
  if (cached !== undefined) return cached;
  const result = familyOf(snowballStem(token));
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

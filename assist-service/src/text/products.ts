/**
 * The retailer's product words (jewellery and accessories), every inflected form mapped to one
 * dictionary form in the language it was written in: «колечко», «кольца» → «кольцо»; "rings" → "ring".
 */
import { MAX_PER_KIND, type SpanSet } from './spans.ts';
import type { Found } from './types.ts';

/** [pattern over a lower-cased, ё→е word, dictionary form]. */
const SINGLE_WORDS: readonly (readonly [RegExp, string])[] = [
  [/^(?:кольц\p{L}{0,3}|колец|колечк\p{L}{0,3}|колечек)$/u, 'кольцо'],
  [/^(?:серьг\p{L}{0,3}|серег|сережк\p{L}{0,3}|сережек|пусет\p{L}{0,3})$/u, 'серьги'],
  [/^браслет\p{L}{0,4}$/u, 'браслет'],
  [/^(?:цепочк\p{L}{0,3}|цепочек|цепь|цепи|цепью|цепей)$/u, 'цепочка'],
  [/^(?:подвеск\p{L}{0,3}|подвесок)$/u, 'подвеска'],
  [/^кулон\p{L}{0,3}$/u, 'кулон'],
  [/^(?:часы|часики|часиков|часах|часов|часами)$/u, 'часы'],
  [/^(?:брошь|броши|брошью|брошей|брошк\p{L}{0,3}|брошек)$/u, 'брошь'],
  [/^колье$/u, 'колье'],
  [/^(?:бусы|бусами|бусах)$/u, 'бусы'],
  [/^(?:ожерель[еяюй]|ожерельем|ожерелья)$/u, 'ожерелье'],
  [/^(?:запонк\p{L}{0,3}|запонок)$/u, 'запонки'],
  [/^пирсинг\p{L}{0,3}$/u, 'пирсинг'],
  [/^чокер\p{L}{0,3}$/u, 'чокер'],
  [/^(?:шарм|шармы|шармик\p{L}{0,3})$/u, 'шарм'],
  [/^сертификат\p{L}{0,3}$/u, 'сертификат'],
  [/^(?:кошелек|кошельк\p{L}{0,3})$/u, 'кошелёк'],
  [/^(?:сумк\p{L}{0,3}|сумок|сумочк\p{L}{0,3}|сумочек)$/u, 'сумка'],
  [/^(?:ремень|ремня|ремнем|ремни|ремней)$/u, 'ремень'],
  [/^(?:очки)$/u, 'очки'],
  [/^(?:заколк\p{L}{0,3}|заколок)$/u, 'заколка'],
  [/^(?:шкатулк\p{L}{0,3}|шкатулок)$/u, 'шкатулка'],
  [/^(?:платок|платка|платком|платки|платков|платочек)$/u, 'платок'],
  [/^rings?$/u, 'ring'],
  [/^earrings?$/u, 'earrings'],
  [/^bracelets?$/u, 'bracelet'],
  [/^necklaces?$/u, 'necklace'],
  [/^chains?$/u, 'chain'],
  [/^pendants?$/u, 'pendant'],
  [/^(?:watch|watches|smartwatch)$/u, 'watch'],
  [/^brooch(?:es)?$/u, 'brooch'],
  [/^cufflinks?$/u, 'cufflinks'],
  [/^piercings?$/u, 'piercing'],
  [/^chokers?$/u, 'choker'],
  [/^anklets?$/u, 'anklet'],
  [/^charms?$/u, 'charm'],
  [/^wallets?$/u, 'wallet'],
  [/^(?:handbags?|bags?)$/u, 'bag'],
  [/^belts?$/u, 'belt'],
  [/^sunglasses$/u, 'sunglasses'],
];

/** Two-word products, checked before single words so that «подарочная карта» is one product. */
const WORD_PAIRS: readonly (readonly [RegExp, RegExp, string])[] = [
  [/^подарочн\p{L}{1,3}$/u, /^(?:карт\p{L}{0,3}|сертификат\p{L}{0,3})$/u, 'сертификат'],
  [/^gift$/u, /^(?:cards?|certificates?|vouchers?)$/u, 'gift card'],
];

/** «часы работы» are opening hours, not a watch. */
const NOT_A_WATCH = /^(?:работы|работ|приема|пик|пиковые)$/u;

/**
 * «часов» and «часами» are hours as often as a watch: «через 2 часов», «несколько часов»,
 * «часами жду». They name the watch only where no count stands before «часов» («у часов
 * отвалился ремешок», «модель часов»), and after «с» for «часами» («что-то с часами»).
 */
const HOURS_OR_WATCH = /^(?:часов|часами)$/u;
const COUNT_BEFORE =
  /(?:\p{N}[\p{N}\s.,:-]*(?:-?[хи]|-?ти|-?ми)?|(?:^|[^\p{L}])(?:несколько|нескольких|сколько|столько|много|немного|мало|пару|пары|полтора|полутора|пол|двух|трех|трёх|четырех|четырёх|пяти|шести|семи|восьми|девяти|десяти|\p{L}+надцати|двадцати|тридцати|сорока|пятидесяти|ста|сотни|сотен|тысячи|пять|шесть|семь|восемь|девять|десять|\p{L}+надцать|двадцать|тридцать|сорок|сто|суток|дней|часа|рабочих|целых|долгих))\s*$/iu;

/** Whether an ambiguous «часов» / «часами» at `word` is the watch, by what stands before it. */
function namesWatch(text: string, word: Word): boolean {
  const before = text
    .slice(Math.max(0, word.start - 30), word.start)
    .toLowerCase()
    .replaceAll('ё', 'е');
  if (word.norm === 'часами') return /(?:^|[^\p{L}])(?:с|со|над|под|за|между)\s+$/u.test(before);
  return !COUNT_BEFORE.test(before);
}

const WORD = /[\p{L}]+/gu;

interface Word {
  norm: string;
  start: number;
  end: number;
}

/** What one normalised word is: a product, the first word of a pair, or nothing. Memoised per call. */
interface WordKind {
  product?: string;
  pairs: readonly (readonly [RegExp, RegExp, string])[];
}

function kindOf(norm: string, memo: Map<string, WordKind>): WordKind {
  let kind = memo.get(norm);
  if (!kind) {
    const product = SINGLE_WORDS.find(([pattern]) => pattern.test(norm))?.[1];
    const pairs = WORD_PAIRS.filter(([first]) => first.test(norm));
    kind = product ? { product, pairs } : { pairs };
    // Natural text repeats words; hostile text of unique words must not grow the memo without bound.
    if (memo.size < 50_000) memo.set(norm, kind);
  }
  return kind;
}

function toWord(match: RegExpExecArray): Word {
  return {
    norm: match[0].toLowerCase().replaceAll('ё', 'е'),
    start: match.index,
    end: match.index + match[0].length,
  };
}

export function extractProducts(text: string, claimed: SpanSet): Found[] {
  const products: Found[] = [];
  const memo = new Map<string, WordKind>();
  const iterator = text.matchAll(WORD);
  let next = iterator.next();
  while (!next.done && products.length < MAX_PER_KIND) {
    const current = next.value;
    next = iterator.next();
    if (current[0].length > 20) continue;
    const word = toWord(current);
    const kind = kindOf(word.norm, memo);
    if (!kind.product && kind.pairs.length === 0) continue;
    const following = next.done ? undefined : toWord(next.value);
    const adjacent = following !== undefined && /^\s{1,3}$/u.test(text.slice(word.end, following.start));
    const pair = adjacent ? kind.pairs.find(([, second]) => second.test(following.norm)) : undefined;
    if (pair && following) {
      const span = { start: word.start, end: following.end };
      if (claimed.claim(span))
        products.push({ value: pair[2], raw: text.slice(span.start, span.end), ...span });
      next = iterator.next();
      continue;
    }
    if (!kind.product) continue;
    if (kind.product === 'часы' && following && NOT_A_WATCH.test(following.norm)) continue;
    if (HOURS_OR_WATCH.test(word.norm) && !namesWatch(text, word)) continue;
    if (claimed.claim(word)) {
      products.push({
        value: kind.product,
        raw: text.slice(word.start, word.end),
        start: word.start,
        end: word.end,
      });
    }
  }
  return products;
}

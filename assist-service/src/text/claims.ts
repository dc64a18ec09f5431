/**
 * Situations the customer's own words put a conversation in, that decide which replies are wrong
 * for it (a template's `notFor`, FORMATS.md):
 * - `defect-claim`: the item is said to be defective or damaged — it broke, turned black, peeled,
 *   stopped working, arrived damaged, looks fake. A return-refusal for goods of proper quality is
 *   never an answer to that.
 * - `marketplace-order`: the order was placed on a marketplace («заказ с WB», «купила на Озоне»),
 *   which the shop's own support cannot cancel or change.
 * - `precious-metal-item` / `non-precious-item`: the customer says what the item is made of — gold
 *   or silver («золотое кольцо», «серебро»), or costume jewellery, a watch, a bag or another
 *   accessory. Returns hang on it (gold and silver of proper quality are not taken back): a reply
 *   that would ask the operator to check it first need not, once the customer has said it. Both
 *   kinds named («золотые часы», «серебро или бижутерия?») say neither.
 *
 * - `wrong-item`: the order came, but with an item other than the one ordered («пришёл не тот
 *   браслет», «прислали другую модель», «перепутали размер», "I received the wrong ring"). Not a
 *   delivery delay, and not the customer's own mistake («заказала не тот размер»).
 * - `late-delivery`: the order has not come when it was due («заказ задерживается», «посылка так и
 *   не пришла», «должен был прийти вчера», "my order hasn't arrived") — about the order, not money,
 *   points or a code that did not come.
 * - `return-request`: the customer asks to return, hand back or exchange an item, or for their
 *   money back for it («хочу вернуть браслет», «можно сдать цепочку?», «верните деньги за серьги»,
 *   "I want to return a bracelet", "can I get a refund for the earrings?") — an intent, not a
 *   problem: which return answer fits still hangs on the material and the other situations.
 * - `engraved-item`: the item is engraved («браслет с гравировкой», «выгравировали имя», "an
 *   engraved ring") — made to order, so not taken back like other goods of proper quality.
 * - `not-yet-received`: the order is not in the customer's hands yet — waiting at the pickup point
 *   or coming with a courier as planned («ещё не забирала», «пришёл в ПВЗ», «курьер привезёт
 *   завтра», «можно не забирать?», "I haven't picked it up yet"). Until then any item can be
 *   refused, so the rules for returning what was accepted do not answer it.
 * - `item-returned`: the customer has handed an item back or filed a return and waits for what
 *   follows («сдала браслет в магазин», «вернула серьги», «возврат уже оформила», «деньги за
 *   возврат», "I returned the ring"). A reply that states a return accepted is for them, not for a
 *   customer whose bank charged twice («когда вернёте?») or who waits for points.
 * - `cancel-request`: the customer asks to cancel the order («отмените заказ», «как отменить?»,
 *   «заказ больше не нужен», "please cancel my order"). A reply that states the order cancelled
 *   is declared `onlyFor` it: «хочу узнать, где мой заказ» shares «хочу … заказ» with «хочу
 *   отказаться от заказа» and must not get «Заказ № … отменён».
 *
 * Russian words are matched by lemma (Az.js over OpenCorpora, the same dictionary the renderer
 * uses), so every form of «почернеть» or «сломаться» counts; words the dictionary does not know
 * fall back to stems. A cue right after «не» / «ни» («не сломалось», «заказ не с WB») does not
 * count, except where the negation is the complaint («не работает»).
 */
import type { Situation } from '@naparnik/ingest/naparnik-schema';
import { isInfinitiveOrImperative, isPastTense, isPresentTense, lemmaOf } from './inflect.ts';
import { extractProducts } from './products.ts';
import { splitSentences } from './sentences.ts';
import { asksInAdvance, reportsMisfit } from './signals.ts';
import { SpanSet } from './spans.ts';

/** The situations are the KB format's (`notFor`, `for`, `answeredBy`, routing `situations`). */
export { SITUATIONS, type Situation } from '@naparnik/ingest/naparnik-schema';

export interface Claim {
  situation: Situation;
  /** The words that gave it away, as the customer wrote them. */
  cue: string;
  /**
   * Given by the channel, not by the customer's words (a marketplace review is about a marketplace
   * order): it rules answers out, and calls for none of those written `for` it.
   */
  implied?: true;
}

const folded = (words: readonly string[]): ReadonlySet<string> =>
  new Set(words.map((word) => word.replace(/ё/gu, 'е')));

/** Lemmas that state a defect on their own. */
const DEFECT_LEMMAS: ReadonlySet<string> = folded([
  'сломаться',
  'сломать',
  'поломаться',
  'поломка',
  'сломанный',
  'почернеть',
  'потемнеть',
  'позеленеть',
  'почерневший',
  'потемневший',
  'облезть',
  'облезлый',
  'облупиться',
  'отслоиться',
  'отслаиваться',
  'шелушиться',
  'стереться',
  'слезть',
  'выпасть',
  'отвалиться',
  'отломиться',
  'отломаться',
  'отколоться',
  'сколоться',
  'расколоться',
  'отклеиться',
  'развалиться',
  'рассыпаться',
  'потрескаться',
  'выцвести',
  'полинять',
  'потускнеть',
  'оторваться',
  'отпасть',
  'порваться',
  'порвать',
  'разорваться',
  'лопнуть',
  'треснуть',
  'трещина',
  'скол',
  'царапина',
  'поцарапать',
  'поцарапанный',
  'погнуться',
  'погнутый',
  'деформироваться',
  'повредить',
  'повреждённый',
  'повреждение',
  'разбиться',
  'разбитый',
  'брак',
  'бракованный',
  'дефект',
  'дефектный',
  'неисправный',
  'неисправность',
  'подделка',
  'фальшивка',
  'фальшивый',
  'поддельный',
  'ржаветь',
  'заржаветь',
  'окислиться',
  'пятно',
  'остановиться',
  'перестать',
  // «часы отстают»: a watch that loses time
  'отставать',
  'отстать',
]);
/** Stems for words the dictionary may not know (slang, typos): «облезло», «почернели». */
const DEFECT_STEMS: readonly string[] = [
  'слома',
  'почерн',
  'потемн',
  'позелен',
  'облез',
  'отслои',
  'бракова',
];
/** A negation that is itself the complaint: «не работает», «не идут», «не застёгивается». */
const NEGATED_DEFECT_LEMMAS: ReadonlySet<string> = folded([
  'работать',
  'идти',
  'заводиться',
  'застёгиваться',
  'застегиваться',
  'держаться',
  'закрываться',
]);
/** «качество ужасное», «плохое качество». */
const QUALITY_LEMMA = 'качество';
const BAD_QUALITY_LEMMAS: ReadonlySet<string> = folded([
  'ужасный',
  'плохой',
  'отвратительный',
  'низкий',
  'никакой',
  'кошмарный',
  'паршивый',
]);
/** «это не серебро», "not real silver": the material is said to be fake. */
const MATERIAL_LEMMAS: ReadonlySet<string> = folded(['серебро', 'золото', 'серебряный', 'золотой']);

const ENGLISH_DEFECT =
  /\b(?:broke|broken|breaks|turned (?:black|green|dark)|tarnish(?:ed|es)?|peel(?:ed|ing|s)? off|peel(?:ed|ing)|fell out|fallen out|stopped (?:working|running)|(?:doesn't|does not|don't|isn't|is not) work(?:ing)?|not working|damaged|defect(?:ive|s)?|faulty|fake|counterfeit|scratched|cracked|bent|rust(?:ed|y)|poor quality|bad quality)\b/iu;

const MARKETPLACE_NAMES =
  /(?<![\p{L}\p{N}])(wildberries|вайлдберри[зс]|валдбер\p{L}*|вб|wb|ozon|озон\p{L}*|яндекс[\s.-]*маркет\p{L}*|я\.?\s*маркет\p{L}*|yandex[\s.-]*market|мегамаркет\p{L}*|маркетплейс\p{L}*|marketplace)(?![\p{L}\p{N}])/giu;

/**
 * The first three letters of every lemma the detector asks about: a word that starts otherwise
 * cannot be one of them (Russian inflection keeps a stem's start), so it is not looked up.
 */
const LEXICON_STARTS: ReadonlySet<string> = new Set(
  [
    ...DEFECT_LEMMAS,
    ...NEGATED_DEFECT_LEMMAS,
    ...BAD_QUALITY_LEMMAS,
    ...MATERIAL_LEMMAS,
    QUALITY_LEMMA,
    // «иду», «шли»: forms of «идти» that do not start like it.
    'иду',
    'шли',
    'шел',
  ].map((lemma) => lemma.slice(0, 3)),
);

/** The lemma of a word that may be in the lexicon; undefined for any other. */
function lexiconLemma(word: string): string | undefined {
  return LEXICON_STARTS.has(word.slice(0, 3)) ? lemmaOf(word) : undefined;
}

interface WordToken {
  text: string;
  lower: string;
  /** Where the word starts and ends in the text it was read from. */
  start: number;
  end: number;
}

function wordsOf(text: string): WordToken[] {
  return [...text.matchAll(/[\p{L}]+(?:-[\p{L}]+)*/gu)].map((match) => ({
    text: match[0],
    lower: match[0].toLowerCase().replace(/ё/gu, 'е'),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

const NEGATIONS: ReadonlySet<string> = new Set(['не', 'ни', 'нет', 'без']);

function negated(words: readonly WordToken[], index: number): boolean {
  // «не сломалось», «ничего не сломалось»; «не до конца облезло» is still a defect, but rare.
  return NEGATIONS.has(words[index - 1]?.lower ?? '');
}

/** Words of wanting or needing before an infinitive: «хочу отменить», «надо вернуть». */
const WISHES: ReadonlySet<string> = new Set([
  'хочу',
  'хотим',
  'хотела',
  'хотел',
  'надо',
  'нужно',
  'буду',
  'будем',
  'стоит',
  'могу',
]);

/**
 * Whether a request word is turned down: «не отменяйте», and «не хочу отменять», «не надо
 * возвращать» — the negation may sit on the wish before it.
 */
function refused(words: readonly WordToken[], index: number): boolean {
  return negated(words, index) || (WISHES.has(words[index - 1]?.lower ?? '') && negated(words, index - 1));
}

/**
 * What a customer says «не работает» or "doesn't work" of that is no item: a certificate, a promo
 * code, the site, the app, a link, a payment. Such a sentence reports a fault of the service.
 */
const NOT_AN_ITEM_SUBJECT =
  /(?<![\p{L}])(?:сертификат|промокод|промо-?код|код\p{L}{0,3}(?![\p{L}])|пин-?код|pin|сайт|приложени|ссылк|кнопк|кабинет|аккаунт|учетн|учётн|корзин|страниц|оплат|платеж|платёж|сбп|карт[аеуыо](?:\p{L}{0,2})(?![\p{L}])|скидк|балл|смс|sms|qr|трек|чат|поиск|фильтр|gift\s*card|certificate|voucher|promo|coupon|code|website|site|app(?![\p{L}])|link|button|checkout|payment|account|login|password|tracking)/iu;

/** The sentences of a text that may claim a defect: not one about the service, naming no item. */
function itemSentences(text: string): string {
  return text
    .split(/(?<=[.!?…;\n])/u)
    .filter((sentence) => {
      if (!NOT_AN_ITEM_SUBJECT.test(sentence)) return true;
      return namesItem(sentence);
    })
    .join(' ');
}

/**
 * The first words of the text that claim a defect, or undefined. A sentence about the service
 * («сертификат не работает на сайте», "the promo code doesn't work") claims none.
 */
export function detectDefectClaim(message: string): Claim | undefined {
  if (typeof message !== 'string' || message.trim() === '') return undefined;
  const text = itemSentences(message);
  const english = ENGLISH_DEFECT.exec(text);
  const words = wordsOf(text);
  for (const [index, word] of words.entries()) {
    const lemma = lexiconLemma(word.lower);
    const isDefect =
      (lemma !== undefined && DEFECT_LEMMAS.has(lemma)) ||
      DEFECT_STEMS.some((stem) => word.lower.startsWith(stem));
    if (isDefect && lemma === 'перестать') {
      // «перестали работать / идти»: only with the verb after it.
      const next = lexiconLemma(words[index + 1]?.lower ?? '');
      if (next && NEGATED_DEFECT_LEMMAS.has(next) && !negated(words, index)) {
        return { situation: 'defect-claim', cue: `${word.text} ${words[index + 1]?.text}` };
      }
      continue;
    }
    if (isDefect && lemma === 'остановиться') {
      // «часы остановились»; «заказ остановился на складе» is not a defect, but rare in a complaint.
      if (!negated(words, index)) return { situation: 'defect-claim', cue: word.text };
      continue;
    }
    if (isDefect && !negated(words, index)) return { situation: 'defect-claim', cue: word.text };
    if (lemma && NEGATED_DEFECT_LEMMAS.has(lemma) && words[index - 1]?.lower === 'не') {
      return { situation: 'defect-claim', cue: `${words[index - 1]?.text} ${word.text}` };
    }
    if (lemma === QUALITY_LEMMA) {
      for (const offset of [-2, -1, 1, 2]) {
        const other = words[index + offset];
        if (other && BAD_QUALITY_LEMMAS.has(lexiconLemma(other.lower) ?? '')) {
          const cue = offset < 0 ? `${other.text} ${word.text}` : `${word.text} ${other.text}`;
          return { situation: 'defect-claim', cue };
        }
      }
    }
    if (lemma && MATERIAL_LEMMAS.has(lemma) && words[index - 1]?.lower === 'не') {
      // «это не серебро», «вообще не серебро» — but not «не серебряное, а золотое кольцо хочу», nor
      // «это не золото, а бижутерия»: «не X, а Y» says what the item is.
      const before = words[index - 2]?.lower;
      const contrast = words[index + 1]?.lower === 'а';
      if (
        !contrast &&
        (before === 'это' || before === 'вообще' || before === 'совсем' || before === 'точно')
      ) {
        return { situation: 'defect-claim', cue: `не ${word.text}` };
      }
    }
  }
  return english ? { situation: 'defect-claim', cue: english[0] } : undefined;
}

/** Lemmas that name gold or silver as what an item is made of. */
const PRECIOUS_LEMMAS: ReadonlySet<string> = folded([
  'золото',
  'золотой',
  'серебро',
  'серебряный',
  'платина',
  'платиновый',
]);
/**
 * Lemmas that name an item returned by its kind whatever its metal (a watch, a bag: «золотые часы»
 * are returned as watches), and those that name costume jewellery.
 */
const ITEM_LEMMAS: ReadonlySet<string> = folded([
  'часы',
  'сумка',
  'сумочка',
  'ремень',
  'кошелёк',
  'кошелек',
  'портмоне',
  'визитница',
  'аксессуар',
]);
const COSTUME_LEMMAS: ReadonlySet<string> = folded(['бижутерия', 'бижутерный', 'кожаный']);
/** Words that start like those lemmas: only these are looked up in the dictionary. */
const MATERIAL_STARTS: ReadonlySet<string> = new Set(
  [...PRECIOUS_LEMMAS, ...ITEM_LEMMAS, ...COSTUME_LEMMAS, 'часов', 'сумк'].map((lemma) => lemma.slice(0, 3)),
);
const ENGLISH_PRECIOUS = /\b(?:gold|golden|silver|platinum)\b/iu;
const ENGLISH_ITEM = /\b(?:watch(?:es)?|bag|handbag|belt|wallet|accessor(?:y|ies))\b/iu;
const ENGLISH_COSTUME = /\b(?:costume jewel(?:le)?ry|bijouterie|fashion jewel(?:le)?ry|leather)\b/iu;

/**
 * What the customer says the item is: a watch or an accessory (whatever its metal), gold or
 * silver, or costume jewellery. «не серебро» says nothing about it here (a fake is a defect claim,
 * `detectDefectClaim`), nor does a text naming both gold or silver and costume jewellery.
 */
export function detectMaterial(text: string): Claim | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  let precious: string | undefined;
  let item: string | undefined;
  let costume: string | undefined;
  const words = wordsOf(text);
  // «часов», «часами» are hours as often as a watch («в течение 2 часов»): the product reader
  // (`extractProducts`) decides, by what stands before them.
  let watches: Array<{ start: number; end: number }> | undefined;
  const namesWatch = (word: WordToken) => {
    watches ??= extractProducts(text, new SpanSet()).filter((found) => found.value === 'часы');
    return watches.some((found) => found.start <= word.start && word.end <= found.end);
  };
  for (const [index, word] of words.entries()) {
    if (!MATERIAL_STARTS.has(word.lower.slice(0, 3)) || negated(words, index)) continue;
    const lemma = lemmaOf(word.lower)?.replace(/ё/gu, 'е');
    const is = (lemmas: ReadonlySet<string>) => lemmas.has(lemma ?? '') || lemmas.has(word.lower);
    if (lemma === 'часы' && !namesWatch(word)) continue;
    if (is(ITEM_LEMMAS)) item ??= word.text;
    else if (is(PRECIOUS_LEMMAS)) precious ??= word.text;
    else if (is(COSTUME_LEMMAS)) costume ??= word.text;
  }
  item ??= ENGLISH_ITEM.exec(text)?.[0];
  precious ??= ENGLISH_PRECIOUS.exec(text)?.[0];
  costume ??= ENGLISH_COSTUME.exec(text)?.[0];
  if (item) return { situation: 'non-precious-item', cue: item };
  if (precious && !costume) return { situation: 'precious-metal-item', cue: precious };
  if (costume && !precious) return { situation: 'non-precious-item', cue: costume };
  return undefined;
}

/** The marketplace's own name for a mention («вб», «озоне», «я.маркет»), as replies name it. */
export function marketplaceName(cue: string): string | undefined {
  const folded = cue.toLowerCase().replace(/ё/gu, 'е');
  if (/^(?:wildberries|вайлдберри|валдбер|вб$|wb$)/u.test(folded)) return 'Wildberries';
  if (/^(?:ozon|озон)/u.test(folded)) return 'Ozon';
  if (/(?:маркет|market)/u.test(folded) && /^(?:яндекс|я\.?|yandex)/u.test(folded)) return 'Яндекс Маркет';
  if (/^мегамаркет/u.test(folded)) return 'Мегамаркет';
  return undefined;
}

/** «пункт(ы) выдачи», «ПВЗ», "pickup point" right before a marketplace's name. */
const PICKUP_POINT_BEFORE =
  /(?:^|[^\p{L}])(?:пункт\p{L}{0,3}(?:\s+выдачи)?(?:\s+заказов)?|пвз|постамат\p{L}{0,3}|pick-?up\s+points?|parcel\s+lockers?)\s*$/iu;

/**
 * A mention of a marketplace as where the order was placed, unless negated («не с WB») or a pickup
 * point of it («доставка в пункты Озон»).
 */
export function detectMarketplaceOrder(text: string): Claim | undefined {
  if (typeof text !== 'string') return undefined;
  for (const match of text.matchAll(MARKETPLACE_NAMES)) {
    const before = text.slice(Math.max(0, match.index - 30), match.index).toLowerCase();
    if (/(?:^|[^\p{L}])(?:не|not)\s+(?:\p{L}{1,2}\s+)?$/u.test(before)) continue;
    // «доставка в пункты Озон», «в ПВЗ Wildberries»: a pickup point the shop may deliver to, no
    // order placed on the marketplace.
    if (PICKUP_POINT_BEFORE.test(before)) continue;
    return { situation: 'marketplace-order', cue: match[0] };
  }
  return undefined;
}

/** How the order reaches the customer: what «пришло» is what they got. */
const RECEIVED_LEMMAS: ReadonlySet<string> = folded([
  'прийти',
  'прислать',
  'привезти',
  'доставить',
  'положить',
  'вложить',
  'получить',
  'оказаться',
  'отправить',
  'выслать',
  'упаковать',
]);
/**
 * The same told as what keeps happening: «второй раз привозите не тот размер», «приходит не та
 * модель». The present tense only — «присылайте другой размер» asks for one.
 */
const RECEIVING_LEMMAS: ReadonlySet<string> = folded([
  'приходить',
  'присылать',
  'привозить',
  'доставлять',
  'класть',
]);
/** Forms of «прийти» the dictionary reads as other words («пришла» — «пришлый»). */
const RECEIVED_FORMS: ReadonlySet<string> = folded(['пришел', 'пришла', 'пришло', 'пришли', 'пришёл']);
/** A Russian verb's past-tense ending: «прислали», «оказались», «пришёл» aside. */
const PAST_TENSE = /л(?:а|о|и)?(?:сь|ся)?$/u;
/** «не тот», «не та», «не те» … */
const THAT_FORMS: ReadonlySet<string> = folded(['тот', 'та', 'то', 'те', 'ту', 'того', 'той', 'тех', 'тому']);
const OTHER_FORMS: ReadonlySet<string> = folded(['другой', 'другая', 'другое', 'другие', 'другую', 'других']);
/** The customer's own choice: «заказала не тот размер» is their mistake, not a wrong delivery. */
const CHOSEN_LEMMAS: ReadonlySet<string> = folded([
  'заказать',
  'заказывать',
  'выбрать',
  'купить',
  'указать',
  'оформить',
]);
const ENGLISH_WRONG_ITEM =
  /\b(?:(?:received|got|sent(?: me)?|delivered|shipped|came with|arrived with)\s+(?:me\s+)?(?:the|a|an)\s+wrong|wrong\s+(?:item|product|size|colou?r|model|ring|earrings?|necklace|bracelet|watch|chain|pendant)\s+(?:was\s+)?(?:sent|delivered|arrived|came|in\s+(?:the|my)\s+(?:parcel|package|box|order))|not\s+(?:the\s+one|what)\s+I\s+ordered)\b/iu;

/** What an order comes in or consists of: a sentence naming one of them is about the delivery. */
const PARCEL_WORDS = /(?<![\p{L}])(?:посылк|заказ|коробк|пакет|упаковк|комплект|набор)\p{L}*/iu;
/** «не хватает», «недоложили», «не положили»: part of the order is missing. */
const SHORT_OF =
  /(?<![\p{L}])(?:не\s+хвата\p{L}*|недоста(?:ет|ёт|вало)|не\s*доложили|не\s+положили)(?![\p{L}])/iu;
/** «нет одной серёжки», «нет второго браслета». */
const ONE_MISSING =
  /(?<![\p{L}])нет\s+(?:одно(?:й|го)|второ(?:й|го)|ещё\s+одно(?:й|го)|еще\s+одно(?:й|го))(?![\p{L}])/iu;
/** «пришёл только один», «привезли не всё». */
const ONLY_PART =
  /(?<![\p{L}])(?:только\s+(?:один|одна|одно|одну|одни|половин\p{L}*)|не\s+(?:всё|все|весь))(?![\p{L}])/iu;
const ENGLISH_MISSING =
  /\b(?:(?:is|are|was|were)\s+missing|missing\s+(?:from|in)\s+(?:the|my)\s+(?:parcel|package|box|order)|only\s+one\s+(?:\w+\s+)?(?:arrived|came|was\s+in)|(?:did\s*n[o']t|didn't)\s+(?:get|receive)\s+(?:all|everything))\b/iu;

/**
 * Part of the order is missing: «не хватает браслета», «нет одной серёжки», «пришёл только один»,
 * "one of the earrings is missing" — in a sentence about the parcel or an item, or about what came.
 * The shop's answer is the wrong item's (FAQ «Мне привезли не тот товар или не всё»): photos, a
 * check against the order, the rest sent or the money back.
 */
/**
 * «в коробке не оказалось подвески», «не было второй серёжки», «отсутствовал браслет»: what was
 * not in the parcel, when an item is named right after.
 */
const NOT_IN_PARCEL =
  /(?<![\p{L}])(?:не\s+оказал\p{L}*|не\s+было|не\s+нашл\p{L}*|отсутствова\p{L}*|отсутству[ею]т)(?![\p{L}])([^,.;!?]{1,40})/iu;

function missingPart(sentence: string, received: boolean): string | undefined {
  // «не хватает денег на карте», «пришли не все баллы»: money and points are no part of an order.
  if (/(?<![\p{L}])(?:деньг|денег|средств|лимит|баланс|сумм|балл|бонус|скидк|кэшбэк)\p{L}*/iu.test(sentence))
    return undefined;
  const aboutOrder = PARCEL_WORDS.test(sentence) || namesItem(sentence);
  const short = SHORT_OF.exec(sentence) ?? ONE_MISSING.exec(sentence);
  if (short && aboutOrder) return short[0];
  const part = ONLY_PART.exec(sentence);
  if (part && received && aboutOrder) return part[0];
  const absent = NOT_IN_PARCEL.exec(sentence);
  if (absent && PARCEL_WORDS.test(sentence) && namesItem(absent[1] ?? '')) return absent[0].trim();
  return undefined;
}

/**
 * What tells one item from another when a customer contrasts what was ordered with what came:
 * metal («золотые», «бижутерия»), colour, a ring size or a chain's length (a number not of days,
 * hours, money or a date).
 */
const DESCRIBES =
  /(?<![\p{L}\d])(?:золот|серебр|бижутер|позолот|платин|стальн|красн|син|черн|чёрн|бел|розов|зел[её]н|ж[её]лт|голуб|сер(?:ый|ая|ое|ые|ую)|\d{2}(?:[.,]5)?(?![\d.,]|\s*(?:дн|день|дня|час|недел|мин|руб|р(?![\p{L}])|₽|%|числ|тыс|янв|фев|мар|апр|ма[яй]|июн|июл|авг|сен|окт|ноя|дек)))/iu;
/** The descriptions a text gives (`DESCRIBES`), each by its first four letters. */
function descriptions(text: string): Set<string> {
  const pattern = new RegExp(DESCRIBES.source, 'giu');
  return new Set(
    [...text.matchAll(pattern)].map((match) => match[0].toLowerCase().replaceAll('ё', 'е').slice(0, 4)),
  );
}

/** How far after «пришла» (in characters) the item that came is named. */
const CAME_WINDOW = 40;

/**
 * «Заказывала золотые серьги, пришла бижутерия», «Заказала цепочку, а прислали браслет»: what the
 * customer ordered, then what came, and the two differ — another item named, or another metal,
 * colour or size said of both. «Заказала серьги, пришли быстро» and «…пришли серьги с браком»
 * contrast nothing.
 */
function orderedOtherCame(
  sentence: string,
  words: readonly WordToken[],
  lemmas: readonly (string | undefined)[],
): string | undefined {
  const ordered = words.findIndex(
    (word, index) =>
      CHOSEN_LEMMAS.has(lemmas[index] ?? '') && PAST_TENSE.test(word.lower) && !negated(words, index),
  );
  if (ordered < 0) return undefined;
  for (let index = ordered + 1; index < words.length; index++) {
    const word = words[index]!;
    const came =
      RECEIVED_FORMS.has(word.lower) ||
      (RECEIVED_LEMMAS.has(lemmas[index] ?? '') && PAST_TENSE.test(word.lower));
    if (!came || negated(words, index)) continue;
    const before = sentence.slice(words[ordered]!.end, word.start);
    // What came, up to the clause's end: «пришла бижутерия», «прислали красный браслет», «пришло 18».
    const after =
      sentence.slice(word.end, word.end + CAME_WINDOW).split(/[,;:—–(]|\s+(?:а|и|но)\s+/u)[0] ?? '';
    const itemsBefore = new Set(extractProducts(before, new SpanSet()).map((found) => found.value));
    const itemsAfter = extractProducts(after, new SpanSet()).map((found) => found.value);
    const otherItem =
      itemsBefore.size > 0 && itemsAfter.some((item) => !itemsBefore.has(item) && !NOT_AN_ITEM.has(item));
    const saidBefore = descriptions(before);
    const otherKind = saidBefore.size > 0 && [...descriptions(after)].some((said) => !saidBefore.has(said));
    if (otherItem || otherKind) return `${words[ordered]!.text} … ${word.text}`;
    return undefined;
  }
  return undefined;
}

/**
 * The first words that say the order came with an item other than the one ordered: «не тот/та/те»
 * or «другой» in a sentence about what came («пришёл», «прислали», «в посылке оказались»), «вместо»
 * there, «перепутали», «пересорт»; "received the wrong …", "not what I ordered"; or without part of
 * it (`missingPart`).
 */
export function detectWrongItem(text: string): Claim | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  for (const sentence of text.split(/[.!?\n]+/u)) {
    const words = wordsOf(sentence);
    const lemmas = words.map((word) => lemmaOf(word.lower)?.replace(/ё/gu, 'е'));
    // What did come, in the past tense: «можно другой размер прислать?» asks for something else.
    const received = words.some(
      (word, index) =>
        RECEIVED_FORMS.has(word.lower) ||
        (RECEIVED_LEMMAS.has(lemmas[index] ?? '') && PAST_TENSE.test(word.lower) && !negated(words, index)) ||
        (RECEIVING_LEMMAS.has(lemmas[index] ?? '') && isPresentTense(word.lower) && !negated(words, index)),
    );
    for (const [index, word] of words.entries()) {
      if (word.lower === 'пересорт') return { situation: 'wrong-item', cue: word.text };
      // «перепутали размер» — you mixed it up; «я перепутала» is the customer's own slip.
      if (lemmas[index] === 'перепутать' && words[index - 1]?.lower !== 'я' && word.lower.endsWith('ли')) {
        return { situation: 'wrong-item', cue: word.text };
      }
      if (!received) continue;
      const chosen = CHOSEN_LEMMAS.has(lemmas[index - 1] ?? '');
      if (word.lower === 'не' && THAT_FORMS.has(words[index + 1]?.lower ?? '') && !chosen) {
        return { situation: 'wrong-item', cue: `${word.text} ${words[index + 1]?.text}` };
      }
      if ((OTHER_FORMS.has(word.lower) && !chosen) || word.lower === 'вместо') {
        return { situation: 'wrong-item', cue: word.text };
      }
    }
    const missing = missingPart(sentence, received);
    if (missing) return { situation: 'wrong-item', cue: missing };
    const swapped = orderedOtherCame(sentence, words, lemmas);
    if (swapped) return { situation: 'wrong-item', cue: swapped };
  }
  const english = ENGLISH_WRONG_ITEM.exec(text) ?? ENGLISH_MISSING.exec(text);
  return english ? { situation: 'wrong-item', cue: english[0] } : undefined;
}

/** What is late: the order or an item of it, by lemma (a product word counts too, `products.ts`). */
const ORDER_LEMMAS: ReadonlySet<string> = folded([
  'заказ',
  'посылка',
  'отправление',
  'доставка',
  'курьер',
  'товар',
  'покупка',
  'коробка',
]);
/** What else «не пришло»: money, points, a code or a letter are no late delivery. */
const NOT_ORDER_LEMMAS: ReadonlySet<string> = folded([
  'деньга',
  'деньги',
  'возврат',
  'балл',
  'бонус',
  'код',
  'смс',
  'sms',
  'письмо',
  'чек',
  'подтверждение',
  'ответ',
  'сертификат',
  'уведомление',
]);
/** Being late by itself: «задерживается», «опаздывает», «задержка». */
const LATE_LEMMAS: ReadonlySet<string> = folded([
  'задерживаться',
  'задержаться',
  'задерживать',
  'задержать',
  'задержка',
  'опаздывать',
  'опоздать',
  'опоздание',
]);
/** How an order comes: «не пришёл», «не доставили», «не привезли», «так и не дошла». */
const ARRIVAL_LEMMAS: ReadonlySet<string> = folded([
  'прийти',
  'доставить',
  'привезти',
  'приехать',
  'дойти',
  'получить',
  'прибыть',
]);
const ARRIVAL_FORMS: ReadonlySet<string> = folded([
  'пришел',
  'пришла',
  'пришло',
  'пришли',
  'дошла',
  'дошло',
  'дошли',
]);
const ORDER_WORD = /(?<![\p{L}])(?:заказ|посылк|отправлени)\p{L}*/iu;
/** «уже неделю жду», «жду уже третий день», «который день жду». */
const WAITING_LONG =
  /(?<![\p{L}])(?:(?:уже|который|третий|второй|вторую|третью|целую)\s+(?:\p{L}+\s+)?жд\p{L}*|жд\p{L}*\s+(?:уже|который|третий|вторую|третью))(?![\p{L}])/iu;
/** «так долго везут», «долго идёт», «долго доставляете»: the delivery itself takes long. */
const LONG_DELIVERY =
  /(?<![\p{L}])(?:долго|долгая|долгую)\s+(?:\p{L}+\s+)?(?:вез[уёе]т\p{L}*|везли|ид[её]т|шл[аио]|доставля\p{L}*|доставк\p{L}*|едет|ехал\p{L}*|добира\p{L}*)(?![\p{L}])/iu;
/** «отслеживание стоит на месте», «статус не меняется», «трек не обновляется». */
const STUCK_TRACKING =
  /(?<![\p{L}])(?:отслеживани\p{L}*|статус\p{L}*|трек\p{L}*)\s+(?:\p{L}+\s+)?(?:стоит на месте|не меняется|не обновляется|не двигается|застрял\p{L}*)/iu;
/** A repair, a claim or a return has a status too. */
const OTHER_CASE = /(?<![\p{L}])(?:ремонт|обращени|возврат|заявк|гарант)\p{L}*/iu;
const DUE_NOT_COME =
  /(?<![\p{L}])долж(?:ен|на|но|ны)\s+был\p{L}{0,2}\s+(?:прийти|приехать|привезти|доставить|прибыть)(?![\p{L}])/iu;
const ENGLISH_LATE =
  /\b(?:(?:has|have|had|did|does)(?:n't| not)\s+(?:arrived|arrive|come|been delivered|get here)|(?:still|yet)\s+(?:not|hasn't|haven't)\s+(?:arrived|been delivered|come)|not (?:arrived|delivered) yet|(?:order|parcel|package|delivery|courier)\s+(?:is|was)\s+(?:late|delayed)|should have (?:arrived|been delivered)|was supposed to (?:arrive|be delivered))\b/iu;
const ENGLISH_NOT_ORDER = /\b(?:refund|money|points|code|e-?mail|receipt|certificate)\b/iu;

/**
 * The sentences a late delivery is looked for in. A sentence about money or another case
 * («Прошу вернуть деньги за заказ, товар не получила, курьер так и не приехал») is read clause by
 * clause, without the clauses about the money: the order that never came is still said.
 */
const CLAUSE_BREAK_WORDS = /[,;]|\s+(?:но|а|и|однако)\s+/iu;

function lateDeliveryUnits(text: string): string[] {
  const lemmasOf = (part: string) =>
    wordsOf(part).map((word) => lemmaOf(word.lower)?.replace(/ё/gu, 'е') ?? word.lower);
  const aboutOther = (part: string) => lemmasOf(part).some((lemma) => NOT_ORDER_LEMMAS.has(lemma));
  const units: string[] = [];
  for (const sentence of text.split(/[.!?\n]+/u)) {
    if (!aboutOther(sentence)) units.push(sentence);
    // Clauses end at a comma, or at «но», «а», «и» in a message typed without commas.
    else units.push(...sentence.split(CLAUSE_BREAK_WORDS).filter((clause) => !aboutOther(clause)));
  }
  return units;
}

/** «на 3 часа», «на полчаса», «на 40 минут»: how late, in hours or minutes. */
const BY_HOURS =
  /^\s*на\s+(?:\d+(?:[.,]\d+)?\s*|\p{L}+\s+)?(?:час(?:а|ов)?(?![\p{L}])|полчаса|полтора\s+часа|минут\p{L}*|мин(?![\p{L}]))/iu;

/**
 * «Курьер опоздал на 3 часа», «задержался на полчаса»: it came, late by hours — a complaint about
 * the delivery, not an order still on its way (whose answer is to check the tracking number). The
 * perfective past with the hours it was late by; «опаздывает», «задержали на неделю» stay late.
 */
function cameLate(sentence: string, words: readonly WordToken[], index: number): boolean {
  const word = words[index]!;
  if (!/^(?:опоздал|задержал)/u.test(word.lower) || !PAST_TENSE.test(word.lower)) return false;
  return BY_HOURS.test(sentence.slice(word.end));
}

/**
 * A wait counted in minutes or hours, or one for an answer: «жду уже 40 минут», «жду ответа уже час»
 * (hours as «час», «часа», «часов»: «часы» are a watch).
 */
const REPLY_WAIT =
  /(?<![\p{L}])(?:минут\p{L}*|час(?:а|ов|ам)?(?![\p{L}])|полчаса|ответ\p{L}*|отвеча\p{L}*|оператор\p{L}*)/iu;
/** Who brings an order today: a wait for them in hours is the order's. */
const COURIER = /(?<![\p{L}])(?:курьер\p{L}*|доставк\p{L}*|доставщик\p{L}*)/iu;

/**
 * «Почему так долго отвечаете?? Жду уже 40 минут!!!»: the customer waits for the chat's answer, not
 * for the order (which may be asked about beside it). A wait of minutes or hours, or for an answer,
 * unless the courier is waited for («третий час жду курьера»).
 */
function waitingForReply(sentence: string): boolean {
  return REPLY_WAIT.test(sentence) && !COURIER.test(sentence);
}

/**
 * The first words that say the order is late: «задерживается», «опаздывает», a negated «пришёл /
 * доставили / привезли», «должен был прийти» or «так долго везут» in a sentence about the order or
 * an item and not about money, points or a code; "hasn't arrived", "is late".
 */
export function detectLateDelivery(text: string): Claim | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const stuck = STUCK_TRACKING.exec(text);
  if (stuck && !OTHER_CASE.test(text)) return { situation: 'late-delivery', cue: stuck[0] };
  const orderNamed = ORDER_WORD.test(text) || extractProducts(text, new SpanSet()).length > 0;
  for (const sentence of lateDeliveryUnits(text)) {
    const words = wordsOf(sentence);
    const lemmas = words.map((word) => lemmaOf(word.lower)?.replace(/ё/gu, 'е') ?? word.lower);
    // «Где мой заказ? Уже неделю жду»: waiting, said of an order named anywhere in the message.
    // «Почему так долго везут заказ?»: a delivery that takes long, said of an order.
    const long = LONG_DELIVERY.exec(sentence);
    if (long && orderNamed) return { situation: 'late-delivery', cue: long[0] };
    const waiting = WAITING_LONG.exec(sentence);
    if (waiting && orderNamed && !waitingForReply(sentence))
      return { situation: 'late-delivery', cue: waiting[0] };
    const aboutOrder =
      lemmas.some((lemma) => ORDER_LEMMAS.has(lemma)) || extractProducts(sentence, new SpanSet()).length > 0;
    for (const [index, word] of words.entries()) {
      if (
        LATE_LEMMAS.has(lemmas[index] ?? '') &&
        !negated(words, index) &&
        !cameLate(sentence, words, index)
      ) {
        return { situation: 'late-delivery', cue: word.text };
      }
      const arrival = ARRIVAL_FORMS.has(word.lower) || ARRIVAL_LEMMAS.has(lemmas[index] ?? '');
      if (aboutOrder && arrival && negated(words, index) && PAST_TENSE.test(word.lower)) {
        return { situation: 'late-delivery', cue: `${words[index - 1]?.text} ${word.text}` };
      }
    }
    const due = aboutOrder || /(?:его|её|ее|их)\s+(?:вс[её] ещ[её]\s+|до сих пор\s+)?нет/iu.test(sentence);
    const missed = DUE_NOT_COME.exec(sentence);
    if (missed && due) return { situation: 'late-delivery', cue: missed[0] };
  }
  const english = ENGLISH_LATE.exec(text);
  if (english && !ENGLISH_NOT_ORDER.test(text)) return { situation: 'late-delivery', cue: english[0] };
  return undefined;
}

/** Asking for an item to go back: «вернуть», «сдать», «обменять», «поменять» as a request. */
const RETURN_LEMMAS: ReadonlySet<string> = folded(['вернуть', 'сдать', 'обменять', 'возвратить', 'поменять']);
/** A request's forms by their ending, for words the dictionary does not know: the infinitive or the imperative. */
const REQUEST_FORM = /(?:ть|ти|те|йте)$/u;
const ENGLISH_RETURN =
  /\b(?:(?:want|like|need|wish|can I|could I|may I|how (?:do|can) I|I'd like|is it possible) to (?:return|send back|exchange|swap)|(?:get|want|need) (?:a |my )?(?:refund|money back)|can I (?:return|exchange|send back))\b/iu;
/** Where an item is handed in to be serviced: «сдать в ремонт», «отдать на чистку», «сдать в мастерскую». */
const SERVICE_PLACES = /^(?:ремонт|мастерск|сервис|чистк|подгонк|гравировк|диагностик|проверк)/u;

/**
 * «сдать часы в ремонт», «сдать на проверку качества»: handed in to be serviced, not returned. The
 * place follows «в» or «на» within the next four words of the request.
 */
function handedInForService(words: readonly WordToken[], index: number): boolean {
  for (let next = index + 1; next < words.length && next <= index + 5; next++) {
    const preposition = words[next - 1]!.lower;
    if ((preposition === 'в' || preposition === 'на') && SERVICE_PLACES.test(words[next]!.lower)) return true;
  }
  return false;
}

/** Gift certificates are refunded by their own rules, not returned as items. */
const NOT_AN_ITEM = new Set(['сертификат', 'gift card']);

/** Whether a text names an item: a product (`products.ts`; a certificate is none), «товар», «изделие». */
function namesItem(text: string): boolean {
  return (
    extractProducts(text, new SpanSet()).some((found) => !NOT_AN_ITEM.has(found.value)) ||
    /(?<![\p{L}])(?:товар|издели|украшени)\p{L}*/iu.test(text)
  );
}

/**
 * The first words that ask for an item to be returned or exchanged: a request form of «вернуть»,
 * «сдать», «обменять» in a text that names an item (a product, «товар», «изделие», «покупку»), not
 * negated; "I want to return …", "can I get a refund".
 */
export function detectReturnRequest(text: string): Claim | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  if (!namesItem(text) && !/(?<![\p{L}])покупк\p{L}*/iu.test(text)) return undefined;
  const words = wordsOf(text);
  for (const [index, word] of words.entries()) {
    // «верните», «сдать»; not «когда вернёте?», a question about a refund (the dictionary tells the
    // future «вернёте» from the imperative «верните»; the ending decides for words it does not know).
    const request = isInfinitiveOrImperative(word.lower) ?? REQUEST_FORM.test(word.lower);
    if (!request || refused(words, index)) continue;
    const lemma = lemmaOf(word.lower)?.replace(/ё/gu, 'е');
    if (lemma && RETURN_LEMMAS.has(lemma) && !handedInForService(words, index))
      return { situation: 'return-request', cue: word.text };
  }
  const english = ENGLISH_RETURN.exec(text);
  return english ? { situation: 'return-request', cue: english[0] } : undefined;
}

const ENGRAVED =
  /(?<![\p{L}])(?:с\s+гравировк\p{L}*|выгравирова\p{L}*|engraved|with\s+(?:an?\s+|the\s+)?engraving)(?![\p{L}])/iu;

/** The words that say the item is engraved: «с гравировкой», «выгравировали», "engraved". */
export function detectEngravedItem(text: string): Claim | undefined {
  if (typeof text !== 'string') return undefined;
  const found = ENGRAVED.exec(text);
  return found ? { situation: 'engraved-item', cue: found[0] } : undefined;
}

/**
 * Taking the order: «забрать», «выкупить», «брать» — what the customer does at a pickup point or
 * with a courier; negated («ещё не забирала», «можно не брать?») the order is not theirs yet.
 */
const TAKE_LEMMAS: ReadonlySet<string> = folded(['забрать', 'забирать', 'выкупить', 'выкупать', 'брать']);
/** Where an order waits for the customer: a pickup point, a parcel locker, a post office. */
const PICKUP_PLACES = String.raw`пункт\p{L}*\s+выдачи|пвз|постамат\p{L}*|пункт\p{L}*\s+сдэк|boxberry|боксберри|отделени\p{L}*\s+почты`;
/**
 * Where the order is, not yet taken: «пришёл в пункт выдачи», «лежит в ПВЗ», «готов к выдаче»,
 * «курьер привезёт завтра». Said alone it is a question about the order («когда привезут?»); it
 * counts only with the customer's second thoughts (`CHANGE_OF_MIND`).
 */
const ORDER_WAITING = new RegExp(
  String.raw`(?<![\p{L}])(?:(?:пришел|пришла|пришло|пришли|пришёл|прибыл\p{L}*|лежит|лежат|ждет|ждёт|ждут|доставлен\p{L}*|доставили|привезли|поступил\p{L}*)\s+(?:\p{L}+\s+)?(?:в|на)\s+(?:${PICKUP_PLACES})|готов(?:а|о|ы)?\s+к\s+выдаче|привез[её]т|привезут|доставят|доставит|приед[её]т)(?![\p{L}])`,
  'iu',
);
/** «передумала», «уже не нужны», «не понравится», «не подойдёт», «отказаться»: second thoughts. */
const CHANGE_OF_MIND =
  /(?<![\p{L}])(?:передумал\p{L}*|(?:уже\s+)?не\s+нуж(?:ен|на|но|ны)|не\s+понрав\p{L}*|не\s+подо(?:йд|шл|ш[её]л)\p{L}*|отказ\p{L}*|откаж\p{L}*)(?![\p{L}])/iu;
/** «откажусь при получении», «отказаться у курьера». */
const REFUSE_AT_RECEIPT =
  /(?<![\p{L}])(?:отказ\p{L}*|откаж\p{L}*|не\s+(?:брать|забирать|выкупать|принимать))\s+(?:\p{L}+\s+)?(?:при\s+получении|у\s+курьера|в\s+пункте\s+выдачи|в\s+пвз|на\s+кассе)(?![\p{L}])/iu;
const ENGLISH_NOT_YET_RECEIVED =
  /\b(?:(?:haven't|have not|didn't|did not|not yet|yet to)\s+(?:picked|pick)\s+(?:(?:it|them|my order|the order|the parcel)\s+)?up|not picked up(?: yet)?|refuse (?:it |them |the order |my order )?(?:at|on) (?:delivery|pick-?up|the pick-?up point))\b/iu;

/**
 * The first words that say the order is not in the customer's hands yet and they think of not
 * taking it: «ещё не забирала», «можно не брать?», «не выкупила», «откажусь при получении»; «заказ
 * пришёл в пункт выдачи» or «курьер привезёт завтра» with second thoughts («передумала», «если не
 * понравится»); "I haven't picked it up yet". Until then any item can be refused, so answers about
 * returning what was accepted are wrong. A question about where the order is («когда привезут?») is
 * not this, nor is an order that has not come when due (`late-delivery`: «не получила», «не пришёл»).
 */
export function detectNotYetReceived(text: string): Claim | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const refuse = REFUSE_AT_RECEIPT.exec(text);
  if (refuse) return { situation: 'not-yet-received', cue: refuse[0] };
  for (const sentence of text.split(/[.!?\n]+/u)) {
    // A return or a repair is collected too: «курьер не забрал возврат» is not the order.
    if (OTHER_CASE.test(sentence)) continue;
    const words = wordsOf(sentence);
    for (const [index, word] of words.entries()) {
      const lemma = lemmaOf(word.lower)?.replace(/ё/gu, 'е');
      if (!lemma || !TAKE_LEMMAS.has(lemma) || !negated(words, index)) continue;
      // «ещё не забирала», «пока не выкупил», «можно не брать?»: the customer has not taken it.
      return { situation: 'not-yet-received', cue: `${words[index - 1]?.text} ${word.text}` };
    }
  }
  const waiting = ORDER_WAITING.exec(text);
  if (waiting && CHANGE_OF_MIND.test(text)) return { situation: 'not-yet-received', cue: waiting[0] };
  const english = ENGLISH_NOT_YET_RECEIVED.exec(text);
  return english ? { situation: 'not-yet-received', cue: english[0] } : undefined;
}

/** Cancelling: «отменить», «отменять», «аннулировать» as a request; «отказаться» from an order. */
const CANCEL_LEMMAS: ReadonlySet<string> = folded(['отменить', 'отменять', 'аннулировать']);
/**
 * The request said without the verb: «прошу отмену», «отмена заказа», «отказаться от заказа»,
 * «заказ больше не нужен», «передумала покупать».
 */
const CANCEL_PHRASE = new RegExp(
  [
    String.raw`(?:прошу|хочу|нужна|нужно|оформ\p{L}*|сдела\p{L}*)\s+(?:\p{L}+\s+)?отмен(?:у|а|ить)`,
    String.raw`отмен(?:а|у|ы)\s+(?:моего\s+|мой\s+|этого\s+)?заказ\p{L}*`,
    String.raw`(?:отказаться|откажусь|отказываюсь)\s+от\s+(?:(?:\p{L}+\s+)?(?:заказ|покупк)\p{L}*|него|нее|неё)`,
    String.raw`от\s+(?:заказ\p{L}*|покупк\p{L}*|него|нее|неё)\s+(?:\p{L}+\s+)?(?:отказаться|откажусь|отказываюсь)`,
    String.raw`заказ\p{L}*\s+(?:\p{L}+\s+)?(?:уже\s+|больше\s+)?не\s+нуж(?:ен|на|но|ны)`,
    String.raw`(?:уже\s+|больше\s+)?не\s+нуж(?:ен|на|но|ны)\s+(?:мне\s+)?(?:этот\s+)?заказ`,
    String.raw`передумал\p{L}*\s+(?:покупать|заказывать|брать\s+заказ)`,
  ]
    .map((pattern) => String.raw`(?<![\p{L}])(?:${pattern})(?![\p{L}])`)
    .join('|'),
  'iu',
);
const ENGLISH_CANCEL =
  /\b(?:(?:want|like|need|wish|can I|could I|how (?:do|can) I|please|I'd like) to cancel|cancel (?:my|the|this|that|it|an?)\b|cancell?ation of (?:my|the) order)/iu;
const ENGLISH_NOT_CANCEL =
  /\b(?:don't|do not|didn't|did not|never|why did you|why was)\s+(?:\w+\s+){0,2}cancel/iu;

/**
 * The first words that ask for the order to be cancelled: a request form of «отменить» («отмените
 * заказ», «как отменить?», «можно отменить?»), not negated («не отменяйте») and not about a return
 * or a claim; «прошу отмену», «отказаться от заказа», «заказ больше не нужен»; "please cancel my
 * order". Not «заказ отменили» (it happened), not «где мой заказ?»: a reply that states the
 * order cancelled is for a customer who asked for it.
 */
export function detectCancelRequest(text: string): Claim | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  for (const sentence of text.split(/[.!?\n]+/u)) {
    // «отменить возврат», «отменить заявку на ремонт» are other cases.
    if (OTHER_CASE.test(sentence)) continue;
    const words = wordsOf(sentence);
    for (const [index, word] of words.entries()) {
      const request = isInfinitiveOrImperative(word.lower) ?? REQUEST_FORM.test(word.lower);
      if (!request || refused(words, index)) continue;
      const lemma = lemmaOf(word.lower)?.replace(/ё/gu, 'е');
      if (lemma && CANCEL_LEMMAS.has(lemma)) return { situation: 'cancel-request', cue: word.text };
    }
    const phrase = CANCEL_PHRASE.exec(sentence);
    if (phrase) return { situation: 'cancel-request', cue: phrase[0] };
  }
  if (ENGLISH_NOT_CANCEL.test(text)) return undefined;
  const english = ENGLISH_CANCEL.exec(text);
  return english ? { situation: 'cancel-request', cue: english[0] } : undefined;
}

/** Verbs whose past tense says an item went back: «вернула», «сдал», «отправили обратно». */
const RETURNED_LEMMAS: ReadonlySet<string> = folded(['вернуть', 'возвратить', 'сдать', 'отнести', 'отдать']);
/** A return that exists: filed, accepted, or money asked for it («деньги за возврат»). */
const RETURN_MADE = new RegExp(
  [
    String.raw`(?:оформил\p{L}*|сделал\p{L}*|подал\p{L}*|создал\p{L}*)\s+(?:\p{L}+\s+)?(?:возврат|заявк\p{L}*\s+на\s+возврат)`,
    String.raw`(?:возврат|заявк\p{L}*\s+на\s+возврат)\s+(?:\p{L}+\s+)?(?:оформлен\p{L}*|принят\p{L}*|одобрен\p{L}*|создан\p{L}*|оформил\p{L}*|сделал\p{L}*|подал\p{L}*)`,
    String.raw`(?:за|по)\s+(?:мо\p{L}*\s+|этому\s+|этот\s+)?возврат\p{L}*`,
    String.raw`отправил\p{L}*\s+(?:\p{L}+\s+)?обратно`,
  ]
    .map((pattern) => String.raw`(?<![\p{L}])(?:${pattern})(?![\p{L}])`)
    .join('|'),
  'iu',
);
const ENGLISH_RETURNED =
  /\b(?:I(?: have|'ve)? (?:returned|sent (?:it|them|\w+ \w+) back|brought (?:it|them) back)|(?:my|the) return (?:was|has been|is) (?:accepted|received|processed)|refund for (?:my|the) return|money for (?:my|the) return)\b/iu;

/**
 * The first words that say an item has gone back or a return was filed: a past form of «вернуть»,
 * «сдать», «отнести» with an item or a place named in the same sentence («сдала браслет в
 * магазин», «вернула серьги»), not negated («деньги не вернули» is the shop's, and names no item);
 * «оформила возврат», «возврат принят», «деньги за возврат»; "I returned the ring". Not «хочу
 * вернуть» (a request), not «когда вернёте?» (money, said of the future).
 */
export function detectItemReturned(text: string): Claim | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  for (const sentence of text.split(/[.!?\n]+/u)) {
    const made = RETURN_MADE.exec(sentence);
    if (made) return { situation: 'item-returned', cue: made[0] };
    if (
      !namesItem(sentence) &&
      !/(?<![\p{L}])(?:в|во)\s+(?:магазин|пункт|пвз|сдэк|офис)\p{L}*/iu.test(sentence)
    )
      continue;
    const words = wordsOf(sentence);
    for (const [index, word] of words.entries()) {
      if (!isPastTense(word.lower) || negated(words, index)) continue;
      const lemma = lemmaOf(word.lower)?.replace(/ё/gu, 'е');
      if (lemma && RETURNED_LEMMAS.has(lemma) && !handedInForService(words, index))
        return { situation: 'item-returned', cue: word.text };
    }
  }
  const english = ENGLISH_RETURNED.exec(text);
  return english ? { situation: 'item-returned', cue: english[0] } : undefined;
}

/** Situations in which the customer reports something gone wrong: one reply does not settle it. */
const PROBLEM_SITUATIONS: ReadonlySet<Situation> = new Set<Situation>([
  'defect-claim',
  'wrong-item',
  'late-delivery',
]);

/** Whether the situation is a problem the customer reports (not an intent such as a return request). */
export function isProblem(situation: Situation): boolean {
  return PROBLEM_SITUATIONS.has(situation);
}

/** Whether the customer's turns report a problem with the item or the order (a defect, a wrong item). */
export function reportsProblem(customerTexts: readonly string[]): boolean {
  return detectSituations(customerTexts).some((claim) => PROBLEM_SITUATIONS.has(claim.situation));
}

/**
 * What a return or exchange refusal says: «не подлежат возврату», «вернуть или обменять не
 * получится», «обменять нельзя», "cannot be returned or exchanged". Such a reply is for goods of
 * proper quality; to a customer claiming a defect it refuses a legitimate claim, whether or not the
 * knowledge base declared it `notFor` defect claims (a team's own sheet will not have).
 */
const RETURN_REFUSAL =
  /(?:не\s+подлеж\p{L}*\s+(?:возврат|обмен)|(?:вернуть|обменять)(?:\s+или\s+(?:вернуть|обменять))?\s+(?:не\s+получится|нельзя|невозможно)|нельзя\s+(?:вернуть|обменять)|не\s+(?:возвращаются|обмениваются|возвращается|обменивается)|(?:cannot|can't|can\s+not)\s+be\s+(?:returned|exchanged)|non-?returnable)/iu;

/** Words about returning or exchanging an item, or getting money back, in any form. */
const RETURN_WORDS =
  /(?<![\p{L}])(?:верн|возвра|обмен|поменя|меня(?:ть|ем|ют)|замен|сдат|сдам|сдаю|сдава|сдала|сдал|refund|return|exchang|swap|money\s+back|send\s+(?:it\s+|them\s+)?back)/iu;

/**
 * Whether any customer turn speaks of returning or exchanging an item, or says it did not fit or
 * please (what a return is asked for: «Кольцо не понравилось, я его не носила»). A refusal to take
 * an item back answers nobody who did neither («Как почистить золотое кольцо?» is no «кольцо
 * вернуть не получится»).
 */
export function mentionsReturn(customerTexts: readonly string[]): boolean {
  return customerTexts.some((text) => RETURN_WORDS.test(text)) || reportsMisfit(customerTexts);
}

/** Whether a reply refuses to take an item back anywhere in it (`RETURN_REFUSAL`). */
export function refusesReturn(text: string): boolean {
  return RETURN_REFUSAL.test(text);
}

/**
 * Whether a reply *is* a refusal: it says so in its first two sentences («Понимаю, как неприятно…
 * К сожалению, кольцо вернуть не получится»), not in a note at its end (the engraving answer's
 * «изделие с гравировкой вернуть нельзя»).
 */
export function leadsWithRefusal(text: string): boolean {
  return RETURN_REFUSAL.test(splitSentences(text).slice(0, 2).join(' '));
}

/**
 * Every situation the customer's turns put the conversation in, each once, with its first cue. On
 * the `marketplace` channel (a review or a question on a marketplace's product page) the order is
 * the marketplace's whether or not the words name one: the site's own return steps, address
 * changes or cancellation answer nobody there.
 */
export function detectSituations(
  customerTexts: readonly string[],
  options: { channel?: string | undefined } = {},
): Claim[] {
  const claims: Claim[] = [];
  for (const detect of [
    detectDefectClaim,
    detectMarketplaceOrder,
    detectMaterial,
    detectWrongItem,
    detectLateDelivery,
    detectReturnRequest,
    detectItemReturned,
    detectEngravedItem,
    detectNotYetReceived,
    detectCancelRequest,
  ]) {
    for (const text of customerTexts) {
      const claim = detect(text);
      // «Если часы сломаются через год, гарантия будет?» asks in advance: nothing broke.
      if (claim && isProblem(claim.situation) && asksInAdvance(text)) continue;
      if (claim) {
        claims.push(claim);
        break;
      }
    }
  }
  if (options.channel === 'marketplace' && !claims.some((claim) => claim.situation === 'marketplace-order')) {
    claims.push({ situation: 'marketplace-order', cue: '', implied: true });
  }
  return claims;
}

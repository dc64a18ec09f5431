/**
 * Whether the customer writes about an order or a purchase of their own — «мой заказ», «заказ уже в
 * пути», «заказывала на прошлой неделе», «пришли не те серьги», "I ordered a necklace", "my package
 * hasn't arrived" — rather than asking how things work («Сколько идёт доставка в Новосибирск?»,
 * «Есть ли рассрочка?», "Do you ship to Kazakhstan?"). Only then is an order number missing: asking
 * for one to answer a question about delivery times is noise in the panel.
 */
import { isPastTense, lemmaOf } from './inflect.ts';

/** «мой заказ», «моя посылка», «мои серьги», «наш заказ», «у меня заказ». */
const POSSESSED =
  /(?<![\p{L}])(?:(?:мо(?:й|я|е|ё|и|его|ему|им|ем|ём|ей|ю|их|ими)|наш\p{L}{0,3})\s+(?:\p{L}+\s+)?|у\s+меня\s+(?:(?!вопрос)\p{L}+\s+)?)(?:заказ|посылк|покупк|доставк|товар|издели|кольц|колечк|серьг|серёж|сереж|цепочк|браслет|часы|час(?:ов|ами)|кулон|подвеск|сертификат|возврат|деньг|балл)/iu;

/** The order named with what is happening to it: «заказ уже в пути», «заказ задерживается». */
const ORDER_STATUS =
  /(?<![\p{L}])(?:заказ|посылк)\p{L}{0,2}\s+(?:№\s*)?(?:\p{N}+\s+)?(?:уже\s+|ещё\s+|еще\s+|до\s+сих\s+пор\s+|так\s+и\s+)?(?:в\s+пути|должен\s+был|не\s+(?:при|до|от)|передан|собира|готов|задерж|отмен|оплачен|оформлен|доставлен|застрял|потерял|пришл|пришел|пришёл|приехал|прибыл|лежит|висит|стоит)/iu;

/** Verbs of an order's life told in the past: «заказывала», «оформил», «пришли», «привезли». */
const ORDER_EVENTS: ReadonlySet<string> = new Set([
  'заказать',
  'заказывать',
  'оформить',
  'оформлять',
  'купить',
  'покупать',
  'приобрести',
  'получить',
  'получать',
  'оплатить',
  'оплачивать',
  'прийти',
  'приходить',
  'приехать',
  'подойти',
  'привезти',
  'привозить',
  'доставить',
  'доставлять',
  'отправить',
  'прислать',
  'выслать',
  'передать',
  'списать',
  'списаться',
  'вручить',
  'дарить',
  'подарить',
]);

const ENGLISH =
  /\b(?:(?:my|our)\s+(?:\w+\s+)?(?:order|package|parcel|purchase|delivery|item|refund|ring|earrings|necklace|bracelet|chain|watch|pendant|gift card)|I\s+(?:have\s+|had\s+|just\s+)?(?:ordered|bought|purchased|received|paid|placed|returned|got)|(?:hasn't|has not|haven't|have not|didn't|did not|never|still\s+not|not\s+yet)\s+(?:\w+\s+)?(?:arrive[ds]?|come|came|ship(?:ped)?|deliver(?:ed)?)|where\s+is\s+(?:my|the)\s+(?:order|package|parcel|refund))\b/iu;

const WORD = /\p{L}+/gu;

/** Whether any customer turn refers to an order or a purchase of the customer's own. */
export function refersToOwnOrder(customerTexts: readonly string[]): boolean {
  for (const text of customerTexts) {
    if (typeof text !== 'string' || text.trim() === '') continue;
    if (POSSESSED.test(text) || ORDER_STATUS.test(text) || ENGLISH.test(text)) return true;
    for (const match of text.slice(0, 2_000).matchAll(WORD)) {
      const word = match[0].toLowerCase();
      if (word.length < 4 || !/^\p{Script=Cyrillic}+$/u.test(word)) continue;
      const lemma = lemmaOf(word);
      if (lemma && ORDER_EVENTS.has(lemma) && isPastTense(word)) return true;
    }
  }
  return false;
}

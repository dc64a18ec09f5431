/**
 * Finds where a reply template states an action or a fact as already done — «заказ отменён», «мы
 * отправили запрос», «Я передал(а) ваш вопрос», «готов к выдаче», "has been cancelled" — which the
 * operator must first perform or check. A template that says so without declaring `preconditions`
 * gets an ingest warning (FORMATS.md), so a team's own knowledge base is checked, not only ours.
 *
 * Russian morphology by form: short passive participles (verbal prefix + -ен/-ён/-ан/-ят/-ыт with
 * the short endings), past tense after «мы»/«я», and the state adjective «готов». English: the
 * perfect and the passive of a done action. A warning, not an error: a rare false alarm is cheap.
 */

const PREFIX = '(?:пере|пред|при|от|обо|об|о|вы|до|за|на|по|под|раз|рас|про|вз|воз|из|ис|с|у|в)';
/** «оформлен», «отменён», «оплачена», «доставлены», «начислено». */
const PARTICIPLE_EN = `${PREFIX}\\p{L}*(?:[лнжчшщрдсзвбпт]ен|ён)[аоы]?`;
/** «передан», «выдана», «создано», «подписаны». */
const PARTICIPLE_AN = `${PREFIX}\\p{L}*[дсзлнт]ан[аоы]?`;
/** «принят», «снята», «закрыт», «открыто». */
const PARTICIPLE_T = `(?:${PREFIX}?(?:ня|взя|сня)т|${PREFIX}\\p{L}*ыт)[аоы]?`;
/** Nouns that look like participles: «отмена», «обмен», «замены», «стакан». */
const NOT_PARTICIPLES =
  /^(?:от|за|с|из|пере|об|раз)?мен[аыуеоё]?$|^(?:обмен|размен)\p{L}*$|^(?:стена|сцена|стакан|обман|роман|карман|должен|должна|должно|должны)\p{L}*$/u;

const RUSSIAN_PARTICIPLE = new RegExp(
  `(?<![\\p{L}-])(${PARTICIPLE_EN}|${PARTICIPLE_AN}|${PARTICIPLE_T})(?![\\p{L}-])`,
  'giu',
);
const RUSSIAN_PAST_FIRST_PERSON =
  /(?<![\p{L}-])(?:мы|я)\s+(?:уже\s+)?(\p{L}{3,}(?:ли|л|ла)(?:\(а\))?)(?![\p{L}-])/giu;
const RUSSIAN_READY = /(?<![\p{L}-])(готов[аоы]?)\s+(?:к|для)(?![\p{L}-])/giu;
const ENGLISH_DONE: readonly RegExp[] = [
  /\b(?:has|have)\s+been\s+[a-z]+(?:ed|en|t)\b(?:\s+(?:over|back|out))?/giu,
  /\b(?:I|we)(?:\s+have|'ve)\s+(?:already\s+)?[a-z]+(?:ed|en|t)\b/giu,
  /\b(?:is|are|was|were)\s+(?:already\s+)?(?:cancell?ed|refunded|changed|sent|shipped|dispatched|approved|accepted|processed|received|ready)\b/giu,
];

/** The phrases that state something as done, in order of appearance, each once. */
export function statedActions(text: string): string[] {
  const found: Array<{ index: number; phrase: string }> = [];
  for (const match of text.matchAll(RUSSIAN_PARTICIPLE)) {
    const word = match[1] ?? '';
    if (word.length >= 5 && !NOT_PARTICIPLES.test(word.toLowerCase())) {
      found.push({ index: match.index, phrase: word });
    }
  }
  for (const pattern of [RUSSIAN_PAST_FIRST_PERSON, RUSSIAN_READY, ...ENGLISH_DONE]) {
    for (const match of text.matchAll(pattern)) found.push({ index: match.index, phrase: match[0] });
  }
  const phrases = found.sort((left, right) => left.index - right.index).map((item) => item.phrase);
  return [...new Set(phrases)];
}

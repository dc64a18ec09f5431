/**
 * «ты» and «вы» in a Russian draft: pronouns, 2nd-person verbs and imperatives, each with the
 * span to underline and the form to use instead.
 */
import { type WordToken, wordTokens } from '../text/tokens.ts';

export type AddressForm = 'vy' | 'ty';

export interface AddressUse {
  form: AddressForm;
  word: string;
  start: number;
  end: number;
  /** The same word in the other form, when it can be derived. */
  counterpart?: string;
}

const TY_TO_VY: ReadonlyMap<string, string> = new Map([
  ['ты', 'вы'],
  ['тебя', 'вас'],
  ['тебе', 'вам'],
  ['тобой', 'вами'],
  ['тобою', 'вами'],
  ['твой', 'ваш'],
  ['твоя', 'ваша'],
  ['твое', 'ваше'],
  ['твои', 'ваши'],
  ['твоего', 'вашего'],
  ['твоей', 'вашей'],
  ['твоему', 'вашему'],
  ['твоим', 'вашим'],
  ['твоими', 'вашими'],
  ['твоих', 'ваших'],
  ['твою', 'вашу'],
]);
const VY_TO_TY: ReadonlyMap<string, string> = new Map([
  ['вы', 'ты'],
  ['вас', 'тебя'],
  ['вам', 'тебе'],
  ['вами', 'тобой'],
  ['ваш', 'твой'],
  ['ваша', 'твоя'],
  ['ваше', 'твоё'],
  ['ваши', 'твои'],
  ['вашего', 'твоего'],
  ['вашей', 'твоей'],
  ['вашему', 'твоему'],
  ['вашим', 'твоим'],
  ['вашими', 'твоими'],
  ['ваших', 'твоих'],
  ['вашу', 'твою'],
]);

/** Singular imperatives operators actually write («сделай», «напиши», «обратись»). */
const TY_IMPERATIVES = new Set(
  `сделай напиши подожди проверь скажи подскажи отправь позвони посмотри зайди укажи уточни оформи верни выбери
  нажми открой перезагрузи попробуй обратись свяжись переживай извини прости дай оставь сообщи заполни приложи
  сфотографируй опиши ответь жди звони пиши смотри давай загляни воспользуйся обнови перейди введи скопируй
  вставь почисти получи забери приходи приезжай будь держи помоги отпиши сохрани покажи найди войди перешли
  подтверди измени отмени закажи напомни пойми учти знай`.split(/\s+/u),
);
/** Words ending like a 2nd-person verb that are not one. */
const NOT_TY_VERBS = new Set(['лишь', 'мышь', 'тишь', 'глушь', 'ишь', 'вишь', 'камышь']);
const TY_VERB = /^\p{L}{2,}(?:ешь|ишь)(?:ся)?$/u;
const VY_VERB = /^\p{L}{3,}(?:ете|ите|йте|ьте)(?:сь)?$/u;
/** Nouns in the prepositional case end like «-ете/-ите»; they follow a preposition. */
const PREPOSITIONS = new Set(['в', 'во', 'на', 'о', 'об', 'обо', 'при', 'по']);
const NOT_VY_VERBS = new Set(
  `сайте интернете ответе пакете букете конверте билете предмете комплекте браслете кабинете объекте проекте
  ассортименте документе моменте кредите депозите визите аппетите магните граните бюджете портрете секрете
  совете пистолете самолете кассете анкете ракете диете газете планете карете монете`.split(/\s+/u),
);

function keepCase(original: string, replacement: string): string {
  const first = original[0];
  if (first !== undefined && first !== first.toLowerCase()) {
    return replacement[0]!.toUpperCase() + replacement.slice(1);
  }
  return replacement;
}

function tyVerbToVy(word: string): string {
  // можешь → можете, получишь → получите, занимаешься → занимаетесь
  return word.replace(/(шь)(ся)?$/u, (_whole, _ending, reflexive: string | undefined) =>
    reflexive ? 'тесь' : 'те',
  );
}

function tyImperativeToVy(word: string): string {
  if (/ся$/u.test(word)) return `${word.slice(0, -2)}тесь`;
  if (/сь$/u.test(word)) return `${word.slice(0, -2)}тесь`;
  return `${word}те`;
}

function vyVerbToTy(word: string): string | undefined {
  const reflexive = /сь$/u.test(word);
  const base = reflexive ? word.slice(0, -2) : word;
  let result: string;
  if (/[йь]те$/u.test(base)) result = base.slice(0, -2);
  else if (/ете$/u.test(base) || /[её]те$/u.test(base)) result = `${base.slice(0, -2)}шь`;
  else if (/ите$/u.test(base)) result = base.slice(0, -2);
  else return undefined;
  // The reflexive ending is «-сь» after a vowel («обратись») and «-ся» otherwise («воспользуйся»).
  return reflexive ? `${result}${/[аеёиоуыэюя]$/u.test(result) ? 'сь' : 'ся'}` : result;
}

function followsPreposition(tokens: readonly WordToken[], index: number): boolean {
  for (let back = index - 1; back >= 0 && back >= index - 2; back--) {
    if (PREPOSITIONS.has(tokens[back]!.norm)) return true;
  }
  return false;
}

function classify(tokens: readonly WordToken[], index: number): AddressUse | undefined {
  const token = tokens[index]!;
  const word = token.norm;
  const at = { word: token.text, start: token.start, end: token.end };
  const tyPronoun = TY_TO_VY.get(word);
  if (tyPronoun) return { form: 'ty', ...at, counterpart: keepCase(token.text, tyPronoun) };
  const vyPronoun = VY_TO_TY.get(word);
  if (vyPronoun) return { form: 'vy', ...at, counterpart: keepCase(token.text, vyPronoun) };
  if (TY_VERB.test(word) && !NOT_TY_VERBS.has(word))
    return { form: 'ty', ...at, counterpart: tyVerbToVy(token.text) };
  if (TY_IMPERATIVES.has(word)) return { form: 'ty', ...at, counterpart: tyImperativeToVy(token.text) };
  if (VY_VERB.test(word) && !NOT_VY_VERBS.has(word) && !followsPreposition(tokens, index)) {
    const counterpart = vyVerbToTy(token.text);
    return counterpart ? { form: 'vy', ...at, counterpart } : { form: 'vy', ...at };
  }
  return undefined;
}

/** Every «ты» and «вы» form in the text, in order. */
export function findAddressForms(text: string): AddressUse[] {
  const tokens = wordTokens(text);
  const uses: AddressUse[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const use = classify(tokens, index);
    if (use) uses.push(use);
  }
  return uses;
}

import { type PersonalDataKind, seededRandom } from '@naparnik/ingest';
import { z } from 'zod';
import { EvalRunError } from '../errors.ts';

/**
 * A labelled corpus for the redaction eval: support messages written as customers write them
 * (`fixtures/pii-templates.jsonl`), their slots filled with generated values. Personal slots get
 * valid values (check digits computed here, independently of the redactor); decoy slots get what
 * must stay: order and tracking numbers (some of them passing a card, INN or SNILS check), prices,
 * dates, and card, SNILS and INN numbers whose check digits are wrong. Same seed, same corpus.
 */

export const piiTemplateSchema = z
  .object({
    id: z.string().min(1),
    language: z.enum(['ru', 'en']),
    text: z.string().min(1),
  })
  .strict();
export type PiiTemplate = z.infer<typeof piiTemplateSchema>;

export interface PlantedValue {
  kind: PersonalDataKind;
  start: number;
  end: number;
  value: string;
}

export interface Decoy {
  /** The slot it came from: `order`, `bad_card`, `price`… */
  slot: string;
  start: number;
  end: number;
  value: string;
}

export interface LabelledMessage {
  id: string;
  template: string;
  language: 'ru' | 'en';
  text: string;
  planted: PlantedValue[];
  decoys: Decoy[];
}

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function digits(random: Random, count: number): string {
  let value = '';
  for (let index = 0; index < count; index++) value += String(Math.floor(random() * 10));
  return value;
}

function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

/** Luhn check digit for a number without it. */
function luhnDigit(body: string): number {
  let sum = 0;
  for (let index = 0; index < body.length; index++) {
    let value = Number(body[body.length - 1 - index]);
    if (index % 2 === 0) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return (10 - (sum % 10)) % 10;
}

function snilsControl(body: string): string {
  let sum = 0;
  for (let index = 0; index < 9; index++) sum += Number(body[index]) * (9 - index);
  const control = sum % 101 === 100 ? 0 : sum % 101;
  return String(control).padStart(2, '0');
}

function innDigit(body: string, weights: number[]): string {
  let sum = 0;
  for (let index = 0; index < weights.length; index++) sum += Number(body[index]) * weights[index]!;
  return String((sum % 11) % 10);
}

function inn10(random: Random): string {
  const body = `${String(between(random, 1, 99)).padStart(2, '0')}${digits(random, 7)}`;
  return body + innDigit(body, [2, 4, 10, 3, 5, 9, 4, 6, 8]);
}

function inn12(random: Random): string {
  let body = `${String(between(random, 1, 99)).padStart(2, '0')}${digits(random, 8)}`;
  body += innDigit(body, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
  return body + innDigit(body, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
}

function snilsNumber(random: Random): string {
  const body = String(between(random, 1_002_000, 999_999_999)).padStart(9, '0');
  return body + snilsControl(body);
}

function cardPrefix(random: Random): string {
  const network = pick(random, ['mir', 'visa', 'mastercard', 'mastercard2'] as const);
  if (network === 'mir') return `220${between(random, 0, 4)}`;
  if (network === 'visa') return `4${digits(random, 3)}`;
  if (network === 'mastercard') return `5${between(random, 1, 5)}${digits(random, 2)}`;
  return String(between(random, 2221, 2720));
}

function cardNumber(random: Random): string {
  const body = `${cardPrefix(random)}${digits(random, 11)}`;
  return body + luhnDigit(body);
}

function badCardNumber(random: Random): string {
  const valid = cardNumber(random);
  const wrong = (Number(valid.at(-1)) + between(random, 1, 9)) % 10;
  return valid.slice(0, -1) + wrong;
}

function groupCard(random: Random, number: string): string {
  const style = pick(random, ['spaces', 'spaces', 'plain', 'dashes'] as const);
  if (style === 'plain') return number;
  return number.match(/.{1,4}/gu)!.join(style === 'spaces' ? ' ' : '-');
}

function formatSnils(random: Random, number: string): string {
  const [a, b, c, d] = [number.slice(0, 3), number.slice(3, 6), number.slice(6, 9), number.slice(9)];
  return pick(random, [
    `${a}-${b}-${c} ${d}`,
    `${a}-${b}-${c} ${d}`,
    `${a} ${b} ${c} ${d}`,
    number,
    `${a}-${b}-${c}-${d}`,
  ]);
}

/** A Russian mobile or landline number, as people write it. */
function russianPhone(random: Random): string {
  const code =
    random() < 0.8 ? `9${digits(random, 2)}` : pick(random, ['495', '499', '812', '343', '383', '843']);
  const [a, b, c] = [digits(random, 3), digits(random, 2), digits(random, 2)];
  return pick(random, [
    `+7 (${code}) ${a}-${b}-${c}`,
    `+7${code}${a}${b}${c}`,
    `8${code}${a}${b}${c}`,
    `8 ${code} ${a} ${b} ${c}`,
    `8-${code}-${a}-${b}-${c}`,
    `8(${code})${a}-${b}-${c}`,
    `+7 ${code} ${a}-${b}-${c}`,
    `7${code}${a}${b}${c}`,
    `8 (${code}) ${a} ${b} ${c}`,
    `+7-${code}-${a}-${b}${c}`,
    `+7 ${code} ${a}${b}${c}`,
    `8 ${code} ${a}-${b}${c}`,
  ]);
}

function internationalPhone(random: Random): string {
  return pick(random, [
    `+375 ${pick(random, ['29', '33', '44'])} ${digits(random, 3)}-${digits(random, 2)}-${digits(random, 2)}`,
    `+380 ${pick(random, ['67', '50', '93'])} ${digits(random, 3)} ${digits(random, 4)}`,
    `+998 ${pick(random, ['90', '93', '97'])} ${digits(random, 3)} ${digits(random, 2)} ${digits(random, 2)}`,
    `+49 151 ${digits(random, 8)}`,
    `+44 7700 ${digits(random, 6)}`,
    `+1 ${between(random, 201, 989)} ${digits(random, 3)} ${digits(random, 4)}`,
    `+77${digits(random, 9)}`,
  ]);
}

function northAmericanPhone(random: Random): string {
  const [area, exchange, line] = [
    String(between(random, 201, 989)),
    String(between(random, 201, 989)),
    digits(random, 4),
  ];
  return pick(random, [
    `(${area}) ${exchange}-${line}`,
    `${area}-${exchange}-${line}`,
    `+1 ${area} ${exchange} ${line}`,
    `1-${area}-${exchange}-${line}`,
    `${area}.${exchange}.${line}`,
  ]);
}

function landline(random: Random): string {
  const local = `${digits(random, 3)}-${digits(random, 2)}-${digits(random, 2)}`;
  return pick(random, [local, `(${pick(random, ['495', '812', '343'])}) ${local}`]);
}

const MALE_FIRST = [
  'Александр',
  'Дмитрий',
  'Сергей',
  'Андрей',
  'Алексей',
  'Иван',
  'Михаил',
  'Никита',
  'Артём',
  'Павел',
];
const FEMALE_FIRST = [
  'Анна',
  'Мария',
  'Елена',
  'Ольга',
  'Наталья',
  'Татьяна',
  'Екатерина',
  'Ирина',
  'Светлана',
  'Юлия',
];
const SURNAMES = [
  'Иванов',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Петров',
  'Соколов',
  'Михайлов',
  'Новиков',
  'Фёдоров',
  'Морозов',
  'Волков',
  'Лебедев',
  'Козлов',
  'Белоусов',
];
const PATRONYMIC_ROOTS = [
  'Александров',
  'Дмитриев',
  'Сергеев',
  'Андреев',
  'Алексеев',
  'Иванов',
  'Михайлов',
  'Павлов',
  'Николаев',
  'Викторов',
];

interface RussianName {
  first: string;
  surname: string;
  patronymic: string;
}

function russianName(random: Random): RussianName {
  const female = random() < 0.5;
  const surname = pick(random, SURNAMES);
  const root = pick(random, PATRONYMIC_ROOTS);
  return {
    first: pick(random, female ? FEMALE_FIRST : MALE_FIRST),
    surname: female ? `${surname}а` : surname,
    patronymic: female ? `${root}на` : `${root}ич`,
  };
}

function shortName(random: Random): string {
  const name = russianName(random);
  return pick(random, [
    `${name.first} ${name.surname}`,
    `${name.surname} ${name.first}`,
    `${name.surname} ${name.first[0]}.${name.patronymic[0]}.`,
    `${name.surname} ${name.first} ${name.patronymic}`,
  ]);
}

function fullName(random: Random): string {
  const name = russianName(random);
  return pick(random, [
    `${name.surname} ${name.first} ${name.patronymic}`,
    `${name.first} ${name.patronymic} ${name.surname}`,
    `${name.surname} ${name.first[0]}. ${name.patronymic[0]}.`,
  ]);
}

const EN_FIRST = ['John', 'Emily', 'Michael', 'Sarah', 'David', 'Jessica', 'Chris', 'Laura'];
const EN_LAST = ['Smith', 'Johnson', 'Brown', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson'];

const TRANSLIT = [
  'ivan',
  'anna',
  'olga',
  'petrov',
  'smirnova',
  'kuznetsov',
  'masha',
  'dima',
  'alex',
  'elena',
];
const DOMAINS = [
  'mail.ru',
  'yandex.ru',
  'gmail.com',
  'bk.ru',
  'list.ru',
  'inbox.ru',
  'rambler.ru',
  'outlook.com',
  'ya.ru',
];

function email(random: Random): string {
  if (random() < 0.04) return `${pick(random, ['анна', 'иван', 'ольга'])}${digits(random, 2)}@почта.рф`;
  const local = pick(random, [
    `${pick(random, TRANSLIT)}.${pick(random, TRANSLIT)}`,
    `${pick(random, TRANSLIT)}${digits(random, between(random, 2, 4))}`,
    `${pick(random, TRANSLIT)}_${pick(random, TRANSLIT)}${digits(random, 2)}`,
    `${pick(random, TRANSLIT)}-${pick(random, TRANSLIT)}`,
    `${pick(random, TRANSLIT)}+shop`,
  ]);
  const value = `${local}@${pick(random, DOMAINS)}`;
  return random() < 0.15 ? value.replace(/^./u, (letter) => letter.toUpperCase()) : value;
}

const CITIES = [
  'Москва',
  'Санкт-Петербург',
  'Казань',
  'Екатеринбург',
  'Новосибирск',
  'Нижний Новгород',
  'Самара',
  'Ростов-на-Дону',
  'Краснодар',
  'Уфа',
  'Пермь',
  'Воронеж',
  'Тюмень',
];
const STREETS = [
  'Ленина',
  'Гагарина',
  'Мира',
  'Пушкина',
  'Советская',
  'Садовая',
  'Лесная',
  'Центральная',
  'Молодёжная',
  'Профсоюзная',
  'Карла Маркса',
  '8 Марта',
];

/** `marked`: every part names what it is (for messages with no «адрес» before it). */
function address(random: Random, marked: boolean): string {
  const city = pick(random, CITIES);
  const street = pick(random, STREETS);
  const house = `${between(random, 1, 150)}${pick(random, ['', '', '', 'а', '/2', ' к2'])}`;
  const flat = between(random, 1, 300);
  const postcode = String(between(random, 101000, 692999));
  const forms = [
    `г. ${city}, ул. ${street}, д. ${house}, кв. ${flat}`,
    `${postcode}, г. ${city}, ул. ${street}, д. ${house}`,
    `г. ${city}, пр-т ${street}, д. ${house}, кв. ${flat}`,
    `${city}, ул. ${street}, ${house}, кв ${flat}`,
    `г. ${city}, ${street} ул., д. ${house}, кв. ${flat}`,
    `город ${city}, улица ${street}, дом ${house}, квартира ${flat}`,
  ];
  if (!marked) {
    forms.push(
      `${city}, ${street} ${between(random, 1, 150)}, кв. ${flat}`,
      `ул. ${street}, д. ${house}, кв. ${flat}`,
    );
  }
  return pick(random, forms);
}

function englishAddress(random: Random): string {
  const number = between(random, 1, 9800);
  const street = pick(random, ['Oak', 'Maple', 'Park', 'Main', 'Cedar', 'Lake']);
  const city = pick(random, ['Springfield', 'Portland', 'Austin', 'Denver', 'Boston']);
  return pick(random, [
    `${number} ${street} Street, ${city}`,
    `${number} ${street} Ave, Apt ${between(random, 1, 40)}, ${city}, ${pick(random, ['TX', 'OR', 'MA'])} ${digits(random, 5)}`,
    `${number} ${street} Road, ${city}`,
  ]);
}

/** Series (region code and year of issue) and number of a Russian passport. */
function passportParts(random: Random): [string, string, string] {
  return [String(between(random, 1, 99)).padStart(2, '0'), digits(random, 2), digits(random, 6)];
}

function passport(random: Random): string {
  const [region, year, number] = passportParts(random);
  return pick(random, [
    `${region} ${year} ${number}`,
    `${region}${year} ${number}`,
    `${region}${year}${number}`,
    `${region} ${year} №${number}`,
  ]);
}

function passportSeriesAndNumber(random: Random): string {
  const [region, year, number] = passportParts(random);
  return pick(random, [
    `${region}${year} номер ${number}`,
    `${region} ${year} № ${number}`,
    `${region}${year} №${number}`,
  ]);
}

/** An order number shaped like something else: it must still be kept. */
function orderShapedLike(random: Random, shape: 'phone' | 'luhn' | 'inn' | 'snils'): string {
  if (shape === 'phone') return `89${digits(random, 9)}`;
  if (shape === 'luhn') return cardNumber(random);
  if (shape === 'inn') return inn12(random);
  return snilsNumber(random);
}

function orderNumber(random: Random): string {
  return pick(random, [
    digits(random, 6),
    digits(random, 8),
    `${between(random, 1, 9)}${digits(random, 9)}`,
    `WB-${digits(random, 9)}`,
    `${digits(random, 4)}-${digits(random, 4)}-${digits(random, 2)}`,
    `A-${digits(random, 4)}-${digits(random, 2)}`,
    `${digits(random, 11)}`,
    `${digits(random, 7)}`,
  ]);
}

function trackNumber(random: Random): string {
  const letters = 'ABCDEFGHKLMNPRSTUVWXYZ';
  const code = () => `${pick(random, [...letters])}${pick(random, [...letters])}`;
  return pick(random, [
    `${code()}${digits(random, 9)}RU`,
    `${between(random, 1, 9)}${digits(random, 13)}`,
    `${code()}${digits(random, 9)}CN`,
  ]);
}

function price(random: Random): string {
  const amount = between(random, 99, 149_999);
  const grouped =
    amount >= 1000
      ? `${Math.floor(amount / 1000)} ${String(amount % 1000).padStart(3, '0')}`
      : String(amount);
  return pick(random, [
    `${grouped} ₽`,
    `${grouped} руб.`,
    `${grouped},00 руб`,
    `${amount}р`,
    `${grouped} рублей`,
  ]);
}

function date(random: Random): string {
  const [day, month] = [between(random, 1, 28), between(random, 1, 12)];
  const pad = (value: number) => String(value).padStart(2, '0');
  return pick(random, [
    `${pad(day)}.${pad(month)}.2025`,
    `${day} ${pick(random, ['марта', 'апреля', 'мая', 'июня'])}`,
    `2025-${pad(month)}-${pad(day)}`,
    `${pad(day)}.${pad(month)}`,
  ]);
}

type Filler = (random: Random) => string;

/** Slots whose value is personal data, and the kind it is labelled with. */
const PERSONAL: Record<string, { kind: PersonalDataKind; fill: Filler }> = {
  phone: { kind: 'phone', fill: russianPhone },
  phone_intl: { kind: 'phone', fill: internationalPhone },
  phone_en: { kind: 'phone', fill: northAmericanPhone },
  landline: { kind: 'phone', fill: landline },
  email: { kind: 'email', fill: email },
  card: { kind: 'card', fill: (random) => groupCard(random, cardNumber(random)) },
  passport: { kind: 'passport', fill: passport },
  passport_series_number: { kind: 'passport', fill: passportSeriesAndNumber },
  snils: { kind: 'snils', fill: (random) => formatSnils(random, snilsNumber(random)) },
  inn: { kind: 'inn', fill: (random) => (random() < 0.5 ? inn10(random) : inn12(random)) },
  inn10: { kind: 'inn', fill: inn10 },
  inn12: { kind: 'inn', fill: inn12 },
  name: { kind: 'name', fill: shortName },
  name_full: { kind: 'name', fill: fullName },
  name_first: { kind: 'name', fill: (random) => russianName(random).first },
  name_en: { kind: 'name', fill: (random) => `${pick(random, EN_FIRST)} ${pick(random, EN_LAST)}` },
  address: { kind: 'address', fill: (random) => address(random, false) },
  address_marked: { kind: 'address', fill: (random) => address(random, true) },
  address_en: { kind: 'address', fill: englishAddress },
};

/** Slots whose value must stay as it is. */
const DECOYS: Record<string, Filler> = {
  order: orderNumber,
  order_phone_like: (random) => orderShapedLike(random, 'phone'),
  order_luhn: (random) => orderShapedLike(random, 'luhn'),
  order_inn_like: (random) => orderShapedLike(random, 'inn'),
  order_snils_like: (random) => orderShapedLike(random, 'snils'),
  track: trackNumber,
  price,
  price_en: (random) => `$${between(random, 5, 900)}.${digits(random, 2)}`,
  date,
  quantity: (random) => String(between(random, 2, 12)),
  bad_card: (random) => groupCard(random, badCardNumber(random)),
  bad_snils: (random) => {
    const valid = snilsNumber(random);
    const control = String((Number(valid.slice(9)) + between(random, 1, 50)) % 101).padStart(2, '0');
    return formatSnils(random, valid.slice(0, 9) + (control === '100' ? '01' : control));
  },
  bad_inn: (random) => {
    const valid = inn12(random);
    return valid.slice(0, -1) + ((Number(valid.at(-1)) + between(random, 1, 9)) % 10);
  },
  hex_id: (random) => [...Array(32)].map(() => '0123456789abcdef'[Math.floor(random() * 16)]).join(''),
};

export const SLOT_NAMES: readonly string[] = [...Object.keys(PERSONAL), ...Object.keys(DECOYS)];

/** Fails on a slot the generator does not know, naming the template. */
export function checkTemplates(templates: readonly PiiTemplate[], where: string): void {
  for (const template of templates) {
    for (const match of template.text.matchAll(/\{([a-z_0-9]+)\}/gu)) {
      if (!SLOT_NAMES.includes(match[1]!)) {
        throw new EvalRunError(
          'data-invalid',
          `${where}: template ${template.id}: unknown slot {${match[1]}} (known: ${SLOT_NAMES.join(', ')})`,
        );
      }
    }
  }
}

function fill(template: PiiTemplate, random: Random, id: string): LabelledMessage {
  const planted: PlantedValue[] = [];
  const decoys: Decoy[] = [];
  let text = '';
  let position = 0;
  for (const match of template.text.matchAll(/\{([a-z_0-9]+)\}/gu)) {
    text += template.text.slice(position, match.index);
    position = match.index + match[0].length;
    const slot = match[1]!;
    const personal = PERSONAL[slot];
    const value = personal ? personal.fill(random) : DECOYS[slot]!(random);
    const start = text.length;
    text += value;
    if (personal) planted.push({ kind: personal.kind, start, end: text.length, value });
    else decoys.push({ slot, start, end: text.length, value });
  }
  text += template.text.slice(position);
  return { id, template: template.id, language: template.language, text, planted, decoys };
}

/** `count` messages: the templates in turn, each filled with fresh values from one seeded generator. */
export function generatePiiCorpus(
  templates: readonly PiiTemplate[],
  options: { seed: number; count: number },
): LabelledMessage[] {
  if (!templates.length) throw new EvalRunError('data-invalid', 'redaction corpus: no templates');
  checkTemplates(templates, 'redaction corpus');
  const random = seededRandom(options.seed);
  const messages: LabelledMessage[] = [];
  for (let index = 0; index < options.count; index++) {
    const template = templates[index % templates.length]!;
    messages.push(fill(template, random, `${template.id}-${String(index + 1).padStart(5, '0')}`));
  }
  return messages;
}

import type { CustomerCard, Operator } from '../../contract/index.ts';
import { isGivenName } from '../../text/given-names.ts';
import type { SlotSpec } from '../../text/render.ts';
import type { Entities, Found } from '../../text/types.ts';

/** The newest value found (customers correct themselves: the last order number mentioned wins). */
const last = (found: readonly Found[]): string | undefined => found.at(-1)?.value;

/**
 * The newest date that is not in the future. A customer can say when something happened («сдала
 * 17 ноября»); a date to come they mention is a wish («нужны к пятнице»), not what a template
 * promises.
 */
const lastPast = (dates: readonly Found[], today: string | undefined): string | undefined =>
  today === undefined ? last(dates) : dates.filter((date) => date.value <= today).at(-1)?.value;

/** «Петровна», «Ильич»: a Russian patronymic, said with the given name. */
const PATRONYMIC = /(?:ович|евич|ьич|ич|овна|евна|ична|инична)$/u;

/**
 * How a reply addresses the customer: by the given name (with the patronymic when there is one),
 * never by the surname — «Здравствуйте, Игорь!», not «Здравствуйте, Игорь Смирнов!».
 * «Иванова Анна Петровна» → «Анна Петровна» (a card's surname-first order), «Анна Петровна
 * Иванова» → «Анна Петровна», «Игорь Смирнов» and «Смирнов Игорь» → «Игорь», "Anna Smith" →
 * "Anna". A name whose given name the list does not know stays as written.
 */
export function addressName(name: string): string | undefined {
  const trimmed = name.trim().replace(/\s+/gu, ' ');
  if (!trimmed || /[\d@]/u.test(trimmed) || trimmed.length > 60) return undefined;
  const words = trimmed.split(' ');
  if (words.length === 3 && words.every((word) => /^\p{Script=Cyrillic}+$/u.test(word))) {
    return isGivenName(words[0]!) && PATRONYMIC.test(words[1]!.toLowerCase())
      ? words.slice(0, 2).join(' ')
      : words.slice(1).join(' ');
  }
  if (words.length === 2 && !PATRONYMIC.test(words[1]!.toLowerCase())) {
    const given = words.find((word) => isGivenName(word));
    if (given) return given;
  }
  return trimmed;
}

/** «2026-11-24» → «24.11.2026» for Russian, unchanged otherwise. */
function displayDate(iso: string | undefined, language: string): string | undefined {
  if (!iso) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(iso);
  if (!match || language !== 'ru') return iso;
  return `${match[3]}.${match[2]}.${match[1]}`;
}

function firstDefined(...values: (string | undefined)[]): string | undefined {
  return values.find((value) => value !== undefined && value.trim() !== '');
}

/**
 * Values for template slots, from the page's customer card first (it is authoritative), then from
 * what the customer wrote. Slots without a known source come from the card's ids and fields under
 * the same name.
 */
export function slotValues(input: {
  entities: Entities;
  customer?: CustomerCard;
  operator?: Operator;
  language: string;
  /** ISO day (YYYY-MM-DD): dates after it do not fill `{{date}}`. */
  today?: string;
}): Record<string, string> {
  const { entities, customer, operator, language, today } = input;
  const ids = customer?.ids ?? {};
  const values: Record<string, string | undefined> = {
    ...customer?.fields,
    ...ids,
    customer_name: firstDefined(
      customer?.name ? addressName(customer.name) : undefined,
      entities.customerName ? addressName(entities.customerName.value) : undefined,
    ),
    operator_name: firstDefined(operator?.displayName?.trim().split(/\s+/u)[0]),
    order_id: firstDefined(ids.order, ids.order_id, last(entities.orderIds)),
    contract_id: firstDefined(ids.contract, ids.contract_id, last(entities.contractIds)),
    tracking_number: firstDefined(ids.tracking, ids.tracking_number, last(entities.trackingNumbers)),
    date: displayDate(lastPast(entities.dates, today), language),
    amount: entities.amounts.at(-1)?.raw,
    product: last(entities.products),
    phone: firstDefined(ids.phone, last(entities.phones)),
    email: firstDefined(ids.email, last(entities.emails)),
  };
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value.trim() !== '') result[name] = value.trim();
  }
  return result;
}

/**
 * A `{{date}}` the team sets (an expected delivery, a reply, a deadline), not one the customer
 * could tell: the conversation's dates (all in the past) never fill it.
 */
const DATE_TO_COME =
  /(?:^|[^\p{L}])(?:до|не позднее|не позже|ожидаем\p{L}*|ориентировочн\p{L}*|готовност\p{L}*|начисл\p{L}*|ответим|ответ придёт|будет|ждёт|ждет|действует|until|no later than|expected|by|valid|kept)(?![\p{L}])[^.!?\n]{0,40}\{\{\s*date\s*\}\}/iu;

/**
 * The slot values for a template or a script line: without the conversation's date where the text
 * says a date to come («ответим не позднее {{date}}» must never promise a day already gone).
 */
export function withoutDateToCome(
  texts: readonly string[],
  values: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  if (values.date === undefined || !texts.some((text) => DATE_TO_COME.test(text))) return values;
  const { date: _dateToCome, ...rest } = values;
  return rest;
}

/**
 * The values for a template whose slots declare `source: system` (FORMATS.md): those slots keep
 * only what the helpdesk card or the operator gave (`cardValues`), never a value read from the
 * customer's words — a date they mention is not the day the shop accepted their return.
 */
export function withSystemSlots(
  values: Readonly<Record<string, string>>,
  cardValues: Readonly<Record<string, string>>,
  slots: Readonly<Record<string, SlotSpec>>,
): Readonly<Record<string, string>> {
  const system = Object.entries(slots).filter(([, spec]) => spec.source === 'system');
  if (system.length === 0) return values;
  const result: Record<string, string> = { ...values };
  for (const [name] of system) {
    const fromCard = cardValues[name];
    if (fromCard === undefined) delete result[name];
    else result[name] = fromCard;
  }
  return result;
}

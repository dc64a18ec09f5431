/**
 * Fills a reply template's `{{slot}}` placeholders, after keeping or dropping its conditional
 * sections (`{{^slot}}…{{/slot}}` only without a value, `{{#slot}}…{{/slot}}` only with one). A
 * slot without a value stays visible as «[номер заказа]» for the operator to fill and is listed as
 * missing. Only a slot the template
 * declares `required: false` may go instead, and then with the clause that holds it, never leaving
 * a fragment (see `optional-clauses.ts`): «Здравствуйте, {{customer_name}}!» → «Здравствуйте!».
 * A Russian value takes the case the template's grammar gives it — the slot's declared `case`, else
 * the preposition before it, or the noun in apposition after one, which a common-noun value
 * replaces («с изделием {{product}}» → «с кольцом»)
 * — and agrees with a number before it («{{count}} {{product}}» → «2 кольца»); an English product
 * gets "your" where no determiner precedes it ("You can return your watch"). Values with
 * digits (ids, dates, sums) and words the dictionary does not know go in exactly as given.
 */

import { resolveSections } from '@naparnik/ingest/naparnik-schema';
import {
  agreeWithCount,
  appositionHead,
  caseFromContext,
  inflectPhrase,
  isCommonNoun,
  parseCaseName,
} from './inflect.ts';
import { dropOptionalSlots, SLOT_PLACEHOLDER } from './optional-clauses.ts';

export interface SlotSpec {
  label?: string;
  required?: boolean;
  /** The grammatical case the value takes (`ablt` or «творительный»), when the context does not say it. */
  case?: string;
  /** `system`: filled from the helpdesk card or by the operator, never from the customer's words. */
  source?: string;
}

export interface RenderOptions {
  /** How to mark a slot nobody filled; default `[label]` with the label's first letter lower-cased. */
  missingMarker?: (slot: string) => string;
  /** Human labels by slot name («Номер заказа»). */
  labels?: Readonly<Record<string, string>>;
  /** The template's slot specs (FORMATS.md): labels, and `required: false` for optional slots. */
  slots?: Readonly<Record<string, SlotSpec>>;
  /** Language of the default labels of the slots the service fills itself; default 'ru'. */
  language?: 'ru' | 'en';
}

export interface RenderResult {
  text: string;
  /** Slots that got a value, with the value used. */
  filled: Record<string, string>;
  /** Slots left marked for the operator, in order of first appearance (dropped optional slots are not listed). */
  missing: string[];
}

const DEFAULT_LABELS: Readonly<Record<'ru' | 'en', Readonly<Record<string, string>>>> = {
  ru: {
    customer_name: 'имя клиента',
    operator_name: 'имя оператора',
    order_id: 'номер заказа',
    contract_id: 'номер договора',
    tracking_number: 'трек-номер',
    date: 'дата',
    amount: 'сумма',
    product: 'товар',
    phone: 'телефон',
    email: 'e-mail',
    delivery_date: 'дата доставки',
    carrier: 'служба доставки',
    store_address: 'адрес магазина',
    store_hours: 'часы работы',
    marketplace: 'маркетплейс',
    claim_id: 'номер обращения',
  },
  en: {
    customer_name: 'customer name',
    operator_name: 'operator name',
    order_id: 'order number',
    contract_id: 'contract number',
    tracking_number: 'tracking number',
    date: 'date',
    amount: 'amount',
    product: 'product',
    phone: 'phone',
    email: 'e-mail',
    delivery_date: 'delivery date',
    carrier: 'carrier',
    store_address: 'store address',
    store_hours: 'opening hours',
    marketplace: 'marketplace',
    claim_id: 'claim number',
  },
};

/** «Номер заказа» → «номер заказа», but «SKU» and «ИНН» stay as they are. */
function lowerFirst(label: string): string {
  const [first, second] = [...label];
  if (
    first === undefined ||
    (second !== undefined && second === second.toUpperCase() && second !== second.toLowerCase())
  ) {
    return label;
  }
  return first.toLowerCase() + label.slice(first.length);
}

function labelOf(slot: string, options: RenderOptions): string {
  const label =
    options.labels?.[slot] ?? options.slots?.[slot]?.label ?? DEFAULT_LABELS[options.language ?? 'ru'][slot];
  return label ? lowerFirst(label.trim()) : slot;
}

export function renderTemplate(
  text: string,
  values: Readonly<Record<string, string | undefined>>,
  options: RenderOptions = {},
): RenderResult {
  const filled: Record<string, string> = {};
  const missing: string[] = [];
  const valueFor = (slot: string) => (Object.hasOwn(values, slot) ? values[slot]?.trim() : undefined);
  // Conditional sections first: «{{^order_id}}пришлите номер заказа{{/order_id}}» asks only when unknown.
  const source = resolveSections(typeof text === 'string' ? text : '', (slot) => Boolean(valueFor(slot)));
  const kept = dropOptionalSlots(
    source,
    (slot) => !valueFor(slot) && options.slots?.[slot]?.required === false,
  );
  // Slot by slot, so each value sees the text before it as rendered (a number already filled in).
  let rendered = '';
  let position = 0;
  for (const match of kept.matchAll(new RegExp(SLOT_PLACEHOLDER.source, 'gu'))) {
    const slot = match[1] ?? '';
    rendered += kept.slice(position, match.index);
    position = match.index + match[0].length;
    const value = valueFor(slot);
    if (value) {
      filled[slot] = value;
      if (!options.slots?.[slot]?.case) rendered = withoutAppositionHead(rendered, value, options);
      rendered += inContext(value, rendered.slice(-CONTEXT_CHARS), {
        language: options.language ?? 'ru',
        declaredCase: options.slots?.[slot]?.case,
        noun: NOUN_SLOTS.has(slot),
      });
      continue;
    }
    if (!missing.includes(slot)) missing.push(slot);
    rendered += options.missingMarker ? options.missingMarker(slot) : `[${labelOf(slot, options)}]`;
  }
  rendered += kept.slice(position);
  return { text: rendered, filled, missing };
}

/**
 * «с изделием {{product}}» with «серьги»: the value names the thing the generic noun stands for,
 * so it takes the noun's place and the preposition's case («с серьгами», not «с изделием
 * серьгами»). Names, values with digits and words the dictionary does not know keep the noun
 * («по обращению ГР-104233», «с изделием Pandora»); so does a slot with a declared case.
 */
function withoutAppositionHead(rendered: string, value: string, options: RenderOptions): string {
  if ((options.language ?? 'ru') !== 'ru' || /\p{N}/u.test(value) || !isCommonNoun(value)) return rendered;
  const before = rendered.slice(-CONTEXT_CHARS);
  const head = appositionHead(before);
  if (!head) return rendered;
  const kept = rendered.replace(/\p{L}[\p{L}-]*\s*$/u, '');
  const grammaticalCase = caseFromContext(kept.slice(-CONTEXT_CHARS));
  if (!grammaticalCase || inflectPhrase(value, grammaticalCase) === value) return rendered;
  return kept;
}

/** Slots whose value is a common noun (an English one needs a determiner). */
const NOUN_SLOTS: ReadonlySet<string> = new Set(['product']);
/** How much of the text before a slot decides its form (a preposition and a noun or two). */
const CONTEXT_CHARS = 60;
const EN_DETERMINERS = new Set([
  'a',
  'an',
  'the',
  'your',
  'my',
  'our',
  'his',
  'her',
  'their',
  'its',
  'this',
  'these',
  'those',
  'each',
  'every',
  'any',
  'some',
  'no',
]);

/** A value in the form its place in the template needs (see the header). */
function inContext(
  value: string,
  before: string,
  options: { language: 'ru' | 'en'; declaredCase: string | undefined; noun: boolean },
): string {
  if (/\p{N}/u.test(value)) return value;
  if (options.language === 'en') return options.noun ? withDeterminer(value, before) : value;
  const count = /(?:^|[^\p{N}.,])(\p{N}+)\s+$/u.exec(before);
  if (count && !/\s/u.test(value)) return agreeWithCount(Number(count[1]), value);
  const declared = options.declaredCase ? parseCaseName(options.declaredCase) : undefined;
  const grammaticalCase = declared ?? caseFromContext(before);
  return grammaticalCase ? inflectPhrase(value, grammaticalCase) : value;
}

/** "ring" → "your ring" unless a determiner precedes; names and brands (capitalised) stay bare. */
function withDeterminer(value: string, before: string): string {
  if (!/^[a-z][a-z -]*$/u.test(value)) return value;
  const previous = /([A-Za-z]+)\s+$/u.exec(before)?.[1]?.toLowerCase();
  if (previous !== undefined && EN_DETERMINERS.has(previous)) return value;
  const sentenceStart = /(?:^|[.!?:]\s*|\n\s*)$/u.test(before);
  return `${sentenceStart ? 'Your' : 'your'} ${value}`;
}

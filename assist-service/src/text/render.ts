/**
 * Fills a reply template's `{{slot}}` placeholders. A slot without a value stays visible as
 * «[номер заказа]» for the operator to fill and is listed as missing. Only a slot the template
 * declares `required: false` may go instead, and then with the clause that holds it, never leaving
 * a fragment (see `optional-clauses.ts`): «Здравствуйте, {{customer_name}}!» → «Здравствуйте!».
 * Names and other values are inserted exactly as given.
 */
import { dropOptionalSlots, SLOT_PLACEHOLDER } from './optional-clauses.ts';

export interface SlotSpec {
  label?: string;
  required?: boolean;
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
  const source = typeof text === 'string' ? text : '';
  const kept = dropOptionalSlots(
    source,
    (slot) => !valueFor(slot) && options.slots?.[slot]?.required === false,
  );
  const rendered = kept.replace(new RegExp(SLOT_PLACEHOLDER.source, 'gu'), (_whole, slot: string) => {
    const value = valueFor(slot);
    if (value) {
      filled[slot] = value;
      return value;
    }
    if (!missing.includes(slot)) missing.push(slot);
    return options.missingMarker ? options.missingMarker(slot) : `[${labelOf(slot, options)}]`;
  });
  return { text: rendered, filled, missing };
}

/**
 * Fills a reply template's `{{slot}}` placeholders. A slot without a value stays visible as
 * «[номер заказа]» for the operator to fill, unless the template marks it optional: then it goes,
 * and the punctuation around it is tidied («Здравствуйте, {{customer_name}}!» → «Здравствуйте!»).
 * Names and other values are inserted exactly as given.
 */

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
  /** Slots left marked for the operator, in order of first appearance (optional slots are dropped, not listed). */
  missing: string[];
}

const PLACEHOLDER = /\{\{[ \t]{0,5}([A-Za-z_][A-Za-z0-9_]{0,63})[ \t]{0,5}\}\}/gu;
/** Stands where an optional slot was dropped until the punctuation around it is tidied. */
const GAP = '\uE000';

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

function tidyLine(line: string): string {
  if (!line.includes(GAP)) return line;
  let result = line
    // «(␀)», ««␀»», «"␀"»
    .replace(/[ \t]*(?:\([ \t]*\uE000[ \t]*\)|«[ \t]*\uE000[ \t]*»|"[ \t]*\uE000[ \t]*")/gu, '')
    // «␀, ваш заказ» at the start of a line
    .replace(/^([ \t]*)\uE000[ \t]*[,;:—–-]?[ \t]*/u, '$1')
    // «Здравствуйте, ␀!» → «Здравствуйте!»; «, ␀,» → «,»
    .replace(/[ \t]*[,;:—–-]?[ \t]*\uE000[ \t]*(?=[,.!?;:…)])/gu, '')
    .replaceAll(GAP, '')
    .replace(/[ \t]{2,}/gu, ' ')
    .replace(/[ \t]+([,.!?;:…])/gu, '$1')
    .replace(/([,;:])(?=[,.!?;:])/gu, '')
    .trimEnd();
  // A line that now starts with a lower-case letter started with the dropped slot.
  const indent = /^[ \t]*/u.exec(result)?.[0] ?? '';
  const first = result.slice(indent.length, indent.length + 1);
  if (first && first !== first.toUpperCase() && line.trimStart().startsWith(GAP)) {
    result = indent + first.toUpperCase() + result.slice(indent.length + 1);
  }
  return result;
}

export function renderTemplate(
  text: string,
  values: Readonly<Record<string, string | undefined>>,
  options: RenderOptions = {},
): RenderResult {
  const filled: Record<string, string> = {};
  const missing: string[] = [];
  const source = typeof text === 'string' ? text.replaceAll(GAP, '') : '';
  let dropped = false;
  const replaced = source.replace(PLACEHOLDER, (_whole, slot: string) => {
    const value = Object.hasOwn(values, slot) ? values[slot]?.trim() : undefined;
    if (value) {
      filled[slot] = value;
      return value;
    }
    if (options.slots?.[slot]?.required === false) {
      dropped = true;
      return GAP;
    }
    if (!missing.includes(slot)) missing.push(slot);
    return options.missingMarker ? options.missingMarker(slot) : `[${labelOf(slot, options)}]`;
  });
  const rendered = dropped ? replaced.split('\n').map(tidyLine).join('\n') : replaced;
  return { text: rendered, filled, missing };
}

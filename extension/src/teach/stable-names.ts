/**
 * Which names in a page survive its next release. Build tools hash class names (`css-1x2y3z`,
 * `sc-bdVaJa kRhLkE`, CSS modules' `Message_bubble__3kX9a`), frameworks number ids (`ember1234`,
 * `:r1:`), and state classes come and go with the pointer; a recipe built on them breaks.
 */

const HASH_PREFIX = /^(?:css|sc|jss|jsx|emotion|styled|svelte|tw|chakra|mui|ant)-[\w-]*$/i;
const CSS_MODULE = /__[\w-]{4,}$/;
const LEADING_UNDERSCORE = /^_[\w-]{3,}$/;
/** e1abc0, x8f3k2: a letter or two and a run of mixed letters and digits, no separator. */
const SHORT_HASH = /^[a-z]{1,2}\d[a-z\d]{3,}$/i;
const STATE_CLASS =
  /^(?:is-|has-|js-)|^(?:active|selected|focus(?:ed)?|hover(?:ed)?|open|opened|closed|current|visible|hidden|new|unread|read|highlighted?|disabled|loading|loaded|animated?|fade|show|in)$/i;
const SAFE_IDENT = /^-?[A-Za-z_][\w-]*$/;

function digitLetterSwitches(value: string): number {
  let switches = 0;
  for (let index = 1; index < value.length; index += 1) {
    const before = /\d/.test(value[index - 1] ?? '');
    const after = /\d/.test(value[index] ?? '');
    if (before !== after) switches += 1;
  }
  return switches;
}

/** Looks generated: a build hash, or a per-item number (`message-48213`). */
export function looksGenerated(name: string): boolean {
  if (HASH_PREFIX.test(name) && /\d|[a-z][A-Z]/.test(name)) return true;
  if (CSS_MODULE.test(name) && /\d/.test(name.slice(name.lastIndexOf('__')))) return true;
  if (LEADING_UNDERSCORE.test(name) && /\d|[a-z][A-Z]/.test(name)) return true;
  if (SHORT_HASH.test(name)) return true;
  const digits = name.replace(/\D/g, '').length;
  if (digits >= 3) return true;
  if (digitLetterSwitches(name) >= 3) return true;
  // kRhLkE, bdVaJa: upper case scattered inside a short word with no separator.
  const innerCapitals = name.slice(1).replace(/[^A-Z]/g, '').length;
  return /^[A-Za-z]{4,10}$/.test(name) && innerCapitals >= 2;
}

/** A class name a selector may rely on: plain characters, not generated, not a passing state. */
export function isStableClass(name: string): boolean {
  return SAFE_IDENT.test(name) && name.length >= 2 && !looksGenerated(name) && !STATE_CLASS.test(name);
}

export function stableClasses(element: Element): string[] {
  return Array.from(element.classList).filter(isStableClass);
}

export function isStableId(id: string): boolean {
  return SAFE_IDENT.test(id) && !looksGenerated(id) && id.length <= 80;
}

/** An attribute value that names a kind of thing rather than one thing. */
export function isStableValue(value: string): boolean {
  const trimmed = value.trim();
  return (
    trimmed.length > 0 &&
    trimmed.length <= 60 &&
    !/[\n\r]/.test(trimmed) &&
    !looksGenerated(trimmed.replace(/[\s.:/]+/g, '-')) &&
    !/^\d[\d\s.:-]*$/.test(trimmed)
  );
}

/** Attributes that say what an element is, best first; stronger than its class names. */
export const DESCRIPTIVE_ATTRIBUTES = [
  'data-testid',
  'data-test-id',
  'data-test',
  'data-qa',
  'data-cy',
  'data-role',
  'data-type',
  'data-kind',
  'role',
  'aria-label',
  'name',
];
/** Attributes that narrow an element down but say little about it: tried after class names. */
export const WEAK_ATTRIBUTES = ['placeholder', 'type'];

/** Attributes never worth a selector: per-element values or presentation. */
export const IGNORED_ATTRIBUTES = new Set([
  'id',
  'class',
  'style',
  'href',
  'src',
  'srcset',
  'title',
  'alt',
  'tabindex',
  'dir',
  'lang',
]);

/** `"…"` with the quotes and backslashes a CSS string needs escaped. */
export function cssString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\a ')}"`;
}

export function attributeSelector(name: string, value?: string): string {
  return value === undefined ? `[${name}]` : `[${name}=${cssString(value)}]`;
}

export function classSelector(name: string): string {
  return `.${name}`;
}

export function idSelector(id: string): string {
  return `#${id}`;
}

export function tagOf(element: Element): string {
  return element.localName;
}

/** Attribute names safe to write unescaped in a selector. */
export function isPlainAttributeName(name: string): boolean {
  return /^[a-z_][a-z\d_-]*$/i.test(name);
}

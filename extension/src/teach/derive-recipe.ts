import { type Recipe, recipeSchema } from '@naparnik/assist-service/contract';
import {
  AUTHOR_WORDS as GENERIC_AUTHOR_WORDS,
  TIME_WORDS as GENERIC_TIME_WORDS,
} from '../adapters/generic.ts';
import { hasToken } from '../adapters/support/class-tokens.ts';
import { deriveRoles } from './derive-roles.ts';
import { messageSelector, partSelector, uniqueSelector } from './derive-selectors.ts';

/** What the operator clicked in the four steps of "Teach this page". */
export interface Picks {
  list: Element;
  customer: Element;
  operator: Element;
  composer: Element;
}

export type DeriveProblem =
  | 'outside-list'
  | 'same-message'
  | 'no-message-selector'
  | 'no-role-rule'
  | 'invalid-recipe';

export type Derivation =
  | { ok: true; recipe: Recipe; warnings: Array<'fragile-selector' | 'fragile-roles'> }
  | { ok: false; problem: DeriveProblem };

export interface DeriveOptions {
  /** `URL.host` of the page. */
  domain: string;
  /** Above every version the operator already has for this domain. */
  version: number;
  now: Date;
  /** The page the picker runs on, when the list may be inside one of its same-origin iframes. */
  page?: Document;
}

/** The page's iframe whose document is `inner` (`frameElement`, else a search of the page's iframes). */
function frameOf(inner: Document, page: Document | undefined): Element | undefined {
  if (!page || page === inner) return undefined;
  const own = inner.defaultView?.frameElement;
  if (own) return own;
  return Array.from(page.querySelectorAll('iframe')).find((frame) => {
    try {
      return frame.contentDocument === inner;
    } catch {
      return false;
    }
  });
}

const EDITABLE =
  'textarea, input:not([type]), input[type="text"], input[type="search"], [contenteditable=""], [contenteditable="true"], [role="textbox"]';
// The generic adapter's words, plus two it cannot afford ("at", "who"): here a part must also
// appear in both clicked messages, which keeps short words from matching by chance.
const TIME_WORDS: ReadonlySet<string> = new Set([...GENERIC_TIME_WORDS, 'at']);
const AUTHOR_WORDS: ReadonlySet<string> = new Set([...GENERIC_AUTHOR_WORDS, 'who']);

/** The editable element the operator meant, when the click landed inside or around it. */
export function editableOf(element: Element): Element {
  const closest = element.closest(EDITABLE);
  if (closest) return closest;
  const inner = element.querySelectorAll(EDITABLE);
  return inner.length === 1 ? (inner[0] as Element) : element;
}

/** The chain from `element` up to (not including) `top`, or undefined when `top` does not hold it. */
function pathUpTo(element: Element, top: Element): Element[] | undefined {
  const path: Element[] = [];
  for (let current: Element | null = element; current; current = current.parentElement) {
    if (current === top) return path;
    path.push(current);
  }
  return undefined;
}

/** Same tag and the same class names: two of one kind with nothing to tell them apart. */
function sameKind(first: Element, second: Element): boolean {
  const names = (element: Element) => Array.from(element.classList).sort().join(' ');
  return first.localName === second.localName && names(first) === names(second);
}

function alike(first: Element, second: Element): boolean {
  if (first.localName !== second.localName) return false;
  const theirs = new Set(Array.from(second.classList));
  const mine = Array.from(first.classList);
  return (mine.length === 0 && theirs.size === 0) || mine.some((name) => theirs.has(name));
}

/**
 * The two messages the clicks landed in: the children, on each click's path, of the deepest
 * element that holds both clicks (in a list grouped by day that is the day, not the list).
 */
export function messagesOf(
  list: Element,
  customer: Element,
  operator: Element,
): { customer: Element; operator: Element } | DeriveProblem {
  const first = pathUpTo(customer, list);
  const second = pathUpTo(operator, list);
  if (!first || !second || first.length === 0 || second.length === 0) return 'outside-list';
  const shared = new Set(second);
  const common = first.find((element) => shared.has(element));
  if (!common) {
    // A list grouped by day, the two clicks in different days: the groups are of one kind (same
    // tag, same classes) and hold the messages, which differ the way a customer's and an
    // operator's do. Then the messages are the groups' children on the clicks' paths.
    const [groupA, groupB, innerA, innerB] = [first.at(-1), second.at(-1), first.at(-2), second.at(-2)];
    if (
      groupA &&
      groupB &&
      innerA &&
      innerB &&
      sameKind(groupA, groupB) &&
      alike(innerA, innerB) &&
      !sameKind(innerA, innerB)
    )
      return { customer: innerA, operator: innerB };
  }
  const top = common ?? list;
  const mine = first[first.indexOf(top) - 1] ?? (common ? undefined : first.at(-1));
  const theirs = second[second.indexOf(top) - 1] ?? (common ? undefined : second.at(-1));
  if (!mine || !theirs || mine === theirs || mine.contains(theirs) || theirs.contains(mine))
    return 'same-message';
  // Below the list, two clicks in unlike elements (a name and a text) are parts of one message;
  // messages in a day group look alike (same tag, a shared class).
  if (common && !alike(mine, theirs)) return 'same-message';
  return { customer: mine, operator: theirs };
}

/** A part both messages have whose class names say what it is (the author, the time). */
function namedPart(first: Element, second: Element, words: ReadonlySet<string>): string | undefined {
  if (words === TIME_WORDS && first.querySelector('time') && second.querySelector('time')) return 'time';
  // One class name at a time, split the way the adapters split them ("messageTime" → message, time).
  const probe = first.ownerDocument.createElement('span');
  for (const element of Array.from(first.querySelectorAll('[class]'))) {
    if (!hasToken(element, words)) continue;
    for (const name of Array.from(element.classList)) {
      probe.className = name;
      if (!hasToken(probe, words) || !/^[A-Za-z_][\w-]*$/.test(name)) continue;
      const selector = `.${name}`;
      if (second.querySelector(selector) && first.querySelectorAll(selector).length === 1) return selector;
    }
  }
  return undefined;
}

/**
 * A recipe from the operator's four clicks. Pure over the DOM: the same picks on the same page give
 * the same recipe, which is what the fixtures' tests check.
 */
export function deriveRecipe(picks: Picks, options: DeriveOptions): Derivation {
  const document = picks.list.ownerDocument;
  const found = messagesOf(picks.list, picks.customer, picks.operator);
  if (typeof found === 'string') return { ok: false, problem: found };
  const message = messageSelector(picks.list, found.customer, found.operator);
  if (!message) return { ok: false, problem: 'no-message-selector' };
  const messages = Array.from(picks.list.querySelectorAll(message));
  const roles = deriveRoles(found.customer, found.operator, messages, picks.list);
  if (!roles) return { ok: false, problem: 'no-role-rule' };

  const list = uniqueSelector(picks.list, document);
  // A conversation inside a same-origin iframe: the iframe is named in the page, the list and the
  // messages inside the iframe's document; the reply box in whichever document holds it.
  const frame = frameOf(document, options.page);
  const iframe = frame ? uniqueSelector(frame, frame.ownerDocument) : undefined;
  const composerElement = editableOf(picks.composer);
  const composer = uniqueSelector(composerElement, composerElement.ownerDocument);
  const text =
    picks.customer === found.customer
      ? undefined
      : partSelector(picks.customer, found.customer, found.operator);
  const time = namedPart(found.customer, found.operator, TIME_WORDS);
  const author = namedPart(found.customer, found.operator, AUTHOR_WORDS);
  const parsed = recipeSchema.safeParse({
    schema: 1,
    domain: options.domain,
    version: options.version,
    updatedAt: options.now.toISOString(),
    ...(iframe ? { iframe: iframe.selector } : {}),
    messageList: list.selector,
    message,
    roles: roles.roles,
    ...(text && text !== time && text !== author ? { text } : {}),
    ...(author ? { author } : {}),
    ...(time ? { time } : {}),
    composer: composer.selector,
  });
  if (!parsed.success) return { ok: false, problem: 'invalid-recipe' };
  const warnings: Array<'fragile-selector' | 'fragile-roles'> = [];
  if (list.fragile || composer.fragile || iframe?.fragile) warnings.push('fragile-selector');
  if (roles.fragile) warnings.push('fragile-roles');
  return { ok: true, recipe: parsed.data, warnings };
}

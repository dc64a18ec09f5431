import type { PageRoot } from '../adapter.ts';
import { classNames, classTokens } from './class-tokens.ts';
import { readableText } from './dom.ts';

export interface MessageList {
  container: Element;
  items: Element[];
}

const IGNORED_TAGS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'LINK', 'META', 'BR', 'HR']);
/** Lists inside these are navigation, menus or forms, never the conversation. */
const EXCLUDED_ANCESTORS =
  'nav, select, form, [role="navigation"], [role="menu"], [role="menubar"], [role="toolbar"], [role="tablist"], [contenteditable="true"], [data-naparnik]';
const COMPOSER_INSIDE = 'textarea, [contenteditable="true"], iframe';
/** Scanning stops after this many candidate containers: pages with huge DOMs stay fast. */
const MAX_CONTAINERS = 4000;

function childElements(element: Element): Element[] {
  return Array.from(element.children).filter((child) => !IGNORED_TAGS.has(child.tagName.toUpperCase()));
}

/** The first and last `ends` child elements, without touching the ones between. */
function childElementsAtEnds(element: Element, ends: number): Element[] {
  const children = element.children;
  if (children.length <= 2 * ends) return childElements(element);
  const picked: Element[] = [];
  for (let index = 0; index < ends; index++) picked.push(children[index]!);
  for (let index = children.length - ends; index < children.length; index++) picked.push(children[index]!);
  return picked.filter((child) => !IGNORED_TAGS.has(child.tagName.toUpperCase()));
}

/** "Сегодня", "Вчера", "5 декабря 2026", "05.12.2026": a day separator between messages, not one. */
const DAY_SEPARATOR =
  /^(?:сегодня|вчера|позавчера|today|yesterday|(?:понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|monday|tuesday|wednesday|thursday|friday|saturday|sunday),?(?:\s.*)?|\d{1,2}[\s.](?:\d{1,2}|[а-яё]+|[a-z]+)\.?(?:[\s.]\d{2,4}(?:\s*г\.?)?)?|[a-z]+\s+\d{1,2},?\s+\d{4})$/iu;

/** Rows that are a day's heading or an empty placeholder rather than a message. */
function isSeparator(element: Element): boolean {
  const text = readableText(element).replace(/\s+/g, ' ').trim();
  return text === '' || (text.length <= 40 && DAY_SEPARATOR.test(text));
}

/**
 * The siblings that make up a list: those sharing the most common class (else the most common
 * tag), plus siblings of the same tag with other classes when they look like entries of the same
 * history (event rows between messages, system lines), never day separators or empty rows.
 */
export function dominantGroup(children: Element[]): { items: Element[]; byClass: boolean } {
  const group = classGroup(children);
  if (!group.byClass || group.items.length === children.length) return group;
  const tag = group.items[0]?.tagName;
  const chosen = new Set(group.items);
  const items = children.filter(
    (child) =>
      chosen.has(child) ||
      (child.tagName === tag && !child.querySelector(COMPOSER_INSIDE) && !isSeparator(child)),
  );
  return { items, byClass: true };
}

function classGroup(children: Element[]): { items: Element[]; byClass: boolean } {
  const classCounts = new Map<string, number>();
  for (const child of children) {
    for (const name of new Set(classNames(child))) classCounts.set(name, (classCounts.get(name) ?? 0) + 1);
  }
  let bestClass = '';
  let bestCount = 0;
  for (const [name, count] of classCounts) {
    // Utility classes shared by every kind of row (flex, w-full) say little; a longer name wins ties.
    if (count > bestCount || (count === bestCount && name.length > bestClass.length)) {
      bestClass = name;
      bestCount = count;
    }
  }
  if (bestCount >= 2) {
    return { items: children.filter((child) => classNames(child).includes(bestClass)), byClass: true };
  }
  const tagCounts = new Map<string, number>();
  for (const child of children) tagCounts.set(child.tagName, (tagCounts.get(child.tagName) ?? 0) + 1);
  const [tag] = [...tagCounts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [''];
  return { items: children.filter((child) => child.tagName === tag), byClass: false };
}

/** Descendant class names and tags two levels down: rows of one list share most of them. */
function shapeOf(element: Element): Set<string> {
  const shape = new Set<string>();
  const visit = (node: Element, depth: number) => {
    for (const child of Array.from(node.children)) {
      const tokens = classTokens(child);
      shape.add(`${child.tagName}${tokens.length ? `.${tokens.slice(0, 3).join('.')}` : ''}`);
      if (depth < 2) visit(child, depth + 1);
    }
  };
  visit(element, 0);
  return shape;
}

function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const value of a) if (b.has(value)) shared++;
  return shared / (a.size + b.size - shared);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function scoreGroup(container: Element, items: Element[], byClass: boolean): number {
  if (items.length < 2) return 0;
  const lengths = items.map((item) => readableText(item).length);
  let score = lengths.reduce((sum, length) => sum + Math.min(length, 600), 0);
  if (median(lengths) < 20) score *= 0.2;
  const linkText = items.reduce(
    (sum, item) =>
      sum + Array.from(item.querySelectorAll('a')).reduce((s, a) => s + readableText(a).length, 0),
    0,
  );
  const allText = lengths.reduce((sum, length) => sum + length, 0);
  if (allText > 0 && linkText / allText > 0.6) score *= 0.2;
  if (container.querySelector(COMPOSER_INSIDE)) score *= 0.3;
  const shapes = items.map(shapeOf);
  const reference = shapes[0] ?? new Set<string>();
  const alike = shapes.filter((shape) => similarity(shape, reference) >= 0.25).length / shapes.length;
  score *= byClass ? 0.5 + alike / 2 : alike * 0.6;
  return score;
}

/** Rows grouped at each end of a long list: enough for its kind of row to stand out. */
const MIN_SAMPLE_ENDS = 100;

/**
 * The messages of a list found before: its look-alike children. With `ends`, only the first and
 * last `ends` children (at least 100) are grouped, where the newest messages are whichever way
 * the list runs, so re-reading a long list costs the same as a short one.
 */
export function messageListAt(container: Element, ends?: number): MessageList {
  const sample =
    ends === undefined
      ? childElements(container)
      : childElementsAtEnds(container, Math.max(ends, MIN_SAMPLE_ENDS));
  if (ends !== undefined) {
    // A bounded re-read of a known list: its rows' class, found last time, still picks them out
    // (one classList check a row instead of counting every class of every row again).
    const known = rowClasses.get(container);
    if (known) {
      let matching = 0;
      const items = sample.filter((child) => {
        if (child.classList.contains(known.name)) {
          matching++;
          return true;
        }
        // A row of another kind among them (a status line): as dominantGroup takes it.
        return child.tagName === known.tag && !child.querySelector(COMPOSER_INSIDE) && !isSeparator(child);
      });
      if (matching * 10 >= sample.length * 9) return { container, items };
    }
  }
  const group = dominantGroup(sample);
  const rowClass =
    group.byClass && group.items.length === sample.length ? sharedClass(group.items) : undefined;
  if (rowClass) rowClasses.set(container, { name: rowClass, tag: group.items[0]!.tagName });
  else rowClasses.delete(container);
  return { container, items: group.items };
}

/** The class every row of a list has, and their tag, by list (for cheap bounded re-reads). */
const rowClasses = new WeakMap<Element, { name: string; tag: string }>();

function sharedClass(items: Element[]): string | undefined {
  const [first] = items;
  if (!first) return undefined;
  return classNames(first).find((name) => items.every((item) => item.classList.contains(name)));
}

/**
 * Finds the conversation's message list: a [role=log]/[role=feed] region when the page marks one,
 * otherwise the container whose look-alike children hold the most text.
 */
export function findMessageList(root: PageRoot): MessageList | undefined {
  for (const marked of Array.from(root.querySelectorAll('[role="log"], [role="feed"]'))) {
    if (!isShown(marked)) continue;
    const list = messageListAt(marked);
    if (list.items.length > 0) return list;
  }
  const scored: Array<{ list: MessageList; score: number }> = [];
  let scanned = 0;
  for (const container of Array.from(root.querySelectorAll('*'))) {
    if (container.childElementCount < 2 || IGNORED_TAGS.has(container.tagName.toUpperCase())) continue;
    if (++scanned > MAX_CONTAINERS) break;
    if (container.closest(EXCLUDED_ANCESTORS)) continue;
    const { items, byClass } = dominantGroup(childElements(container));
    // Panes of a tabbed desk (one marked active) hold conversations; they are not messages.
    if (isTabSet(items)) continue;
    const score = scoreGroup(container, items, byClass);
    if (score > 0) scored.push({ list: { container, items }, score });
  }
  // The best list the operator can see: tabbed desks keep other tickets' histories in the page.
  scored.sort((a, b) => b.score - a.score);
  return scored.find((entry) => isShown(entry.list.container))?.list;
}

/** Class words that hide an element, and those of a tab pane that is not the active one. */
const HIDDEN_CLASS = new Set(['hidden', 'hide', 'd-none', 'is-hidden', 'invisible', 'collapsed', 'inactive']);
const ACTIVE_CLASS =
  /^(?:active|is-active|selected|is-selected|current|is-current|open|is-open|show|visible|is-visible)$/;

/**
 * Whether the operator can see `element`: no hidden ancestor (attribute, inline style, hiding
 * class, the browser's own check where there is layout), and no ancestor that is a sibling pane
 * of an active one (tabs that mark the shown pane `active` and leave the others unmarked).
 */
export function isShown(element: Element): boolean {
  const check = (element as Element & { checkVisibility?: () => boolean }).checkVisibility;
  const view = element.ownerDocument.defaultView as (Window & { happyDOM?: unknown }) | null;
  // Layout-backed check in a real browser (the tests' DOM has no style sheets to say no).
  if (check && view && !('happyDOM' in view) && !check.call(element)) return false;
  for (let node: Element | null = element; node && node.tagName !== 'BODY'; node = node.parentElement) {
    if (node.hasAttribute('hidden') || node.getAttribute('aria-hidden') === 'true') return false;
    const style = node.getAttribute('style');
    if (style && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) return false;
    const names = classNames(node);
    if (names.some((name) => HIDDEN_CLASS.has(name))) return false;
    if (node.getAttribute('role') === 'tabpanel' && node.getAttribute('aria-hidden') === 'true') return false;
    if (!names.some((name) => ACTIVE_CLASS.test(name)) && inactivePane(node, names)) return false;
  }
  return true;
}

/** Exactly one of a few look-alike siblings is marked active: tab panes. */
function isTabSet(items: Element[]): boolean {
  if (items.length < 2 || items.length > 12) return false;
  const active = items.filter((item) => classNames(item).some((name) => ACTIVE_CLASS.test(name))).length;
  return active === 1;
}

/** A sibling of the same kind (sharing a class) is marked active and this one is not. */
function inactivePane(node: Element, names: string[]): boolean {
  const parent = node.parentElement;
  if (!parent || names.length === 0 || parent.childElementCount < 2) return false;
  for (const sibling of Array.from(parent.children)) {
    if (sibling === node || sibling.tagName !== node.tagName) continue;
    const other = classNames(sibling);
    if (!other.some((name) => ACTIVE_CLASS.test(name))) continue;
    if (other.some((name) => names.includes(name))) return true;
  }
  return false;
}

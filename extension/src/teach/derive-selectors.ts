import {
  attributeSelector,
  classSelector,
  DESCRIPTIVE_ATTRIBUTES,
  IGNORED_ATTRIBUTES,
  idSelector,
  isPlainAttributeName,
  isStableId,
  isStableValue,
  stableClasses,
  tagOf,
  WEAK_ATTRIBUTES,
} from './stable-names.ts';

/** A selector and whether it leans on document position (nth-of-type), which breaks easily. */
export interface DerivedSelector {
  selector: string;
  fragile: boolean;
}

function matchAll(root: ParentNode, selector: string): Element[] {
  try {
    return Array.from(root.querySelectorAll(selector));
  } catch {
    return [];
  }
}

function isUnique(root: ParentNode, selector: string, element: Element): boolean {
  const found = matchAll(root, selector);
  return found.length === 1 && found[0] === element;
}

/** Ways to name an element by itself, most stable first (ids, test ids, ARIA, name, classes). */
export function ownCandidates(element: Element): string[] {
  const tag = tagOf(element);
  const candidates: string[] = [];
  const id = element.getAttribute('id');
  if (id && isStableId(id)) candidates.push(idSelector(id));
  for (const name of DESCRIPTIVE_ATTRIBUTES) {
    const value = element.getAttribute(name);
    if (value !== null && isStableValue(value)) {
      candidates.push(attributeSelector(name, value), `${tag}${attributeSelector(name, value)}`);
    }
  }
  for (const attribute of Array.from(element.attributes)) {
    if (!attribute.name.startsWith('data-') || DESCRIPTIVE_ATTRIBUTES.includes(attribute.name)) continue;
    if (!isPlainAttributeName(attribute.name)) continue;
    if (isStableValue(attribute.value)) candidates.push(attributeSelector(attribute.name, attribute.value));
  }
  const classes = stableClasses(element);
  for (const name of classes) candidates.push(classSelector(name), `${tag}${classSelector(name)}`);
  for (let first = 0; first < classes.length; first += 1) {
    for (let second = first + 1; second < classes.length; second += 1) {
      candidates.push(`${tag}.${classes[first]}.${classes[second]}`);
    }
  }
  for (const name of WEAK_ATTRIBUTES) {
    const value = element.getAttribute(name);
    if (value !== null && isStableValue(value)) candidates.push(`${tag}${attributeSelector(name, value)}`);
  }
  if (element.getAttribute('contenteditable') === 'true' || element.getAttribute('contenteditable') === '') {
    candidates.push(`${tag}[contenteditable]`);
  }
  candidates.push(tag);
  return candidates;
}

/**
 * A selector that finds `element` and nothing else in `root`: its own stable names first, then
 * scoped under the nearest ancestor that has a unique name, and only as a last resort a chain of
 * nth-of-type steps (marked fragile).
 */
export function uniqueSelector(element: Element, root: Document): DerivedSelector {
  for (const candidate of ownCandidates(element)) {
    if (isUnique(root, candidate, element)) return { selector: candidate, fragile: false };
  }
  let ancestor = element.parentElement;
  for (let depth = 0; ancestor && depth < 6; depth += 1, ancestor = ancestor.parentElement) {
    if (ancestor === root.documentElement) break;
    const anchor = ownCandidates(ancestor).find((candidate) =>
      isUnique(root, candidate, ancestor as Element),
    );
    if (!anchor || anchor === tagOf(ancestor)) continue;
    for (const own of ownCandidates(element)) {
      const scoped = `${anchor} ${own}`;
      if (isUnique(root, scoped, element)) return { selector: scoped, fragile: false };
    }
  }
  return { selector: positionPath(element), fragile: true };
}

/** `body > div:nth-of-type(2) > …`, from the nearest ancestor with a stable id. */
export function positionPath(element: Element): string {
  const steps: string[] = [];
  let current: Element | null = element;
  while (current && current.localName !== 'html') {
    const id = current.getAttribute('id');
    if (id && isStableId(id)) {
      steps.unshift(idSelector(id));
      break;
    }
    if (current.localName === 'body') {
      steps.unshift('body');
      break;
    }
    const tag = tagOf(current);
    const parent: Element | null = current.parentElement;
    const sameTag = parent ? Array.from(parent.children).filter((child) => child.localName === tag) : [];
    steps.unshift(sameTag.length > 1 ? `${tag}:nth-of-type(${sameTag.indexOf(current) + 1})` : tag);
    current = parent;
  }
  return steps.join(' > ');
}

/** Ways to name both messages at once: attributes and classes they share, then their tag. */
function sharedCandidates(first: Element, second: Element, parentIsList: boolean): string[] {
  const tag = tagOf(first);
  const sameTag = tag === tagOf(second);
  const candidates: string[] = [];
  for (const attribute of Array.from(first.attributes)) {
    const name = attribute.name;
    if (IGNORED_ATTRIBUTES.has(name) || !isPlainAttributeName(name)) continue;
    const other = second.getAttribute(name);
    if (other === null) continue;
    if (other === attribute.value && isStableValue(attribute.value)) {
      candidates.push(attributeSelector(name, attribute.value));
    }
  }
  const theirs = new Set(stableClasses(second));
  const shared = stableClasses(first).filter((name) => theirs.has(name));
  for (const name of shared) candidates.push(classSelector(name));
  if (sameTag) for (const name of shared) candidates.push(`${tag}${classSelector(name)}`);
  for (const attribute of Array.from(first.attributes)) {
    const name = attribute.name;
    if (IGNORED_ATTRIBUTES.has(name) || !isPlainAttributeName(name) || !name.startsWith('data-')) continue;
    if (second.hasAttribute(name)) candidates.push(attributeSelector(name));
  }
  if (sameTag) candidates.push(parentIsList ? `:scope > ${tag}` : tag);
  return candidates;
}

/**
 * The selector, relative to the list, for messages like `first` and `second`: it must find both,
 * never one message inside another, and preferably every look-alike sibling.
 */
export function messageSelector(list: Element, first: Element, second: Element): string | undefined {
  const parentIsList = first.parentElement === list && second.parentElement === list;
  let best: { selector: string; count: number; order: number } | undefined;
  sharedCandidates(first, second, parentIsList).forEach((selector, order) => {
    const found = matchAll(list, selector);
    if (!found.includes(first) || !found.includes(second)) return;
    const nested = found.some((element) =>
      found.some((other) => other !== element && other.contains(element)),
    );
    if (nested) return;
    // More look-alikes found means the selector caught the kind, not just these two; earlier
    // candidates (attributes before classes before tags) win ties.
    if (!best || found.length > best.count) best = { selector, count: found.length, order };
  });
  return best?.selector;
}

/**
 * A selector for the part of a message the operator clicked (its text), valid in both messages:
 * the clicked element or its nearest ancestor inside the message with a stable class.
 */
export function partSelector(picked: Element, item: Element, other: Element): string | undefined {
  for (let current: Element | null = picked; current && current !== item; current = current.parentElement) {
    for (const candidate of ownCandidates(current)) {
      if (candidate === tagOf(current) || candidate.startsWith('#')) continue;
      const mine = matchAll(item, candidate);
      const theirs = matchAll(other, candidate);
      if (mine.length === 1 && mine[0] === current && theirs.length === 1) return candidate;
    }
  }
  return undefined;
}

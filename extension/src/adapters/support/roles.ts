import type { ConversationMessage } from '@naparnik/assist-service/contract';
import { classTokens } from './class-tokens.ts';

type Role = ConversationMessage['role'];

/** Words in class names and data attributes that say who wrote a message. */
const ROLE_WORDS: Array<[Role, ReadonlySet<string>]> = [
  ['note', new Set(['note', 'internal', 'private', 'whisper', 'comment'])],
  ['system', new Set(['system', 'activity', 'event', 'lineitem', 'notice', 'separator'])],
  ['bot', new Set(['bot', 'robot', 'automated', 'autoreply'])],
  [
    'operator',
    new Set([
      'agent',
      'operator',
      'outgoing',
      'outbound',
      'out',
      'sent',
      'staff',
      'support',
      'employee',
      'manager',
      'mine',
      'own',
      'self',
      'me',
    ]),
  ],
  [
    'customer',
    new Set([
      'customer',
      'client',
      'incoming',
      'inbound',
      'in',
      'received',
      'visitor',
      'guest',
      'requester',
      'contact',
    ]),
  ],
];
/** Short words only count on the message element itself, where they are unambiguous. */
const ITEM_ONLY_WORDS = new Set([
  'in',
  'out',
  'me',
  'own',
  'self',
  'sent',
  'event',
  'contact',
  'comment',
  'support',
]);
/** Parts of a message that describe it rather than hold its role (FreeScout's thread-info, …). */
const META_WORDS = new Set([
  'meta',
  'info',
  'header',
  'head',
  'title',
  'status',
  'actions',
  'toolbar',
  'avatar',
  'photo',
  'popover',
]);
const ROLE_ATTRIBUTES = [
  'data-role',
  'data-author-role',
  'data-sender',
  'data-sender-type',
  'data-author-type',
  'data-direction',
  'data-type',
];

/** "justify-end", "ml-auto", "right-bubble", "msg--right": the outgoing side in most chat layouts. */
const RIGHT_CLASS =
  /^(?:justify|self|float|text|pull)-(?:end|right|flex-end)$|^ml-auto$|(?:^|[-_])right(?:[-_]|$)/;
const LEFT_CLASS =
  /^(?:justify|self|float|text|pull)-(?:start|left|flex-start)$|^mr-auto$|(?:^|[-_])left(?:[-_]|$)/;

function wordsOf(element: Element, itemLevel: boolean): string[] {
  const words = classTokens(element);
  if (itemLevel) {
    for (const name of ROLE_ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value) words.push(...value.toLowerCase().split(/[^a-zа-я]+/u));
    }
  }
  return itemLevel ? words : words.filter((word) => !ITEM_ONLY_WORDS.has(word));
}

function roleFromWords(words: string[]): Role | undefined {
  for (const [role, vocabulary] of ROLE_WORDS) if (words.some((word) => vocabulary.has(word))) return role;
  return undefined;
}

function descendants(item: Element, depth: number): Element[] {
  const found: Element[] = [];
  const visit = (node: Element, level: number) => {
    for (const child of Array.from(node.children)) {
      if (classTokens(child).some((word) => META_WORDS.has(word))) continue;
      found.push(child);
      if (level < depth) visit(child, level + 1);
    }
  };
  visit(item, 1);
  return found;
}

/** The role a message's own markup states, from its class names and data attributes. */
export function declaredRole(item: Element): Role | undefined {
  const own = roleFromWords(wordsOf(item, true));
  if (own) return own;
  for (const element of descendants(item, 3)) {
    const role = roleFromWords(wordsOf(element, false));
    if (role) return role;
  }
  return undefined;
}

/** Which side the message sits on, from alignment classes and inline styles. */
export function alignmentOf(item: Element): 'left' | 'right' | 'center' | undefined {
  for (const element of [item, ...descendants(item, 3)]) {
    const className = element.getAttribute('class') ?? '';
    if (/\b(?:justify|self|items|text)-center\b/.test(className)) return 'center';
    const style = (element.getAttribute('style') ?? '').replace(/\s+/g, '').toLowerCase();
    if (
      /margin-left:auto|align-self:(?:flex-)?end|text-align:right|justify-content:(?:flex-)?end/.test(style)
    )
      return 'right';
    if (/align-self:center|justify-content:center/.test(style)) return 'center';
    if (/margin-right:auto|align-self:(?:flex-)?start/.test(style)) return 'left';
    for (const name of className.split(/\s+/)) {
      if (RIGHT_CLASS.test(name)) return 'right';
      if (LEFT_CLASS.test(name)) return 'left';
    }
  }
  return undefined;
}

/** Names compare by their words, so "Ольга Петренко" matches "Петренко Ольга" and "Ольга". */
export function sameName(a: string, b: string): boolean {
  const words = (value: string) =>
    value
      .toLowerCase()
      .replace(/<[^>]*>|[^\p{L}\s]/gu, ' ')
      .split(/\s+/)
      .filter((word) => word.length > 1);
  const left = words(a);
  const right = new Set(words(b));
  if (left.length === 0 || right.size === 0) return false;
  const shared = left.filter((word) => right.has(word)).length;
  return (
    shared >= Math.min(left.length, right.size, 2) || (shared >= 1 && Math.min(left.length, right.size) === 1)
  );
}

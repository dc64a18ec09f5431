import type { Conversation, ConversationMessage } from '@naparnik/assist-service/contract';
import type { ExtractOptions, PageRoot, SiteAdapter } from './adapter.ts';
import { classTokens, hasToken } from './support/class-tokens.ts';
import { findGenericComposer } from './support/composer-finder.ts';
import { parseShownDate } from './support/dates.ts';
import { compact, findOrderNumbers, inlineText, readableText, readNewest } from './support/dom.ts';
import { findMessageList, messageListAt } from './support/message-list.ts';
import { findRequester } from './support/requester.ts';
import { alignmentOf, declaredRole, sameName } from './support/roles.ts';

type Role = ConversationMessage['role'];

const BODY_WORDS = new Set(['body', 'text', 'content', 'bubble', 'prose', 'comment', 'html', 'richtext']);
const META_WORDS = new Set([
  'meta',
  'header',
  'head',
  'info',
  'title',
  'status',
  'actions',
  'toolbar',
  'avatar',
  'photo',
  'subline',
  'recipients',
  'footer',
  'time',
  'date',
  'badge',
  'arrow',
]);
const STAMP_WORDS = new Set([
  'time',
  'date',
  'info',
  'status',
  'actions',
  'toolbar',
  'avatar',
  'photo',
  'badge',
]);
export const AUTHOR_WORDS = new Set(['author', 'sender', 'name', 'person', 'from', 'username', 'nick']);
export const TIME_WORDS = new Set(['time', 'date', 'timestamp', 'datetime', 'ago']);
const EMAIL_HINT = /^(?:от|from|кому|to|тема|subject|cc|копия)\s*:/imu;

function isMeta(element: Element): boolean {
  return element.tagName === 'TIME' || hasToken(element, META_WORDS) || hasToken(element, AUTHOR_WORDS);
}

function bodyOf(item: Element): string {
  const candidates = Array.from(item.querySelectorAll('*')).filter(
    (element) =>
      hasToken(element, BODY_WORDS) && !hasToken(element, META_WORDS) && !hasToken(element, AUTHOR_WORDS),
  );
  let best: Element | undefined;
  let bestLength = 0;
  for (const candidate of candidates) {
    const length = readableText(candidate, isMeta).length;
    // Equal text: the inner element is the body itself, the outer one only wraps it.
    if (length > bestLength || (length === bestLength && best?.contains(candidate))) {
      best = candidate;
      bestLength = length;
    }
  }
  if (best && bestLength > 0) return readableText(best, isMeta);
  const text = readableText(item, isMeta);
  // Event rows ("X assigned Y") are all header: keep the title, drop times and controls.
  return (
    text || readableText(item, (element) => element.tagName === 'TIME' || hasToken(element, STAMP_WORDS))
  );
}

function authorOf(item: Element): string | undefined {
  for (const element of Array.from(item.querySelectorAll('*'))) {
    if (hasToken(element, AUTHOR_WORDS) && !hasToken(element, TIME_WORDS)) {
      const text = inlineText(element);
      if (text && text.length <= 80) return text;
    }
  }
  const header = Array.from(item.querySelectorAll('*')).find((element) => hasToken(element, META_WORDS));
  const strong = header?.querySelector('strong, b');
  const text = inlineText(strong);
  return text && text.length <= 80 ? text : undefined;
}

function timeOf(item: Element): string | undefined {
  const time = item.querySelector('time');
  if (time)
    return time.getAttribute('datetime') || time.getAttribute('data-time') || inlineText(time) || undefined;
  for (const element of Array.from(item.querySelectorAll('[class]'))) {
    if (!classTokens(element).some((token) => TIME_WORDS.has(token))) continue;
    const shown = element.getAttribute('title') || element.getAttribute('data-time') || inlineText(element);
    if (shown && shown.length <= 64) return shown;
  }
  return undefined;
}

interface Draft {
  element: Element;
  message: ConversationMessage;
  declared: Role | undefined;
  /** Mail headers ("От:", "Тема:") or a mailto link: the conversation is e-mail. */
  emailHint: boolean;
}

/** Roles in order of evidence: the markup's own words, the author, the side, look-alike rows. */
function assignRoles(drafts: Draft[], requester: string | undefined): void {
  const authored = drafts.filter((draft) => draft.message.author);
  const requesterWrites = requester
    ? authored.some((draft) => sameName(draft.message.author ?? '', requester))
    : false;
  const known = new Map<string, Role>();
  const shapeKey = (element: Element) => element.getAttribute('class') ?? element.tagName;
  for (const draft of drafts) {
    let role = draft.declared;
    const author = draft.message.author;
    if (!role && requester && requesterWrites && author)
      role = sameName(author, requester) ? 'customer' : 'operator';
    if (!role) {
      const side = alignmentOf(draft.element);
      role =
        side === 'right'
          ? 'operator'
          : side === 'left'
            ? 'customer'
            : side === 'center'
              ? 'system'
              : undefined;
    }
    if (role) {
      draft.message.role = role;
      known.set(shapeKey(draft.element), role);
    }
  }
  for (const draft of drafts) {
    if (draft.declared || draft.message.role !== 'customer') continue;
    const role = known.get(shapeKey(draft.element));
    if (role) draft.message.role = role;
  }
}

function isNewestFirst(first: Element | undefined, last: Element | undefined): boolean {
  const firstTime = parseShownDate(first ? (timeOf(first) ?? '') : '');
  const lastTime = parseShownDate(last ? (timeOf(last) ?? '') : '');
  return firstTime !== undefined && lastTime !== undefined && firstTime > lastTime;
}

/** Any page that shows a conversation: chat-style or e-mail-style, found by structure alone. */
export const genericAdapter: SiteAdapter = {
  id: 'generic',
  matches: () => true,
  extract(root: PageRoot, url?: URL, options: ExtractOptions = {}): Conversation | undefined {
    const list = options.list ? messageListAt(options.list, options.lastMessages) : findMessageList(root);
    if (!list) return undefined;
    const requester = findRequester(root, list.container);
    const draftOf = (element: Element): Readonly<Draft> | undefined => {
      const text = bodyOf(element);
      if (!text) return undefined;
      const author = authorOf(element);
      return {
        element,
        declared: declaredRole(element),
        message: compact({ role: 'customer' as Role, text, at: timeOf(element), author }),
        emailHint:
          EMAIL_HINT.test(readableText(element)) || Boolean(element.querySelector('a[href^="mailto:"]')),
      };
    };
    const count = options.lastMessages;
    // A bounded read of a newest-first list takes its first rows, in time order.
    const newestFirst =
      count !== undefined && list.items.length > count && isNewestFirst(list.items[0], list.items.at(-1));
    const read = readNewest(newestFirst ? list.items.toReversed() : list.items, draftOf, count, options.memo);
    if (read.length === 0) return undefined;
    let email = read.some((draft) => draft.emailHint);
    // Roles are assigned on copies: what the memo holds stays as read.
    const drafts = read.map((draft) => ({ ...draft, message: { ...draft.message } }));
    // Letters have paragraphs and signatures; chat lines rarely do.
    const paragraphs = drafts.filter((draft) => draft.message.text.includes('\n\n')).length;
    if (paragraphs * 2 >= drafts.length) email = true;
    assignRoles(drafts, requester);
    const times = drafts.map((draft) => parseShownDate(draft.message.at ?? ''));
    const first = times[0];
    const last = times[times.length - 1];
    // Some helpdesks (FreeScout, many mail clients) list the newest message first.
    if (first !== undefined && last !== undefined && first > last) drafts.reverse();

    const outsideText = readableText(
      root.nodeType === 9 ? (root as Document).body : root,
      (element) => list.container.contains(element) || element === list.container,
    );
    const orders = findOrderNumbers(outsideText);
    const idHolder = (
      root.nodeType === 9 ? (root as Document).documentElement : (root as Element)
    ).querySelector('[data-ticket-id], [data-conversation-id], [data-conversation_id]');
    const ticketId =
      idHolder?.getAttribute('data-ticket-id') ??
      idHolder?.getAttribute('data-conversation-id') ??
      idHolder?.getAttribute('data-conversation_id') ??
      undefined;
    return compact<Conversation>({
      id: ticketId,
      channel: email ? 'email' : 'chat',
      messages: drafts.map((draft) => draft.message),
      customer: compact({
        name: requester,
        ids: (orders[0] ? { order: orders[0] } : {}) as Record<string, string>,
      }),
      source: compact({ adapter: 'generic', url: url?.href, ticketId }),
    });
  },
  composer: (root) => findGenericComposer(root),
  messageList: (root) => findMessageList(root)?.container,
};

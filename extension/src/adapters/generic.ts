import type { Conversation, ConversationMessage } from '@naparnik/assist-service/contract';
import type { ExtractOptions, PageRoot, ReadingMemo, SiteAdapter } from './adapter.ts';
import { classNames, classTokens, hasToken, nameTokens } from './support/class-tokens.ts';
import { findGenericComposer } from './support/composer-finder.ts';
import { parseShownDate } from './support/dates.ts';
import {
  BLOCK_TAGS,
  compact,
  findOrderNumbers,
  inlineText,
  readableText,
  readNewest,
} from './support/dom.ts';
import {
  type Identities,
  type Person,
  parsePerson,
  readIdentities,
  samePerson,
} from './support/identities.ts';
import { findMessageList, type MessageList, messageListAt } from './support/message-list.ts';
import { isAttachmentBlock, isHidden, isQuote, readMessageBody } from './support/message-text.ts';
import { decideRoles, type MessageSigns, type RoleInput, readSigns } from './support/roles.ts';

type Role = ConversationMessage['role'];

const BODY_WORDS = new Set([
  'body',
  'text',
  'content',
  'bubble',
  'prose',
  'comment',
  'html',
  'richtext',
  'wiki',
  'markdown',
  'description',
  'messagebody',
]);
const META_WORDS = new Set([
  'meta',
  'metadata',
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
  'strip',
  'contextual',
  'subject',
  'channel',
  'type',
  'initials',
  'userpic',
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
  'initials',
  'contextual',
  'type',
  'channel',
]);
export const AUTHOR_WORDS = new Set([
  'author',
  'sender',
  'name',
  'person',
  'from',
  'username',
  'nick',
  'user',
  'member',
  'creator',
]);
export const TIME_WORDS = new Set(['time', 'date', 'timestamp', 'datetime', 'ago', 'timeago']);
const EMAIL_HINT = /^(?:от|from|кому|to|тема|subject|cc|копия)\s*:/imu;
/** A label before the author's name: "От:", "Кем:", "Автор:". */
const AUTHOR_LABEL = /^(?:от|from|кем|автор|author|by|отправитель|sender)\s*:?$/iu;
/** A shown time or date on its own: "14:21", "10:02 AM", "05.12.2026 08:12". */
const SHOWN_TIME =
  /^(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,2}\.\d{1,2}\.\d{2,4}(?:,?\s+\d{1,2}:\d{2})?|\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?|(?:сегодня|вчера|позавчера|только что|just now|today|yesterday)(?:,?\s*(?:в\s+)?\d{1,2}:\d{2})?|(?:около\s+)?\d+\s+(?:сек|мин|час|дн|нед|мес|лет|год|seconds?|minutes?|hours?|days?|weeks?|months?|years?)\p{L}*\.?\s+(?:назад|ago))$/iu;

/**
 * Whether an element is named for the author: a class with an author word, unless the name ends
 * in a body word ("author-text" is text); BEM names say what they are last ("…-content-author").
 */
function isAuthorNamed(element: Element): boolean {
  let author = false;
  for (const name of classNames(element)) {
    const words = nameTokens(name);
    const last = words.at(-1) ?? '';
    if (AUTHOR_WORDS.has(last)) return true;
    if (BODY_WORDS.has(last)) continue;
    if (words.some((word) => AUTHOR_WORDS.has(word))) author = true;
  }
  return author;
}

/** Whether an element is named for the body: a body word, unless the name ends in a meta or author word. */
function isBodyNamed(element: Element): boolean {
  for (const name of classNames(element)) {
    const words = nameTokens(name);
    const last = words.at(-1) ?? '';
    if (AUTHOR_WORDS.has(last) || META_WORDS.has(last)) continue;
    if (words.some((word) => BODY_WORDS.has(word))) return true;
  }
  return false;
}

function isMeta(element: Element): boolean {
  return element.tagName === 'TIME' || hasToken(element, META_WORDS) || isAuthorNamed(element);
}

/** Inside a body, "info" names content ("detail-info"), not a message's meta. */
function isMetaInBody(element: Element): boolean {
  if (!isMeta(element)) return false;
  const tokens = classTokens(element);
  return (
    element.tagName === 'TIME' ||
    isAuthorNamed(element) ||
    tokens.some((token) => token !== 'info' && META_WORDS.has(token))
  );
}

function isStamp(element: Element): boolean {
  return (
    element.tagName === 'TIME' ||
    hasToken(element, STAMP_WORDS) ||
    (element.childElementCount === 0 && SHOWN_TIME.test(inlineText(element)))
  );
}

/** The element holding the message's text: the body-named block with the most text. */
function bodyElement(item: Element): Element | undefined {
  let best: Element | undefined;
  let bestLength = 0;
  for (const candidate of Array.from(item.querySelectorAll('*'))) {
    if (!isBodyNamed(candidate) || hasToken(candidate, META_WORDS) || isAuthorNamed(candidate)) continue;
    if (isAttachmentBlock(candidate) || isQuote(candidate) || isHidden(candidate)) continue;
    if (candidate.closest('blockquote') && item.contains(candidate.closest('blockquote'))) continue;
    const length = readableText(candidate, (element) => isMeta(element) || isQuote(element)).length;
    // Equal text: the inner element is the body itself, the outer one only wraps it.
    if (length > bestLength || (length === bestLength && best?.contains(candidate))) {
      best = candidate;
      bestLength = length;
    }
  }
  return bestLength > 0 ? best : undefined;
}

/** The leaf blocks of an item with no named parts (generated class names): its lines, in order. */
function leafLines(item: Element): Array<{ element: Element; text: string }> {
  const lines: Array<{ element: Element; text: string }> = [];
  for (const element of Array.from(item.querySelectorAll('*'))) {
    if (element.childElementCount > 0 && Array.from(element.children).some((child) => inlineText(child)))
      continue;
    const text = inlineText(element);
    if (text) lines.push({ element, text });
  }
  return lines;
}

interface Body {
  element?: Element;
  text: string;
  from?: string;
  /** A name line above the text in a layout without named parts. */
  leadingName?: string;
}

const CONTENT_BLOCKS = new Set(['DIV', 'P', 'TD', 'SECTION', 'ARTICLE', 'LI', 'DD', 'BLOCKQUOTE']);

/**
 * When a row names its author but not its body (a table row with the author's cell and the text's
 * cell): the block, three levels down at most, that holds the most text and neither the author,
 * a time, nor meta.
 */
function structuralBody(item: Element): Element | undefined {
  const author = Array.from(item.querySelectorAll('*')).find(
    (element) => isAuthorNamed(element) && !hasToken(element, TIME_WORDS),
  );
  if (!author) return undefined;
  let best: Element | undefined;
  let bestLength = 0;
  const visit = (node: Element, depth: number) => {
    for (const child of Array.from(node.children)) {
      if (!CONTENT_BLOCKS.has(child.tagName) || isMeta(child) || isStamp(child)) continue;
      if (child.contains(author)) {
        if (depth < 3) visit(child, depth + 1);
        continue;
      }
      const length = readableText(child, (element) => isMeta(element) || isAttachmentBlock(element)).length;
      if (length > bestLength) {
        best = child;
        bestLength = length;
      }
    }
  };
  visit(item, 1);
  return bestLength >= 2 ? best : undefined;
}

function bodyOf(item: Element): Body {
  const element = bodyElement(item);
  if (element) {
    const read = readMessageBody(element, { skip: isMetaInBody, attachmentsFrom: item });
    return { element, ...read };
  }
  // No named body, but a named author: the block beside the author's with the most text.
  const byStructure = structuralBody(item);
  if (byStructure) {
    const read = readMessageBody(byStructure, { skip: isMetaInBody, attachmentsFrom: item });
    if (read.text) return { element: byStructure, ...read };
  }
  const lines = leafLines(item);
  const inMeta = (element: Element) => {
    for (let node: Element | null = element; node && node !== item; node = node.parentElement)
      if (isStamp(node) || isMeta(node)) return true;
    return false;
  };
  const content = lines.filter((line) => !inMeta(line.element));
  // A short first line over longer text is the author's name (bubbles with generated classes).
  let leadingName: string | undefined;
  if (
    content.length >= 2 &&
    content[0]!.text.length <= 40 &&
    (BLOCK_TAGS.has(content[0]!.element.tagName) ||
      inlineText(content[0]!.element.parentElement) === content[0]!.text) &&
    /^\p{L}/u.test(content[0]!.text) &&
    !/[.!?:]$/.test(content[0]!.text) &&
    content.slice(1).some((line) => line.text.length > content[0]!.text.length) &&
    !hasToken(content[0]!.element, BODY_WORDS)
  ) {
    leadingName = content[0]!.text;
  }
  const skipped = new Set(leadingName ? [content[0]!.element] : []);
  const read = readMessageBody(item, {
    skip: (candidate) =>
      isMeta(candidate) ||
      skipped.has(candidate) ||
      (candidate.childElementCount === 0 && isStamp(candidate)),
  });
  if (read.text) return leadingName ? { ...read, leadingName } : read;
  // Event rows ("X assigned Y") are all header: keep the title, drop times and controls.
  return {
    text: readableText(
      item,
      (candidate) => candidate !== item && (isStamp(candidate) || isAttachmentBlock(candidate)),
    ),
  };
}

function authorOf(item: Element, body: Element | undefined): string | undefined {
  const outsideBody = (element: Element) => !body || !(element === body || body.contains(element));
  const elements = Array.from(item.querySelectorAll('*')).filter(outsideBody);
  for (const element of elements) {
    if (isAuthorNamed(element) && !hasToken(element, TIME_WORDS)) {
      const text = inlineText(element);
      if (text && text.length <= 80) return text;
    }
  }
  for (const element of elements) {
    if (element.childElementCount > 0 || !AUTHOR_LABEL.test(inlineText(element))) continue;
    const value = inlineText(element.nextElementSibling);
    if (value && value.length <= 120) return value;
  }
  // A mail header printed in the entry's head: "От: Галина Сухова <g.suhova@example.ru>".
  const head = readableText(item, (element) => element === body);
  const fromLine = /^(?:от|from)\s*:\s*(.+)$/imu.exec(head)?.[1]?.trim();
  if (fromLine && fromLine.length <= 120) return fromLine;
  const header = elements.find((element) => hasToken(element, META_WORDS));
  const strong = (header ?? item).querySelector('strong, b');
  const text = strong && outsideBody(strong) ? inlineText(strong) : '';
  if (text && text.length <= 80) return text;
  // A one-line entry whose body names the actor ("<user>Анна</user> — Взят").
  if (body && readableText(body).length <= 200) {
    const named = Array.from(body.querySelectorAll('*')).find((element) => isAuthorNamed(element));
    const value = inlineText(named);
    if (value && value.length <= 80) return value;
  }
  return undefined;
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

/** One message as read from the page, before roles are decided (what the memo keeps). */
interface Draft {
  element: Element;
  text: string;
  at?: string;
  author?: string;
  signs: MessageSigns;
  /** The entry's title outside its body ("Стадия изменена"): a status line's subject. */
  heading?: string;
  bodyless: boolean;
  /** Mail headers ("От:", "Тема:") or a mailto link: the conversation is e-mail. */
  emailHint: boolean;
  /** `at` as a number for ordering, when it parses. */
  time?: number;
}

/** "[черновик]", "Draft": the operator's unsent text, not part of the conversation. */
const UNSENT = /^\[?(?:черновик|draft|не отправлено|unsent)\]?$/iu;

function readDraft(element: Element): Draft | undefined {
  if (classTokens(element).includes('draft')) return undefined;
  const body = bodyOf(element);
  if (!body.text) return undefined;
  const named = authorOf(element, body.element);
  const from = body.from ? parsePerson(body.from) : undefined;
  const author = from?.name ?? named ?? body.from ?? body.leadingName;
  const title = Array.from(element.querySelectorAll('[class]')).find(
    (candidate) =>
      classTokens(candidate).includes('title') &&
      !isAuthorNamed(candidate) &&
      !hasToken(candidate, TIME_WORDS) &&
      !(body.element && (candidate === body.element || body.element.contains(candidate))),
  );
  const heading = inlineText(title);
  const signs = readSigns(element, body.element);
  if (signs.labels.some((label) => UNSENT.test(label.trim()))) return undefined;
  const at = timeOf(element);
  return {
    element,
    text: body.text,
    heading: heading && heading.length <= 60 ? heading : undefined,
    at,
    time: at ? parseShownDate(at) : undefined,
    author: author ? author.replace(/\s+/g, ' ').trim() : undefined,
    signs,
    bodyless: !body.element && !body.leadingName,
    emailHint:
      Boolean(body.from) ||
      EMAIL_HINT.test(readableText(element)) ||
      Boolean(element.querySelector('a[href^="mailto:"]')),
  };
}

interface Authorship {
  author?: string;
  /** The author as the reading shows them ("Ирина Белова", not "Ирина Белова <help@…>"). */
  shown?: string;
  /** How the author relates to the people the page names; `unknown`: named, but not one of them. */
  kind: NonNullable<RoleInput['authorIs']> | 'unknown' | undefined;
}

/** Who wrote a row, per row and page facts (kept: rows are read once, facts once per list). */
const authorships = new WeakMap<Draft, { facts: PageFacts; authorship: Authorship }>();

function whoWrote(draft: Draft, facts: PageFacts): Authorship {
  const cached = authorships.get(draft);
  if (cached?.facts === facts) return cached.authorship;
  const { identities } = facts;
  const known = (value: string) => {
    const person = parsePerson(value);
    return Boolean(
      person &&
        ((identities.requester && samePerson(person, identities.requester)) ||
          identities.operators.some((operator) => samePerson(person, operator))),
    );
  };
  let author = draft.author;
  if (!author) {
    // "Вера Соловьёва: Здравствуйте!…" — a chat line quoted in a timeline names its author first.
    const named = /^([\p{L}][\p{L}.' -]{1,60}):\s/u.exec(draft.text)?.[1];
    if (named && known(named)) author = named;
    // A row whose author has no named element: a short label in its header that names someone
    // the page knows.
    else
      author = draft.signs.labels.find(
        (candidate) =>
          candidate.length <= 60 &&
          /^\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*){0,3}$/u.test(candidate) &&
          known(candidate),
      );
  }
  const kind = authorKind(author, identities);
  const authorship: Authorship = {
    author,
    shown: displayName(author),
    kind: author && !kind ? 'unknown' : kind,
  };
  authorships.set(draft, { facts, authorship });
  return authorship;
}

const SELF_AUTHOR = /^(?:вы|я|you|me)(?:\s*[·•|].*)?$/iu;
const SYSTEM_AUTHOR = /^(?:система|робот|system|robot|автоматически|automation|триггер|trigger)$/iu;

function authorKind(author: string | undefined, identities: Identities): RoleInput['authorIs'] {
  if (!author) return undefined;
  if (SELF_AUTHOR.test(author)) return 'self';
  if (SYSTEM_AUTHOR.test(author)) return 'system';
  const person = parsePerson(author);
  if (!person) return undefined;
  if (identities.requester && samePerson(person, identities.requester)) return 'requester';
  if (identities.operators.some((operator) => samePerson(person, operator))) return 'operator';
  return undefined;
}

function isNewestFirst(first: Element | undefined, last: Element | undefined): boolean {
  const firstTime = parseShownDate(first ? (timeOf(first) ?? '') : '');
  const lastTime = parseShownDate(last ? (timeOf(last) ?? '') : '');
  return firstTime !== undefined && lastTime !== undefined && firstTime > lastTime;
}

/** Facts about the page around the list, read once per list (kept in the memo under the list). */
interface PageFacts {
  identities: Identities;
  opening?: Draft;
  ticketId?: string;
  orders: string[];
}

/**
 * The ticket's opening message when the page shows it above the history rather than in it (an
 * issue's description with the history of notes under it): a description block before the list.
 */
function openingDraft(root: PageRoot, list: Element): Draft | undefined {
  const documentElement = root.nodeType === 9 ? (root as Document).documentElement : (root as Element);
  for (const candidate of Array.from(documentElement.querySelectorAll('[class*="description" i]'))) {
    if (!classTokens(candidate).includes('description') || list.contains(candidate)) continue;
    // Before the list in document order, and not part of a list of other things.
    if (!(candidate.compareDocumentPosition(list) & 4)) continue;
    const text = readMessageBody(candidate, { skip: (element) => isMeta(element) || isStamp(element) }).text;
    if (text.length < 40) continue;
    let holder: Element | null = candidate.parentElement;
    let author: string | undefined;
    for (let depth = 0; holder && depth < 3 && !author; depth++, holder = holder.parentElement) {
      const named = Array.from(holder.querySelectorAll('*')).find(
        (element) => hasToken(element, AUTHOR_WORDS) && !candidate.contains(element),
      );
      const link = named?.querySelector('a, strong, b') ?? named;
      const value = inlineText(link);
      if (value && value.length <= 80) author = value;
    }
    return {
      element: candidate,
      text,
      author,
      signs: readSigns(candidate, candidate),
      bodyless: false,
      emailHint: false,
    };
  }
  return undefined;
}

function pageFacts(root: PageRoot, list: MessageList, memo: ReadingMemo | undefined): PageFacts {
  const stored = memo?.get(list.container) as PageFacts | undefined;
  if (stored) return stored;
  const identities = readIdentities(root, list.container);
  const outsideText = readableText(
    root.nodeType === 9 ? (root as Document).body : root,
    (element) => list.container.contains(element) || element === list.container,
  );
  const idHolder = (
    root.nodeType === 9 ? (root as Document).documentElement : (root as Element)
  ).querySelector('[data-ticket-id], [data-conversation-id], [data-conversation_id]');
  const facts: PageFacts = {
    identities,
    opening: openingDraft(root, list.container),
    ticketId:
      idHolder?.getAttribute('data-ticket-id') ??
      idHolder?.getAttribute('data-conversation-id') ??
      idHolder?.getAttribute('data-conversation_id') ??
      undefined,
    orders: findOrderNumbers(outsideText),
  };
  memo?.set(list.container, facts);
  return facts;
}

/** Any page that shows a conversation: chat-style or e-mail-style, found by structure alone. */
export const genericAdapter: SiteAdapter = {
  id: 'generic',
  matches: () => true,
  extract(root: PageRoot, url?: URL, options: ExtractOptions = {}): Conversation | undefined {
    const list = options.list ? messageListAt(options.list, options.lastMessages) : findMessageList(root);
    if (!list) return undefined;
    const facts = pageFacts(root, list, options.memo);
    const count = options.lastMessages;
    // A bounded read of a newest-first list takes its first rows, in time order.
    const newestFirst =
      count !== undefined && list.items.length > count && isNewestFirst(list.items[0], list.items.at(-1));
    const read = readNewest(
      newestFirst ? list.items.toReversed() : list.items,
      readDraft,
      count,
      options.memo,
    );
    if (read.length === 0) return undefined;
    // Rows with neither time nor author and only a word or two ("История", "Ранее") are headings
    // of a timeline whose entries all show a time.
    const timed = read.filter((draft) => draft.at).length;
    let drafts =
      timed >= 3 && timed >= read.length * 0.6
        ? read.filter((draft) => draft.at || draft.author || !isHeading(draft.text))
        : [...read];
    // The first and last rows that show a time (a draft or a heading may show none).
    const times = drafts.map((draft) => draft.time).filter((time) => time !== undefined);
    const first = times[0];
    const last = times[times.length - 1];
    // Some helpdesks (FreeScout, Odoo, CRM timelines) list the newest message first.
    if (first !== undefined && last !== undefined && first > last) drafts.reverse();
    // The opening message shown above the history, when the whole history is read.
    if (facts.opening && (count === undefined || drafts.length < count)) drafts = [facts.opening, ...drafts];

    const { identities } = facts;
    const people = drafts.map((draft) => whoWrote(draft, facts));
    const requesterWrites = people.some((person) => person.kind === 'requester');
    const decisions = decideRoles(
      drafts.map((draft, index) => {
        const person = people[index]!;
        return {
          signs: draft.signs,
          text: draft.text,
          author: person.author,
          authorIs:
            person.kind === 'unknown'
              ? identities.requester && requesterWrites
                ? 'other'
                : undefined
              : person.kind,
          bodyless: draft.bodyless,
          outsideList: draft === facts.opening,
        };
      }),
    );
    const messages: ConversationMessage[] = drafts.map((draft, index) => {
      const decision = decisions[index]!;
      const role: Role = decision.role;
      const shown = people[index]!.shown;
      let text = draft.text;
      if (role === 'system') {
        // A status line names who did it: "начала чат" alone says nothing.
        if (shown && /^(?:\p{Ll}|[—–-]\s)/u.test(text) && !text.includes(shown)) text = `${shown} ${text}`;
        if (draft.heading && !text.includes(draft.heading)) text = `${draft.heading}\n${text}`;
      }
      const message: ConversationMessage = { role, text };
      if (draft.at) message.at = draft.at;
      if (role !== 'system' && shown) message.author = shown;
      message.roleConfidence = decision.confidence;
      return message;
    });
    // Letters have paragraphs and signatures; chat lines rarely do.
    const paragraphs = messages.filter((message) => message.text.includes('\n\n')).length;
    const email = drafts.some((draft) => draft.emailHint) || paragraphs * 2 >= messages.length;
    const requester = identities.requester;
    return compact<Conversation>({
      id: facts.ticketId,
      channel: email ? 'email' : 'chat',
      messages,
      customer: compact({
        name: requester?.name ?? requester?.email,
        ids: (facts.orders[0] ? { order: facts.orders[0] } : {}) as Record<string, string>,
      }),
      source: compact({ adapter: 'generic', url: url?.href, ticketId: facts.ticketId }),
    });
  },
  composer: (root) => findGenericComposer(root),
  messageList: (root) => findMessageList(root)?.container,
};

function isHeading(text: string): boolean {
  return text.split(/\s+/).length <= 3 && !/[.!?,:;]/.test(text) && text.length <= 40;
}

/** "Ирина Белова <help@…>" → "Ирина Белова"; an address alone stays. */
function displayName(author: string | undefined): string | undefined {
  if (!author) return undefined;
  const person: Person | undefined = parsePerson(author);
  return person?.name ?? person?.email ?? author;
}

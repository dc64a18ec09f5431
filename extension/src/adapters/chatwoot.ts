import type { Conversation, ConversationMessage } from '@naparnik/assist-service/contract';
import type { ExtractOptions, PageRoot, SiteAdapter } from './adapter.ts';
import { compact, inlineText, query, queryAll, readNewest } from './support/dom.ts';
import { readMessageBody } from './support/message-text.ts';

// Conversation view: one message row (components-next/message/Message.vue); the rows are the
// children of MessageList.vue's list, which is what the content script watches.
const MESSAGE = '[data-message-id][id^="message"]';
// Conversation view: the message text (bubbles/Text/FormattedContent.vue); the reply-to preview
// uses the same classes plus line-clamp-2.
const MESSAGE_TEXT = '.prose-bubble:not(.line-clamp-2)';
// Conversation view: the time under a bubble (MessageMeta.vue).
const MESSAGE_TIME = 'time';
// Conversation view: the avatar beside incoming bubbles carries the sender's name.
const MESSAGE_AVATAR = '[title]';
// Conversation header (ConversationHeader.vue): the row of header actions sits under the contact name.
const HEADER_ACTIONS = '.conversation--header--actions';
// Reply box (WootMessageEditor, ProseMirror).
const COMPOSER =
  '.reply-box .ProseMirror[contenteditable="true"], .ProseMirror-woot-style[contenteditable="true"]';

/** Bubble variant classes (bubbles/Base.vue) across recent Chatwoot versions. */
const VARIANT_ROLES: Array<[RegExp, ConversationMessage['role']]> = [
  [/\bbg-n-solid-amber\b/, 'note'],
  [/\bbg-n-(?:solid-iris|teal-5)\b/, 'bot'],
  [/\bbg-n-(?:solid-blue|solid-sent|wa-out)\b/, 'operator'],
  [/\bbg-n-(?:slate-4|solid-received|wa-in)\b/, 'customer'],
  [/\bbg-n-alpha-1\b/, 'system'],
];

const CONVERSATION_PATH = /\/app\/accounts\/\d+\/(?:.*\/)?conversations\/(\d+)/;

function roleOf(row: Element): ConversationMessage['role'] {
  for (const element of [row, ...queryAll(row, 'div')]) {
    const className = element.getAttribute('class') ?? '';
    for (const [pattern, role] of VARIANT_ROLES) if (pattern.test(className)) return role;
  }
  const rowClass = row.getAttribute('class') ?? '';
  if (/\bjustify-center\b/.test(rowClass)) return 'system';
  return /\bjustify-end\b/.test(rowClass) ? 'operator' : 'customer';
}

/** Chatwoot's agent dashboard (self-hosted on any domain; recognised by its routes). */
export const chatwootAdapter: SiteAdapter = {
  id: 'chatwoot',
  matches: (url) => CONVERSATION_PATH.test(url.pathname),
  extract(root: PageRoot, url?: URL, options: ExtractOptions = {}): Conversation | undefined {
    // A NodeList, not an array: a bounded read touches only the rows it reads.
    const rows = (options.list ?? root).querySelectorAll(MESSAGE);
    if (rows.length === 0) return undefined;
    const contactName = inlineText(query(root, HEADER_ACTIONS)?.parentElement?.querySelector('button span'));
    const read = (row: Element): ConversationMessage | undefined => {
      const text = readMessageBody(query(row, MESSAGE_TEXT), { attachmentsFrom: row }).text;
      if (text === '') return undefined;
      const role = roleOf(row);
      const avatarName = query(row, MESSAGE_AVATAR)?.getAttribute('title') ?? '';
      return compact({
        role,
        text,
        at: inlineText(query(row, MESSAGE_TIME)),
        author: role === 'system' ? undefined : avatarName,
      });
    };
    const messages = readNewest(rows, read, options.lastMessages, options.memo);
    const ticketId = url ? CONVERSATION_PATH.exec(url.pathname)?.[1] : undefined;
    return compact<Conversation>({
      id: ticketId,
      channel: 'chat',
      messages,
      customer: compact({ name: contactName }),
      source: compact({ adapter: 'chatwoot', url: url?.href, ticketId }),
    });
  },
  composer: (root) => query(root, COMPOSER),
  messageList: (root) => query(root, MESSAGE)?.parentElement ?? undefined,
};

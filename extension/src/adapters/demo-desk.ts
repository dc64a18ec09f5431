import type { Conversation, ConversationMessage } from '@naparnik/assist-service/contract';
import type { ExtractOptions, PageRoot, SiteAdapter } from './adapter.ts';
import { compact, inlineText, query, queryAll, readableText, readNewest } from './support/dom.ts';

// Conversation view (demo-desk/index.html): the open dialogue and its ticket id.
const CONVERSATION = '.dd-conversation[data-ticket-id]';
// Conversation view: the thread of bubbles.
const THREAD = '.dd-thread';
// Conversation view: one chat bubble; its role is in data-author-role.
const MESSAGE = '.dd-message';
const MESSAGE_AUTHOR = '.dd-message__author';
const MESSAGE_TIME = '.dd-message__meta time';
const MESSAGE_TEXT = '.dd-message__text';
// Customer card (right column).
const CUSTOMER_NAME = '.dd-customer__name';
const CUSTOMER_FIELD = '.dd-customer dd[data-field]';
// Reply box under the thread.
const COMPOSER = '.dd-reply textarea';

const ROLES: Record<string, ConversationMessage['role']> = {
  customer: 'customer',
  operator: 'operator',
  bot: 'bot',
  note: 'note',
  system: 'system',
};
const ID_FIELDS = new Set(['order', 'phone', 'email']);

/** The demo helpdesk page that ships with Naparnik (extension/demo-desk/index.html). */
export const demoDeskAdapter: SiteAdapter = {
  id: 'demo-desk',
  matches: (url) => /\/demo-desk(?:\/|\/index\.html)?$/.test(url.pathname),
  extract(root: PageRoot, url?: URL, options: ExtractOptions = {}): Conversation | undefined {
    const conversation = query(root, CONVERSATION);
    if (!conversation) return undefined;
    // A NodeList, not an array: a bounded read touches only the rows it reads.
    const rows = (options.list ?? root).querySelectorAll(options.list ? MESSAGE : `${THREAD} ${MESSAGE}`);
    const read = (element: Element): ConversationMessage => {
      const author = inlineText(query(element, MESSAGE_AUTHOR));
      const at = query(element, MESSAGE_TIME)?.getAttribute('datetime') ?? undefined;
      return compact({
        role: ROLES[element.getAttribute('data-author-role') ?? ''] ?? 'customer',
        text: readableText(query(element, MESSAGE_TEXT)),
        at,
        author,
      });
    };
    const messages = readNewest(rows, read, options.lastMessages, options.memo);
    const ids: Record<string, string> = {};
    const fields: Record<string, string> = {};
    for (const field of queryAll(root, CUSTOMER_FIELD)) {
      const name = field.getAttribute('data-field') ?? '';
      const value = inlineText(field);
      if (!name || !value) continue;
      if (ID_FIELDS.has(name)) ids[name] = value;
      else fields[name] = value;
    }
    const ticketId = conversation.getAttribute('data-ticket-id') ?? undefined;
    return compact<Conversation>({
      id: ticketId,
      channel: conversation.getAttribute('data-channel') === 'email' ? 'email' : 'chat',
      language: 'ru',
      messages,
      customer: compact({ name: inlineText(query(root, CUSTOMER_NAME)), ids, fields }),
      source: compact({ adapter: 'demo-desk', url: url?.href, ticketId }),
    });
  },
  composer: (root) => query(root, COMPOSER),
  messageList: (root) => query(root, THREAD),
};

import type { Conversation, ConversationMessage } from '@naparnik/assist-service/contract';
import type { ExtractOptions, PageRoot, SiteAdapter } from './adapter.ts';
import { compact, inlineText, query, queryAll, readNewest } from './support/dom.ts';
import { readMessageBody } from './support/message-text.ts';

// Conversation view: the column of threads.
const THREADS = '#conv-layout-main';
// Conversation view: one thread (message, note or line item); FreeScout lists the newest first.
const THREAD = '.thread';
const THREAD_PERSON = '.thread-person strong';
const THREAD_TITLE = '.thread-title';
const THREAD_DATE = '.thread-date';
const THREAD_BODY = '.thread-body';
// Conversation view header.
const CONVERSATION_NUMBER = '#conv-subject .conv-numnav strong';
const SUBJECT = '#conv-subject .conv-subjtext';
// Customer sidebar (customers/profile_snippet.blade.php).
const CUSTOMER_NAME = '#conv-layout-customer .customer-name';
const CUSTOMER_EMAIL = '#conv-layout-customer .customer-email a';
const CUSTOMER_PHONE = '#conv-layout-customer .customer-phone a';
// Reply form: Summernote over textarea#body; the bare textarea when the editor is off.
const COMPOSER_EDITOR = '.conv-reply-body .note-editable[contenteditable="true"]';
const COMPOSER_TEXTAREA = '.conv-reply-body textarea#body';

const THREAD_ROLES: Record<string, ConversationMessage['role']> = {
  'thread-type-customer': 'customer',
  'thread-type-message': 'operator',
  'thread-type-note': 'note',
  'thread-type-lineitem': 'system',
};

const CONVERSATION_PATH = /\/conversation\/(\d+)/;

/** FreeScout (self-hosted; recognised by its /conversation/{id} route). */
export const freescoutAdapter: SiteAdapter = {
  id: 'freescout',
  matches: (url) => CONVERSATION_PATH.test(url.pathname),
  extract(root: PageRoot, url?: URL, options: ExtractOptions = {}): Conversation | undefined {
    const threads = queryAll(
      options.list ?? root,
      options.list ? `:scope > ${THREAD}` : `${THREADS} > ${THREAD}`,
    );
    if (threads.length === 0) return undefined;
    const read = (thread: Element): ConversationMessage | undefined => {
      const typeClass = Array.from(thread.classList).find((name) => name in THREAD_ROLES);
      // Drafts (thread-type-draft) are the operator's unsent text, not part of the conversation.
      if (!typeClass) return undefined;
      const role = THREAD_ROLES[typeClass] ?? 'system';
      const date = query(thread, THREAD_DATE);
      return compact({
        role,
        text:
          role === 'system'
            ? inlineText(query(thread, THREAD_TITLE))
            : readMessageBody(query(thread, THREAD_BODY), { attachmentsFrom: thread }).text,
        at: date?.getAttribute('title') || inlineText(date),
        author: role === 'system' ? undefined : inlineText(query(thread, THREAD_PERSON)),
      });
    };
    // Newest first on the page: the newest messages are the first threads.
    const messages = readNewest(threads.toReversed(), read, options.lastMessages, options.memo);
    const number = inlineText(query(root, CONVERSATION_NUMBER));
    const ids: Record<string, string> = {};
    const email = inlineText(query(root, CUSTOMER_EMAIL));
    const phone = inlineText(query(root, CUSTOMER_PHONE));
    if (email) ids.email = email;
    if (phone) ids.phone = phone;
    const subject = inlineText(query(root, SUBJECT));
    return compact<Conversation>({
      id: number || (url ? CONVERSATION_PATH.exec(url.pathname)?.[1] : undefined),
      channel: 'email',
      messages,
      customer: compact({
        name: inlineText(query(root, CUSTOMER_NAME)),
        ids,
        fields: (subject ? { subject } : {}) as Record<string, string>,
      }),
      source: compact({ adapter: 'freescout', url: url?.href, ticketId: number }),
    });
  },
  composer: (root) => query(root, COMPOSER_EDITOR) ?? query(root, COMPOSER_TEXTAREA),
  messageList: (root) => query(root, THREADS),
};

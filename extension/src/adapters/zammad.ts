import type { Conversation, ConversationMessage } from '@naparnik/assist-service/contract';
import type { ExtractOptions, PageRoot, SiteAdapter } from './adapter.ts';
import { compact, inlineText, query, readNewest } from './support/dom.ts';
import { readMessageBody } from './support/message-text.ts';

// Ticket zoom: the list of articles.
const ARTICLES = '.ticket-article';
// Ticket zoom: one article; its classes carry the sender (customer/agent/system) and type (email, note…).
const ARTICLE = '.ticket-article-item';
// Ticket zoom: the article body; `.internal` marks an internal note.
const ARTICLE_BODY = '.text-bubble';
const ARTICLE_BUBBLE_ARROW = 'bubble-arrow';
// Ticket zoom: the header rows (From/To/Subject) above an article; the first is From.
const ARTICLE_FROM = '.article-meta.top .article-meta-row .article-meta-value';
const ARTICLE_TIME = '.task-subline time[data-time]';
// Ticket zoom header.
const TICKET_NUMBER = '.ticketZoom-header .ticket-number';
// The shown task (ticket tab) among the ones Zammad keeps in the page.
const ACTIVE_CONTENT = '.content.active';
// Reply form under the articles.
const COMPOSER = '.article-add .articleNewEdit-body[contenteditable="true"]';

const ZOOM_ROUTE = /^#ticket\/zoom\/(\d+)/;

/** "Сергей Миронов <s.mironov@example.ru>" → "Сергей Миронов"; "A через B <x>" → "A". */
function personName(from: string): string {
  return from
    .replace(/<[^>]*>/g, '')
    .replace(/\s+(?:через|via)\s+.*$/i, '')
    .trim();
}

function roleOf(article: Element, body: Element | undefined): ConversationMessage['role'] {
  const classes = article.classList;
  // Trigger notifications and auto replies are the System sender's, whatever their type.
  if (classes.contains('system')) return 'system';
  if (body?.classList.contains('internal') || (classes.contains('note') && !classes.contains('customer')))
    return 'note';
  if (classes.contains('customer')) return 'customer';
  return 'operator';
}

/**
 * Zammad keeps every open task's view in the page (#content_permanent_…); the shown one is
 * `.content.active`. Reading starts there when there is one.
 */
function activeView(root: PageRoot): PageRoot {
  return query(root, ACTIVE_CONTENT) ?? root;
}

/** Zammad's agent interface (self-hosted; its routes live in the URL hash). */
export const zammadAdapter: SiteAdapter = {
  id: 'zammad',
  matches: (url) => ZOOM_ROUTE.test(url.hash),
  extract(root: PageRoot, url?: URL, options: ExtractOptions = {}): Conversation | undefined {
    const within = options.list ?? activeView(root);
    const selector = options.list ? ARTICLE : `${ARTICLES} ${ARTICLE}`;
    // A NodeList, not an array: a bounded read touches only the articles it reads.
    const articles = within.querySelectorAll(selector);
    if (articles.length === 0) return undefined;
    const read = (article: Element): ConversationMessage => {
      const body = query(article, ARTICLE_BODY);
      const role = roleOf(article, body);
      const author = personName(inlineText(query(article, ARTICLE_FROM)));
      return compact({
        role,
        text: readMessageBody(body, {
          skip: (element) => element.classList.contains(ARTICLE_BUBBLE_ARROW),
          attachmentsFrom: article,
        }).text,
        at: query(article, ARTICLE_TIME)?.getAttribute('data-time') ?? undefined,
        author,
      });
    };
    const messages = readNewest(articles, read, options.lastMessages, options.memo);
    const email = within.querySelector(`${selector}.email`) !== null;
    const customerName =
      messages.find((message) => message.role === 'customer' && message.author)?.author ?? '';
    const ticketNumber = inlineText(query(activeView(root), TICKET_NUMBER));
    const ticketId = ticketNumber || (url ? ZOOM_ROUTE.exec(url.hash)?.[1] : undefined);
    return compact<Conversation>({
      id: ticketId,
      channel: email ? 'email' : 'other',
      messages,
      customer: compact({ name: customerName }),
      source: compact({ adapter: 'zammad', url: url?.href, ticketId }),
    });
  },
  composer: (root) => query(activeView(root), COMPOSER),
  messageList: (root) => query(activeView(root), ARTICLES),
};

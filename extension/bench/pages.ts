import { readFileSync } from 'node:fs';
import path from 'node:path';
import { seededRandom } from '../../scripts/bench-support.ts';

/** Phrases a jewellery shop's chat is made of; a seeded generator strings them into messages. */
const CUSTOMER_PHRASES = [
  'Здравствуйте! Где мой заказ?',
  'Курьер так и не приехал, хотя обещали до 18:00.',
  'Можно ли обменять кольцо на другой размер?',
  'Подскажите, серьги из серебра 925 пробы?',
  'Оплатила картой, а статус всё ещё «ожидает оплаты».',
  'Хочу оформить возврат, чек сохранился.',
  'Есть ли подарочная упаковка?',
];
const OPERATOR_PHRASES = [
  'Здравствуйте! Сейчас проверю ваш заказ.',
  'Спасибо за ожидание, передала информацию в службу доставки.',
  'Обменять изделие можно в течение 14 дней при сохранённом товарном виде.',
  'Да, подарочная упаковка входит в стоимость.',
  'Уточните, пожалуйста, номер заказа.',
  'Возврат оформим сегодня, деньги вернутся на карту в течение 10 дней.',
];

function sentence(random: () => number, customer: boolean, index: number): string {
  const phrases = customer ? CUSTOMER_PHRASES : OPERATOR_PHRASES;
  const count = 1 + Math.floor(random() * 3);
  const parts = Array.from({ length: count }, () => phrases[Math.floor(random() * phrases.length)]);
  return `${parts.join(' ')} (№ ${index + 1})`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Minutes from a fixed morning, as the pages print times. */
function clock(index: number): { iso: string; shown: string } {
  const start = Date.UTC(2026, 10, 1, 6, 0);
  const at = new Date(start + index * 60_000);
  return { iso: at.toISOString(), shown: at.toISOString().slice(11, 16) };
}

export interface BenchPage {
  name: string;
  /** Which adapter reads it. */
  adapter: string;
  /** Path on the bench's page server (the adapters match by route). */
  route: string;
  html: string;
  /** Where a new message goes. */
  listSelector: string;
  /** The markup of the `index`-th appended message. */
  message(index: number): string;
}

function demoDeskMessage(index: number, text: string, customer: boolean): string {
  const time = clock(index);
  const role = customer ? 'customer' : 'operator';
  const author = customer ? 'Анна Соколова' : 'Марина Ковалёва';
  return `<article class="dd-message dd-message--${role}" data-author-role="${role}"><div class="dd-message__meta"><span class="dd-message__author">${author}</span><time datetime="${time.iso}">${time.shown}</time></div><div class="dd-message__text"><p>${escapeHtml(text)}</p></div></article>`;
}

function genericMessage(index: number, text: string, customer: boolean): string {
  return `<div class="msg msg--${customer ? 'in' : 'out'}"><div class="msg-text">${escapeHtml(text)}</div><span class="msg-time">${clock(index).shown}</span></div>`;
}

/**
 * The demo desk and the generic chat fixture with `total` messages: generated history first, the
 * page's own conversation last.
 */
export function longConversationPages(extensionRoot: string, total: number): BenchPage[] {
  const random = seededRandom(2026);
  const history = (render: (index: number, text: string, customer: boolean) => string, own: number) =>
    Array.from({ length: total - own }, (_, index) => {
      const customer = index % 2 === 0;
      return render(index, sentence(random, customer, index), customer);
    }).join('\n');

  const demoDesk = readFileSync(path.join(extensionRoot, 'demo-desk/index.html'), 'utf8');
  const demoOwn = (demoDesk.match(/class="dd-message /g) ?? []).length;
  const chat = readFileSync(path.join(extensionRoot, 'fixtures/generic/chat-widget.html'), 'utf8');
  const chatOwn = (chat.match(/class="msg /g) ?? []).length;
  // Appended messages are the operator's: a customer's would also start a request to the service,
  // whose rendering in the panel is not the cost of following the page.
  const appended = (render: typeof demoDeskMessage) => (index: number) =>
    render(total + index, sentence(random, false, total + index), false);
  return [
    {
      name: `demo desk, ${total} messages`,
      adapter: 'demo-desk',
      route: '/bench/demo-desk/',
      html: demoDesk.replace(
        '<div class="dd-day">Сегодня</div>',
        `${history(demoDeskMessage, demoOwn)}\n<div class="dd-day">Сегодня</div>`,
      ),
      listSelector: '.dd-thread',
      message: appended(demoDeskMessage),
    },
    {
      name: `generic chat page, ${total} messages`,
      adapter: 'generic',
      route: '/bench/chats/8841',
      html: chat.replace(
        '<div class="chat-history">',
        `<div class="chat-history">\n${history(genericMessage, chatOwn)}`,
      ),
      listSelector: '.chat-history',
      message: appended(genericMessage),
    },
  ];
}

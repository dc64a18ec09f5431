import { describe, expect, it } from 'vitest';
import { parseShownDate } from '../src/adapters/support/dates.ts';
import { parsePerson, readIdentities, samePerson } from '../src/adapters/support/identities.ts';
import { findMessageList, isShown, messageListAt } from '../src/adapters/support/message-list.ts';
import { cleanMessageText, readMessageBody } from '../src/adapters/support/message-text.ts';
import { decideRoles, readSigns } from '../src/adapters/support/roles.ts';

function element(html: string): Element {
  const holder = document.createElement('div');
  holder.innerHTML = html;
  return holder.firstElementChild!;
}

describe('message text: the author’s own words', () => {
  it('cuts quoted history at its attribution line, in Russian and English', () => {
    expect(
      cleanMessageText('Спасибо!\n\n3 декабря 2026 г., в 12:30, Ирина <a@b.ru> писал(а):\nстарый текст').text,
    ).toBe('Спасибо!');
    expect(
      cleanMessageText('Thanks.\nOn Tue, Dec 2, 2026 at 9:20 AM Support <s@x.io> wrote:\n> old').text,
    ).toBe('Thanks.');
    expect(cleanMessageText('Ок\n-----Исходное сообщение-----\nОт: Максим').text).toBe('Ок');
  });

  it('drops > lines, the signature after "--" and device signatures; keeps a sign-off', () => {
    const cleaned = cleanMessageText(
      'Добрый день.\n> цитата\nВсё получил.\n\nС уважением,\nПавел\nОтправлено с iPhone\n--\nПавел Кузнецов\n+7 900',
    );
    expect(cleaned.text).toBe('Добрый день.\nВсё получил.\n\nС уважением,\nПавел');
  });

  it('takes the mail headers above a body off the text and keeps the sender', () => {
    expect(
      cleanMessageText('От: Галина Сухова <g@x.ru>\nКому: info@y.ru\nТема: Счёт\nЗдравствуйте.'),
    ).toEqual({
      text: 'Здравствуйте.',
      from: 'Галина Сухова <g@x.ru>',
    });
  });

  it('skips blockquotes and Gmail quote blocks, and names attachments after the text', () => {
    const body = element(
      '<div><p>Фото прикладываю.</p><div class="gmail_quote">пт, 5 дек. 2026 г. в 15:02, A &lt;a@b.ru&gt;:<blockquote>старое</blockquote></div><div class="attachments"><a href="/f/1" download="photo.jpg">photo.jpg</a> <small>212 кб</small></div></div>',
    );
    expect(readMessageBody(body).text).toBe('Фото прикладываю.\nВложение: photo.jpg');
  });

  it('keeps the line breaks of plain-text e-mails', () => {
    const body = element('<div class="plain-text-white-space">Строка один\nСтрока два\n--\nПодпись</div>');
    expect(readMessageBody(body).text).toBe('Строка один\nСтрока два');
  });
});

describe('shown dates', () => {
  const now = new Date(Date.UTC(2026, 11, 6, 12, 0));

  it('orders days relative to today and dates without a year', () => {
    const yesterday = parseShownDate('вчера, 17:40', now)!;
    const earlier = parseShownDate('4 декабря, 16:02', now)!;
    expect(yesterday).toBe(Date.UTC(2026, 11, 5, 17, 40));
    expect(earlier).toBeLessThan(yesterday);
    // A yearless date later in the year than today is last year's.
    expect(parseShownDate('28 декабря', now)).toBe(Date.UTC(2025, 11, 28));
  });
});

describe('visibility and tabs', () => {
  it('treats a pane beside the active one, or a hidden ancestor, as not shown', () => {
    document.body.innerHTML =
      '<div class="panes"><div class="pane active"><ul id="a"></ul></div><div class="pane"><ul id="b"></ul></div></div><div hidden><ul id="c"></ul></div>';
    expect(isShown(document.getElementById('a')!)).toBe(true);
    expect(isShown(document.getElementById('b')!)).toBe(false);
    expect(isShown(document.getElementById('c')!)).toBe(false);
  });

  it('never takes the tab panes themselves for messages', () => {
    const entries = (name: string) =>
      `<div class="history">${[1, 2, 3].map((index) => `<div class="entry"><b class="entry-author">${name}</b><div class="entry-body">${name}: сообщение номер ${index}, достаточно длинное для списка.</div></div>`).join('')}</div>`;
    document.body.innerHTML = `<div class="tabs"><div class="pane active">${entries('Олег')}</div><div class="pane">${entries('Мария')}</div></div>`;
    const list = findMessageList(document)!;
    expect(list.items).toHaveLength(3);
    expect(list.items[0]!.textContent).toContain('Олег');
  });
});

describe('bounded re-reads of a known list', () => {
  it('keep picking its rows by their class, with a row of another kind added between them, never a day heading', () => {
    document.body.innerHTML = `<div id="chat">${[1, 2, 3, 4].map((index) => `<div class="msg msg--in">Сообщение ${index}</div>`).join('')}</div>`;
    const chat = document.getElementById('chat')!;
    expect(messageListAt(chat, 200).items).toHaveLength(4);
    chat.insertAdjacentHTML(
      'beforeend',
      '<div class="day">Сегодня</div><div class="event-line">Оператор Анна присоединилась к чату</div>',
    );
    const items = messageListAt(chat, 200).items;
    expect(items.map((item) => item.className)).toEqual([
      'msg msg--in',
      'msg msg--in',
      'msg msg--in',
      'msg msg--in',
      'event-line',
    ]);
  });
});

describe('identities read from the page', () => {
  it('parses names, addresses and logins, and compares people by any of them', () => {
    // "через Вега <help@…>": the desk's shared address is not the person's.
    expect(parsePerson('Ирина Белова через Вега <help@vega.example>')).toEqual({ name: 'Ирина Белова' });
    expect(parsePerson('Марина Ковалёва <M.Kovaleva@example.org>')).toEqual({
      name: 'Марина Ковалёва',
      email: 'm.kovaleva@example.org',
    });
    expect(parsePerson('s.nikitina')).toEqual({ login: 's.nikitina' });
    expect(samePerson({ login: 'k.zhukov' }, parsePerson('Кирилл Жуков @k.zhukov')!)).toBe(true);
    expect(samePerson({ name: 'Галина Петровна Сухова' }, { name: 'Галина Сухова' })).toBe(true);
  });

  it('finds the signed-in operator in the header and the requester beside the ticket', () => {
    document.body.innerHTML = `<header class="topbar"><div class="topbar__profile"><span class="topbar__name">Елена Крылова</span></div></header>
      <dl><dt>Заявитель</dt><dd>Галина Сухова &lt;g@x.ru&gt;</dd><dt>Ответственный</dt><dd>Пётр Зуев</dd></dl><div id="list"></div>`;
    const identities = readIdentities(document, document.getElementById('list')!);
    expect(identities.requester).toEqual({ name: 'Галина Сухова', email: 'g@x.ru' });
    expect(identities.operators.map((person) => person.name)).toEqual(['Елена Крылова', 'Пётр Зуев']);
  });
});

describe('roles from combined evidence', () => {
  const row = (html: string) => element(html);

  it('lets a note or status-line kind beat the author’s side, and says how sure it is', () => {
    const rows = [
      row(
        '<div class="entry"><span class="badge">Внутренний комментарий</span><div class="body">Проверить склад</div></div>',
      ),
      row('<div class="entry"><div class="body">Статус изменен с «новая» на «открыта»</div></div>'),
      row('<div class="entry"><div class="body">Здравствуйте! Где мой заказ?</div></div>'),
    ];
    const decisions = decideRoles(
      rows.map((item, index) => ({
        signs: readSigns(item, item.querySelector('.body') ?? undefined),
        text: item.querySelector('.body')!.textContent!,
        author: index === 1 ? undefined : index === 0 ? 'Пётр' : 'Анна',
        authorIs: index === 0 ? ('operator' as const) : index === 2 ? ('requester' as const) : undefined,
        bodyless: false,
      })),
    );
    expect(decisions.map((decision) => decision.role)).toEqual(['note', 'system', 'customer']);
    expect(decisions.every((decision) => decision.confidence > 0.5)).toBe(true);
  });

  it('ignores class words every row shares, and gives no confidence without evidence', () => {
    const rows = [1, 2, 3].map(() =>
      row('<div class="feed-note"><div class="feed-note__body">Текст</div></div>'),
    );
    const decisions = decideRoles(
      rows.map((item) => ({ signs: readSigns(item, undefined), text: 'Текст', bodyless: false })),
    );
    expect(decisions.map((decision) => decision.role)).toEqual(['customer', 'customer', 'customer']);
    expect(decisions[0]!.confidence).toBe(0);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { genericAdapter } from '../src/adapters/generic.ts';
import { ADAPTERS } from '../src/adapters/index.ts';
import { createPageBridge, READ_LAST_MESSAGES } from '../src/content/page-bridge.ts';
import { EXTENSION_ROOT, FIXTURES_ROOT } from './support/fixtures.ts';

const DEBOUNCE_MS = 20;
const DEMO_DESK_URL = 'http://127.0.0.1:8787/demo-desk/';

/** Loads a saved page into the test document (the bridge needs a live window for its observers). */
function showPage(file: string): void {
  const html = readFileSync(file, 'utf8');
  document.documentElement.innerHTML = html.replace(/^[\s\S]*?<html[^>]*>/, '').replace(/<\/html>\s*$/, '');
}

/** Longer than the debounce: every pending notification has fired. */
const settle = () => new Promise((resolve) => setTimeout(resolve, DEBOUNCE_MS * 4));

function demoMessage(text: string, role = 'customer'): HTMLElement {
  const article = document.createElement('article');
  article.className = `dd-message dd-message--${role}`;
  article.setAttribute('data-author-role', role);
  article.innerHTML = `<div class="dd-message__meta"><span class="dd-message__author">Анна Соколова</span><time datetime="2026-11-23T10:30:00+03:00">10:30</time></div><div class="dd-message__text"><p></p></div>`;
  article.querySelector('p')!.textContent = text;
  return article;
}

function bridgeAt(initialUrl: string) {
  let href = initialUrl;
  const bridge = createPageBridge({ document, location: () => href, debounceMs: DEBOUNCE_MS });
  const listener = vi.fn();
  const unsubscribe = bridge.subscribe(listener);
  return {
    bridge,
    listener,
    unsubscribe,
    navigate(to: string) {
      href = to;
    },
  };
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function track<T extends { bridge: { dispose(): void } }>(value: T): T {
  cleanups.push(() => value.bridge.dispose());
  return value;
}

describe('page bridge: following the message list', () => {
  it('notifies once for messages appended inside the list, and the reading has the newest', async () => {
    showPage(path.join(EXTENSION_ROOT, 'demo-desk/index.html'));
    const { bridge, listener } = track(bridgeAt(DEMO_DESK_URL));
    const thread = document.querySelector('.dd-thread')!;
    thread.append(demoMessage('Курьер так и не приехал.'));
    thread.append(demoMessage('Подскажите, что делать?'));
    thread.lastElementChild!.querySelector('p')!.append(' Жду ответа.');
    await settle();
    expect(listener).toHaveBeenCalledTimes(1);
    const reading = await bridge.read();
    expect(reading.adapter).toBe('demo-desk');
    expect(reading.conversation?.messages.at(-1)?.text).toBe('Подскажите, что делать? Жду ответа.');
  });

  it('reads a message again when only an attribute it is read from changes (its role marker)', async () => {
    showPage(path.join(EXTENSION_ROOT, 'demo-desk/index.html'));
    const { bridge, listener } = track(bridgeAt(DEMO_DESK_URL));
    const thread = document.querySelector('.dd-thread')!;
    thread.append(demoMessage('Сделаю возврат после проверки склада.', 'customer'));
    await settle();
    expect((await bridge.read()).conversation?.messages.at(-1)?.role).toBe('customer');
    listener.mockClear();
    // The desk re-labels the entry as an internal note: same text, another attribute.
    thread.lastElementChild!.setAttribute('data-author-role', 'note');
    await settle();
    expect(listener).toHaveBeenCalledTimes(1);
    expect((await bridge.read()).conversation?.messages.at(-1)?.role).toBe('note');
    // A style flicker is not a reason to read again.
    listener.mockClear();
    (thread.lastElementChild as HTMLElement).style.opacity = '0.9';
    await settle();
    expect(listener).not.toHaveBeenCalled();
  });

  it('reads a message again when it changes, and keeps reading the others as before', async () => {
    showPage(path.join(EXTENSION_ROOT, 'demo-desk/index.html'));
    const { bridge, listener } = track(bridgeAt(DEMO_DESK_URL));
    const before = (await bridge.read()).conversation?.messages ?? [];
    const operatorText = document.querySelector('.dd-message--operator .dd-message__text p')!;
    operatorText.firstChild!.nodeValue = 'Здравствуйте, Анна! Проверяю доставку.';
    await settle();
    expect(listener).toHaveBeenCalledTimes(1);
    const after = (await bridge.read()).conversation?.messages ?? [];
    const edited = before.findIndex((message) => message.role === 'operator');
    expect(after[edited]?.text).toBe('Здравствуйте, Анна! Проверяю доставку.');
    expect(after.filter((_, index) => index !== edited)).toEqual(
      before.filter((_, index) => index !== edited),
    );
  });

  it('does not notify for changes outside the list, or for its own UI', async () => {
    showPage(path.join(EXTENSION_ROOT, 'demo-desk/index.html'));
    const { listener } = track(bridgeAt(DEMO_DESK_URL));
    document.querySelector('.dd-conversation__header')!.append(document.createElement('span'));
    document.querySelector('.dd-customer__name')!.textContent = 'Анна С.';
    document.querySelector('.dd-reply')!.append(document.createElement('div'));
    const own = document.createElement('div');
    own.setAttribute('data-naparnik', 'panel');
    document.body.append(own);
    own.append(document.createElement('section'));
    await settle();
    expect(listener).not.toHaveBeenCalled();
  });

  it('re-scopes to the new list when SPA navigation replaces it, and notifies', async () => {
    showPage(path.join(EXTENSION_ROOT, 'demo-desk/index.html'));
    const page = track(bridgeAt(DEMO_DESK_URL));
    const oldThread = document.querySelector('.dd-thread')!;
    // Another ticket: the helpdesk swaps the thread and changes the address.
    const newThread = document.createElement('div');
    newThread.className = 'dd-thread';
    newThread.append(demoMessage('Здравствуйте, хочу вернуть серьги.'));
    page.navigate(`${DEMO_DESK_URL}?ticket=AUR-60001`);
    oldThread.replaceWith(newThread);
    await settle();
    expect(page.listener).toHaveBeenCalledTimes(1);
    expect((await page.bridge.read()).conversation?.messages.map((message) => message.text)).toEqual([
      'Здравствуйте, хочу вернуть серьги.',
    ]);

    // The detached list no longer counts, nor does the rest of the page; the new list is followed.
    oldThread.append(demoMessage('Старое обращение'));
    document.querySelector('.dd-conversation__header')!.append(document.createElement('span'));
    await settle();
    expect(page.listener).toHaveBeenCalledTimes(1);
    newThread.append(demoMessage('Чек сохранился.'));
    await settle();
    expect(page.listener).toHaveBeenCalledTimes(2);
  });

  it('re-scopes when the list is replaced without a change of address', async () => {
    showPage(path.join(EXTENSION_ROOT, 'demo-desk/index.html'));
    const page = track(bridgeAt(DEMO_DESK_URL));
    const conversation = document.querySelector('.dd-conversation')!;
    const oldThread = conversation.querySelector('.dd-thread')!;
    // The whole conversation column re-rendered: the list's grandparent gets a new child.
    const rendered = conversation.cloneNode(true) as Element;
    conversation.replaceWith(rendered);
    await settle();
    expect(page.listener).toHaveBeenCalledTimes(1);
    oldThread.append(demoMessage('В старом списке'));
    rendered.querySelector('.dd-conversation__header')!.append(document.createElement('span'));
    await settle();
    expect(page.listener).toHaveBeenCalledTimes(1);
    rendered.querySelector('.dd-thread')!.append(demoMessage('В новом списке'));
    await settle();
    expect(page.listener).toHaveBeenCalledTimes(2);
    expect((await page.bridge.read()).conversation?.messages.at(-1)?.text).toBe('В новом списке');
  });

  it('notices navigation that changes no DOM (popstate, hashchange)', async () => {
    showPage(path.join(EXTENSION_ROOT, 'demo-desk/index.html'));
    const page = track(bridgeAt(DEMO_DESK_URL));
    page.navigate(`${DEMO_DESK_URL}#history`);
    window.dispatchEvent(new Event('hashchange'));
    await settle();
    expect(page.listener).toHaveBeenCalledTimes(1);
    expect((await page.bridge.read()).url).toBe(`${DEMO_DESK_URL}#history`);
  });

  it('watches the body until a conversation shows up, then only its list', async () => {
    document.documentElement.innerHTML = '<head></head><body><div class="app">Загрузка…</div></body>';
    const page = track(bridgeAt('https://crm.aurelia.example/chats/8841'));
    expect((await page.bridge.read()).conversation).toBeNull();
    // The helpdesk's scripts render the chat.
    const rendered = new DOMParser().parseFromString(
      readFileSync(path.join(FIXTURES_ROOT, 'generic/chat-widget.html'), 'utf8'),
      'text/html',
    );
    document
      .querySelector('.app')!
      .replaceWith(document.importNode(rendered.querySelector('.layout')!, true));
    await settle();
    expect(page.listener).toHaveBeenCalledTimes(1);
    expect((await page.bridge.read()).conversation?.messages).toHaveLength(4);

    // Scoped now: the sidebar's changes are not the conversation's; a new bubble is.
    document.querySelector('.sidebar')!.append(document.createElement('div'));
    await settle();
    expect(page.listener).toHaveBeenCalledTimes(1);
    const bubble = document.createElement('div');
    bubble.className = 'msg msg--in';
    bubble.innerHTML = '<div class="msg-text">Тогда беру, спасибо!</div><span class="msg-time">11:09</span>';
    document.querySelector('.chat-history')!.append(bubble);
    await settle();
    expect(page.listener).toHaveBeenCalledTimes(2);
    expect((await page.bridge.read()).conversation?.messages.at(-1)).toMatchObject({
      role: 'customer',
      text: 'Тогда беру, спасибо!',
    });
  });

  it('reads afresh with a new first adapter after reset (a recipe saved for a misread page)', async () => {
    showPage(path.join(EXTENSION_ROOT, 'demo-desk/index.html'));
    let taught = false;
    // Stands for the recipe slot: reads nothing until a recipe is put in it.
    const slot = {
      ...genericAdapter,
      id: 'recipe',
      matches: () => taught,
      extract: (...args: Parameters<typeof genericAdapter.extract>) =>
        taught ? genericAdapter.extract(...args) : undefined,
    };
    const href = DEMO_DESK_URL;
    const bridge = createPageBridge({
      document,
      location: () => href,
      debounceMs: DEBOUNCE_MS,
      adapters: [slot, ...ADAPTERS],
    });
    cleanups.push(() => bridge.dispose());
    const listener = vi.fn();
    bridge.subscribe(listener);
    expect((await bridge.read()).adapter).toBe('demo-desk');
    taught = true;
    // Without a reset the bridge keeps reading the list it watches with the adapter that found it.
    expect((await bridge.read()).adapter).toBe('demo-desk');
    bridge.reset();
    await settle();
    expect(listener).toHaveBeenCalled();
    expect((await bridge.read()).adapter).toBe('recipe');
  });

  it('disconnects everything on dispose, and when the last listener leaves', async () => {
    showPage(path.join(EXTENSION_ROOT, 'demo-desk/index.html'));
    const thread = document.querySelector('.dd-thread')!;
    const left = bridgeAt(DEMO_DESK_URL);
    left.unsubscribe();
    const disposed = bridgeAt(DEMO_DESK_URL);
    thread.append(demoMessage('До dispose'));
    disposed.bridge.dispose();
    thread.append(demoMessage('После dispose'));
    window.dispatchEvent(new Event('popstate'));
    await settle();
    expect(left.listener).not.toHaveBeenCalled();
    expect(disposed.listener).not.toHaveBeenCalled();
  });

  it('reads the newest messages of a long chat the generic adapter finds', async () => {
    showPage(path.join(FIXTURES_ROOT, 'generic/chat-widget.html'));
    const history = document.querySelector('.chat-history')!;
    for (let index = 0; index < 446; index++) {
      const bubble = document.createElement('div');
      bubble.className = `msg msg--${index % 2 === 0 ? 'in' : 'out'}`;
      bubble.innerHTML = `<div class="msg-text">Реплика ${index + 1}</div><span class="msg-time">11:08</span>`;
      history.append(bubble);
    }
    const url = 'https://crm.aurelia.example/chats/8841';
    const whole = genericAdapter.extract(document, new URL(url))?.messages ?? [];
    expect(whole).toHaveLength(450);
    const { bridge } = track(bridgeAt(url));
    const first = (await bridge.read()).conversation?.messages;
    expect(first).toEqual(whole.slice(-READ_LAST_MESSAGES));
    // The next reading comes from the known list and what was read before.
    history.lastElementChild!.querySelector('.msg-text')!.textContent = 'Реплика исправлена';
    await settle();
    const next = (await bridge.read()).conversation?.messages;
    expect(next?.slice(0, -1)).toEqual(whole.slice(-READ_LAST_MESSAGES, -1));
    expect(next?.at(-1)).toMatchObject({ text: 'Реплика исправлена' });
  });

  it('reads the newest messages of a long history', async () => {
    showPage(path.join(EXTENSION_ROOT, 'demo-desk/index.html'));
    const thread = document.querySelector('.dd-thread')!;
    const before = thread.querySelectorAll('.dd-message').length;
    const total = READ_LAST_MESSAGES + 50;
    for (let index = before; index < total; index++) thread.append(demoMessage(`Сообщение ${index + 1}`));
    const { bridge } = track(bridgeAt(DEMO_DESK_URL));
    const messages = (await bridge.read()).conversation?.messages ?? [];
    expect(messages).toHaveLength(READ_LAST_MESSAGES);
    expect(messages[0]?.text).toBe(`Сообщение ${total - READ_LAST_MESSAGES + 1}`);
    expect(messages.at(-1)?.text).toBe(`Сообщение ${total}`);
  });
});

describe('page bridge: tabbed desks and histories that arrive late', () => {
  const TICKETS_URL = 'https://desk.example.ru/tickets';
  const entry = (author: string, text: string) =>
    `<div class="entry"><div class="entry-head"><b class="entry-author">${author}</b> <span class="entry-date">06.12.2026 10:00</span></div><div class="entry-body"><p>${text}</p></div></div>`;
  const history = (name: string) =>
    `<div class="history">${entry(name, `${name}: заказ не пришёл, прошу проверить доставку по номеру заказа.`)}${entry('Ирина Белова', `${name}, здравствуйте! Проверяю доставку, вернусь с ответом в течение часа.`)}${entry(name, `Спасибо, жду. ${name}.`)}</div>`;
  const texts = async (bridge: {
    read(): Promise<{ conversation: { messages: { text: string }[] } | null }>;
  }) => ((await bridge.read()).conversation?.messages ?? []).map((message) => message.text);

  it('reads the shown tab, and the other one when the operator switches tabs', async () => {
    document.body.innerHTML = `<div class="tabs"><div class="pane active" id="first">${history('Олег Новиков')}</div><div class="pane" id="second">${history('Мария Фомина')}</div></div>`;
    const { bridge, listener } = track(bridgeAt(TICKETS_URL));
    expect((await texts(bridge))[0]).toContain('Олег Новиков: заказ не пришёл');
    document.getElementById('first')!.classList.remove('active');
    document.getElementById('second')!.classList.add('active');
    await settle();
    expect(listener).toHaveBeenCalled();
    expect((await texts(bridge))[0]).toContain('Мария Фомина: заказ не пришёл');
  });

  it('reads the history when it arrives outside the list found first', async () => {
    document.body.innerHTML = `<aside class="related"><ul class="related-list">${['Возврат за разбитую вазу, заказ 6631', 'Доставка не пришла в срок, заказ 7710', 'Смена адреса доставки до отправки'].map((title) => `<li class="related-item"><span>${title} — обращение закрыто оператором, клиент доволен</span></li>`).join('')}</ul></aside><main id="ticket"></main>`;
    const { bridge, listener } = track(bridgeAt(TICKETS_URL));
    expect((await texts(bridge))[0]).toContain('Возврат за разбитую вазу');
    document.getElementById('ticket')!.innerHTML = history('Олег Новиков');
    await settle();
    expect(listener).toHaveBeenCalled();
    expect((await texts(bridge)).at(-1)).toBe('Спасибо, жду. Олег Новиков.');
  });
});

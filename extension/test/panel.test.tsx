import type { AssistEvent, FeedbackEvent } from '@naparnik/assist-service/contract';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PageReading, Result, ServiceStatus } from '../src/messaging.ts';
import { Panel } from '../src/panel/panel.tsx';
import type { PageBridge, PanelClient } from '../src/panel/types.ts';
import { memoryStorage } from '../src/settings.ts';
import { assistEvents, assistResponse, readyStatus } from './support/samples.ts';

const status = readyStatus;

const reading: PageReading = {
  adapter: 'demo-desk',
  url: 'http://127.0.0.1:8787/demo-desk/',
  hasComposer: true,
  conversation: {
    channel: 'chat',
    messages: [
      { role: 'customer', text: 'Где мой заказ № 31047589?' },
      { role: 'operator', text: 'Проверяю.' },
      { role: 'customer', text: 'И можно обменять размер?' },
    ],
  },
};

function fakeClient(overrides: Partial<PanelClient> = {}, events: AssistEvent[] = assistEvents) {
  const feedback: FeedbackEvent[] = [];
  const client: PanelClient = {
    status: vi.fn(async (): Promise<Result<ServiceStatus>> => ({ ok: true, data: status })),
    assist: vi.fn(async (_request, onEvent) => {
      for (const event of events) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        onEvent(event);
      }
      return { ok: true as const, data: null };
    }),
    search: vi.fn(async (query: string) => ({
      ok: true as const,
      data: {
        collection: 'aurelia',
        tookMs: 3,
        hits: [
          {
            documentId: 'faq/exchange.md',
            chunkId: 'faq/exchange.md#0',
            score: 0.9,
            kind: 'faq' as const,
            title: `Обмен: ${query}`,
            titlePath: ['Обмен'],
            text: 'Кольцо можно обменять в течение 14 дней.',
            source: 'faq/exchange.md',
            language: 'ru',
            tags: [],
            signals: {},
          },
        ],
      },
    })),
    feedback: vi.fn(async (event: FeedbackEvent) => {
      feedback.push(event);
      return { ok: true as const, data: { eventId: event.eventId, duplicate: false } };
    }),
    ...overrides,
  };
  return { client, feedback };
}

function fakePage(initial: PageReading = reading) {
  let current = initial;
  const listeners = new Set<() => void>();
  const page: PageBridge & { change(next: PageReading): void } = {
    read: vi.fn(async () => current),
    insert: vi.fn(async () => ({ inserted: true, method: 'textarea:execCommand' })),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    change(next) {
      current = next;
      for (const listener of listeners) listener();
    },
  };
  return page;
}

afterEach(cleanup);

/** Both suggestions complete (the stream is done). */
async function settled(label = 'Вставить') {
  await waitFor(() => {
    const buttons = screen.getAllByRole('button', { name: label }) as HTMLButtonElement[];
    expect(buttons).toHaveLength(2);
    expect(buttons.every((button) => !button.disabled)).toBe(true);
  });
  return screen.getAllByRole('article');
}

describe('Panel', () => {
  it('streams suggestions with citations, highlighted missing slots, the offline notice and next actions', async () => {
    const { client, feedback } = fakeClient();
    render(<Panel client={client} page={fakePage()} storage={memoryStorage()} />);
    const cards = await settled();
    expect(within(cards[0]!).getByText('[дата доставки]').tagName).toBe('MARK');
    expect(within(cards[0]!).getByText(/Заполните перед отправкой/)).toBeTruthy();
    expect(screen.getByText(/Офлайн-режим/)).toBeTruthy();
    expect(await screen.findByText('Доставка задержана больше чем на сутки')).toBeTruthy();
    // A citation opens its source snippet.
    fireEvent.click(within(cards[0]!).getByRole('button', { name: 'Шаблон: задержка доставки' }));
    expect(within(cards[0]!).getByText(/Если курьер не приехал/)).toBeTruthy();
    await waitFor(() =>
      expect(feedback.filter((event) => event.type === 'suggestion-shown')).toHaveLength(2),
    );
    expect(client.assist).toHaveBeenCalledWith(
      { conversation: reading.conversation },
      expect.any(Function),
      expect.any(AbortSignal),
    );
  });

  it('inserts a suggestion, then reports what the operator actually sent as suggestion-edited', async () => {
    const { client, feedback } = fakeClient();
    const page = fakePage();
    render(<Panel client={client} page={page} storage={memoryStorage()} />);
    await waitFor(() =>
      expect((screen.getAllByRole('button', { name: 'Вставить' })[1] as HTMLButtonElement).disabled).toBe(
        false,
      ),
    );
    fireEvent.click(screen.getAllByRole('button', { name: 'Вставить' })[1]!);
    await screen.findByText('Вставлено');
    expect(page.insert).toHaveBeenCalledWith(assistResponse.suggestions[1]!.text);
    expect(feedback.find((event) => event.type === 'suggestion-inserted')).toMatchObject({
      suggestionIndex: 1,
    });

    const sent = 'Да, кольцо можно обменять в течение 14 дней. Чек сохраните!';
    act(() =>
      page.change({
        ...reading,
        conversation: {
          ...reading.conversation!,
          messages: [...reading.conversation!.messages, { role: 'operator', text: sent }],
        },
      }),
    );
    await waitFor(() =>
      expect(feedback.find((event) => event.type === 'suggestion-edited')).toMatchObject({
        suggestionSetId: 'set-1',
        suggestionIndex: 1,
        finalText: sent,
      }),
    );
  });

  it('copies, and rates up or down with a reason', async () => {
    const { client, feedback } = fakeClient();
    const copy = vi.fn(async () => true);
    render(<Panel client={client} page={fakePage()} storage={memoryStorage()} copy={copy} />);
    await waitFor(() =>
      expect(
        (screen.getAllByRole('button', { name: 'Хороший ответ' })[0] as HTMLButtonElement).disabled,
      ).toBe(false),
    );
    fireEvent.click(screen.getAllByRole('button', { name: 'Копировать' })[0]!);
    await screen.findByText('Скопировано');
    expect(copy).toHaveBeenCalledWith(assistResponse.suggestions[0]!.text);
    fireEvent.click(screen.getAllByRole('button', { name: 'Хороший ответ' })[0]!);
    fireEvent.click(screen.getAllByRole('button', { name: 'Плохой ответ' })[0]!);
    fireEvent.click(screen.getByRole('button', { name: 'Не тот тон' }));
    await waitFor(() =>
      expect(feedback.filter((event) => event.type === 'suggestion-rated')).toEqual([
        expect.objectContaining({ suggestionIndex: 0, rating: 'up' }),
        expect.objectContaining({ suggestionIndex: 1, rating: 'down', reason: 'Не тот тон' }),
      ]),
    );
  });

  it('ignores shortcut keys the page dispatched itself (untrusted): Alt+1 inserts nothing', async () => {
    const { client } = fakeClient();
    const page = fakePage();
    render(<Panel client={client} page={page} storage={memoryStorage()} />);
    await waitFor(() =>
      expect((screen.getAllByRole('button', { name: 'Вставить' })[0] as HTMLButtonElement).disabled).toBe(
        false,
      ),
    );
    // happy-dom's events, like a page script's, are untrusted.
    fireEvent.keyDown(window, { code: 'Digit1', key: '1', altKey: true });
    fireEvent.keyDown(window, { code: 'KeyR', key: 'к', altKey: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(page.insert).not.toHaveBeenCalled();
    expect(client.assist).toHaveBeenCalledTimes(1);
  });

  it('answers keyboard shortcuts: Alt+1 inserts, Alt+S opens the summary, Alt+R refreshes', async () => {
    const { client } = fakeClient();
    const page = fakePage();
    // Stands in for the operator's real keys (the browser e2e checks the trusted-only default).
    render(<Panel client={client} page={page} storage={memoryStorage()} trustKey={() => true} />);
    await waitFor(() =>
      expect((screen.getAllByRole('button', { name: 'Вставить' })[0] as HTMLButtonElement).disabled).toBe(
        false,
      ),
    );
    fireEvent.keyDown(window, { code: 'Digit1', key: '1', altKey: true });
    await waitFor(() => expect(page.insert).toHaveBeenCalledWith(assistResponse.suggestions[0]!.text));
    fireEvent.keyDown(window, { code: 'KeyS', key: 'ы', altKey: true });
    expect(await screen.findByText(assistResponse.summary.issue)).toBeTruthy();
    expect(screen.getByText('Когда привезут заказ?')).toBeTruthy();
    fireEvent.keyDown(window, { code: 'KeyR', key: 'к', altKey: true });
    await waitFor(() => expect(client.assist).toHaveBeenCalledTimes(2));
  });

  it('asks for fresh suggestions when a new customer message arrives', async () => {
    const { client } = fakeClient();
    const page = fakePage();
    render(<Panel client={client} page={page} storage={memoryStorage()} />);
    await screen.findAllByRole('article');
    act(() =>
      page.change({
        ...reading,
        conversation: {
          ...reading.conversation!,
          messages: [...reading.conversation!.messages, { role: 'customer', text: 'Алло?' }],
        },
      }),
    );
    await waitFor(() => expect(client.assist).toHaveBeenCalledTimes(2));
  });

  it('collapses to a side tab and remembers it', async () => {
    const storage = memoryStorage();
    const { client } = fakeClient();
    const first = render(<Panel client={client} page={fakePage()} storage={storage} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Свернуть панель' }));
    expect(await screen.findByRole('button', { name: 'Открыть Напарника' })).toBeTruthy();
    expect((await storage.get('panel')).panel).toMatchObject({ collapsed: true });
    first.unmount();
    render(<Panel client={client} page={fakePage()} storage={storage} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Открыть Напарника' }));
    expect(await screen.findByRole('button', { name: 'Свернуть панель' })).toBeTruthy();
  });

  it('searches the knowledge base', async () => {
    const { client } = fakeClient();
    render(
      <Panel
        client={client}
        page={fakePage()}
        storage={memoryStorage({ panel: { collapsed: false, tab: 'search' } })}
      />,
    );
    const box = await screen.findByRole('searchbox');
    fireEvent.change(box, { target: { value: 'обмен кольца' } });
    fireEvent.click(screen.getByRole('button', { name: 'Найти' }));
    expect(await screen.findByText('Обмен: обмен кольца')).toBeTruthy();
    expect(client.search).toHaveBeenCalledWith('обмен кольца');
  });

  it('speaks English when the settings say so', async () => {
    const { client } = fakeClient({ status: async () => ({ ok: true, data: { ...status, locale: 'en' } }) });
    render(<Panel client={client} page={fakePage()} storage={memoryStorage()} />);
    await settled('Insert');
    expect(screen.getByText(/Offline mode/)).toBeTruthy();
  });
});

describe('Panel states', () => {
  it('service unreachable, with a retry that recovers', async () => {
    let up = false;
    const { client } = fakeClient({
      status: vi.fn(async () => ({ ok: true as const, data: { ...status, reachable: up, ready: up } })),
    });
    render(<Panel client={client} page={fakePage()} storage={memoryStorage()} />);
    expect(await screen.findByText('Сервис подсказок недоступен')).toBeTruthy();
    expect(screen.getByText(/127\.0\.0\.1:8787/)).toBeTruthy();
    up = true;
    fireEvent.click(screen.getByRole('button', { name: 'Повторить' }));
    await settled();
  });

  it('not configured: the knowledge base does not exist on the service', async () => {
    const { client } = fakeClient({
      assist: async () => ({
        ok: false,
        error: { code: 'collection-not-found', message: 'Collection "aurelia" does not exist.' },
      }),
    });
    const openOptions = vi.fn();
    render(<Panel client={client} page={{ ...fakePage(), openOptions }} storage={memoryStorage()} />);
    expect(await screen.findByText('Напарник не настроен')).toBeTruthy();
    expect(screen.getByText('Collection "aurelia" does not exist.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Открыть настройки' }));
    expect(openOptions).toHaveBeenCalled();
  });

  it('conversation not found, offering "Teach this page"', async () => {
    const { client } = fakeClient();
    const teach = vi.fn();
    render(
      <Panel
        client={client}
        page={{ ...fakePage({ ...reading, adapter: 'generic', conversation: null }), teach }}
        storage={memoryStorage()}
      />,
    );
    expect(await screen.findByText('Диалог не найден')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Научить эту страницу' }));
    expect(teach).toHaveBeenCalled();
    expect(client.assist).not.toHaveBeenCalled();
  });

  it('offers "Teach this page" even when a conversation was read, in case it was read wrongly', async () => {
    const { client } = fakeClient();
    const teach = vi.fn();
    render(<Panel client={client} page={{ ...fakePage(), teach }} storage={memoryStorage()} />);
    await settled();
    fireEvent.click(screen.getByRole('button', { name: 'Разговор прочитан неверно? Научить страницу' }));
    expect(teach).toHaveBeenCalledTimes(1);
  });

  it('does not offer teaching where the page cannot be taught (the side panel)', async () => {
    const { client } = fakeClient();
    render(<Panel client={client} page={fakePage()} storage={memoryStorage()} />);
    await settled();
    expect(screen.queryByRole('button', { name: /Научить страницу/ })).toBeNull();
  });

  it('an error during the stream shows the message and a retry', async () => {
    const events: AssistEvent[] = [
      assistEvents[0]!,
      { type: 'error', error: { code: 'internal', message: 'Движок упал' } },
    ];
    const { client } = fakeClient({}, events);
    render(<Panel client={client} page={fakePage()} storage={memoryStorage()} />);
    expect(await screen.findByText(/Движок упал/)).toBeTruthy();
  });
});

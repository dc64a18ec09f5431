import {
  type FeedbackEvent,
  type RewriteRequest,
  type RewriteResponse,
  readyResponseSchema,
  rewriteResponseSchema,
} from '@naparnik/assist-service/contract';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServiceClient } from '../src/background/service-client.ts';
import { createWorker } from '../src/background/worker.ts';
import { createRuntimeClient, type RuntimeLike } from '../src/content/runtime-client.ts';
import type { PageReading, Result, ServiceStatus } from '../src/messaging.ts';
import { Panel } from '../src/panel/panel.tsx';
import type { PageBridge, PanelClient } from '../src/panel/types.ts';
import { REFRESHED_REASON } from '../src/panel/use-panel-session.ts';
import { memoryStorage, settingsSchema } from '../src/settings.ts';
import { assistEvents, assistResponse } from './support/samples.ts';

const status: ServiceStatus = {
  reachable: true,
  ready: true,
  version: '0.1.0',
  serviceUrl: 'http://127.0.0.1:8787',
  collection: 'demo',
  locale: 'ru',
  rewrite: ['shorter', 'friendlier', 'formal'],
};

const reading: PageReading = {
  adapter: 'demo-desk',
  url: 'http://127.0.0.1:8787/demo-desk/',
  hasComposer: true,
  conversation: {
    channel: 'chat',
    messages: [{ role: 'customer', text: 'Где мой заказ № 31047589?' }],
    customer: { name: 'Анна' },
  },
};

const original = assistResponse.suggestions[0]!.text;
/** What the offline engine answers for «shorter» on the first suggestion (the rule's output, by hand). */
const SHORTER = 'Анна, здравствуйте! Заказ № 31047589 задержан на складе. Привезём его [дата доставки].';

function rewritten(request: Omit<RewriteRequest, 'collection'>, text: string): RewriteResponse {
  return {
    text,
    style: request.style,
    engine: 'offline',
    language: 'ru',
    changes: text === request.text ? [] : [{ rule: 'filler', before: request.text, after: text }],
  };
}

function setup(statusOverride: Partial<ServiceStatus> = {}) {
  const feedback: FeedbackEvent[] = [];
  let sets = 0;
  const client: PanelClient = {
    status: async (): Promise<Result<ServiceStatus>> => ({
      ok: true,
      data: { ...status, ...statusOverride },
    }),
    assist: vi.fn(async (_request, onEvent) => {
      // Each request answers with a set of its own: set-1, set-2, …
      const id = `set-${++sets}`;
      for (const event of assistEvents) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        onEvent(JSON.parse(JSON.stringify(event).replaceAll('"set-1"', `"${id}"`)));
      }
      return { ok: true as const, data: null };
    }),
    search: async () => ({ ok: false, error: { code: 'unused', message: 'unused' } }),
    feedback: async (event) => {
      feedback.push(event);
      return { ok: true, data: { eventId: event.eventId, duplicate: false } };
    },
    rewrite: vi.fn(async (request) => ({
      ok: true as const,
      data: rewritten(request, request.style === 'shorter' ? SHORTER : request.text),
    })),
  };
  const page: PageBridge = {
    read: async () => reading,
    insert: vi.fn(async () => ({ inserted: true, method: 'textarea:execCommand' })),
    subscribe: () => () => undefined,
  };
  return { client, page, feedback };
}

async function firstCard() {
  await waitFor(() => {
    const buttons = screen.getAllByRole('button', { name: 'Вставить' }) as HTMLButtonElement[];
    expect(buttons.every((button) => !button.disabled)).toBe(true);
  });
  return screen.getAllByRole('article')[0]!;
}

afterEach(cleanup);

describe('Panel: rewrite buttons', () => {
  it('shows only the styles the service offers, and none when it offers none', async () => {
    const offered = setup({ rewrite: ['shorter', 'formal'] });
    const view = render(<Panel client={offered.client} page={offered.page} storage={memoryStorage()} />);
    const card = await firstCard();
    expect(within(card).getByRole('button', { name: 'Короче' })).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Официальнее' })).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Дружелюбнее' })).toBeNull();
    view.unmount();

    const { rewrite: _none, ...older } = status;
    const none = setup();
    none.client.status = async () => ({ ok: true, data: older });
    render(<Panel client={none.client} page={none.page} storage={memoryStorage()} />);
    expect(within(await firstCard()).queryByRole('button', { name: 'Короче' })).toBeNull();
  });

  it("replaces the card's text with the rewrite, inserts that text, and undoes back to the suggestion", async () => {
    const { client, page, feedback } = setup();
    render(<Panel client={client} page={page} storage={memoryStorage()} />);
    const card = await firstCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Короче' }));
    await within(card).findByText('Переписано: короче');
    expect(client.rewrite).toHaveBeenCalledWith({
      text: original,
      style: 'shorter',
      channel: 'chat',
      customerName: 'Анна',
    });
    expect(card.querySelector('.np-text')?.textContent).toBe(SHORTER);
    // The slot the rewrite kept is still marked for the operator.
    expect(within(card).getByText('[дата доставки]').tagName).toBe('MARK');

    fireEvent.click(within(card).getByRole('button', { name: 'Вставить' }));
    await waitFor(() => expect(page.insert).toHaveBeenCalledWith(SHORTER));
    expect(feedback.find((event) => event.type === 'suggestion-inserted')).toMatchObject({
      suggestionIndex: 0,
    });

    fireEvent.click(within(card).getByRole('button', { name: 'Отменить' }));
    expect(card.querySelector('.np-text')?.textContent).toBe(original);
    expect(within(card).queryByRole('button', { name: 'Отменить' })).toBeNull();
  });

  it('says so when the text already fits the style, and keeps it', async () => {
    const { client, page } = setup();
    render(<Panel client={client} page={page} storage={memoryStorage()} />);
    const card = await firstCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Официальнее' }));
    await within(card).findByText('Текст уже в этом стиле');
    expect(card.querySelector('.np-text')?.textContent).toBe(original);
  });
});

describe('Panel: dismissing suggestions', () => {
  it('dismisses a card with a reason: suggestion-dismissed is sent, the card hides and can be restored', async () => {
    const { client, page, feedback } = setup();
    render(<Panel client={client} page={page} storage={memoryStorage()} />);
    const card = await firstCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Скрыть ответ' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Не тот тон' }));
    await waitFor(() =>
      expect(feedback.filter((event) => event.type === 'suggestion-dismissed')).toEqual([
        expect.objectContaining({ suggestionSetId: 'set-1', suggestionIndex: 0, reason: 'Не тот тон' }),
      ]),
    );
    const hidden = screen.getAllByRole('article')[0]!;
    expect(within(hidden).getByText('Ответ скрыт')).toBeTruthy();
    expect(within(hidden).queryByRole('button', { name: 'Вставить' })).toBeNull();
    fireEvent.click(within(hidden).getByRole('button', { name: 'Вернуть' }));
    expect(within(screen.getAllByRole('article')[0]!).getByRole('button', { name: 'Вставить' })).toBeTruthy();
  });

  it('a dismissed card is not inserted by its shortcut until it is restored', async () => {
    const { client, page } = setup();
    // The shortcut stands in for the operator's real key (happy-dom's events are untrusted).
    render(<Panel client={client} page={page} storage={memoryStorage()} trustKey={() => true} />);
    const card = await firstCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Скрыть ответ' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Просто скрыть' }));
    fireEvent.keyDown(window, { code: 'Digit1', key: '1', altKey: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(page.insert).not.toHaveBeenCalled();
    fireEvent.click(within(screen.getAllByRole('article')[0]!).getByRole('button', { name: 'Вернуть' }));
    fireEvent.keyDown(window, { code: 'Digit1', key: '1', altKey: true });
    await waitFor(() => expect(page.insert).toHaveBeenCalledWith(original));
  });

  it('dismisses without a reason', async () => {
    const { client, page, feedback } = setup();
    render(<Panel client={client} page={page} storage={memoryStorage()} />);
    const card = await firstCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Скрыть ответ' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Просто скрыть' }));
    await waitFor(() => expect(feedback.some((event) => event.type === 'suggestion-dismissed')).toBe(true));
    const dismissed = feedback.find((event) => event.type === 'suggestion-dismissed');
    expect(dismissed).not.toHaveProperty('reason');
  });

  it('records every suggestion of an unused set dismissed as «refreshed» on refresh, and nothing once one was used', async () => {
    const { client, page, feedback } = setup();
    render(<Panel client={client} page={page} storage={memoryStorage()} />);
    await firstCard();
    // The set is complete once it is reported shown.
    await waitFor(() =>
      expect(feedback.filter((event) => event.type === 'suggestion-shown')).toHaveLength(2),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Обновить' }));
    await waitFor(() =>
      expect(feedback.filter((event) => event.type === 'suggestion-dismissed')).toEqual([
        expect.objectContaining({ suggestionSetId: 'set-1', suggestionIndex: 0, reason: REFRESHED_REASON }),
        expect.objectContaining({ suggestionSetId: 'set-1', suggestionIndex: 1, reason: REFRESHED_REASON }),
      ]),
    );
    await waitFor(() => expect(client.assist).toHaveBeenCalledTimes(2));

    // In the new set one suggestion goes in: refreshing it records nothing more.
    await waitFor(() =>
      expect(
        feedback.some((event) => event.type === 'suggestion-shown' && event.suggestionSetId === 'set-2'),
      ).toBe(true),
    );
    const card = await firstCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Вставить' }));
    await waitFor(() => expect(page.insert).toHaveBeenCalled());
    fireEvent.click(screen.getByRole('button', { name: 'Обновить' }));
    await waitFor(() => expect(client.assist).toHaveBeenCalledTimes(3));
    expect(feedback.filter((event) => event.type === 'suggestion-dismissed')).toHaveLength(2);
  });
});

describe('rewrite through the background worker', () => {
  it('reports the offered styles from /v1/ready and sends the rewrite with the collection from settings', async () => {
    const settings = settingsSchema.parse({ serviceUrl: 'http://127.0.0.1:8787', collection: 'demo' });
    const requests: Array<{ url: string; body: unknown }> = [];
    const fetch = (async (url: URL | string, init?: RequestInit) => {
      const path = new URL(String(url)).pathname;
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      requests.push({ url: path, body });
      const json = (value: unknown) =>
        new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } });
      if (path === '/v1/health') return json({ status: 'ok', version: '0.1.0', uptimeSeconds: 1 });
      if (path === '/v1/ready')
        return json(
          readyResponseSchema.parse({
            ready: true,
            store: 'sqlite',
            collections: 1,
            capabilities: { engine: 'offline', rewrite: ['shorter', 'formal'] },
          }),
        );
      return json(rewriteResponseSchema.parse(rewritten(body, 'Здравствуйте! Сейчас проверю Ваш заказ.')));
    }) as typeof globalThis.fetch;
    const worker = createWorker({
      client: createServiceClient({ settings: async () => settings, fetch }),
      settings: async () => settings,
    });
    const runtime: RuntimeLike = {
      sendMessage: (message) => worker.handleRequest(message),
      connect: () => {
        throw new Error('no streams in this test');
      },
    };
    const panelClient = createRuntimeClient(runtime);
    const checked = await panelClient.status();
    expect(checked).toMatchObject({ ok: true, data: { rewrite: ['shorter', 'formal'] } });
    const result = await panelClient.rewrite!({ text: 'Привет! Щас проверю твой заказ', style: 'formal' });
    expect(result).toMatchObject({ ok: true, data: { text: 'Здравствуйте! Сейчас проверю Ваш заказ.' } });
    expect(requests.at(-1)).toEqual({
      url: '/v1/rewrite',
      body: { text: 'Привет! Щас проверю твой заказ', style: 'formal', collection: 'demo' },
    });
    expect(
      await worker.handleRequest({ type: 'rewrite', request: { text: 'x', style: 'poetic' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-message' },
    });
  });
});

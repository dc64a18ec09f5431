import type { AssistEvent, AssistRequest } from '@naparnik/assist-service/contract';
import { describe, expect, it, vi } from 'vitest';
import { createServiceClient, ServiceCallError } from '../src/background/service-client.ts';
import { readEventStream } from '../src/background/sse.ts';
import { createWorker, type PortLike } from '../src/background/worker.ts';
import { createRuntimeClient, type RuntimeLike } from '../src/content/runtime-client.ts';
import type { AssistPortMessage } from '../src/messaging.ts';
import { memoryStorage, readSettings, settingsSchema, writeSettings } from '../src/settings.ts';
import { assistEvents, assistResponse } from './support/samples.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

function sse(events: AssistEvent[]): string {
  return events
    .map((event, index) => `event: ${event.type}\nid: ${index + 1}\ndata: ${JSON.stringify(event)}\n\n`)
    .join('');
}

const settings = settingsSchema.parse({
  serviceUrl: 'http://127.0.0.1:8787',
  token: 'secret',
  collection: 'aurelia',
});
const request: AssistRequest = {
  collection: 'aurelia',
  conversation: { channel: 'chat', messages: [{ role: 'customer', text: 'Где мой заказ 31047589?' }] },
};

describe('readEventStream', () => {
  it('parses events split across chunks, CRLF line ends, comments and multi-line data; drops a cut-off event', async () => {
    const body = streamOf([
      ': keep-alive\r\n\r\nevent: a\r\nda',
      'ta: one\r\ndata: two\r',
      '\n\r\nevent: b\ndata: {"x":1}\n\n',
      'data: tail',
    ]);
    const events = [];
    for await (const event of readEventStream(body)) events.push(event);
    expect(events).toEqual([
      { event: 'a', data: 'one\ntwo' },
      { event: 'b', data: '{"x":1}' },
    ]);
  });
});

describe('service client', () => {
  it('posts the assist request with the token and forwards every valid stream event', async () => {
    const fetch = vi.fn(async (_url: URL | RequestInfo, _init?: RequestInit) => {
      return new Response(
        streamOf([
          sse(assistEvents).slice(0, 50),
          sse(assistEvents).slice(50),
          'event: future\ndata: {"type":"future"}\n\n',
        ]),
        {
          headers: { 'Content-Type': 'text/event-stream' },
        },
      );
    });
    const client = createServiceClient({
      settings: async () => settings,
      fetch: fetch as typeof globalThis.fetch,
    });
    const received: AssistEvent[] = [];
    await client.assist(request, (event) => received.push(event));
    expect(received.map((event) => event.type)).toEqual(assistEvents.map((event) => event.type));
    const [url, init] = fetch.mock.calls[0]!;
    expect(String(url)).toBe('http://127.0.0.1:8787/v1/assist');
    const headers = new Headers(init?.headers);
    expect(headers.get('authorization')).toBe('Bearer secret');
    expect(headers.get('accept')).toBe('text/event-stream');
    expect(JSON.parse(String(init?.body))).toEqual(request);
  });

  it('maps a refused connection to `unreachable` and the service error body to its code', async () => {
    const down = createServiceClient({
      settings: async () => settings,
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof globalThis.fetch,
    });
    await expect(down.search({ collection: 'x', query: 'q' })).rejects.toMatchObject({
      error: { code: 'unreachable' },
    });

    const missing = createServiceClient({
      settings: async () => settings,
      fetch: (async () =>
        Response.json(
          { error: { code: 'collection-not-found', message: 'Collection "aurelia" does not exist.' } },
          { status: 404 },
        )) as typeof globalThis.fetch,
    });
    const error = await missing
      .search({ collection: 'aurelia', query: 'q' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceCallError);
    expect((error as ServiceCallError).error).toMatchObject({ code: 'collection-not-found', status: 404 });
  });

  it('says not-configured when the service URL is not a URL', async () => {
    const client = createServiceClient({
      settings: async () => ({ ...settings, serviceUrl: '' }),
      fetch: vi.fn(),
    });
    await expect(client.status()).rejects.toMatchObject({ error: { code: 'not-configured' } });
  });
});

/** A connected pair of fake ports: what one side posts, the other receives. */
function portPair() {
  const make = () => {
    const messageListeners: Array<(message: unknown) => void> = [];
    const disconnectListeners: Array<() => void> = [];
    return { messageListeners, disconnectListeners };
  };
  const a = make();
  const b = make();
  const side = (own: typeof a, other: typeof b): PortLike => ({
    postMessage: (message: unknown) =>
      queueMicrotask(() => {
        for (const listener of other.messageListeners) listener(message);
      }),
    disconnect: () =>
      queueMicrotask(() => {
        for (const listener of other.disconnectListeners) listener();
      }),
    onMessage: { addListener: (listener) => own.messageListeners.push(listener) },
    onDisconnect: { addListener: (listener) => own.disconnectListeners.push(listener) },
  });
  return { client: side(a, b), worker: side(b, a) };
}

describe('worker and runtime client, end to end over fake messaging', () => {
  function setup(fetch: typeof globalThis.fetch) {
    const client = createServiceClient({ settings: async () => settings, fetch });
    const worker = createWorker({ client, settings: async () => settings });
    const runtime: RuntimeLike = {
      sendMessage: (message) => worker.handleRequest(JSON.parse(JSON.stringify(message))),
      connect: () => {
        const pair = portPair();
        worker.handleAssistPort(pair.worker);
        return pair.client as ReturnType<RuntimeLike['connect']>;
      },
    };
    return createRuntimeClient(runtime);
  }

  it('streams suggestions to the panel side, adding the collection from settings', async () => {
    let body: unknown;
    const panelClient = setup((async (_url: unknown, init?: RequestInit) => {
      body = JSON.parse(String(init?.body));
      return new Response(streamOf([sse(assistEvents)]));
    }) as typeof globalThis.fetch);
    const events: AssistEvent[] = [];
    const result = await panelClient.assist(
      { conversation: request.conversation },
      (event) => events.push(event),
      new AbortController().signal,
    );
    expect(result).toEqual({ ok: true, data: null });
    expect(events.at(-1)).toEqual({ type: 'done', response: assistResponse });
    expect(body).toMatchObject({ collection: 'aurelia' });
  });

  it('reports an unreachable service as a status, and rejects malformed messages', async () => {
    const panelClient = setup((async () => {
      throw new TypeError('connect ECONNREFUSED');
    }) as typeof globalThis.fetch);
    expect(await panelClient.status()).toEqual({
      ok: true,
      data: {
        reachable: false,
        ready: false,
        serviceUrl: 'http://127.0.0.1:8787',
        collection: 'aurelia',
        locale: 'ru',
      },
    });
    const worker = createWorker({
      client: createServiceClient({ settings: async () => settings }),
      settings: async () => settings,
    });
    expect(await worker.handleRequest({ type: 'search', query: 42 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-message' },
    });
    expect(await worker.handleRequest({ type: 'delete-everything' })).toMatchObject({ ok: false });
  });

  it('reads and writes settings for the extension pages only: a content script is refused both', async () => {
    const local = memoryStorage();
    const worker = createWorker({
      client: createServiceClient({ settings: () => readSettings(local) }),
      settings: () => readSettings(local),
      saveSettings: (changes) => writeSettings(local, changes),
    });
    const redirect = { type: 'settings:write', changes: { serviceUrl: 'https://attacker.example' } };
    expect(await worker.handleRequest(redirect, 'content-script')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await worker.handleRequest(redirect)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await worker.handleRequest({ type: 'settings:read' }, 'content-script')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect((await readSettings(local)).serviceUrl).toBe('http://127.0.0.1:8787');

    const saved = await worker.handleRequest(
      { type: 'settings:write', changes: { serviceUrl: 'https://naparnik.example.ru', token: 'own' } },
      'extension-page',
    );
    expect(saved).toMatchObject({
      ok: true,
      data: { serviceUrl: 'https://naparnik.example.ru', token: 'own' },
    });
    expect(await worker.handleRequest({ type: 'settings:read' }, 'extension-page')).toMatchObject({
      ok: true,
      data: { token: 'own' },
    });
  });

  it('passes a stream error through and cancels the HTTP call when the panel aborts', async () => {
    let aborted = false;
    const panelClient = setup(
      ((_url: unknown, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new DOMException('aborted', 'AbortError'));
          });
        })) as typeof globalThis.fetch,
    );
    const controller = new AbortController();
    const pending = panelClient.assist(
      { conversation: request.conversation },
      () => undefined,
      controller.signal,
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(aborted).toBe(true);
  });

  it('sends a port error message for an invalid start request', async () => {
    const worker = createWorker({
      client: createServiceClient({ settings: async () => settings }),
      settings: async () => settings,
    });
    const pair = portPair();
    const received: AssistPortMessage[] = [];
    pair.client.onMessage.addListener((message) => received.push(message as AssistPortMessage));
    worker.handleAssistPort(pair.worker);
    pair.client.postMessage({
      type: 'assist:start',
      request: { conversation: { channel: 'pigeon', messages: [] } },
    } as never);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received.map((message) => message.type)).toEqual(['assist:error', 'assist:end']);
  });
});

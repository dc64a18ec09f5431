/**
 * Where a model engine's requests go during an eval run, and what is kept of them:
 *
 * - `live`: the real API (a key is set); bodies sent are observed for the graders, nothing stored.
 * - `record`: the real API (`--record`), or the deterministic simulator (`--record --simulate`);
 *   every exchange is written to the suite's cassette at the end, `source` saying which.
 * - `replay`: msw answers from the cassette (CI, no key); a request the cassette does not hold is
 *   a miss: answered 500 (so the service degrades visibly) and counted, and the run fails.
 */
import { createSimulatedFetch, endpointOf } from '@naparnik/assist-service';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import {
  type Cassette,
  type Endpoint,
  type Interaction,
  interactionKey,
  type ModelEngine,
  readCassette,
  writeCassette,
} from './cassette.ts';

export type TrafficMode = 'live' | 'record' | 'replay';

/** Base URL a replay points the providers at: nothing answers there but msw. */
export const REPLAY_BASE_URL = 'https://cassette-replay.naparnik.invalid';

export interface ModelTraffic {
  readonly mode: TrafficMode;
  readonly source: 'live' | 'synthetic';
  /** The providers' `fetch`; undefined means the global one (which msw intercepts in replay). */
  readonly fetch: typeof fetch | undefined;
  /** Replay only: the model the cassette was recorded with (requests must name it to match). */
  readonly model: string | undefined;
  /** Every request body sent to the model API so far, in order (the personal-data grader reads them). */
  sent(): readonly unknown[];
  /** Replay: distinct requests the cassette had no answer for. */
  misses(): number;
  /** Writes the cassette (record) and stops msw (replay). */
  finish(): Promise<{ cassette?: string; interactions: number }>;
}

interface Exchange {
  endpoint: Endpoint;
  body: unknown;
  response: Promise<Interaction['response']>;
}

/** A fetch that hands every model exchange to `observe`, the response body read on a tee. */
function observingFetch(inner: typeof fetch, observe: (exchange: Exchange) => void): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const endpoint = endpointOf(new URL(request.url).pathname);
    const text = endpoint ? await request.clone().text() : '';
    const response = await inner(request);
    if (!endpoint) return response;
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Kept as text: the providers always send JSON, so this is only what a broken one sends.
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (!response.body) {
      observe({
        endpoint,
        body,
        response: Promise.resolve({ status: response.status, contentType, body: '' }),
      });
      return response;
    }
    const [mine, theirs] = response.body.tee();
    observe({
      endpoint,
      body,
      response: new Response(mine)
        .text()
        .then((read) => ({ status: response.status, contentType, body: read })),
    });
    return new Response(theirs, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

export interface TrafficOptions {
  mode: TrafficMode;
  suite: string;
  engine: ModelEngine;
  provider: Cassette['provider'];
  /** The cassette file (read in replay, written in record). */
  file: string;
  /** Record from the simulator instead of the live API. */
  simulate?: boolean;
  /** Model name the recorded requests carry (record). */
  model?: string;
  now?: () => Date;
}

const SYNTHETIC_NOTE =
  'SYNTHETIC: written by the deterministic model simulator (assist-service/src/models/simulator), ' +
  'which copies sentences of the numbered sources and cites them. Not recorded from Claude or any ' +
  'model: it exercises the wire format, the pipeline and the graders, not model quality. Re-record ' +
  'with a key: pnpm evals run <suite> --engine <engine> --record';

export async function openModelTraffic(options: TrafficOptions): Promise<ModelTraffic> {
  const sent: unknown[] = [];
  if (options.mode === 'replay') return openReplay(options, sent);

  const exchanges: Exchange[] = [];
  const inner = options.simulate ? createSimulatedFetch() : globalThis.fetch.bind(globalThis);
  const source = options.simulate ? 'synthetic' : 'live';
  const fetch = observingFetch(inner, (exchange) => {
    sent.push(exchange.body);
    if (options.mode === 'record') exchanges.push(exchange);
  });
  return {
    mode: options.mode,
    source,
    fetch,
    model: undefined,
    sent: () => sent,
    misses: () => 0,
    async finish() {
      if (options.mode !== 'record') return { interactions: 0 };
      const byKey = new Map<string, Interaction>();
      for (const exchange of exchanges) {
        const response = await exchange.response.catch(() => undefined);
        // A cut or failed attempt is not what a replay should answer; the retry that worked is.
        if (response?.status !== 200) continue;
        const key = interactionKey(exchange.endpoint, exchange.body);
        byKey.set(key, { key, endpoint: exchange.endpoint, request: exchange.body, response });
      }
      const interactions = [...byKey.values()];
      writeCassette(options.file, {
        format: 'naparnik-model-cassette/v1',
        suite: options.suite,
        engine: options.engine,
        provider: options.provider,
        model: options.model ?? 'unknown',
        source,
        note:
          source === 'synthetic'
            ? SYNTHETIC_NOTE
            : 'Recorded from the live API with pnpm evals run … --record; prompts carry no personal values.',
        recordedAt: (options.now?.() ?? new Date()).toISOString(),
        texts: {},
        interactions,
      });
      return { cassette: options.file, interactions: interactions.length };
    },
  };
}

function openReplay(options: TrafficOptions, sent: unknown[]): ModelTraffic {
  const cassette = readCassette(options.file);
  if (cassette.engine !== options.engine) {
    throw new Error(`${options.file} holds ${cassette.engine} responses, not ${options.engine}`);
  }
  const answers = new Map(cassette.interactions.map((interaction) => [interaction.key, interaction]));
  const missed = new Set<string>();
  const handle =
    (endpoint: Endpoint) =>
    async ({ request }: { request: Request }) => {
      const body = (await request.json()) as unknown;
      sent.push(body);
      const key = interactionKey(endpoint, body);
      const answer = answers.get(key);
      if (!answer) {
        missed.add(key);
        return HttpResponse.json(
          { type: 'error', error: { type: 'api_error', message: 'not in the cassette: re-record it' } },
          { status: 500 },
        );
      }
      return new HttpResponse(answer.response.body, {
        status: answer.response.status,
        headers: { 'content-type': answer.response.contentType },
      });
    };
  const server = setupServer(
    http.post(`${REPLAY_BASE_URL}/v1/messages`, handle('anthropic-messages')),
    http.post(`${REPLAY_BASE_URL}/v1/chat/completions`, handle('openai-chat-completions')),
  );
  server.listen({ onUnhandledFrame: 'error' });
  return {
    mode: 'replay',
    source: cassette.source,
    fetch: undefined,
    model: cassette.model,
    sent: () => sent,
    misses: () => missed.size,
    async finish() {
      server.close();
      return { interactions: cassette.interactions.length };
    },
  };
}

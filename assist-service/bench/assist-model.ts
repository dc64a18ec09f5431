/**
 * `pnpm bench assist --engine claude`: the service drafting with a model, against a simulated
 * Anthropic Messages API — a real local HTTP server in this process (not msw: timing is real)
 * that streams the documented SSE shape after a fixed, configurable time to first token
 * (`createModelSimulator`; its text copies the sources, its token counts are characters / 4).
 *
 * Printed:
 * - service time before the first byte goes to the model: from the client sending POST
 *   /v1/assist to the simulated API receiving the request (target ≤ 50 ms p95 at 100k chunks);
 * - relay of the first token: from the API writing the first text delta to the client reading
 *   the first `suggestion-delta` event (target ≤ 20 ms);
 * - 50 concurrent operators streaming answers (target 0 errors), and the peak number of draft
 *   calls in flight at once: network-bound calls must not wait for each other in the CPU work
 *   queue (ASSIST_CONCURRENCY, default 4), so with 50 operators the peak should approach 50;
 * - tokens and cost per 1,000 suggestion sets for the demo's golden questions, with the prompt
 *   cache and as if there were none (the default model's shipped list prices): the draft and its
 *   check alone, and with the model's summary and next actions (the default).
 *
 * Each request makes up to four calls: the draft (no tool), the summary (`report_summary`) and
 * the next actions (`suggest_next_actions`) once the draft's request is out, and the check of the
 * draft (`report_draft_findings`) once it is written. The timings are the draft's.
 *
 *   node scripts/bench.ts assist --engine claude     BENCH_MODEL_TTFT_MS (400), BENCH_MODEL_CHUNKS (100000),
 *                                                    BENCH_CORPUS_DIR=<dir> keeps and reuses the corpus
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_KB_DIR, seededRandom } from '@naparnik/ingest';
import { percentile, printTable } from '../../scripts/bench-support.ts';
import { DEFAULT_ANTHROPIC_FAST_MODEL } from '../src/config.ts';
import { costOf, DEFAULT_MODEL_PRICES } from '../src/models/pricing.ts';
import { createModelSimulator, endpointOf } from '../src/models/simulator/simulated-model-api.ts';
import { assistBody, BENCH_TOKEN, buildCorpus, sentencePool, startServerProcess } from './assist.ts';

interface ModelCall {
  receivedAt: number;
  firstTextAt?: number;
  /** The tool the request forces; none for the draft. */
  tool?: string;
  /**
   * Characters of what the Anthropic API caches (`cache_control` on the system prompt): the tool
   * definitions and the system prompt, which come before it in the cache's order.
   */
  prefixChars: number;
}

export interface SimulatedApi {
  url: string;
  calls: ModelCall[];
  inFlight: number;
  peakInFlight: number;
  /** Draft calls only (no tool forced): one per operator at most. */
  peakDraftsInFlight: number;
  resetPeak(): void;
  close(): Promise<void>;
}

const wait = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** The simulated Messages API: headers at once, `ttftMs` before the first text, then `gapMs` per delta. */
export async function startSimulatedApi(ttftMs: number, gapMs: number): Promise<SimulatedApi> {
  const simulator = createModelSimulator();
  const state = {
    calls: [] as ModelCall[],
    inFlight: 0,
    peakInFlight: 0,
    draftsInFlight: 0,
    peakDraftsInFlight: 0,
  };
  const server: Server = createServer((request, response) => {
    const call: ModelCall = { receivedAt: performance.now(), prefixChars: 0 };
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const endpoint = endpointOf(request.url ?? '');
      if (!endpoint) {
        response.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        tool_choice?: { name?: string; function?: { name?: string } };
        system?: unknown;
        tools?: unknown;
      };
      const tool = body.tool_choice?.name ?? body.tool_choice?.function?.name;
      if (tool) call.tool = tool;
      call.prefixChars = JSON.stringify(body.system ?? '').length + JSON.stringify(body.tools ?? []).length;
      state.calls.push(call);
      state.inFlight++;
      state.peakInFlight = Math.max(state.peakInFlight, state.inFlight);
      if (!tool) {
        state.draftsInFlight++;
        state.peakDraftsInFlight = Math.max(state.peakDraftsInFlight, state.draftsInFlight);
      }
      try {
        const answer = simulator.respond(endpoint, body);
        response.writeHead(answer.status, answer.headers);
        for (const [index, frame] of answer.frames.entries()) {
          if (response.destroyed) break;
          if (index === answer.firstTextFrame) {
            await wait(ttftMs);
            call.firstTextAt = performance.now();
          } else if (index > answer.firstTextFrame) {
            await wait(gapMs);
          }
          response.write(frame);
        }
        response.end();
      } finally {
        state.inFlight--;
        if (!tool) state.draftsInFlight--;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get calls() {
      return state.calls;
    },
    get inFlight() {
      return state.inFlight;
    },
    get peakInFlight() {
      return state.peakInFlight;
    },
    get peakDraftsInFlight() {
      return state.peakDraftsInFlight;
    },
    resetPeak() {
      state.peakInFlight = state.inFlight;
      state.peakDraftsInFlight = state.draftsInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface StreamedAnswer {
  startedAt: number;
  firstDeltaAt?: number;
  usage?: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number };
  engine?: string;
  degraded?: unknown;
}

/** POST /v1/assist as the panel does (SSE), noting when the first suggestion-delta arrived. */
async function streamAssist(url: string, body: string): Promise<StreamedAnswer> {
  const answer: StreamedAnswer = { startedAt: performance.now() };
  const response = await fetch(`${url}/v1/assist`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${BENCH_TOKEN}`,
    },
    body,
  });
  if (response.status !== 200 || !response.body) throw new Error(`/v1/assist answered ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    if (answer.firstDeltaAt === undefined && buffer.includes('"suggestion-delta"')) {
      answer.firstDeltaAt = performance.now();
    }
  }
  const frames = buffer.split('\n\n').filter((frame) => frame.includes('data: '));
  const last = frames
    .at(-1)
    ?.split('\n')
    .find((line) => line.startsWith('data: '));
  const event = last
    ? (JSON.parse(last.slice(6)) as { type: string; response?: Record<string, unknown> })
    : undefined;
  if (event?.type !== 'done' || !event.response)
    throw new Error(`the stream ended with ${event?.type ?? 'nothing'}`);
  answer.usage = event.response.usage as StreamedAnswer['usage'];
  answer.engine = event.response.engine as string;
  answer.degraded = event.response.degraded;
  return answer;
}

export function modelEnvironment(api: SimulatedApi, ttftMs: number): Record<string, string> {
  return {
    NAPARNIK_MODEL_PROVIDER: 'anthropic',
    ANTHROPIC_API_KEY: 'bench-simulated-no-key',
    ANTHROPIC_BASE_URL: api.url,
    NAPARNIK_MODEL_FIRST_TOKEN_TIMEOUT_MS: String(ttftMs + 10_000),
    NAPARNIK_MODEL_TOTAL_TIMEOUT_MS: String(ttftMs + 30_000),
    NAPARNIK_MODEL_LATENCY_BUDGET_MS: String(ttftMs + 40_000),
    ASSIST_TIMEOUT_MS: String(ttftMs + 45_000),
  };
}

export interface AssistModelBenchOptions {
  chunks?: number;
  ttftMs?: number;
  gapMs?: number;
  requests?: number;
  operators?: number;
  requestsPerOperator?: number;
  corpusDir?: string;
}

export async function runAssistModelBench(options: AssistModelBenchOptions = {}): Promise<void> {
  const size = options.chunks ?? 100_000;
  const ttftMs = options.ttftMs ?? 400;
  const gapMs = options.gapMs ?? 15;
  const requestCount = options.requests ?? 100;
  const operators = options.operators ?? 50;
  const perOperator = options.requestsPerOperator ?? 4;
  // Tokens do not depend on timing: the demo's costs are counted against an API that answers at once.
  const quick = await startSimulatedApi(1, 0);
  try {
    await costOfDemoCases(quick);
  } finally {
    await quick.close();
  }
  const api = await startSimulatedApi(ttftMs, gapMs);
  try {
    await latencyAt(size, api, {
      ttftMs,
      requestCount,
      operators,
      perOperator,
      corpusDir: options.corpusDir,
    });
  } finally {
    await api.close();
  }
  process.stdout.write(
    `\nSimulated Anthropic API: ${ttftMs} ms to the first token, ${gapMs} ms between deltas; load average at the end: ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}.\n`,
  );
}

/** What a call costs at the default model's list prices, as billed and as if nothing were cached. */
function costsOf(usages: readonly NonNullable<StreamedAnswer['usage']>[]): {
  cached: number;
  uncached: number;
} {
  const price = DEFAULT_MODEL_PRICES[DEFAULT_ANTHROPIC_FAST_MODEL]!;
  let cached = 0;
  let uncached = 0;
  for (const usage of usages) {
    cached += costOf(usage, price);
    uncached += costOf(
      {
        inputTokens: usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens,
        outputTokens: usage.outputTokens,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      },
      price,
    );
  }
  return { cached, uncached };
}

/**
 * Tokens and cost per 1,000 suggestion sets over the demo's golden questions, cached and not: the
 * draft and its check alone, then with the model's summary and next actions (the default).
 */
async function costOfDemoCases(api: SimulatedApi): Promise<void> {
  const golden = readFileSync(path.join(DEMO_KB_DIR, 'golden', 'golden.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { query: string });
  const configurations: Array<{ name: string; environment: Record<string, string> }> = [
    {
      name: 'draft + check',
      environment: { NAPARNIK_MODEL_SUMMARY: 'false', NAPARNIK_MODEL_NEXT_ACTIONS: 'false' },
    },
    { name: 'draft + check + summary + next actions', environment: {} },
  ];
  const rows: Array<Array<string | number>> = [];
  let drafted = 0;
  for (const configuration of configurations) {
    const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-bench-model-demo-'));
    const service = await startServerProcess(path.join(directory, 'data'), {
      ...modelEnvironment(api, 1),
      ...configuration.environment,
      DEMO_AUTO_INGEST: 'true',
    });
    try {
      const usages: NonNullable<StreamedAnswer['usage']>[] = [];
      drafted = 0;
      for (const { query } of golden) {
        const answer = await streamAssist(
          service.url,
          JSON.stringify({
            collection: 'demo',
            conversation: { channel: 'chat', messages: [{ role: 'customer', text: query }] },
          }),
        );
        if (answer.usage) usages.push(answer.usage);
        if (answer.engine !== 'offline') drafted++;
      }
      const per1000 = (total: number) => ((total / golden.length) * 1000).toFixed(0);
      const sum = (pick: (usage: NonNullable<StreamedAnswer['usage']>) => number) =>
        usages.reduce((total, usage) => total + pick(usage), 0);
      const { cached, uncached } = costsOf(usages);
      rows.push(
        [
          `${configuration.name}, with the prompt cache`,
          per1000(sum((usage) => usage.inputTokens)),
          per1000(sum((usage) => usage.cacheReadTokens)),
          per1000(sum((usage) => usage.cacheWriteTokens)),
          per1000(sum((usage) => usage.outputTokens)),
          ((cached / golden.length) * 1000).toFixed(3),
        ],
        [
          `${configuration.name}, without`,
          per1000(sum((usage) => usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens)),
          '0',
          '0',
          per1000(sum((usage) => usage.outputTokens)),
          ((uncached / golden.length) * 1000).toFixed(3),
        ],
      );
    } finally {
      await service.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  }
  printTable(
    `Demo golden questions (${golden.length}; ${drafted} drafted by the model, ${golden.length - drafted} answered offline: nothing to rest a draft on) — per 1,000 suggestion sets, ${DEFAULT_ANTHROPIC_FAST_MODEL} at the shipped list prices; token counts are the simulator's (characters / 4), not Claude's tokenizer, and the simulator caches any system prompt (the real API caches none below its minimum length)`,
    ['', 'input tokens', 'cache read', 'cache write', 'output tokens', 'USD'],
    rows,
  );
  // The real API caches a prefix only from a minimum length, by model (1,024 tokens for the
  // Sonnet-class models, 2,048–4,096 for the Haiku-class ones, per Anthropic's prompt caching
  // page); the simulator caches any. How long each call's cached prefix is decides which row is
  // the bill.
  const longest = new Map<string, number>();
  for (const call of api.calls) {
    const kind = call.tool ?? 'draft';
    longest.set(kind, Math.max(longest.get(kind) ?? 0, call.prefixChars));
  }
  process.stdout.write(
    `Cached prefix (tools + system prompt) per call, longest seen: ${[...longest]
      .map(
        ([kind, chars]) => `${kind} ${chars} characters (~${Math.ceil(chars / 4)} tokens at characters / 4)`,
      )
      .join(
        ', ',
      )}. Russian text takes more tokens than characters / 4 says; below the model's minimum the API caches nothing and the "without" rows are the bill.\n`,
  );
}

async function latencyAt(
  size: number,
  api: SimulatedApi,
  options: {
    ttftMs: number;
    requestCount: number;
    operators: number;
    perOperator: number;
    corpusDir?: string | undefined;
  },
): Promise<void> {
  const kept = options.corpusDir ? path.join(options.corpusDir, String(size)) : undefined;
  const directory = kept ?? mkdtempSync(path.join(tmpdir(), 'naparnik-bench-model-'));
  const pool = sentencePool();
  try {
    const reused = kept !== undefined && existsSync(path.join(kept, 'data'));
    if (kept && !reused) mkdirSync(kept, { recursive: true });
    const dataDir = reused ? path.join(directory, 'data') : await buildCorpus(directory, size, pool);
    const service = await startServerProcess(dataDir, modelEnvironment(api, options.ttftMs));
    try {
      const random = seededRandom(size + 7);
      const bodies = Array.from({ length: options.requestCount }, () => assistBody(pool, random));
      for (const body of bodies.slice(0, 10)) await streamAssist(service.url, body);
      await service.probe();

      const beforeModel: number[] = [];
      const relay: number[] = [];
      let drafted = 0;
      for (const body of bodies) {
        const callsBefore = api.calls.length;
        const answer = await streamAssist(service.url, body);
        // The draft is the call without a tool; a second one would be a retry.
        const drafts = api.calls.slice(callsBefore).filter((call) => !call.tool);
        const call = drafts[0];
        if (!call || drafts.length > 1) continue;
        drafted++;
        beforeModel.push(call.receivedAt - answer.startedAt);
        if (call.firstTextAt !== undefined && answer.firstDeltaAt !== undefined) {
          relay.push(answer.firstDeltaAt - call.firstTextAt);
        }
      }
      const sequential = await service.probe();

      api.resetPeak();
      let errors = 0;
      let degraded = 0;
      const loadStarted = performance.now();
      const firstTokenUnderLoad: number[] = [];
      const loadBodies = Array.from({ length: options.operators * options.perOperator }, () =>
        assistBody(pool, random),
      );
      await Promise.all(
        Array.from({ length: options.operators }, async (_, operator) => {
          for (let turn = 0; turn < options.perOperator; turn++) {
            try {
              const answer = await streamAssist(
                service.url,
                loadBodies[operator * options.perOperator + turn]!,
              );
              if (answer.degraded) degraded++;
              if (answer.firstDeltaAt !== undefined)
                firstTokenUnderLoad.push(answer.firstDeltaAt - answer.startedAt);
            } catch {
              errors++;
            }
          }
        }),
      );
      const loadSeconds = (performance.now() - loadStarted) / 1000;
      const loaded = await service.probe();
      const total = options.operators * options.perOperator;
      printTable(
        `POST /v1/assist (SSE) drafting with the simulated Claude API, ${size} chunks, ${options.requestCount} sequential requests (${drafted} reached the model)`,
        ['', 'p50 ms', 'p95 ms', 'max ms', 'target'],
        [
          [
            'service time before the first byte goes to the model',
            percentile(beforeModel, 0.5).toFixed(1),
            percentile(beforeModel, 0.95).toFixed(1),
            Math.max(...beforeModel).toFixed(1),
            '≤ 50 p95',
          ],
          [
            'first token: model sends → client reads',
            percentile(relay, 0.5).toFixed(1),
            percentile(relay, 0.95).toFixed(1),
            Math.max(...relay).toFixed(1),
            '≤ 20',
          ],
        ],
      );
      printTable(
        `${options.operators} concurrent operators × ${options.perOperator} streamed answers (${total} requests), ${options.ttftMs} ms to the model's first token`,
        [
          'errors',
          'degraded',
          'wall s',
          'first delta p50 / p95 ms',
          'peak draft calls / all calls in flight',
          'server CPU ms/req (seq / load)',
          'loop delay p99/max ms',
        ],
        [
          [
            errors,
            degraded,
            loadSeconds.toFixed(1),
            `${percentile(firstTokenUnderLoad, 0.5).toFixed(0)} / ${percentile(firstTokenUnderLoad, 0.95).toFixed(0)}`,
            `${api.peakDraftsInFlight} of ${options.operators} / ${api.peakInFlight}`,
            `${(sequential.cpuMs / options.requestCount).toFixed(1)} / ${(loaded.cpuMs / total).toFixed(1)}`,
            `${loaded.delayP99Ms.toFixed(0)} / ${loaded.delayMaxMs.toFixed(0)}`,
          ],
        ],
      );
    } finally {
      await service.stop();
    }
  } finally {
    if (!kept) rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * `pnpm bench load [--duration <seconds>] [--operators <n>]`: 50 operators at once for 60 s against
 * the offline engine on the demo knowledge base, through the real HTTP server in its own process.
 * Each operator works a conversation as the panel does: assist, `suggestion-shown`, then now and
 * then a search, an insert and the sent reply (`suggestion-edited`), and the next conversation.
 * No think time: every operator keeps one request in flight, so this is the service at its limit.
 *
 * Prints p50/p95/p99 per kind of request, errors (any non-2xx or failed request; the target is 0)
 * and the server's RSS before, during (every tenth of the run) and after, to see it level off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { percentile, printTable, seededRandom } from '../../scripts/bench-support.ts';
import { BENCH_TOKEN, startServerProcess } from './assist.ts';

type Kind = 'assist' | 'feedback' | 'search';

const QUESTIONS = [
  'Здравствуйте! Где мой заказ? Уже неделю жду',
  'Сколько идёт доставка в Казань?',
  'Как вернуть кольцо, не подошёл размер?',
  'Можно ли оплатить картой при получении?',
  'Хочу поменять адрес доставки, заказ ещё не отправлен',
  'Пришло кольцо с царапиной, что делать?',
  'Есть ли гравировка на браслетах и сколько стоит?',
  'Можно ли оплатить криптовалютой?',
];
const SEARCHES = ['возврат', 'доставка сроки', 'гравировка', 'оплата картой', 'размер кольца'];

export async function runLoadBench(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { duration: { type: 'string', default: '60' }, operators: { type: 'string', default: '50' } },
  });
  const durationSeconds = Number(values.duration);
  const operators = Number(values.operators);
  if (!(durationSeconds >= 1) || !(operators >= 1)) {
    throw new Error('bench load: --duration and --operators must be positive numbers');
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'naparnik-load-'));
  const server = await startServerProcess(dataDir, {
    DEMO_AUTO_INGEST: 'true',
    NAPARNIK_MODEL_PROVIDER: 'offline',
  });
  const latencies: Record<Kind, number[]> = { assist: [], feedback: [], search: [] };
  const errors: Record<string, number> = {};
  const rss: Array<{ second: number; mb: number }> = [];

  async function call(kind: Kind, pathname: string, body: unknown): Promise<unknown> {
    const started = performance.now();
    try {
      const response = await fetch(`${server.url}${pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      latencies[kind].push(performance.now() - started);
      if (!response.ok) {
        const key = `${kind} ${response.status}`;
        errors[key] = (errors[key] ?? 0) + 1;
        return undefined;
      }
      return JSON.parse(text) as unknown;
    } catch (error) {
      const key = `${kind} ${(error as Error).name}`;
      errors[key] = (errors[key] ?? 0) + 1;
      return undefined;
    }
  }

  async function operator(index: number, until: number): Promise<void> {
    const random = seededRandom(index + 1);
    let conversation = 0;
    while (performance.now() < until) {
      conversation++;
      const question = QUESTIONS[Math.floor(random() * QUESTIONS.length)]!;
      const answer = (await call('assist', '/v1/assist', {
        collection: 'demo',
        conversation: {
          id: `load-${index}-${conversation}`,
          channel: 'chat',
          messages: [{ role: 'customer', text: `${question} Анна, +7 916 ${100 + index}-45-67` }],
          customer: { name: 'Анна', ids: { customer: `customer-${index}-${conversation % 7}` } },
        },
        operator: { id: `operator-${index}` },
      })) as { suggestionSetId?: string; suggestions?: unknown[] } | undefined;
      if (!answer?.suggestionSetId) continue;
      const event = (type: string, extra: Record<string, unknown> = {}) =>
        call('feedback', '/v1/feedback', {
          eventId: `${answer.suggestionSetId}-${type}`,
          type,
          suggestionSetId: answer.suggestionSetId,
          suggestionIndex: 0,
          operatorId: `operator-${index}`,
          ...extra,
        });
      await event('suggestion-shown');
      if (random() < 0.4) {
        await call('search', '/v1/search', {
          collection: 'demo',
          query: SEARCHES[Math.floor(random() * SEARCHES.length)],
          topK: 5,
        });
      }
      if ((answer.suggestions?.length ?? 0) > 0 && random() < 0.6) {
        await event('suggestion-inserted');
        await event('suggestion-edited', {
          finalText: 'Анна, проверили заказ: он в пути, придёт за 2–3 дня.',
        });
      }
    }
  }

  try {
    rss.push({ second: 0, mb: (await server.probe()).rssMb });
    const started = performance.now();
    const until = started + durationSeconds * 1000;
    const sampler = setInterval(
      () => {
        void server
          .probe()
          .then((reading) =>
            rss.push({ second: Math.round((performance.now() - started) / 1000), mb: reading.rssMb }),
          );
      },
      Math.max(1000, (durationSeconds * 1000) / 10),
    );
    await Promise.all(Array.from({ length: operators }, (_, index) => operator(index, until)));
    clearInterval(sampler);
    const elapsed = (performance.now() - started) / 1000;
    rss.push({ second: Math.round(elapsed), mb: (await server.probe()).rssMb });

    const round = (value: number) => (Number.isNaN(value) ? '—' : value.toFixed(0));
    printTable(
      `pnpm bench load: ${operators} operators, ${elapsed.toFixed(0)} s, offline engine, demo knowledge base`,
      ['request', 'count', 'per s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      (Object.keys(latencies) as Kind[]).map((kind) => {
        const values = latencies[kind];
        return [
          kind,
          values.length,
          (values.length / elapsed).toFixed(1),
          round(percentile(values, 0.5)),
          round(percentile(values, 0.95)),
          round(percentile(values, 0.99)),
          round(Math.max(...values)),
        ];
      }),
    );
    const errorCount = Object.values(errors).reduce((sum, count) => sum + count, 0);
    process.stdout.write(
      `\nerrors: ${errorCount}${
        errorCount
          ? ` (${Object.entries(errors)
              .map(([key, count]) => `${key}: ${count}`)
              .join(', ')})`
          : ''
      }\n`,
    );
    // Wall times depend on what else the machine runs: say how busy it was.
    process.stdout.write(`machine load average (1 min) at the end: ${loadavg()[0]?.toFixed(1)}\n`);
    process.stdout.write(
      `server RSS MB: before ${rss[0]?.mb}, after ${rss.at(-1)?.mb}; over the run: ${rss
        .map((sample) => `${sample.second}s ${sample.mb}`)
        .join(', ')}\n`,
    );
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * In-process harness for profiling one /v1/assist request at scale:
 *
 *   PROFILE_OUT=assist.cpuprofile node assist-service/bench/profile-assist.ts <dir> [chunks] [requests]
 *
 * Builds the bench corpus into `<dir>` once (reused on later runs), starts the service in this
 * process and posts `requests` sequential bodies over HTTP. Prints wall and CPU ms per request and
 * the event-loop delay. With PROFILE_OUT=<file.cpuprofile> the measured requests (not start-up,
 * not warm-up) are CPU-profiled; summarise with `node assist-service/bench/summarise-profile.ts`.
 *
 * With PROFILE_ENGINE=claude the service drafts with the simulated Anthropic API of
 * `pnpm bench assist --engine claude` (a local HTTP server in this process, PROFILE_TTFT_MS to the
 * first token, default 50), and the service time before the first byte goes to the model is
 * printed too: from the client sending to the API receiving the draft request, one clock. The API
 * shares this process's event loop, so that figure runs high; the bench's is the one to quote.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { seededRandom } from '@naparnik/ingest';
import { percentile } from '../../scripts/bench-support.ts';
import { loadConfig } from '../src/config.ts';
import { startService } from '../src/server.ts';
import { assistBody, buildCorpus, sentencePool } from './assist.ts';
import { modelEnvironment, type SimulatedApi, startSimulatedApi } from './assist-model.ts';

const [
  directory = path.join(tmpdir(), 'naparnik-profile'),
  chunkArgument = '100000',
  requestArgument = '300',
] = process.argv.slice(2);
const size = Number(chunkArgument);
const requestCount = Number(requestArgument);

const pool = sentencePool();
const corpusDir = path.join(directory, String(size));
let dataDir = path.join(corpusDir, 'data');
if (!existsSync(dataDir)) {
  mkdirSync(corpusDir, { recursive: true });
  const started = performance.now();
  dataDir = await buildCorpus(corpusDir, size, pool);
  process.stdout.write(
    `corpus of ${size} chunks built in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
  );
}

const TOKEN = `profile-${randomBytes(16).toString('hex')}`;
const ttftMs = Number(process.env.PROFILE_TTFT_MS ?? 50);
const api: SimulatedApi | undefined =
  process.env.PROFILE_ENGINE === 'claude' ? await startSimulatedApi(ttftMs, 1) : undefined;
const service = await startService({
  config: {
    ...loadConfig({
      ASSIST_ADMIN_TOKEN: TOKEN,
      NAPARNIK_RATE_LIMIT_PER_TOKEN: '0',
      NAPARNIK_RATE_LIMIT_PER_TENANT: '0',
      ...(api ? modelEnvironment(api, ttftMs) : {}),
    }),
    port: 0,
    dataDir,
    demoAutoIngest: false,
    logLevel: 'silent',
  },
});
await service.ready;
const random = seededRandom(size + 1);
const bodies = Array.from({ length: requestCount }, () => assistBody(pool, random));
const post = async (body: string) => {
  const response = await fetch(`${service.url}/v1/assist`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body,
  });
  if (response.status !== 200) throw new Error(`/v1/assist answered ${response.status}`);
  await response.arrayBuffer();
};
for (const body of bodies.slice(0, 20)) await post(body);

const session = process.env.PROFILE_OUT ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const cpuBefore = process.cpuUsage();
const latencies: number[] = [];
const beforeModel: number[] = [];
for (const body of bodies) {
  const callsBefore = api?.calls.length ?? 0;
  const started = performance.now();
  await post(body);
  latencies.push(performance.now() - started);
  const call = api?.calls.slice(callsBefore).find((made) => !made.tool);
  if (call) beforeModel.push(call.receivedAt - started);
}
const cpu = process.cpuUsage(cpuBefore);
delay.disable();
if (session && process.env.PROFILE_OUT) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
  session.disconnect();
}
process.stdout.write(
  `${size} chunks, ${requestCount} sequential requests (client in the same process): ` +
    `p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms, ` +
    `CPU ${((cpu.user + cpu.system) / 1000 / requestCount).toFixed(1)} ms/request, ` +
    `event-loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms\n`,
);
if (api) {
  process.stdout.write(
    `service time before the first byte goes to the model (${beforeModel.length} requests drafted): ` +
      `p50 ${percentile(beforeModel, 0.5).toFixed(1)} ms, p95 ${percentile(beforeModel, 0.95).toFixed(1)} ms\n`,
  );
}
await service.close();
await api?.close();

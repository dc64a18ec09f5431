import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import type { AssistEngine } from '../src/engines/engine.ts';
import { createOfflineEngine } from '../src/engines/offline/offline-engine.ts';
import { createScriptProfiles } from '../src/retrieval/script-profiles.ts';
import { assistBody, startTestService, type TestService } from './harness.ts';

// At 100k chunks an assist request is ~40 ms of synchronous CPU (store search and engine). This
// engine adds that much to the real one, so several requests at once show whether the service
// keeps its event loop turning between them.
const ENGINE_MS = 40;
const CONCURRENT = 8;

function busy(milliseconds: number): void {
  const until = performance.now() + milliseconds;
  while (performance.now() < until) {
    // spin: CPU-bound like the store's search
  }
}

/**
 * Many clients at once, from another process (the server's event loop must not be the one that
 * sends), on kept-alive connections as a load generator or a busy extension has them: a health
 * check on each connection first, then one assist, then, while the server works on it, all the
 * others. Resolves with the assists' HTTP statuses in order.
 */
async function postsFromAnotherProcess(
  url: string,
  path: string,
  body: unknown,
  count: number,
  token: string,
): Promise<number[]> {
  const client = `
    const net = require('node:net');
    const [url, path, payload, count, token] = JSON.parse(process.argv[1]);
    const { hostname, port } = new URL(url);
    const health = 'GET /v1/health HTTP/1.1\\r\\nHost: ' + hostname + '\\r\\n\\r\\n';
    const request = 'POST ' + path + ' HTTP/1.1\\r\\nHost: ' + hostname + '\\r\\nContent-Type: application/json\\r\\n' +
      'Authorization: Bearer ' + token + '\\r\\n' +
      'Content-Length: ' + Buffer.byteLength(payload) + '\\r\\nConnection: close\\r\\n\\r\\n' + payload;
    const statuses = [];
    let healthy = 0;
    const burst = () => {
      sockets[0].write(request);
      setTimeout(() => { for (const other of sockets.slice(1)) other.write(request); }, 10);
    };
    const sockets = Array.from({ length: count }, (_, index) => {
      const socket = net.connect(Number(port), hostname, () => socket.write(health));
      let received = '';
      let warm = false;
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => {
        received += chunk;
        const head = received.indexOf('\\r\\n\\r\\n');
        const length = Number(/content-length: (\\d+)/i.exec(received)?.[1] ?? -1);
        if (!warm && head >= 0 && received.length - head - 4 >= length) {
          warm = true;
          received = '';
          if (++healthy === count) burst();
        }
      });
      socket.on('end', () => {
        statuses[index] = Number(/^HTTP\\/1\\.1 (\\d{3})/.exec(received)?.[1] ?? 0);
        if (statuses.filter((status) => status !== undefined).length === count) {
          process.stdout.write(JSON.stringify(statuses));
        }
      });
      return socket;
    });
  `;
  const child = spawn(
    process.execPath,
    ['-e', client, JSON.stringify([url, path, JSON.stringify(body), count, token])],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
  });
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(output) as number[];
}

let service: TestService;
/** Turns of the event loop so far, counted by a chain of setImmediate while a test runs. */
let turn = 0;
const startedInTurn: number[] = [];

beforeAll(async () => {
  service = await startTestService({
    engine: ({ knowledge }) => {
      const offline = createOfflineEngine({
        knowledge,
        profiles: createScriptProfiles(),
        clock: { now: () => new Date() },
        config: loadConfig({}),
      });
      const slow: AssistEngine = {
        id: offline.id,
        // CPU-bound like the offline engine: its work goes through the service's queue (`cpu`).
        async assist(request, context) {
          const cpu = context.cpu ?? (<T>(task: () => Promise<T>) => task());
          return cpu(async () => {
            startedInTurn.push(turn);
            busy(ENGINE_MS);
            const { cpu: _queued, ...inner } = context;
            return offline.assist(request, inner);
          });
        },
      };
      return slow;
    },
  });
});
afterAll(async () => {
  await service?.dispose();
});

describe('under concurrent load', () => {
  it('starts one assist per turn of the event loop, so it can take in requests and disconnects between them', async () => {
    let counting = true;
    const count = () => {
      turn++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    startedInTurn.length = 0;
    const body = assistBody([{ role: 'customer', text: 'Где мой заказ 123456?' }]);
    const statuses = await postsFromAnotherProcess(
      service.url,
      '/v1/assist',
      body,
      CONCURRENT,
      service.token,
    );
    counting = false;
    expect(statuses).toEqual(Array(CONCURRENT).fill(200));
    expect(startedInTurn).toHaveLength(CONCURRENT);
    // Before: the requests read from kept-alive connections in one turn all ran in that turn,
    // back to back (the loop stood still for about CONCURRENT × ENGINE_MS).
    expect(new Set(startedInTurn).size).toBe(CONCURRENT);
  });

  it('does not run an assist whose client went away while it waited', async () => {
    startedInTurn.length = 0;
    const body = assistBody([{ role: 'customer', text: 'Где мой заказ 123456?' }]);
    const kept = Array.from({ length: 4 }, () => service.post('/v1/assist', body));
    const abandoned = Array.from({ length: 4 }, () => {
      const controller = new AbortController();
      const request = fetch(`${service.url}/v1/assist`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${service.token}` },
        body: JSON.stringify(body),
        signal: controller.signal,
      }).catch(() => undefined);
      setTimeout(() => controller.abort(), ENGINE_MS);
      return request;
    });
    await Promise.all([...kept, ...abandoned]);
    await new Promise((resolve) => setTimeout(resolve, ENGINE_MS * 3));
    expect(startedInTurn.length).toBeGreaterThanOrEqual(4);
    expect(startedInTurn.length).toBeLessThan(8);
  });
});

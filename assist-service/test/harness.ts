import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig, type ServiceConfig } from '../src/config.ts';
import { type AssistEvent, type Role, tokenCreateResponseSchema } from '../src/contract/index.ts';
import { type RunningService, type StartOptions, startService } from '../src/server.ts';

/** A small knowledge base in every format the engine reads: FAQ, templates, script, routing, article. */
export const FIXTURE_KB = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'kb');

/** Requests made with one token (`Authorization: Bearer …` unless `headers` sends another). */
export interface TestClient {
  token: string;
  post(pathname: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  put(pathname: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(pathname: string, headers?: Record<string, string>): Promise<Response>;
  delete(pathname: string, headers?: Record<string, string>): Promise<Response>;
  /** Any method without a body. */
  request(method: string, pathname: string, headers?: Record<string, string>): Promise<Response>;
}

export interface TestService extends RunningService, TestClient {
  dataDir: string;
  config: ServiceConfig;
  /** Every log line written so far, as text. */
  logs: string[];
  /** The default tenant's admin token (ASSIST_ADMIN_TOKEN): what `post`, `get`… send. */
  token: string;
  /** A new token made through `POST /v1/tokens` by the admin, and a client that sends it. */
  client(options: { role: Role; name: string; tenant?: string }): Promise<TestClient>;
  /** A client for a token you already hold (or a wrong one). */
  as(token: string): TestClient;
  /** Closes the service and removes its data directory. */
  dispose(): Promise<void>;
}

export function temporaryDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'naparnik-assist-'));
}

/** A token for ASSIST_ADMIN_TOKEN: random per service, as a real one would be. */
export function testAdminToken(): string {
  return `test-admin-${randomBytes(16).toString('hex')}`;
}

/**
 * A real service on an ephemeral port with a real on-disk store in a temporary directory, the
 * fixture knowledge base ingested as the demo collection. Every request it makes sends the admin
 * token unless told otherwise; rate limits are off unless `config.trust` sets them (tests fire
 * hundreds of requests a second).
 */
export async function startTestService(
  options: { config?: Partial<ServiceConfig>; dataDir?: string; keepData?: boolean } & Partial<
    Pick<StartOptions, 'demoPaths' | 'engine' | 'clock'>
  > = {},
): Promise<TestService> {
  const dataDir = options.dataDir ?? temporaryDataDir();
  const defaults = loadConfig({});
  const config: ServiceConfig = {
    ...defaults,
    port: 0,
    dataDir,
    logLevel: 'info',
    adminToken: testAdminToken(),
    ...options.config,
    trust: { ...defaults.trust, rateLimitPerToken: 0, rateLimitPerTenant: 0, ...options.config?.trust },
  };
  const token = config.adminToken ?? '';
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const logger = pino({ level: config.logLevel }, destination);
  const service = await startService({
    config,
    logger,
    demoPaths: options.demoPaths ?? [FIXTURE_KB],
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await service.ready;
  const as = (bearer: string): TestClient => {
    const request = (
      method: string,
      pathname: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      fetch(`${service.url}${pathname}`, {
        method,
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
    return {
      token: bearer,
      post: (pathname, body, headers) => request('POST', pathname, body, headers),
      put: (pathname, body, headers) => request('PUT', pathname, body, headers),
      get: (pathname, headers) => request('GET', pathname, undefined, headers),
      delete: (pathname, headers) => request('DELETE', pathname, undefined, headers),
      request: (method, pathname, headers) => request(method, pathname, undefined, headers),
    };
  };
  const admin = as(token);
  return {
    ...service,
    ...admin,
    dataDir,
    config,
    logs,
    as,
    async client({ role, name, tenant }) {
      const response = await admin.post('/v1/tokens', { role, name, ...(tenant ? { tenant } : {}) });
      if (response.status !== 201)
        throw new Error(`POST /v1/tokens answered ${response.status}: ${await response.text()}`);
      return as(tokenCreateResponseSchema.parse(await response.json()).token);
    },
    async dispose() {
      await service.close();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ServerSentEvent {
  event: string;
  id?: string;
  data: AssistEvent;
}

/** Parses a whole text/event-stream body into its events. */
export function parseEventStream(body: string): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  for (const block of body.split(/\r?\n\r?\n/u)) {
    if (!block.trim()) continue;
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/u)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('id:')) id = line.slice(3).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /u, ''));
    }
    events.push({ event, ...(id ? { id } : {}), data: JSON.parse(data.join('\n')) as AssistEvent });
  }
  return events;
}

/** An assist request body for the fixture collection. */
export function assistBody(
  messages: { role: 'customer' | 'operator' | 'bot' | 'note' | 'system'; text: string }[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { collection: 'demo', conversation: { channel: 'chat', messages }, ...extra };
}

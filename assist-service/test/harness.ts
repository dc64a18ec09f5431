import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig, type ServiceConfig } from '../src/config.ts';
import type { AssistEvent } from '../src/contract/index.ts';
import { type RunningService, type StartOptions, startService } from '../src/server.ts';

/** A small knowledge base in every format the engine reads: FAQ, templates, script, routing, article. */
export const FIXTURE_KB = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'kb');

export interface TestService extends RunningService {
  dataDir: string;
  config: ServiceConfig;
  /** Every log line written so far, as text. */
  logs: string[];
  post(pathname: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(pathname: string, headers?: Record<string, string>): Promise<Response>;
  request(method: string, pathname: string, headers?: Record<string, string>): Promise<Response>;
  /** Closes the service and removes its data directory. */
  dispose(): Promise<void>;
}

export function temporaryDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'naparnik-assist-'));
}

/**
 * A real service on an ephemeral port with a real on-disk store in a temporary directory, the
 * fixture knowledge base ingested as the demo collection.
 */
export async function startTestService(
  options: { config?: Partial<ServiceConfig>; dataDir?: string; keepData?: boolean } & Partial<
    Pick<StartOptions, 'demoPaths' | 'engine' | 'clock'>
  > = {},
): Promise<TestService> {
  const dataDir = options.dataDir ?? temporaryDataDir();
  const config: ServiceConfig = {
    ...loadConfig({}),
    port: 0,
    dataDir,
    logLevel: 'info',
    ...options.config,
  };
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
  const request = (method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${pathname}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  return {
    ...service,
    dataDir,
    config,
    logs,
    post: (pathname, body, headers) => request('POST', pathname, body, headers),
    get: (pathname, headers) => request('GET', pathname, undefined, headers),
    request: (method, pathname, headers) => request(method, pathname, undefined, headers),
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

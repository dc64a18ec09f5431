import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface SpawnedService {
  url: string;
  dataDir: string;
  /** An admin token of the default tenant (ASSIST_ADMIN_TOKEN): what a configured extension sends. */
  token: string;
  /** `fetch` on the service with the token: `request('/v1/feedback/events')`. */
  request(pathname: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * The real assist service as `pnpm start` runs it (offline engine, the shipped demo knowledge base,
 * the built console), in its own process on an ephemeral loopback port, with a temporary data
 * directory and an admin token: what the browser tests of the console and the extension share.
 */
export async function spawnAssistService(environment: Record<string, string> = {}): Promise<SpawnedService> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'naparnik-spawned-'));
  // Replicas of one deployment share one admin token: pass it as ASSIST_ADMIN_TOKEN.
  const token = environment.ASSIST_ADMIN_TOKEN ?? `test-admin-${randomBytes(16).toString('hex')}`;
  const child: ChildProcess = spawn(process.execPath, ['assist-service/src/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      NAPARNIK_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ASSIST_ADMIN_TOKEN: token,
      ...environment,
    },
    // Its own process group: the node shim does not exec, so the group is what stops the server.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/u.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`service exited with ${code}:\n${output}`)));
  });
  const send = (pathname: string, init: RequestInit) =>
    fetch(`${url}${pathname}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
    });
  // A kept-alive connection the service closed after 5 s idle, reused at that very moment, is reset
  // before the request reaches it (the client's race, not the service's: a browser sends such a
  // request again too). On a loaded machine that moment comes often enough to fail a run.
  const request = async (pathname: string, init: RequestInit = {}) => {
    try {
      return await send(pathname, init);
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
      return send(pathname, init);
    }
  };
  // Ready once the demo knowledge base is ingested.
  for (let attempt = 0; attempt < 240; attempt++) {
    const ready = await request('/v1/ready').then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    url,
    dataDir,
    token,
    request,
    async stop() {
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {}
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

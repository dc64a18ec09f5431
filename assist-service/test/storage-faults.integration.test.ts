import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { assistResponseSchema, errorBodySchema } from '../src/contract/index.ts';
import { toServiceError } from '../src/errors.ts';
import { openSqliteEventStore } from '../src/feedback/sqlite-event-store.ts';
import { assistBody, startTestService, type TestService, temporaryDataDir } from './harness.ts';

const SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'server.ts');
const QUESTION = [{ role: 'customer' as const, text: 'Сколько идёт доставка? Посылка едет уже неделю.' }];

const services: TestService[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.dispose();
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function start(config: Parameters<typeof startTestService>[0] = {}): Promise<TestService> {
  const service = await startTestService(config);
  services.push(service);
  return service;
}

/** Mounting a file system needs root with CAP_SYS_ADMIN; where it is refused these tests skip. */
function tryMountTmpfs(sizeKb: number): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const directory = mkdtempSync(path.join(os.tmpdir(), 'naparnik-tmpfs-'));
  const mounted =
    spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', directory]).status === 0;
  if (!mounted) {
    rmSync(directory, { recursive: true, force: true });
    return undefined;
  }
  cleanups.push(() => {
    spawnSync('umount', ['-l', directory]);
    rmSync(directory, { recursive: true, force: true });
  });
  return directory;
}
const CAN_MOUNT = (() => {
  const directory = tryMountTmpfs(64);
  for (const cleanup of cleanups.splice(0)) cleanup();
  return directory !== undefined;
})();

describe('a full disk', () => {
  it('answers 507 with Retry-After instead of 200 for a set it could not keep, and /v1/ready says so', async () => {
    // The store's size cap (EVENTS_MAX_SIZE → PRAGMA max_page_count) is SQLite's own "disk full".
    const service = await start({ config: { eventsMaxSizeBytes: 256 * 1024 } });
    const kept: string[] = [];
    let full: Response | undefined;
    for (let attempt = 0; attempt < 400 && !full; attempt++) {
      const response = await service.post(
        '/v1/assist',
        assistBody([{ role: 'customer', text: `${QUESTION[0]!.text} Попытка ${attempt}.` }]),
      );
      if (response.status === 200)
        kept.push(assistResponseSchema.parse(await response.json()).suggestionSetId);
      else full = response;
    }
    expect(full?.status).toBe(507);
    expect(Number(full?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(errorBodySchema.parse(await full?.json()).error.code).toBe('storage-full');
    expect(kept.length).toBeGreaterThan(0);
    // Every set answered with 200 is there: feedback on it is never "suggestion-set-not-found".
    for (const id of kept) expect(await service.events.getSuggestionSet(id)).toBeDefined();
    const ready = await service.get('/v1/ready');
    expect(ready.status).toBe(507);
    expect(ready.headers.get('retry-after')).not.toBeNull();

    // The stream tells the same in an error event rather than a `done` for a set that is not kept.
    const streamed = await service.post('/v1/assist', assistBody(QUESTION), { accept: 'text/event-stream' });
    const text = await streamed.text();
    expect(text).toContain('"code":"storage-full"');
    expect(text).not.toContain('event: done');
  });

  it.skipIf(!CAN_MOUNT)('answers 507 when the file system itself is full (a tiny tmpfs)', async () => {
    const mount = tryMountTmpfs(8 * 1024)!;
    const service = await start({ dataDir: mount, keepData: true });
    // Fill what is left of the file system, as a neighbour's log file would.
    spawnSync('sh', ['-c', `cat /dev/zero > ${path.join(mount, 'filler')} 2>/dev/null; sync`]);
    let status = 200;
    for (let attempt = 0; attempt < 50 && status === 200; attempt++) {
      status = (await service.post('/v1/assist', assistBody(QUESTION))).status;
    }
    expect(status).toBe(507);
    expect((await service.get('/v1/ready')).status).toBe(507);
    rmSync(path.join(mount, 'filler'));
    expect((await service.get('/v1/ready')).status).toBe(200);
    expect((await service.post('/v1/assist', assistBody(QUESTION))).status).toBe(200);
  });
});

describe('a database locked by another process', () => {
  it('answers 503 with Retry-After while a second connection holds the write lock, and 200 after', async () => {
    const service = await start();
    const other = new DatabaseSync(path.join(service.dataDir, 'events.sqlite'));
    other.exec('BEGIN EXCLUSIVE');
    try {
      const ready = await service.get('/v1/ready');
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).not.toBeNull();
      const response = await service.post('/v1/assist', assistBody(QUESTION));
      expect(response.status).toBe(503);
      expect(errorBodySchema.parse(await response.json()).error.code).toBe('storage-unavailable');
      expect(response.headers.get('retry-after')).not.toBeNull();
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await service.get('/v1/ready')).status).toBe(200);
    expect((await service.post('/v1/assist', assistBody(QUESTION))).status).toBe(200);
  }, 30_000);
});

describe('a read-only database', () => {
  it('turns the write SQLite refuses into 503 storage-unavailable with Retry-After', async () => {
    // A running service's folder cannot be remounted read-only while it holds files open for
    // writing, so the refusal is SQLite's own: the real store opened read-only, as a file
    // system mounted read-only would leave it (the start on such a folder is tested below).
    const dataDir = temporaryDataDir();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const file = path.join(dataDir, 'events.sqlite');
    await openSqliteEventStore({ file, tenant: 'default' }).close();
    const readOnly = new DatabaseSync(file, { readOnly: true });
    let refused: unknown;
    try {
      readOnly.prepare("INSERT INTO storage_probe (payload) VALUES (x'00')").run();
    } catch (error) {
      refused = error;
    } finally {
      readOnly.close();
    }
    const answer = toServiceError(refused);
    expect(answer.code).toBe('storage-unavailable');
    expect(answer.status).toBe(503);
    expect(answer.retryAfterSeconds).toBeGreaterThan(0);
  });
});

/** `node src/server.ts` with a data folder; resolves with its exit code and what it printed. */
function startProcess(dataDir: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER], {
      env: {
        ...process.env,
        PORT: '0',
        NAPARNIK_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        DEMO_AUTO_INGEST: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      // A start that succeeds is a failed test: stop it.
      if (stdout.includes('Ready:')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('exit', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('a start on an unusable data folder', () => {
  it('names the path and the cause and exits non-zero when a file stands where the folder should be', async () => {
    const parent = temporaryDataDir();
    cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
    writeFileSync(path.join(parent, 'data'), 'not a folder');
    const result = await startProcess(path.join(parent, 'data'));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(path.join(parent, 'data'));
    expect(result.stderr).toMatch(/ENOTDIR|cannot open|не открывается/u);
  }, 30_000);

  it.each(['events.sqlite', 'knowledge.sqlite'])(
    'names %s and says it is corrupt when it is not a database',
    async (file) => {
      const dataDir = temporaryDataDir();
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(path.join(dataDir, file), 'это не база данных SQLite, а просто текст. '.repeat(200));
      const result = await startProcess(dataDir);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(path.join(dataDir, file));
      expect(result.stderr).toMatch(/повреждён|corrupt/u);
    },
    30_000,
  );

  it.skipIf(!CAN_MOUNT)(
    'names the folder and says it is read-only when it cannot be written',
    async () => {
      const mount = tryMountTmpfs(1024)!;
      expect(spawnSync('mount', ['-o', 'remount,ro', mount]).status).toBe(0);
      const result = await startProcess(mount);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(mount);
      expect(result.stderr).toMatch(/read-only|только для чтения/u);
    },
    30_000,
  );
});

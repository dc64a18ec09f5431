import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresTokenStore } from './auth/postgres-token-store.ts';
import { openTokenStore } from './auth/token-store.ts';
import { runCli, UsageError } from './cli.ts';
import { dropTestSchemas, freshSchemaUrl, testDatabaseUrl } from './storage/conformance-backends.ts';
import { openServiceDatabase } from './storage/postgres-database.ts';

afterAll(dropTestSchemas);

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'naparnik-cli-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(argv: string[], environment: Record<string, string> = {}): Promise<string> {
  let output = '';
  await runCli(argv, {
    environment: { NAPARNIK_DATA_DIR: dataDir, ...environment },
    write: (text) => (output += text),
  });
  return output;
}

describe('pnpm naparnik tokens', () => {
  it('creates a token printed once as {"token": …}, stored only as a hash, listed without it and revoked by name', async () => {
    const { token } = JSON.parse(
      await run(['tokens', 'create', '--role', 'operator', '--tenant', 'shop-a', '--name', 'anna', '--json']),
    ) as { token: string };
    expect(token).toMatch(/^npk_/u);
    const store = openTokenStore(path.join(dataDir, 'auth.sqlite'));
    try {
      expect(await store.verify(token)).toMatchObject({ role: 'operator', tenant: 'shop-a', name: 'anna' });
    } finally {
      await store.close();
    }
    const list = await run(['tokens', 'list']);
    expect(list).toContain('shop-a  operator  anna');
    expect(list).not.toContain(token);
    expect(await run(['tokens', 'revoke', 'anna'])).toContain('Revoked anna');
    expect(await run(['tokens', 'list'])).toMatch(/anna {2}created \S+ {2}revoked /u);
  });

  it('names the wrong option and refuses unknown commands', async () => {
    await expect(
      run(['tokens', 'create', '--role', 'root', '--tenant', 'default', '--name', 'x']),
    ).rejects.toThrow(/--role/u);
    await expect(
      run(['tokens', 'create', '--role', 'admin', '--tenant', 'Shop A', '--name', 'x']),
    ).rejects.toThrow(/--tenant/u);
    await expect(run(['tokens', 'delete', 'x'])).rejects.toThrow(UsageError);
    await expect(run(['tokens', 'revoke', 'nobody'])).rejects.toThrow(/No live token/u);
  });

  it.skipIf(!testDatabaseUrl)(
    'keeps tokens in PostgreSQL when DATABASE_URL is set, where every replica reads them',
    async () => {
      const databaseUrl = await freshSchemaUrl();
      const { token } = JSON.parse(
        await run(
          ['tokens', 'create', '--role', 'team_lead', '--tenant', 'shop-a', '--name', 'olga', '--json'],
          {
            DATABASE_URL: databaseUrl,
          },
        ),
      ) as { token: string };
      const database = await openServiceDatabase({ connectionString: databaseUrl });
      try {
        expect(await openPostgresTokenStore({ database }).verify(token)).toMatchObject({ name: 'olga' });
      } finally {
        await database.close();
      }
      expect(existsSync(path.join(dataDir, 'auth.sqlite'))).toBe(false);
      expect(await run(['tokens', 'list'], { DATABASE_URL: databaseUrl })).toContain(
        'shop-a  team_lead  olga',
      );
    },
  );

  it('runs as the root script does, with the JSON on stdout alone', () => {
    const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');
    const output = execFileSync(
      process.execPath,
      [cli, 'tokens', 'create', '--role', 'admin', '--tenant', 'default', '--name', 'ops', '--json'],
      { env: { ...process.env, NAPARNIK_DATA_DIR: dataDir }, encoding: 'utf8' },
    );
    expect(Object.keys(JSON.parse(output) as object)).toEqual(['token']);
  });
});

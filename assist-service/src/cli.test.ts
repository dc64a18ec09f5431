import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTokenStore } from './auth/token-store.ts';
import { runCli, UsageError } from './cli.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'naparnik-cli-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function run(argv: string[]): string {
  let output = '';
  runCli(argv, { environment: { NAPARNIK_DATA_DIR: dataDir }, write: (text) => (output += text) });
  return output;
}

describe('pnpm naparnik tokens', () => {
  it('creates a token printed once as {"token": …}, stored only as a hash, listed without it and revoked by name', () => {
    const { token } = JSON.parse(
      run(['tokens', 'create', '--role', 'operator', '--tenant', 'shop-a', '--name', 'anna', '--json']),
    ) as { token: string };
    expect(token).toMatch(/^npk_/u);
    const store = openTokenStore(path.join(dataDir, 'auth.sqlite'));
    try {
      expect(store.verify(token)).toMatchObject({ role: 'operator', tenant: 'shop-a', name: 'anna' });
    } finally {
      store.close();
    }
    const list = run(['tokens', 'list']);
    expect(list).toContain('shop-a  operator  anna');
    expect(list).not.toContain(token);
    expect(run(['tokens', 'revoke', 'anna'])).toContain('Revoked anna');
    expect(run(['tokens', 'list'])).toMatch(/anna {2}created \S+ {2}revoked /u);
  });

  it('names the wrong option and refuses unknown commands', () => {
    expect(() => run(['tokens', 'create', '--role', 'root', '--tenant', 'default', '--name', 'x'])).toThrow(
      /--role/u,
    );
    expect(() => run(['tokens', 'create', '--role', 'admin', '--tenant', 'Shop A', '--name', 'x'])).toThrow(
      /--tenant/u,
    );
    expect(() => run(['tokens', 'delete', 'x'])).toThrow(UsageError);
    expect(() => run(['tokens', 'revoke', 'nobody'])).toThrow(/No live token/u);
  });

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

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extensionStartHint } from './start-hint.ts';

describe('the start hint', () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'naparnik-hint-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('names the folder to load, the download page and the demo desk once the extension is built', () => {
    const build = path.join(folder, 'chrome-mv3');
    mkdirSync(build);
    writeFileSync(path.join(build, 'manifest.json'), '{}');
    const hint = extensionStartHint({ extensionDir: build, demoDesk: true }, 'http://127.0.0.1:8787');
    expect(hint).toContain(`  ${build}\n`);
    expect(hint).toContain('«Загрузить распакованное»');
    expect(hint).toContain('http://127.0.0.1:8787/extension/');
    expect(hint).toContain('демо-хелпдеск: http://127.0.0.1:8787/demo-desk/');
  });

  it('says how to build when there is nothing to load, and leaves out the demo desk when it is off', () => {
    const hint = extensionStartHint(
      { extensionDir: path.join(folder, 'missing'), demoDesk: false },
      'http://h:1',
    );
    expect(hint).toContain('Расширение не собрано');
    expect(hint).not.toContain('demo-desk');
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  chromiumAvailable,
  launchWithExtension,
  type RunningService,
  startAssistService,
} from './harness.ts';

/**
 * The rollout (issue 11): the service serves the production build at /extension/. Chromium loads
 * the downloaded zip as "Load unpacked" does, and gives it the id the page announces (the id a team
 * puts in its policy and CORS list), derived from the service's signing key.
 */
const available = chromiumAvailable() && spawnSync('unzip', ['-v']).status === 0;

describe.skipIf(!available)('the extension as the service hands it out', () => {
  let service: RunningService;
  let browser: Browser | undefined;
  const folder = mkdtempSync(path.join(tmpdir(), 'naparnik-rollout-'));

  beforeAll(async () => {
    service = await startAssistService();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('loads the downloaded zip in Chromium under the id /extension/ shows, its worker running', async () => {
    const page = await fetch(`${service.url}/extension/`);
    expect(page.status).toBe(200);
    const id = /data-field="extension-id">([a-p]{32})</u.exec(await page.text())?.[1];
    expect(id).toBeDefined();

    const zip = await fetch(`${service.url}/extension/naparnik-extension.zip`);
    expect(zip.status).toBe(200);
    const archive = path.join(folder, 'naparnik-extension.zip');
    writeFileSync(archive, Buffer.from(await zip.arrayBuffer()));
    const unpacked = path.join(folder, 'unpacked');
    const result = spawnSync('unzip', ['-q', archive, '-d', unpacked], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(unpacked, 'manifest.json'), 'utf8'))).toMatchObject({
      manifest_version: 3,
      name: 'Naparnik',
    });

    browser = await launchWithExtension(unpacked);
    expect(browser.extensionId).toBe(id);
    const update = await (await fetch(`${service.url}/extension/update.xml`)).text();
    expect(update).toContain(`appid='${id}'`);
  });
});

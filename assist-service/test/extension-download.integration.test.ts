import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './harness.ts';

/** A stand-in for `wxt build`'s output: the service packages whatever is in the folder. */
function writeBuild(directory: string, version: string): void {
  mkdirSync(path.join(directory, 'content-scripts'), { recursive: true });
  writeFileSync(
    path.join(directory, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'Naparnik',
      version,
      background: { service_worker: 'background.js' },
    }),
  );
  writeFileSync(path.join(directory, 'background.js'), 'self.addEventListener("install", () => {});\n');
  writeFileSync(
    path.join(directory, 'content-scripts', 'overlay.js'),
    `console.log(${JSON.stringify(version)});\n`,
  );
}

const idOnPage = (html: string) => /data-field="extension-id">([a-p]{32})</u.exec(html)?.[1];

/** A CRX3's header (protobuf) and the ZIP archive after it. */
function crxParts(crx: Buffer) {
  expect(crx.subarray(0, 4).toString('ascii')).toBe('Cr24');
  expect(crx.readUInt32LE(4)).toBe(3);
  const headerLength = crx.readUInt32LE(8);
  return { header: crx.subarray(12, 12 + headerLength), archive: crx.subarray(12 + headerLength) };
}

function unzipFile(archive: Buffer, member: string, folder: string): string {
  const file = path.join(folder, `archive-${Date.now()}-${Math.random()}.zip`);
  writeFileSync(file, archive);
  const result = spawnSync('unzip', ['-p', file, member], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe('/extension/: the built extension for a team', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'naparnik-extension-download-'));
  const build = path.join(scratch, 'chrome-mv3');
  let service: TestService;

  beforeAll(async () => {
    writeBuild(build, '1.2.3');
    service = await startTestService({ config: { extensionDir: build } });
  });
  afterAll(async () => {
    await service?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('shows a Russian page with the extension id, the zip, the CRX and the policy value', async () => {
    const response = await service.get('/extension/');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('lang="ru"');
    expect(html).toContain('Загрузить распакованное');
    const id = idOnPage(html);
    expect(id).toBeDefined();
    expect(html).toContain(`${id};${service.url}/extension/update.xml`);
    expect(html).toContain('href="naparnik-extension.zip"');
    expect(html).toContain('href="naparnik.crx"');
    expect((await service.get('/extension')).url).toBe(`${service.url}/extension/`);
  });

  it('makes the signing key once in the data dir, readable by the service alone, and keeps the id across restarts', async () => {
    const keyFile = path.join(service.dataDir, 'extension-signing-key.pem');
    const firstPage = await (await service.get('/extension/')).text();
    expect(readFileSync(keyFile, 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const again = await startTestService({
      dataDir: service.dataDir,
      keepData: true,
      config: { extensionDir: build },
    });
    try {
      const secondPage = await (await again.get('/extension/')).text();
      expect(idOnPage(secondPage)).toBe(idOnPage(firstPage));
    } finally {
      await again.close();
    }
  });

  it('serves a zip with manifest.json at its root carrying the public key, so an unpacked copy has the same id', async () => {
    const response = await service.get('/extension/naparnik-extension.zip');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const zip = Buffer.from(await response.arrayBuffer());
    const file = path.join(scratch, 'download.zip');
    writeFileSync(file, zip);
    const listed = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(listed).toEqual(['manifest.json', 'background.js', 'content-scripts/overlay.js']);
    const manifest = JSON.parse(unzipFile(zip, 'manifest.json', scratch)) as { key: string; version: string };
    expect(manifest.version).toBe('1.2.3');
    const id = idOnPage(await (await service.get('/extension/')).text());
    const digest = createHash('sha256')
      .update(Buffer.from(manifest.key, 'base64'))
      .digest('hex')
      .slice(0, 32);
    expect([...digest].map((digit) => String.fromCharCode(97 + Number.parseInt(digit, 16))).join('')).toBe(
      id,
    );
  });

  it('serves a CRX3 whose signature verifies and whose manifest updates from this service, and update.xml naming it', async () => {
    const response = await service.get('/extension/naparnik.crx');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-chrome-extension');
    const crx = Buffer.from(await response.arrayBuffer());
    const { header, archive } = crxParts(crx);
    const keyFile = path.join(service.dataDir, 'extension-signing-key.pem');
    const publicKey = createPublicKey(readFileSync(keyFile, 'utf8'));
    const publicDer = publicKey.export({ type: 'spki', format: 'der' });
    // Header = field 2 (RSA proof: public key, then the 256-byte signature last) + field 10000 (22
    // bytes: tag, length, and the signed data naming the 16-byte crx id).
    expect(header.includes(publicDer)).toBe(true);
    const signature = header.subarray(header.length - 22 - 256, header.length - 22);
    const signedData = header.subarray(header.length - 18);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(signedData.length);
    const message = Buffer.concat([Buffer.from('CRX3 SignedData\0', 'binary'), length, signedData, archive]);
    expect(verify('sha256', message, publicKey, signature)).toBe(true);
    const manifest = JSON.parse(unzipFile(archive, 'manifest.json', scratch)) as { update_url: string };
    expect(manifest.update_url).toBe(`${service.url}/extension/update.xml`);

    const update = await service.get('/extension/update.xml');
    expect(update.headers.get('content-type')).toMatch(/^application\/xml/u);
    const xml = await update.text();
    const id = idOnPage(await (await service.get('/extension/')).text());
    expect(xml).toContain(`<app appid='${id}'>`);
    expect(xml).toContain(`codebase='${service.url}/extension/naparnik.crx' version='1.2.3'`);
  });

  it('packages the new build when the folder changes, and says in Russian when nothing is built', async () => {
    writeBuild(build, '1.2.4');
    expect(await (await service.get('/extension/update.xml')).text()).toContain("version='1.2.4'");
    rmSync(build, { recursive: true, force: true });
    const page = await service.get('/extension/');
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('Расширение ещё не собрано');
    const crx = await service.get('/extension/naparnik.crx');
    expect(crx.status).toBe(503);
    expect(((await crx.json()) as { error: { message: string } }).error.message).toContain(
      'Расширение не собрано',
    );
  });
});

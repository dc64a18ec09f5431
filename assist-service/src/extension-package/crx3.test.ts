import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extensionId, writeCrx3 } from './crx3.ts';
import { writeZip } from './zip.ts';

/** A protobuf reader written from the wire format, independent of the writer under test. */
function readFields(bytes: Buffer): Array<{ field: number; value: Buffer }> {
  const fields: Array<{ field: number; value: Buffer }> = [];
  let position = 0;
  const readVarint = () => {
    let result = 0;
    let multiplier = 1;
    for (;;) {
      const byte = bytes[position++]!;
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 128;
    }
  };
  while (position < bytes.length) {
    const tag = readVarint();
    expect(tag & 7, 'every CRX3 header field is length-delimited').toBe(2);
    const length = readVarint();
    fields.push({ field: Math.floor(tag / 8), value: bytes.subarray(position, position + length) });
    position += length;
  }
  return fields;
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const folder = mkdtempSync(path.join(os.tmpdir(), 'naparnik-crx-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('CRX3 writer', () => {
  const archive = writeZip([
    { name: 'manifest.json', data: Buffer.from('{"manifest_version":3,"name":"N","version":"1.0"}') },
    { name: 'content-scripts/overlay.js', data: Buffer.from('console.log("привет");\n'.repeat(50)) },
  ]);
  const crx = writeCrx3(archive, privateKey);

  it('writes Cr24, version 3, a header whose RSA proof verifies over the signed data and the archive', () => {
    expect(crx.subarray(0, 4).toString('ascii')).toBe('Cr24');
    expect(crx.readUInt32LE(4)).toBe(3);
    const headerLength = crx.readUInt32LE(8);
    const header = crx.subarray(12, 12 + headerLength);
    expect(crx.subarray(12 + headerLength).equals(archive)).toBe(true);

    const fields = readFields(header);
    const proofs = fields.filter((entry) => entry.field === 2);
    const signedData = fields.find((entry) => entry.field === 10_000)?.value;
    expect(proofs).toHaveLength(1);
    expect(signedData).toBeDefined();
    const proof = readFields(proofs[0]!.value);
    const publicKey = proof.find((entry) => entry.field === 1)!.value;
    const signature = proof.find((entry) => entry.field === 2)!.value;

    const crxId = readFields(signedData!).find((entry) => entry.field === 1)!.value;
    expect(crxId.equals(createHash('sha256').update(publicKey).digest().subarray(0, 16))).toBe(true);

    const length = Buffer.alloc(4);
    length.writeUInt32LE(signedData!.length);
    const message = Buffer.concat([Buffer.from('CRX3 SignedData\0', 'binary'), length, signedData!, archive]);
    const key = createPublicKey({ key: publicKey, format: 'der', type: 'spki' });
    expect(verify('sha256', message, key, signature)).toBe(true);
    // One byte changed in the archive and the same signature no longer holds.
    const tampered = Buffer.from(message);
    tampered[tampered.length - 30]! ^= 1;
    expect(verify('sha256', tampered, key, signature)).toBe(false);
  });

  it('derives the id as Chromium does: 32 letters a–p from the SHA-256 of the public key', () => {
    const id = extensionId(privateKey);
    expect(id).toMatch(/^[a-p]{32}$/);
    const digest = createHash('sha256')
      .update(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }))
      .digest('hex')
      .slice(0, 32);
    expect([...id].map((letter) => (letter.charCodeAt(0) - 97).toString(16)).join('')).toBe(digest);
  });

  it('writes an archive that unzip lists and tests, with manifest.json at its root', () => {
    const file = path.join(folder, 'extension.zip');
    writeFileSync(file, archive);
    const tested = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
    const listed = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8' });
    expect(listed.stdout.trim().split('\n')).toEqual(['manifest.json', 'content-scripts/overlay.js']);
    // The CRX is a ZIP with a prefix: unzip skips the header and still reads it.
    const crxFile = path.join(folder, 'extension.crx');
    writeFileSync(crxFile, crx);
    const crxTested = spawnSync('unzip', ['-t', crxFile], { encoding: 'utf8' });
    expect(crxTested.stdout).toContain('No errors detected');
  });
});

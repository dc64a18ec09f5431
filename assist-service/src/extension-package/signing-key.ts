import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export class SigningKeyError extends Error {
  readonly code = 'invalid-signing-key';
}

/**
 * The private key the extension's CRX is signed with. Its public half fixes the extension id that
 * teams put in their browser policy and in the service's CORS list, so it is made once and kept:
 * read from `file` when it exists, else generated (RSA 2048, PKCS#8 PEM, readable by the service's
 * user only) and written there. Two services starting at once on one data dir keep the same key:
 * the file appears whole (written aside, then hard-linked into place) and whoever comes second
 * reads the first one's.
 */
export function loadOrCreateSigningKey(file: string): KeyObject {
  try {
    return parseKey(readFileSync(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  mkdirSync(path.dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, pem, { mode: 0o600 });
  try {
    linkSync(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(aside, { force: true });
  }
  return parseKey(readFileSync(file, 'utf8'), file);
}

function parseKey(pem: string, file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new SigningKeyError(`${file}: not a PEM private key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new SigningKeyError(`${file}: the CRX is signed with RSA; this key is ${key.asymmetricKeyType}`);
  }
  return key;
}

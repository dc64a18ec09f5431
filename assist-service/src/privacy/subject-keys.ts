import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Conversation } from '../contract/index.ts';

/** The file beside the stores that holds the install's hashing key when none is configured. */
export const PRIVACY_KEY_FILE = 'privacy.key';

/**
 * One spelling per identifier: «+7 (916) 123-45-67», «8 916 123 45 67» and «79161234567» are the
 * same phone, «Anna@Example.ru» and «anna@example.ru» the same e-mail.
 */
export function normalizeIdentifier(value: string): string {
  const text = value.normalize('NFKC').trim().toLowerCase().replace(/\s+/gu, ' ');
  if (/^[+\d\s().-]{7,}$/u.test(text)) {
    const digits = text.replace(/\D/gu, '');
    if (digits.length === 11 && digits.startsWith('8')) return `7${digits.slice(1)}`;
    if (digits.length === 10 && digits.startsWith('9')) return `7${digits}`;
    return digits;
  }
  return text;
}

/**
 * A customer identifier as stored: HMAC-SHA256 under the install's key, so a row can be found
 * from the identifier but the identifier cannot be read back (a plain hash of a phone number is
 * reversed by trying every number).
 */
export function subjectKey(secret: string, value: string): string {
  return createHmac('sha256', secret).update(normalizeIdentifier(value), 'utf8').digest('hex');
}

/** The keys of every identifier the helpdesk card gives (customer id, phone, e-mail, contract…). */
export function customerKeysOf(conversation: Pick<Conversation, 'customer'>, secret: string): string[] {
  const values = Object.values(conversation.customer?.ids ?? {}).filter((value) => value.trim() !== '');
  return [...new Set(values.map((value) => subjectKey(secret, value)))];
}

/**
 * The configured key, else the one kept in the data folder, created (owner-only) on first use.
 * Losing it only means earlier rows can no longer be found by customer; they still expire.
 */
export function loadPrivacyKey(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, PRIVACY_KEY_FILE);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Another process (the CLI, a second start) wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}

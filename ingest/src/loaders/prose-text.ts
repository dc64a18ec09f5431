import path from 'node:path';
import { IngestError } from '../errors.ts';

// Zero-width space/joiners, word joiner, BOM and the soft hyphen: invisible, but they split words
// for search ("воз\u00ADврат" must match "возврат").
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/gu;
// Every horizontal space except the plain one, NBSP included: operators never type them.
const ODD_SPACE = /[\t\v\f\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/gu;

/**
 * Display text as every prose loader hands it on: NFC, `\n` line ends, no invisible characters,
 * single spaces, trimmed lines, at most one blank line between paragraphs.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/gu, '\n')
    .replace(INVISIBLE, '')
    .replace(ODD_SPACE, ' ')
    .split('\n')
    .map((line) => line.replace(/ {2,}/gu, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
}

/** Text on one line: for headings, table cells and titles. */
export function normaliseInline(text: string): string {
  return normaliseText(text).replace(/\s+/gu, ' ');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes of a text file as a string. UTF-8 (with or without BOM) and UTF-16 with a BOM are
 * recognised; anything that is not valid UTF-8 is read in `fallback`, by default Windows-1251,
 * which is what Russian text files that are not UTF-8 almost always are.
 */
export function decodeText(bytes: Uint8Array, fallback = 'windows-1251'): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return UTF8.decode(body);
  } catch {
    try {
      return new TextDecoder(fallback).decode(body);
    } catch {
      return new TextDecoder('windows-1251').decode(body);
    }
  }
}

/** The file name without its extension: the title of last resort. */
export function titleFromPath(relativePath: string): string {
  return normaliseInline(path.posix.basename(relativePath, path.posix.extname(relativePath)));
}

/** Zero bytes (or only whitespace) is never worth a parser's time. */
export function assertHasBytes(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new IngestError('empty', 'the file is empty');
}

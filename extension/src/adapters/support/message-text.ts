import { classTokens } from './class-tokens.ts';
import { inlineText, readableText } from './dom.ts';

/**
 * A message's own words, the way its author wrote them this time: without the quoted history
 * («… писал(а):», "On … wrote:", `>` lines, folded quotes), without the signature after a `-- `
 * line or a "Sent from my iPhone" line, without the mail headers some desks print above the body,
 * and with its attachments named on lines of their own ("Вложение: scan.pdf").
 */

/** Class words of elements that hold quoted history. */
const QUOTE_WORDS = new Set(['quote', 'quoted', 'blockquote', 'cite', 'citation']);
/** Class words of elements that hold a signature. */
const SIGNATURE_WORDS = new Set(['signature', 'sig']);
/** Class names of collapsed or hidden parts: folded quotes, hidden mail headers. */
const HIDDEN_CLASSES = new Set([
  'hidden',
  'hide',
  'd-none',
  'is-hidden',
  'collapsed',
  'closed',
  'folded',
  'invisible',
  'sr-only',
  'visually-hidden',
]);
/** Class words of attachment lists and file cards. */
export const ATTACHMENT_WORDS = new Set([
  'attachment',
  'attachments',
  'attach',
  'file',
  'files',
  'document',
  'documents',
  'upload',
  'uploads',
]);
const FILE_NAME = /^[^\s/\\<>:"|?*][^/\\<>:"|?*]{0,200}\.[a-z0-9]{2,5}$/i;

/** Lines that introduce quoted history: everything from them on is the earlier conversation. */
const QUOTE_INTRO: readonly RegExp[] = [
  /(?:писал|написал|пишет|писала|написала)\s*(?:\(а\))?\s*:\s*$/iu,
  /\bwrote\s*:\s*$/i,
  /^-{2,}\s*(?:original message|forwarded message|исходное сообщение|пересылаемое сообщение|пересланное сообщение)\s*-{2,}\s*$/iu,
  /^_{5,}\s*$/,
  // Gmail's attribution: "пт, 5 дек. 2026 г. в 15:02, Name <address>:"
  /\d.*<[^<>\s]+@[^<>\s]+>\s*:\s*$/u,
];
/** Mobile clients' and mail services' automatic signatures. */
const DEVICE_SIGNATURE =
  /^(?:sent from (?:my|mail for)\b|get outlook for\b|отправлено (?:с|со|из)\s|отправлено через\s|с уважением,? отправлено)/iu;
/** Mail header lines some desks print above a message's body. */
const MAIL_HEADER = /^(?:от|кому|тема|копия|дата|отправлено|from|to|subject|cc|bcc|date|sent)\s*:\s*(.*)$/iu;

function tokensOf(element: Element): string[] {
  return classTokens(element);
}

export function isQuote(element: Element): boolean {
  if (element.tagName === 'BLOCKQUOTE') return true;
  if (element.getAttribute('type') === 'cite') return true;
  if (element.hasAttribute('data-o-mail-quote')) return true;
  return tokensOf(element).some((token) => QUOTE_WORDS.has(token));
}

function isSignature(element: Element): boolean {
  return tokensOf(element).some((token) => SIGNATURE_WORDS.has(token));
}

export function isHidden(element: Element): boolean {
  if (element.hasAttribute('hidden') || element.getAttribute('aria-hidden') === 'true') return true;
  const style = element.getAttribute('style');
  if (style && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) return true;
  // Whole class names ("hide", "d-none", "message-stanza closed"): utility classes such as
  // "max-w-none" or "overflow-hidden" hide nothing.
  return (element.getAttribute('class') ?? '')
    .split(/\s+/)
    .some((name) => HIDDEN_CLASSES.has(name.toLowerCase()));
}

export function isAttachmentBlock(element: Element): boolean {
  if (element.tagName === 'A' && element.hasAttribute('download')) return true;
  return tokensOf(element).some((token) => ATTACHMENT_WORDS.has(token));
}

/** File names shown in an element: link texts, titles and download names that look like files. */
export function attachmentNames(item: Element): string[] {
  const names: string[] = [];
  const add = (value: string | null | undefined) => {
    const name = (value ?? '').replace(/\s+/g, ' ').trim();
    if (name && FILE_NAME.test(name) && !names.includes(name)) names.push(name);
  };
  for (const block of Array.from(item.querySelectorAll('*'))) {
    if (!isAttachmentBlock(block)) continue;
    // The innermost element naming the file: a leaf's text, else a download/title attribute.
    const candidates = [block, ...Array.from(block.querySelectorAll('*'))];
    for (const candidate of candidates) {
      if (candidate.childElementCount === 0) add(inlineText(candidate));
      add(candidate.getAttribute('download'));
    }
    if (!names.length) add(block.getAttribute('title'));
  }
  return names;
}

export interface MessageText {
  text: string;
  /** The "От:"/"From:" header printed above the body, when there was one. */
  from?: string;
}

/** Strips quoted history, signatures and leading mail headers from a message's text. */
export function cleanMessageText(raw: string): MessageText {
  const lines = raw.split('\n');
  const kept: string[] = [];
  let from: string | undefined;
  let inHeaders = true;
  for (const line of lines) {
    const trimmed = line.trim();
    if (inHeaders) {
      const header = MAIL_HEADER.exec(trimmed);
      if (header) {
        if (/^(?:от|from)\s*:/iu.test(trimmed) && !from) from = header[1]?.trim();
        continue;
      }
      if (trimmed === '' && kept.length === 0) continue;
      inHeaders = false;
    }
    if (QUOTE_INTRO.some((pattern) => pattern.test(trimmed))) break;
    if (trimmed === '--' || trimmed === '-- ' || trimmed === '—') break;
    if (DEVICE_SIGNATURE.test(trimmed)) continue;
    if (trimmed.startsWith('>') || trimmed.startsWith('&gt;')) continue;
    kept.push(trimmed);
  }
  const text = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return from ? { text, from } : { text };
}

/**
 * The readable text of a message body without quotes, signatures, hidden parts and attachment
 * cards, cleaned line by line, with the attachments named after it.
 */
export function readMessageBody(
  body: Element | null | undefined,
  options: { skip?: (element: Element) => boolean; attachmentsFrom?: Element } = {},
): MessageText {
  if (!body) return { text: '' };
  const raw = readableText(
    body,
    (element) =>
      element !== body &&
      (isQuote(element) ||
        isSignature(element) ||
        isHidden(element) ||
        isAttachmentBlock(element) ||
        Boolean(options.skip?.(element))),
  );
  const cleaned = cleanMessageText(raw);
  const names = attachmentNames(options.attachmentsFrom ?? body);
  if (names.length === 0) return cleaned;
  const files = names.map((name) => `Вложение: ${name}`).join('\n');
  return { ...cleaned, text: cleaned.text ? `${cleaned.text}\n${files}` : files };
}

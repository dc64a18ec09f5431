import type { PageRoot } from '../adapter.ts';
import { classTokens } from './class-tokens.ts';

/** Rich editors helpdesks embed, by the element that takes the text. */
export const KNOWN_EDITORS = [
  '.ck-editor__editable[contenteditable="true"]', // CKEditor 5
  '.ql-editor[contenteditable="true"]', // Quill
  '.ProseMirror[contenteditable="true"]', // ProseMirror, Tiptap
  '.note-editable[contenteditable="true"]', // Summernote
  '.fr-element[contenteditable="true"]', // Froala
  'iframe.tox-edit-area__iframe', // TinyMCE
  'iframe.cke_wysiwyg_frame', // CKEditor 4
].join(', ');

const REPLY_WORDS = /reply|answer|respon|message|body|comment|compose|chat|ответ|сообщ|комментар|написать/i;
const OWN_UI = '[data-naparnik]';

function describe(element: Element): string {
  return [
    element.id,
    element.getAttribute('name'),
    element.getAttribute('placeholder'),
    element.getAttribute('aria-label'),
    element.getAttribute('data-placeholder'),
    classTokens(element).join(' '),
  ]
    .filter(Boolean)
    .join(' ');
}

function hidden(element: Element): boolean {
  const style = (element.getAttribute('style') ?? '').replace(/\s+/g, '').toLowerCase();
  return (
    element.hasAttribute('hidden') ||
    element.hasAttribute('disabled') ||
    element.hasAttribute('readonly') ||
    style.includes('display:none') ||
    style.includes('visibility:hidden') ||
    element.getAttribute('type') === 'hidden'
  );
}

/**
 * The reply box on an unknown page: rich editors first, then multi-line text fields, preferring
 * ones whose names, placeholders or labels say "reply"/"ответ". Headings that are editable in
 * place (Zammad's ticket title) and our own panel never count.
 */
export function findGenericComposer(root: PageRoot): Element | undefined {
  const candidates = Array.from(
    root.querySelectorAll(
      `${KNOWN_EDITORS}, textarea, [contenteditable="true"], [contenteditable=""], [role="textbox"]`,
    ),
  );
  let best: Element | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const element of candidates) {
    if (hidden(element) || element.closest(OWN_UI)) continue;
    if (element.closest('h1, h2, h3, h4, h5, h6')) continue;
    // Nested contenteditable children belong to the outer editor.
    if (element.parentElement?.closest('[contenteditable="true"]')) continue;
    let score = 0;
    if (element.matches(KNOWN_EDITORS)) score += 3;
    if (element.tagName === 'TEXTAREA') score += 2;
    if (element.getAttribute('aria-multiline') === 'true') score += 1;
    if (REPLY_WORDS.test(describe(element))) score += 2;
    if (element.closest('form')) score += 1;
    if (element.tagName === 'SPAN') score -= 2;
    if (score > bestScore) {
      best = element;
      bestScore = score;
    }
  }
  return best;
}

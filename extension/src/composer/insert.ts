import { type Editable, type EditorKind, resolveEditable } from './editors.ts';

export interface InsertOptions {
  /** Replace the draft (default) or add after it. */
  mode?: 'replace' | 'append';
}

export interface InsertResult {
  inserted: boolean;
  kind: EditorKind | 'none';
  /** How the text went in: execCommand, paste, value (fields), dom (last resort). */
  method: 'execCommand' | 'paste' | 'value' | 'dom' | 'none';
}

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();
/** Editors turn line breaks into paragraphs, so the check ignores whitespace altogether. */
const squeeze = (text: string) => text.replace(/\s+/g, '');

function contains(element: HTMLElement, text: string): boolean {
  const probe = squeeze(text).slice(0, 40);
  const current =
    element.tagName === 'TEXTAREA' || element.tagName === 'INPUT'
      ? (element as HTMLTextAreaElement).value
      : (element.textContent ?? '');
  return squeeze(current).includes(probe);
}

function execInsert(document: Document, text: string): boolean {
  try {
    return typeof document.execCommand === 'function' && document.execCommand('insertText', false, text);
  } catch {
    return false;
  }
}

function insertIntoField(
  field: HTMLTextAreaElement | HTMLInputElement,
  text: string,
  mode: 'replace' | 'append',
): InsertResult['method'] {
  const kind = field.tagName === 'TEXTAREA' ? 'textarea' : 'input';
  // A single-line input drops line breaks, so a space separates the draft from the addition there.
  const separator = kind === 'textarea' ? '\n' : ' ';
  const addition = mode === 'append' && field.value ? `${separator}${text}` : text;
  const next = mode === 'append' && field.value ? `${field.value.replace(/\s+$/, '')}${addition}` : text;
  field.focus();
  if (mode === 'replace') field.select();
  else field.setSelectionRange(field.value.length, field.value.length);
  // execCommand is a real, undoable edit: the page's framework sees beforeinput/input as if typed.
  if (execInsert(field.ownerDocument, addition) && field.value === next) return 'execCommand';
  // Fallback: the prototype's setter (frameworks such as React track the instance's own value),
  // then the events a typing user would cause.
  const prototype = kind === 'textarea' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(field, next);
  field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
  return 'value';
}

function selectForInsert(host: HTMLElement, mode: 'replace' | 'append'): void {
  const document = host.ownerDocument;
  host.focus();
  const selection = document.getSelection();
  if (!selection) return;
  const range = document.createRange();
  range.selectNodeContents(host);
  if (mode === 'append') range.collapse(false);
  selection.removeAllRanges();
  selection.addRange(range);
  // Browsers announce selection changes later (a task away); editors that mirror the selection in
  // their model (CKEditor 5) would apply the insert to the old one. Tell them now.
  const view = document.defaultView;
  if (view) document.dispatchEvent(new view.Event('selectionchange'));
}

function isEmpty(host: HTMLElement): boolean {
  return normalize(host.textContent ?? '') === '';
}

function pasteInto(host: HTMLElement, text: string): boolean {
  const view = host.ownerDocument.defaultView;
  if (!view || typeof view.DataTransfer !== 'function' || typeof view.ClipboardEvent !== 'function')
    return false;
  const data = new view.DataTransfer();
  data.setData('text/plain', text);
  const event = new view.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
  host.dispatchEvent(event);
  // An editor that handled the paste cancels the default; the browser's own paste does nothing
  // for synthetic events.
  return event.defaultPrevented;
}

/** Last resort: write paragraphs into the host and announce the change as an input. */
function writeDom(host: HTMLElement, text: string, mode: 'replace' | 'append'): boolean {
  const document = host.ownerDocument;
  const view = document.defaultView ?? window;
  const before = new view.InputEvent('beforeinput', {
    bubbles: true,
    cancelable: true,
    inputType: mode === 'replace' ? 'insertReplacementText' : 'insertText',
    data: text,
  });
  // An editor that cancels beforeinput applies the edit itself (Slate, Lexical, CKEditor 5 do).
  if (!host.dispatchEvent(before)) return contains(host, text);
  if (mode === 'replace' || isEmpty(host)) host.replaceChildren();
  for (const line of text.split('\n')) {
    const paragraph = document.createElement(
      host.querySelector('div') && !host.querySelector('p') ? 'div' : 'p',
    );
    if (line) paragraph.textContent = line;
    else paragraph.append(document.createElement('br'));
    host.append(paragraph);
  }
  host.dispatchEvent(new view.InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
  return true;
}

/**
 * Editors that keep their own model and draw the DOM from it. Chromium's execCommand fires `input`
 * but no `beforeinput`, so such an editor never hears of the edit and its next render wipes it
 * (seen with CKEditor 5 in the browser e2e); a paste goes through their clipboard pipeline instead.
 */
const MODEL_FIRST: ReadonlySet<EditorKind> = new Set(['ckeditor5']);

function insertIntoHost(
  editable: Editable,
  text: string,
  mode: 'replace' | 'append',
): InsertResult['method'] {
  const host = editable.element;
  const effective = isEmpty(host) ? 'replace' : mode;
  // Appended text starts a line of its own, as it does in a textarea.
  const addition = effective === 'append' ? `\n${text}` : text;
  if (MODEL_FIRST.has(editable.kind)) {
    selectForInsert(host, effective);
    if (pasteInto(host, addition) && contains(host, text)) return 'paste';
  }
  selectForInsert(host, effective);
  const before = host.textContent ?? '';
  if (
    execInsert(host.ownerDocument, addition) &&
    contains(host, text) &&
    (host.textContent ?? '') !== before
  ) {
    return 'execCommand';
  }
  selectForInsert(host, effective);
  if (pasteInto(host, addition) && contains(host, text)) return 'paste';
  return writeDom(host, text, effective) ? 'dom' : 'none';
}

/**
 * Puts `text` into the reply box so that the page's editor notices it, as if the operator had
 * typed or pasted it. It never submits: no Enter key, no form submission.
 */
export function insertText(target: Element, text: string, options: InsertOptions = {}): InsertResult {
  const editable = resolveEditable(target);
  if (!editable) return { inserted: false, kind: 'none', method: 'none' };
  const mode = options.mode ?? 'replace';
  const method =
    editable.kind === 'textarea' || editable.kind === 'input'
      ? insertIntoField(editable.element as HTMLTextAreaElement, text, mode)
      : insertIntoHost(editable, text, mode);
  return { inserted: method !== 'none', kind: editable.kind, method };
}

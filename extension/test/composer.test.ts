import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveEditable } from '../src/composer/editors.ts';
import { insertText } from '../src/composer/insert.ts';

const TEXT = 'Анна, здравствуйте!\nЗаказ № 31047589 привезём завтра.';

function mount(html: string): HTMLElement {
  document.body.innerHTML = html;
  return document.body;
}

/** What Chromium does for execCommand('insertText'): replace the selection, fire input. */
function fakeExecCommand(document: Document) {
  return vi.fn((command: string, _ui: boolean, value: string) => {
    if (command !== 'insertText') return false;
    const active = document.activeElement as HTMLElement | null;
    if (active && (active.tagName === 'TEXTAREA' || active.tagName === 'INPUT')) {
      const field = active as HTMLTextAreaElement;
      const start = field.selectionStart ?? field.value.length;
      const end = field.selectionEnd ?? field.value.length;
      field.value = field.value.slice(0, start) + value + field.value.slice(end);
      field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value }));
      return true;
    }
    const selection = document.getSelection();
    const range = selection?.rangeCount ? selection.getRangeAt(0) : undefined;
    if (!range) return false;
    range.deleteContents();
    range.insertNode(document.createTextNode(value));
    range.commonAncestorContainer.parentElement?.dispatchEvent(
      new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value }),
    );
    return true;
  });
}

afterEach(() => {
  Reflect.deleteProperty(document, 'execCommand');
  document.body.innerHTML = '';
});

describe('textarea and input', () => {
  it('replaces the draft through execCommand when the browser has it (an undoable, native edit)', () => {
    mount('<form><textarea id="reply">черновик</textarea></form>');
    Object.defineProperty(document, 'execCommand', { value: fakeExecCommand(document), configurable: true });
    const field = document.querySelector('textarea')!;
    const inputs: string[] = [];
    field.addEventListener('input', (event) => inputs.push((event as InputEvent).inputType));
    expect(insertText(field, TEXT)).toEqual({ inserted: true, kind: 'textarea', method: 'execCommand' });
    expect(field.value).toBe(TEXT);
    expect(inputs).toEqual(['insertText']);
  });

  it('falls back to the value setter plus input/change events (what React-controlled fields need)', () => {
    mount('<textarea id="reply"></textarea>');
    const field = document.querySelector('textarea')!;
    const events: string[] = [];
    for (const type of ['input', 'change']) field.addEventListener(type, () => events.push(type));
    expect(insertText(field, TEXT)).toMatchObject({ inserted: true, method: 'value' });
    expect(field.value).toBe(TEXT);
    expect(events).toEqual(['input', 'change']);
  });

  it('appends below an existing draft when asked', () => {
    mount('<input type="text" value="Здравствуйте!">');
    const field = document.querySelector('input')!;
    insertText(field, 'Чем помочь?', { mode: 'append' });
    expect(field.value).toBe('Здравствуйте! Чем помочь?');
  });

  it('never submits the form or presses Enter', () => {
    mount('<form><textarea></textarea><button type="submit">Отправить</button></form>');
    const submit = vi.fn((event: Event) => event.preventDefault());
    const keys = vi.fn();
    document.querySelector('form')!.addEventListener('submit', submit);
    document.addEventListener('keydown', keys);
    insertText(document.querySelector('textarea')!, TEXT);
    expect(submit).not.toHaveBeenCalled();
    expect(keys).not.toHaveBeenCalled();
  });

  it('refuses fields that do not take text', () => {
    mount('<input type="checkbox">');
    expect(insertText(document.querySelector('input')!, TEXT)).toEqual({
      inserted: false,
      kind: 'none',
      method: 'none',
    });
  });
});

describe('contenteditable and rich editors', () => {
  it('recognises the editors helpdesks use by their markup', () => {
    const cases: Array<[string, string]> = [
      ['<div class="ck ck-content ck-editor__editable" contenteditable="true"></div>', 'ckeditor5'],
      ['<div class="ql-editor" contenteditable="true"></div>', 'quill'],
      ['<div class="ProseMirror tiptap" contenteditable="true"></div>', 'prosemirror'],
      ['<div class="note-editable" contenteditable="true"></div>', 'summernote'],
      ['<div class="fr-element fr-view" contenteditable="true"></div>', 'froala'],
      ['<div contenteditable="true"><p>x</p></div>', 'contenteditable'],
    ];
    for (const [html, kind] of cases) {
      mount(html);
      expect(resolveEditable(document.body.firstElementChild!)?.kind, html).toBe(kind);
    }
  });

  it('finds the editor a library put beside its hidden textarea (Summernote, CKEditor 5)', () => {
    mount(
      '<textarea id="body" style="display: none;"></textarea><div class="note-editor"><div class="note-editing-area"><div class="note-editable" contenteditable="true"></div></div></div>',
    );
    expect(resolveEditable(document.querySelector('#body')!)).toMatchObject({ kind: 'summernote' });
    mount(
      '<textarea name="reply" style="display:none"></textarea><div class="ck ck-editor"><div class="ck-editor__editable" contenteditable="true"></div></div>',
    );
    expect(resolveEditable(document.querySelector('textarea')!)).toMatchObject({ kind: 'ckeditor5' });
  });

  it('uses execCommand when the browser has it, replacing the placeholder paragraph', () => {
    mount(
      '<div class="ProseMirror" contenteditable="true"><p><br class="ProseMirror-trailingBreak"></p></div>',
    );
    Object.defineProperty(document, 'execCommand', { value: fakeExecCommand(document), configurable: true });
    const editor = document.querySelector<HTMLElement>('.ProseMirror')!;
    const result = insertText(editor, TEXT);
    expect(result).toEqual({ inserted: true, kind: 'prosemirror', method: 'execCommand' });
    expect(editor.textContent).toContain('Заказ № 31047589');
  });

  it('pastes when execCommand does nothing and the editor handles paste itself (ProseMirror, Quill, CKEditor)', () => {
    mount('<div class="ql-editor" contenteditable="true"><p><br></p></div>');
    const editor = document.querySelector<HTMLElement>('.ql-editor')!;
    editor.addEventListener('paste', (event) => {
      event.preventDefault();
      const text = (event as ClipboardEvent).clipboardData?.getData('text/plain') ?? '';
      editor.innerHTML = text
        .split('\n')
        .map((line) => `<p>${line}</p>`)
        .join('');
    });
    expect(insertText(editor, TEXT)).toEqual({ inserted: true, kind: 'quill', method: 'paste' });
    expect(editor.querySelectorAll('p')).toHaveLength(2);
  });

  it('gives CKEditor 5 a paste first: it ignores execCommand edits, which fire no beforeinput', () => {
    mount('<div class="ck ck-content ck-editor__editable" contenteditable="true"><p><br></p></div>');
    const exec = fakeExecCommand(document);
    Object.defineProperty(document, 'execCommand', { value: exec, configurable: true });
    const editor = document.querySelector<HTMLElement>('.ck-editor__editable')!;
    editor.addEventListener('paste', (event) => {
      event.preventDefault();
      editor.textContent = (event as ClipboardEvent).clipboardData?.getData('text/plain') ?? '';
    });
    expect(insertText(editor, TEXT)).toEqual({ inserted: true, kind: 'ckeditor5', method: 'paste' });
    expect(exec).not.toHaveBeenCalled();
    expect(editor.textContent).toBe(TEXT);
  });

  it('appends on a line of its own after the draft in a contenteditable', () => {
    mount('<div class="ProseMirror" contenteditable="true"><p>Здравствуйте!</p></div>');
    Object.defineProperty(document, 'execCommand', { value: fakeExecCommand(document), configurable: true });
    const editor = document.querySelector<HTMLElement>('.ProseMirror')!;
    expect(insertText(editor, 'Чем помочь?', { mode: 'append' })).toMatchObject({ inserted: true });
    expect(editor.textContent).toBe('Здравствуйте!\nЧем помочь?');
  });

  it('writes paragraphs and announces them (beforeinput, input) on a plain contenteditable', () => {
    mount('<div contenteditable="true" class="reply"></div>');
    const editor = document.querySelector<HTMLElement>('.reply')!;
    const events: string[] = [];
    editor.addEventListener('beforeinput', (event) =>
      events.push(`before:${(event as InputEvent).inputType}`),
    );
    editor.addEventListener('input', () => events.push('input'));
    expect(insertText(editor, TEXT)).toEqual({ inserted: true, kind: 'contenteditable', method: 'dom' });
    expect(Array.from(editor.querySelectorAll('p')).map((p) => p.textContent)).toEqual(TEXT.split('\n'));
    expect(events).toEqual(['before:insertReplacementText', 'input']);
  });

  it('leaves the edit to an editor that cancels beforeinput and applies it itself', () => {
    mount('<div contenteditable="true" class="lexical"></div>');
    const editor = document.querySelector<HTMLElement>('.lexical')!;
    editor.addEventListener('beforeinput', (event) => {
      event.preventDefault();
      editor.textContent = (event as InputEvent).data ?? '';
    });
    expect(insertText(editor, TEXT)).toMatchObject({ inserted: true, method: 'dom' });
    expect(editor.textContent).toBe(TEXT);
  });

  it('types into an editor inside a same-origin iframe (TinyMCE)', async () => {
    // TinyMCE writes its editing document into the iframe itself; srcdoc stands in for that here.
    mount(
      '<div class="tox tox-tinymce"><iframe class="tox-edit-area__iframe" srcdoc="<body id=&quot;tinymce&quot; class=&quot;mce-content-body&quot; contenteditable=&quot;true&quot;><p><br data-mce-bogus=&quot;1&quot;></p></body>"></iframe></div>',
    );
    const frame = document.querySelector('iframe')!;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const inner = frame.contentDocument;
    expect(inner?.body, 'the iframe should have its document').toBeTruthy();
    const inputs = vi.fn();
    inner!.body.addEventListener('input', inputs);
    const result = insertText(frame, TEXT);
    expect(result).toMatchObject({ inserted: true, kind: 'tinymce' });
    expect(inner!.body.textContent).toContain('Заказ № 31047589');
    expect(inputs).toHaveBeenCalled();
  });
});

/** Editors told apart by the markup they leave on the editing element (or its iframe). */
export type EditorKind =
  | 'textarea'
  | 'input'
  | 'ckeditor5'
  | 'ckeditor4'
  | 'tinymce'
  | 'quill'
  | 'prosemirror'
  | 'summernote'
  | 'froala'
  | 'contenteditable';

export interface Editable {
  /** The element that takes the text: a field, or a contenteditable host (maybe inside an iframe). */
  element: HTMLElement;
  kind: EditorKind;
}

const HOST_KINDS: Array<[string, EditorKind]> = [
  ['.ck-editor__editable', 'ckeditor5'],
  ['.ql-editor', 'quill'],
  ['.ProseMirror', 'prosemirror'],
  ['.note-editable', 'summernote'],
  ['.fr-element', 'froala'],
  ['#tinymce, .mce-content-body', 'tinymce'],
  ['.cke_editable', 'ckeditor4'],
];

/** Editors that hide the original field and show their own editing area next to it. */
const REPLACEMENTS = [
  '.note-editor .note-editable', // Summernote
  '.ck-editor .ck-editor__editable', // CKEditor 5 classic
  '.tox-tinymce iframe', // TinyMCE 5/6/7
  '.cke iframe.cke_wysiwyg_frame', // CKEditor 4
  '.ql-container .ql-editor', // Quill on a hidden input
];

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', '']);

function isHidden(element: Element): boolean {
  const style = (element.getAttribute('style') ?? '').replace(/\s+/g, '').toLowerCase();
  return (
    element.hasAttribute('hidden') || style.includes('display:none') || style.includes('visibility:hidden')
  );
}

function editorBeside(field: Element): Element | undefined {
  for (let sibling = field.nextElementSibling; sibling; sibling = sibling.nextElementSibling) {
    for (const selector of REPLACEMENTS) {
      if (sibling.matches(selector.split(' ')[0] ?? selector)) {
        const inner = sibling.querySelector(selector.split(' ').slice(1).join(' '));
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

function fromIframe(frame: HTMLIFrameElement): Editable | undefined {
  let document: Document | null = null;
  try {
    document = frame.contentDocument;
  } catch {
    return undefined; // cross-origin: not ours to touch
  }
  const body = document?.body;
  if (!document || !body) return undefined;
  const editable =
    body.isContentEditable || body.getAttribute('contenteditable') === 'true' || document.designMode === 'on';
  if (!editable) {
    const inner = body.querySelector<HTMLElement>('[contenteditable="true"]');
    return inner ? classify(inner) : undefined;
  }
  if (frame.matches('.tox-edit-area__iframe, .mce-edit-area iframe') || body.id === 'tinymce')
    return { element: body, kind: 'tinymce' };
  if (frame.matches('.cke_wysiwyg_frame') || body.classList.contains('cke_editable'))
    return { element: body, kind: 'ckeditor4' };
  return { element: body, kind: 'contenteditable' };
}

function classify(host: HTMLElement): Editable {
  for (const [selector, kind] of HOST_KINDS) if (host.matches(selector)) return { element: host, kind };
  return { element: host, kind: 'contenteditable' };
}

/** What to type into, given the element an adapter found (a field, an editor, its iframe, its hidden source). */
export function resolveEditable(target: Element): Editable | undefined {
  if (target.tagName === 'IFRAME') return fromIframe(target as HTMLIFrameElement);
  if (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT') {
    if (isHidden(target)) {
      const replacement = editorBeside(target);
      if (replacement) return resolveEditable(replacement);
    }
    if (
      target.tagName === 'INPUT' &&
      !TEXT_INPUT_TYPES.has((target.getAttribute('type') ?? '').toLowerCase())
    ) {
      return undefined;
    }
    return { element: target as HTMLElement, kind: target.tagName === 'TEXTAREA' ? 'textarea' : 'input' };
  }
  const host =
    (target.closest('[contenteditable="true"], [contenteditable=""]') as HTMLElement | null) ??
    (target.querySelector('[contenteditable="true"]') as HTMLElement | null);
  if (!host) {
    const frame = target.querySelector('iframe');
    return frame ? fromIframe(frame) : undefined;
  }
  // The outermost editing host: nested editables (CKEditor widgets) belong to it.
  let outer = host;
  for (let parent = host.parentElement?.closest<HTMLElement>('[contenteditable="true"]'); parent; ) {
    outer = parent;
    parent = parent.parentElement?.closest<HTMLElement>('[contenteditable="true"]');
  }
  return classify(outer);
}

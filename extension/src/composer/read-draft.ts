import { BLOCK_TAGS } from '../adapters/support/dom.ts';
import type { DraftMark } from '../messaging.ts';
import { type Editable, resolveEditable } from './editors.ts';
import { clearHighlights, createDraftHighlighter } from './highlight.ts';

/** A text node of a contenteditable draft and where its text starts in the draft string. */
export interface DraftSegment {
  node: Text;
  start: number;
}

/**
 * The operator's draft as the service sees it, and how it maps back onto the page: a field's
 * value (no segments: a textarea has no text nodes to underline), or a contenteditable host's
 * text nodes in order, with a line break between blocks and for each `<br>`.
 */
export interface DraftModel {
  text: string;
  editable: Editable;
  segments: DraftSegment[] | null;
}

/** Not the operator's text: editor chrome (widgets, placeholders) and anything hidden. */
const SKIP = '[contenteditable="false"], [data-placeholder-only], script, style, template';

function isField(element: HTMLElement): element is HTMLTextAreaElement | HTMLInputElement {
  return element.tagName === 'TEXTAREA' || element.tagName === 'INPUT';
}

/** The draft of an editable element, with the text nodes it came from. */
export function draftModel(editable: Editable): DraftModel {
  const { element } = editable;
  if (isField(element)) return { text: element.value, editable, segments: null };
  let text = '';
  const segments: DraftSegment[] = [];
  const lineBreak = () => {
    if (text.length > 0 && !text.endsWith('\n')) text += '\n';
  };
  const walk = (parent: Node) => {
    for (const child of Array.from(parent.childNodes)) {
      if (child.nodeType === 3) {
        const data = (child as Text).data;
        if (data.length === 0) continue;
        segments.push({ node: child as Text, start: text.length });
        text += data;
      } else if (child.nodeType === 1) {
        const tag = (child as Element).tagName;
        if ((child as Element).matches(SKIP)) continue;
        if (tag === 'BR') {
          text += '\n';
          continue;
        }
        const block = BLOCK_TAGS.has(tag);
        if (block) lineBreak();
        walk(child);
        if (block) lineBreak();
      }
    }
  };
  walk(element);
  // Offsets count from the start, so only the end may be trimmed.
  return { text: text.replace(/\s+$/u, ''), editable, segments };
}

/** The editable behind the element an adapter calls the reply box. */
export function draftEditable(composer: Element | null | undefined): Editable | undefined {
  return composer ? resolveEditable(composer) : undefined;
}

export interface DraftAccessOptions {
  document: Document;
  /** The reply box as the page's adapter finds it now (a helpdesk may replace it). */
  composer(): Element | null | undefined;
}

/** What PageBridge's `draft`, `watchDraft` and `markDraft` do for a page the content script runs in. */
export interface DraftAccess {
  draft(): Promise<string | null>;
  watchDraft(listener: () => void): () => void;
  markDraft(marks: readonly DraftMark[]): Promise<void>;
}

/**
 * Reads the reply box, hears the operator type in it, and underlines findings in it with the CSS
 * Custom Highlight API (nothing in the editor's DOM changes). A textarea is checked in the panel
 * only: its text has no nodes a highlight could cover. `markDraft([])` clears what it underlined;
 * the panel does that when it goes away.
 */
export function createDraftAccess(options: DraftAccessOptions): DraftAccess {
  const highlighter = createDraftHighlighter();
  const current = () => draftEditable(options.composer());
  return {
    async draft() {
      const editable = current();
      return editable ? draftModel(editable).text : null;
    },
    watchDraft(listener) {
      // Input events do not leave an editor's iframe, so its own document is listened to as well,
      // also when the editor's iframe appears (or is replaced) after listening started: focus
      // moving into an iframe blurs the page's window and focuses the iframe element, and the
      // reply box is looked up then, before the operator's first keystroke in it.
      const documents = new Set<Document>();
      const listen = (document: Document | undefined) => {
        if (!document || documents.has(document)) return;
        documents.add(document);
        document.addEventListener('input', onInput, true);
      };
      const onFocusMove = () => listen(current()?.element.ownerDocument);
      // Every keystroke lands here: the reply box found last is asked first, and the page is
      // searched for one again only when the input came from somewhere else.
      let known: Editable | undefined;
      const inside = (editable: Editable | undefined, target: Node) =>
        Boolean(
          editable?.element.isConnected && (editable.element === target || editable.element.contains(target)),
        );
      const onInput = (event: Event) => {
        const target = event.target as Node | null;
        if (!target) return;
        if (inside(known, target)) {
          listener();
          return;
        }
        known = current();
        if (inside(known, target)) listener();
      };
      listen(options.document);
      listen(current()?.element.ownerDocument);
      const view = options.document.defaultView;
      options.document.addEventListener('focusin', onFocusMove, true);
      view?.addEventListener('blur', onFocusMove);
      return () => {
        options.document.removeEventListener('focusin', onFocusMove, true);
        view?.removeEventListener('blur', onFocusMove);
        for (const document of documents) document.removeEventListener('input', onInput, true);
      };
    },
    async markDraft(marks) {
      const editable = current();
      if (!editable || marks.length === 0) {
        highlighter.clear();
        if (editable) clearHighlights(editable.element.ownerDocument);
        return;
      }
      highlighter.show(draftModel(editable), marks);
    },
  };
}

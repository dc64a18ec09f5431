import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';

/** The tiptap page's editor: Tiptap with StarterKit, as a ProseMirror-based reply box is built. */
export function createEditor(element: Element, placeholder: string): Editor {
  return new Editor({
    element,
    extensions: [StarterKit],
    content: '',
    editorProps: { attributes: { 'aria-label': placeholder, class: 'reply-editor' } },
  });
}

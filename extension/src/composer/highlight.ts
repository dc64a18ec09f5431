import type { DraftMark } from '../messaging.ts';
import type { DraftModel, DraftSegment } from './read-draft.ts';

export type Severity = DraftMark['severity'];
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
/** `::highlight(naparnik-error)` and so on: the names the page's stylesheet gets. */
export const HIGHLIGHT_NAMES: Readonly<Record<Severity, string>> = {
  error: 'naparnik-error',
  warning: 'naparnik-warning',
  info: 'naparnik-info',
};
const STYLE_ID = 'naparnik-highlight-style';
const COLOURS: Readonly<Record<Severity, string>> = { error: '#d93025', warning: '#e37400', info: '#1a73e8' };
export const HIGHLIGHT_CSS = SEVERITIES.map(
  (severity) =>
    `::highlight(${HIGHLIGHT_NAMES[severity]}) { text-decoration: underline wavy ${COLOURS[severity]}; ` +
    'text-decoration-skip-ink: none; text-underline-offset: 3px; }',
).join('\n');

/** Where a draft offset falls: the segment holding it, preferring the one it starts when it sits between two. */
function locate(segments: readonly DraftSegment[], offset: number, side: 'start' | 'end') {
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    const length = segment.node.data.length;
    const inside =
      side === 'start'
        ? offset >= segment.start && offset < segment.start + length
        : offset > segment.start && offset <= segment.start + length;
    if (inside) return { node: segment.node, offset: offset - segment.start };
    // The offset is on a line break between blocks: a start moves to the next text, an end back.
    if (segment.start > offset) {
      if (side === 'start') return { node: segment.node, offset: 0 };
      const previous = segments[index - 1];
      return previous ? { node: previous.node, offset: previous.node.data.length } : undefined;
    }
  }
  if (side === 'end') {
    const last = segments.at(-1);
    return last ? { node: last.node, offset: last.node.data.length } : undefined;
  }
  return undefined;
}

/**
 * DOM ranges over a contenteditable draft for UTF-16 spans of its text (what `/v1/check-draft`
 * returns). Spans outside the text, empty ones and a textarea's draft (no text nodes) give none.
 */
export function rangesForMarks(
  model: DraftModel,
  marks: readonly DraftMark[],
): Array<{ range: Range; severity: Severity }> {
  const segments = model.segments;
  if (!segments || segments.length === 0) return [];
  const document = segments[0]!.node.ownerDocument;
  const ranges: Array<{ range: Range; severity: Severity }> = [];
  for (const mark of marks) {
    const start = Math.max(0, mark.start);
    const end = Math.min(model.text.length, mark.end);
    if (end <= start) continue;
    const from = locate(segments, start, 'start');
    const to = locate(segments, end, 'end');
    if (!from || !to) continue;
    const range = document.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    if (range.collapsed) continue;
    ranges.push({ range, severity: mark.severity });
  }
  return ranges;
}

/** The slice of a window the highlighter needs: the registry and the Highlight constructor. */
export interface HighlightRegistry {
  highlights: { set(name: string, highlight: unknown): unknown; delete(name: string): unknown };
  Highlight: new (...ranges: Range[]) => unknown;
}

function registryOf(view: Window | null): HighlightRegistry | undefined {
  const css = (view as unknown as { CSS?: { highlights?: HighlightRegistry['highlights'] } } | null)?.CSS;
  const Highlight = (view as unknown as { Highlight?: HighlightRegistry['Highlight'] } | null)?.Highlight;
  return css?.highlights && Highlight ? { highlights: css.highlights, Highlight } : undefined;
}

/**
 * Underlines marks in the reply box through `CSS.highlights` of the editor's own document (an
 * iframe editor has its own), with a small stylesheet added to that document's head. Browsers
 * without the API get no underlining in the page; the panel still shows every finding.
 */
/** Removes our highlights and stylesheet from a document, whoever put them there (a reloaded content script's predecessor). */
export function clearHighlights(
  document: Document,
  registryFor: (view: Window | null) => HighlightRegistry | undefined = registryOf,
): void {
  const registry = registryFor(document.defaultView);
  for (const name of Object.values(HIGHLIGHT_NAMES)) registry?.highlights.delete(name);
  document.getElementById(STYLE_ID)?.remove();
}

export function createDraftHighlighter(
  registryFor: (view: Window | null) => HighlightRegistry | undefined = registryOf,
) {
  let shownIn: { registry: HighlightRegistry; document: Document } | undefined;

  const clear = () => {
    if (!shownIn) return;
    for (const name of Object.values(HIGHLIGHT_NAMES)) shownIn.registry.highlights.delete(name);
    shownIn.document.getElementById(STYLE_ID)?.remove();
    shownIn = undefined;
  };

  return {
    /** Replaces what is underlined; returns whether the page could show it. */
    show(model: DraftModel, marks: readonly DraftMark[]): boolean {
      const document = model.editable.element.ownerDocument;
      const registry = registryFor(document.defaultView);
      clear();
      if (!registry || !model.segments) return false;
      const ranges = rangesForMarks(model, marks);
      if (ranges.length === 0) return false;
      if (!document.getElementById(STYLE_ID)) {
        const style = document.createElement('style');
        style.id = STYLE_ID;
        style.textContent = HIGHLIGHT_CSS;
        (document.head ?? document.documentElement).append(style);
      }
      for (const severity of SEVERITIES) {
        const own = ranges.filter((entry) => entry.severity === severity).map((entry) => entry.range);
        if (own.length > 0)
          registry.highlights.set(HIGHLIGHT_NAMES[severity], new registry.Highlight(...own));
      }
      shownIn = { registry, document };
      return true;
    },
    clear,
  };
}

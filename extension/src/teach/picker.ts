import type { ConversationMessage } from '@naparnik/assist-service/contract';
import { SHADOW_MODE } from '../content/untrusted-events.ts';
import type { Picks } from './derive-recipe.ts';
import type { TeachStrings } from './strings.ts';

const STEPS = ['list', 'customer', 'operator', 'composer'] as const;
type Step = (typeof STEPS)[number];

const COLORS: Record<Step | 'hover', string> = {
  hover: '#2563eb',
  list: '#7c3aed',
  customer: '#059669',
  operator: '#d97706',
  composer: '#db2777',
};

const CSS = `
  :host { all: initial; }
  .box { position: fixed; pointer-events: none; box-sizing: border-box; border: 2px solid; border-radius: 4px; }
  .box.hover { background: rgba(37, 99, 235, 0.12); }
  .card.low { top: auto; bottom: 12px; }
  .card { position: fixed; top: 56px; right: 12px; width: min(336px, 92vw);
    max-height: 70vh; overflow: auto; pointer-events: auto; background: #fff; color: #111827;
    font: 14px/1.4 system-ui, sans-serif; border-radius: 10px; box-shadow: 0 8px 30px rgba(0,0,0,.25);
    padding: 12px 14px; border-top: 4px solid #2563eb; }
  .card h2 { font-size: 15px; margin: 0 0 6px; }
  .muted { color: #6b7280; font-size: 12px; }
  .hint { color: #b91c1c; }
  .actions { display: flex; gap: 8px; margin-top: 10px; }
  button { font: inherit; padding: 4px 12px; border-radius: 6px; border: 1px solid #d1d5db; background: #f9fafb; cursor: pointer; }
  button.primary { background: #2563eb; border-color: #2563eb; color: #fff; }
  ol { margin: 8px 0 0; padding: 0; list-style: none; }
  li { margin: 4px 0; padding: 4px 6px; border-radius: 6px; background: #f3f4f6; }
  li.operator { background: #eff6ff; margin-left: 24px; }
  li.customer { margin-right: 24px; }
  .role { font-weight: 600; font-size: 12px; margin-right: 6px; }
`;

export interface PreviewData {
  messages: ConversationMessage[];
  composerFound: boolean;
  fragile: boolean;
}

export interface TeachOverlayOptions {
  document: Document;
  strings: TeachStrings;
  /** After the fourth click. */
  onPicked(picks: Picks): void;
  /** Escape or the Cancel button; the overlay has already removed itself. */
  onCancel(): void;
  /**
   * Whether a page event is the operator's own: the browser's (`isTrusted`), never one the
   * helpdesk's scripts dispatched, which could otherwise pick elements for the recipe. Tests that
   * dispatch their own events say so here.
   */
  isUserEvent?: (event: Event) => boolean;
}

export interface TeachOverlay {
  host: HTMLElement;
  showPreview(preview: PreviewData, actions: { save(): void; retry(): void }): void;
  showProblem(message: string, retry: () => void): void;
  showStatus(message: string): void;
  /** Back to step one, picks forgotten. */
  restart(): void;
  close(): void;
}

function shortText(text: string, limit = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

/** Each open overlay's shadow root, by its host: reachable from the extension's own code only. */
const roots = new WeakMap<Element, ShadowRoot>();

/** The overlay's (closed) shadow root, for the extension's code and its tests; never the page's. */
export function overlayRoot(host: Element | null): ShadowRoot | undefined {
  return host ? roots.get(host) : undefined;
}

/**
 * The in-page picker of "Teach this page": its own (closed) shadow root over the page, marked
 * `data-naparnik` so the page bridge never takes it for the conversation changing. A box follows
 * the pointer; the card with the step (and then the preview) sits over the docked panel's column,
 * which the page does not use. Page clicks during picking are swallowed; Escape cancels.
 */
export function createTeachOverlay(options: TeachOverlayOptions): TeachOverlay {
  const { document, strings } = options;
  const view = document.defaultView as Window;
  /** The page's same-origin iframes, by their document (cross-origin ones cannot be read). */
  const frames = new Map<Document, HTMLIFrameElement>();
  for (const frame of Array.from(document.querySelectorAll('iframe'))) {
    try {
      if (frame.contentDocument) frames.set(frame.contentDocument, frame);
    } catch {
      // Cross-origin: not pickable.
    }
  }
  const host = document.createElement('naparnik-teach');
  host.setAttribute('data-naparnik', 'teach');
  host.style.cssText = 'position:fixed;inset:0;pointer-events:none;z-index:2147483647;';
  // Closed like the panel's (open only in the e2e build): page scripts cannot reach the card's
  // Save and Cancel, nor read the preview of the conversation.
  const shadow = host.attachShadow({ mode: SHADOW_MODE });
  roots.set(host, shadow);
  const style = document.createElement('style');
  style.textContent = CSS;
  const layer = document.createElement('div');
  const card = document.createElement('div');
  card.className = 'card';
  card.setAttribute('role', 'dialog');
  card.setAttribute('aria-label', strings.title);
  shadow.append(style, layer, card);
  (document.body ?? document.documentElement).append(host);

  let step = 0;
  let picking = true;
  let hovered: Element | undefined;
  /** Elements stepped out of with ArrowUp, to step back into with ArrowDown. */
  const trail: Element[] = [];
  const picked = new Map<Step, Element>();
  let hint = '';

  const element = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) => {
    const created = document.createElement(tag);
    if (text !== undefined) created.textContent = text;
    if (className) created.className = className;
    return created;
  };
  const button = (text: string, onClick: () => void, primary = false) => {
    const created = element('button', text, primary ? 'primary' : undefined);
    created.type = 'button';
    created.addEventListener('click', onClick);
    return created;
  };

  /** Where `target`'s frames put it in the page's viewport (0, 0 for the page's own elements). */
  const frameOffset = (target: Element) => {
    let left = 0;
    let top = 0;
    for (let inner = target.ownerDocument; inner !== document; ) {
      const frame = frames.get(inner);
      if (!frame) break;
      const rect = frame.getBoundingClientRect();
      left += rect.left + frame.clientLeft;
      top += rect.top + frame.clientTop;
      inner = frame.ownerDocument;
    }
    return { left, top };
  };
  const drawBox = (target: Element, color: string, hover: boolean) => {
    const rect = target.getBoundingClientRect();
    const offset = frameOffset(target);
    const box = element('div', undefined, hover ? 'box hover' : 'box');
    box.style.cssText = `top:${rect.top + offset.top}px;left:${rect.left + offset.left}px;width:${rect.width}px;height:${rect.height}px;border-color:${color};`;
    layer.append(box);
  };
  const redraw = () => {
    layer.replaceChildren();
    for (const [name, target] of picked) drawBox(target, COLORS[name], false);
    if (picking && hovered) drawBox(hovered, COLORS.hover, true);
  };

  const renderStep = () => {
    card.replaceChildren(
      element('h2', strings.title),
      element('div', strings.step(step), 'muted'),
      element('p', strings.steps[step]),
      ...(hint ? [element('p', hint, 'hint')] : []),
      element('div', strings.keys, 'muted'),
    );
    const actions = element('div', undefined, 'actions');
    if (step > 0) {
      actions.append(
        button(strings.back, () => {
          step -= 1;
          picked.delete(STEPS[step] as Step);
          hint = '';
          renderStep();
          redraw();
        }),
      );
    }
    actions.append(button(strings.cancel, cancel));
    card.append(actions);
  };

  // This overlay, and any other Naparnik UI (the panel): events there are not picks.
  const ours = (event: Event) =>
    event
      .composedPath()
      .some(
        (target) =>
          target === host ||
          ((target as Node).nodeType === 1 &&
            ((target as Element).hasAttribute('data-naparnik') ||
              (target as Element).localName === 'naparnik-overlay')),
      );
  const isElement = (value: unknown): value is Element =>
    typeof value === 'object' && value !== null && (value as Node).nodeType === 1;
  const pageTarget = (event: Event): Element | undefined => {
    const first = event.composedPath()[0];
    const target = isElement(first) ? first : isElement(event.target) ? event.target : undefined;
    // Naparnik's own panel is never part of the page being taught.
    if (!target || target.closest('[data-naparnik], naparnik-overlay')) return undefined;
    return target;
  };

  const onMove = (event: Event) => {
    // The card steps aside (top ↔ bottom) when the pointer comes to it: what it covers stays pickable.
    if (picking && event.composedPath().includes(card)) card.classList.toggle('low');
    if (!picking || ours(event)) return;
    const target = pageTarget(event);
    if (!target || (hovered && (hovered === target || (trail.length > 0 && hovered.contains(target)))))
      return;
    hovered = target;
    trail.length = 0;
    redraw();
  };
  const swallow = (event: Event) => {
    if (!picking || ours(event)) return;
    event.preventDefault();
    event.stopPropagation();
  };
  const onClick = (event: Event) => {
    if (!picking || ours(event)) return;
    event.preventDefault();
    event.stopPropagation();
    const target = pageTarget(event);
    if (!target) return;
    const chosen = hovered?.contains(target) ? hovered : target;
    const name = STEPS[step] as Step;
    const list = picked.get('list');
    if ((name === 'customer' || name === 'operator') && list && !list.contains(chosen)) {
      hint = strings.outsideList;
      renderStep();
      return;
    }
    picked.set(name, chosen);
    hint = '';
    hovered = undefined;
    trail.length = 0;
    step += 1;
    redraw();
    if (step < STEPS.length) {
      renderStep();
      return;
    }
    picking = false;
    options.onPicked({
      list: picked.get('list') as Element,
      customer: picked.get('customer') as Element,
      operator: picked.get('operator') as Element,
      composer: picked.get('composer') as Element,
    });
  };
  const onKey = (event: Event) => {
    const key = (event as KeyboardEvent).key;
    if (key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      cancel();
      return;
    }
    if (!picking || !hovered) return;
    if (key === 'ArrowUp' && hovered.parentElement && hovered.parentElement !== document.documentElement) {
      trail.push(hovered);
      hovered = hovered.parentElement;
    } else if (key === 'ArrowDown' && trail.length > 0) {
      hovered = trail.pop();
    } else return;
    event.preventDefault();
    event.stopPropagation();
    redraw();
  };

  const listeners: Array<[string, (event: Event) => void]> = [
    ['mousemove', onMove],
    ['pointerdown', swallow],
    ['mousedown', swallow],
    ['pointerup', swallow],
    ['mouseup', swallow],
    ['click', onClick],
    ['keydown', onKey],
  ];
  // Picks land in the page and in its same-origin iframes (a conversation shown in one): each
  // window gets the listeners.
  const views = [
    view,
    ...Array.from(frames.keys(), (inner) => inner.defaultView).filter((each) => each !== null),
  ];
  // The page's own scripts may dispatch moves, clicks and keys too: those are dropped unseen.
  const isUserEvent = options.isUserEvent ?? ((event: Event) => event.isTrusted);
  const guarded = listeners.map(([type, listener]): [string, (event: Event) => void] => [
    type,
    (event) => {
      if (isUserEvent(event)) listener(event);
    },
  ]);
  for (const each of views) {
    for (const [type, listener] of guarded) each.addEventListener(type, listener, true);
    each.addEventListener('scroll', redraw, true);
  }
  view.addEventListener('resize', redraw);

  let closed = false;
  function close() {
    if (closed) return;
    closed = true;
    for (const each of views) {
      for (const [type, listener] of guarded) each.removeEventListener(type, listener, true);
      each.removeEventListener('scroll', redraw, true);
    }
    view.removeEventListener('resize', redraw);
    host.remove();
  }
  function cancel() {
    close();
    options.onCancel();
  }
  function restart() {
    step = 0;
    picking = true;
    picked.clear();
    hovered = undefined;
    hint = '';
    renderStep();
    redraw();
  }

  renderStep();
  return {
    host,
    showPreview(preview, actions) {
      const list = element('ol');
      list.setAttribute('aria-label', strings.previewTitle);
      for (const message of preview.messages.slice(-12)) {
        const item = element('li', undefined, message.role);
        item.append(element('span', strings.roles[message.role], 'role'), shortText(message.text));
        list.append(item);
      }
      card.replaceChildren(
        element('h2', strings.previewTitle),
        preview.messages.length > 0 ? list : element('p', strings.previewEmpty, 'hint'),
        element('p', preview.composerFound ? strings.composerFound : strings.composerMissing, 'muted'),
        ...(preview.fragile ? [element('p', strings.fragile, 'hint')] : []),
      );
      const buttons = element('div', undefined, 'actions');
      const save = button(strings.save, () => actions.save(), true);
      save.disabled = preview.messages.length === 0;
      buttons.append(
        save,
        button(strings.retry, () => actions.retry()),
        button(strings.cancel, cancel),
      );
      card.append(buttons);
    },
    showProblem(message, retry) {
      card.replaceChildren(element('h2', strings.title), element('p', message, 'hint'));
      const buttons = element('div', undefined, 'actions');
      buttons.append(button(strings.retry, retry, true), button(strings.cancel, cancel));
      card.append(buttons);
    },
    showStatus(message) {
      card.replaceChildren(element('h2', strings.title), element('p', message, 'muted'));
    },
    restart,
    close,
  };
}

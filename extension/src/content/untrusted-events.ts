/**
 * The helpdesk page is not ours to trust: its scripts can dispatch events (`.click()`, a
 * `KeyboardEvent('keydown', {altKey: true, code: 'Digit1'})`) that would insert a suggestion and
 * record feedback the operator never gave. Only the browser's own events (`isTrusted`: a real
 * mouse, a real keyboard) reach the panel.
 */

/** What the panel reacts to: pointer, keyboard, form and clipboard events. */
const GUARDED_EVENTS = [
  'click',
  'dblclick',
  'auxclick',
  'contextmenu',
  'mousedown',
  'mouseup',
  'pointerdown',
  'pointerup',
  'keydown',
  'keyup',
  'keypress',
  'beforeinput',
  'input',
  'change',
  'submit',
  'paste',
  'copy',
  'cut',
] as const;

/**
 * Stops every untrusted event of the kinds above at `root` (the panel's shadow root), in the
 * capture phase, before React's listeners on the container inside it see it. Returns the undo.
 */
export function dropUntrustedEvents(root: EventTarget): () => void {
  const drop = (event: Event) => {
    if (event.isTrusted) return;
    event.stopImmediatePropagation();
    event.preventDefault();
  };
  for (const type of GUARDED_EVENTS) root.addEventListener(type, drop, true);
  return () => {
    for (const type of GUARDED_EVENTS) root.removeEventListener(type, drop, true);
  };
}

/**
 * How the panel's shadow root is made: closed, so that page scripts cannot reach into it, except
 * in the e2e build (`wxt build --mode e2e`, for the browser tests and the bench), whose tests find
 * the panel's buttons with Playwright, which cannot look into closed roots.
 */
export const SHADOW_MODE: ShadowRootMode = import.meta.env.MODE === 'e2e' ? 'open' : 'closed';

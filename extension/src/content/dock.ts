/** The panel's width when docked; the page is narrowed by as much so nothing hides under it. */
export const PANEL_WIDTH = 360;

/**
 * Narrows the page to make room for the docked panel (the helpdesk's own send button often sits
 * at the right edge) and restores the page's own style when the panel is collapsed or removed.
 */
export function createPageDock(document: Document) {
  const root = document.documentElement;
  const original = root.style.getPropertyValue('margin-right');
  const originalPriority = root.style.getPropertyPriority('margin-right');
  return {
    reserve(width: number) {
      if (width > 0) root.style.setProperty('margin-right', `${width}px`, 'important');
      else this.release();
    },
    release() {
      if (original) root.style.setProperty('margin-right', original, originalPriority);
      else root.style.removeProperty('margin-right');
    },
  };
}

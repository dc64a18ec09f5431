/**
 * Code the bench runs inside the page (main world). Each function is serialised by Playwright, so
 * it uses nothing from this module's scope.
 */

export const PAGE_MARKS = { rendered: 'bench:panel-rendered', ready: 'bench:panel-ready' } as const;

/**
 * Init script: marks when the panel is rendered and when its first suggestion can be inserted. The
 * panel lives in the overlay's open shadow root, so the probe follows the host into it.
 */
export function panelProbe(marks: { rendered: string; ready: string }): void {
  const done = new Set<string>();
  const mark = (name: string) => {
    if (done.has(name)) return;
    done.add(name);
    performance.mark(name);
  };
  const check = (shadow: ShadowRoot) => {
    if (shadow.querySelector('section[data-naparnik="panel"]')) mark(marks.rendered);
    if (!shadow.querySelector('section[data-naparnik="panel"] button.np-primary:not([disabled])'))
      return false;
    mark(marks.ready);
    return true;
  };
  const follow = (shadow: ShadowRoot) => {
    if (check(shadow)) return;
    const inner = new MutationObserver(() => {
      if (check(shadow)) inner.disconnect();
    });
    inner.observe(shadow, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['disabled'],
    });
  };
  const outer = new MutationObserver(() => {
    const shadow = document.querySelector('naparnik-overlay')?.shadowRoot;
    if (!shadow) return;
    outer.disconnect();
    follow(shadow);
  });
  outer.observe(document, { childList: true, subtree: true });
}

export interface LoadTimes {
  domContentLoaded: number;
  load: number;
  conversationRead: number;
  panelRendered: number;
  panelReady: number;
}

/** Milliseconds from navigation start to each step, read once the panel is ready. */
export function loadTimes(names: { read: string; rendered: string; ready: string }): LoadTimes {
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const firstRead = performance.getEntriesByName(names.read)[0];
  const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN;
  return {
    domContentLoaded: navigation?.domContentLoadedEventEnd ?? Number.NaN,
    load: navigation?.loadEventEnd ?? Number.NaN,
    conversationRead: firstRead ? firstRead.startTime + firstRead.duration : Number.NaN,
    panelRendered: at(names.rendered),
    panelReady: at(names.ready),
  };
}

export interface BatchCost {
  observeMs: number;
  observeCalls: number;
  readMs: number;
}

/**
 * Appends one message to the list and waits for the debounced read it causes; returns the time
 * the content script spent in its observer callbacks and in that read.
 */
export async function appendAndMeasure(input: {
  listSelector: string;
  html: string;
  names: { observe: string; read: string };
}): Promise<BatchCost> {
  performance.clearMeasures(input.names.observe);
  performance.clearMeasures(input.names.read);
  const start = performance.now();
  const list = document.querySelector(input.listSelector);
  if (!list) throw new Error(`no ${input.listSelector} on the page`);
  const template = document.createElement('template');
  template.innerHTML = input.html;
  list.append(template.content);
  for (;;) {
    const read = performance.getEntriesByName(input.names.read).find((entry) => entry.startTime >= start);
    if (read) {
      const observed = performance
        .getEntriesByName(input.names.observe)
        .filter((entry) => entry.startTime >= start && entry.startTime <= read.startTime);
      return {
        observeMs: observed.reduce((sum, entry) => sum + entry.duration, 0),
        observeCalls: observed.length,
        readMs: read.duration,
      };
    }
    if (performance.now() - start > 10_000) throw new Error('the content script did not read the page');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * How `pnpm bench extension` talks to the content script. With `data-naparnik-bench` on <html> the
 * page bridge records its work as performance measures, which the page's own scripts can read.
 */
export const BENCH_ATTRIBUTE = 'data-naparnik-bench';
/** `data-naparnik-bench="full-read"`: every reading covers the whole page (the cost before scoping). */
export const BENCH_FULL_READ = 'full-read';
export const BENCH_MEASURES = { observe: 'naparnik:observe', read: 'naparnik:read' } as const;

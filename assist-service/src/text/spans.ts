/** Claimed stretches of a text, so that one stretch is reported as one entity only. */
export interface Span {
  start: number;
  end: number;
}

/** At most this many entities of one kind: a message is not a phone book, and it bounds the work. */
export const MAX_PER_KIND = 200;

/** Non-overlapping spans kept sorted; `claim` refuses a span that overlaps one already held. */
export class SpanSet {
  readonly #spans: Span[] = [];

  overlaps(span: Span): boolean {
    const index = this.#firstEndingAfter(span.start);
    const next = this.#spans[index];
    return next !== undefined && next.start < span.end;
  }

  claim(span: Span): boolean {
    if (span.end <= span.start || this.overlaps(span)) return false;
    this.#spans.splice(this.#firstEndingAfter(span.start), 0, { start: span.start, end: span.end });
    return true;
  }

  /** Index of the first held span whose end is after `position`. */
  #firstEndingAfter(position: number): number {
    let low = 0;
    let high = this.#spans.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#spans[middle]!.end <= position) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

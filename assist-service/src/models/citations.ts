/**
 * Citation markers in a model's reply: `[1]`, `[1][3]`, `[1, 2]` point at the numbered sources.
 * `extractCitations` keeps the numbers that exist, drops and counts the rest, and gives the text
 * without markers (what the operator sends). `createDeltaCleaner` does the same to a stream of
 * deltas, holding back a marker cut between two deltas until it is whole, and restores personal
 * values as they pass.
 */

const MARKER = /[ \t\u00a0]*\[(\d{1,3}(?:[ \t]*[,;][ \t]*\d{1,3})*)\]/gu;

export interface ExtractedCitations {
  /** The reply without markers. */
  text: string;
  /** The reply with valid markers only. */
  annotatedText: string;
  /** Source numbers cited, in order of first citation. */
  cited: number[];
  /** Markers (numbers) naming a source that does not exist; dropped. */
  unknownCitations: number;
}

function tidy(text: string): string {
  return text
    .replace(/[ \t]{2,}/gu, ' ')
    .replace(/[ \t]+$/gmu, '')
    .trim();
}

export function extractCitations(annotated: string, sourceCount: number): ExtractedCitations {
  const cited: number[] = [];
  let unknownCitations = 0;
  const annotatedText = annotated.replace(MARKER, (marker, list: string) => {
    const numbers = list.split(/[,;]/u).map((part) => Number(part.trim()));
    const known = numbers.filter((number) => number >= 1 && number <= sourceCount);
    unknownCitations += numbers.length - known.length;
    for (const number of known) if (!cited.includes(number)) cited.push(number);
    if (known.length === 0) return '';
    const leading = /^[ \t\u00a0]*/u.exec(marker)?.[0] ?? '';
    return `${leading}${known.map((number) => `[${number}]`).join('')}`;
  });
  return {
    text: tidy(annotated.replace(MARKER, '')),
    annotatedText: tidy(annotatedText),
    cited,
    unknownCitations,
  };
}

export interface DeltaCleaner {
  /** Takes a raw delta, returns the text safe to show now (possibly empty). */
  push(delta: string): string;
  /** The rest, at the end of the stream. */
  flush(): string;
  /** Forgets everything (the stream restarted). */
  reset(): void;
}

/** A tail that may still become a marker or a placeholder: `[`, `[1`, `[1,`, `[PHONE_`… */
const OPEN_TAIL = /\[[\p{L}\d_ ,;]{0,24}$/u;

export function createDeltaCleaner(restore: (text: string) => string = (text) => text): DeltaCleaner {
  let pending = '';
  const clean = (text: string) => restore(text.replace(MARKER, ''));
  return {
    push(delta) {
      pending += delta;
      let cut = pending.length;
      const open = OPEN_TAIL.exec(pending);
      if (open) cut = open.index;
      // Whitespace before a possible marker waits too: the marker takes it along.
      while (cut > 0 && /[ \t\u00a0]/u.test(pending[cut - 1]!)) cut--;
      const ready = pending.slice(0, cut);
      pending = pending.slice(cut);
      return clean(ready);
    },
    flush() {
      const rest = clean(pending);
      pending = '';
      return rest;
    },
    reset() {
      pending = '';
    },
  };
}

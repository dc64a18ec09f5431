/**
 * Typo tolerance for the lexical signal: a query word the index has never seen is matched to
 * indexed words one edit away (insertion, deletion, substitution or a swap of neighbours), the
 * way SymSpell does it: by deleting one character from both sides and meeting in the middle.
 * Customers type fast («ситудии», «закруплять», «акаунт»); operators' FAQ is spelled right.
 */
export interface TypoCorrector {
  /** Indexed terms one edit from `term`, excluding `term` itself. */
  corrections(term: string): string[];
}

/** Shorter words have too many neighbours one edit away to guess which was meant. */
export const MIN_CORRECTABLE_LENGTH = 5;

export function createTypoCorrector(terms: Iterable<string>): TypoCorrector {
  const byDeletion = new Map<string, string[]>();
  const known = new Set<string>();
  const file = (key: string, term: string) => {
    const list = byDeletion.get(key);
    if (!list) byDeletion.set(key, [term]);
    else if (list.at(-1) !== term) list.push(term);
  };
  for (const term of terms) {
    if (known.has(term)) continue;
    known.add(term);
    if (term.length < MIN_CORRECTABLE_LENGTH - 1) continue;
    file(term, term);
    for (const deleted of deletions(term)) file(deleted, term);
  }
  return {
    corrections(term) {
      if (term.length < MIN_CORRECTABLE_LENGTH || /\d/u.test(term)) return [];
      const found = new Set<string>();
      for (const key of [term, ...deletions(term)]) {
        for (const candidate of byDeletion.get(key) ?? []) {
          if (candidate !== term && withinOneEdit(term, candidate)) found.add(candidate);
        }
      }
      return [...found].sort();
    },
  };
}

function deletions(term: string): Set<string> {
  const result = new Set<string>();
  for (let index = 0; index < term.length; index++) result.add(term.slice(0, index) + term.slice(index + 1));
  return result;
}

/** Optimal string alignment distance ≤ 1. */
export function withinOneEdit(left: string, right: string): boolean {
  if (left === right) return true;
  if (Math.abs(left.length - right.length) > 1) return false;
  if (left.length === right.length) {
    const differences: number[] = [];
    for (let index = 0; index < left.length; index++) {
      if (left[index] !== right[index]) differences.push(index);
      if (differences.length > 2) return false;
    }
    if (differences.length === 1) return true;
    const [first, second] = differences as [number, number];
    return second === first + 1 && left[first] === right[second] && left[second] === right[first];
  }
  const [shorter, longer] = left.length < right.length ? [left, right] : [right, left];
  let skipped = false;
  for (let short = 0, long = 0; short < shorter.length; long++) {
    if (shorter[short] === longer[long]) {
      short++;
      continue;
    }
    if (skipped) return false;
    skipped = true;
  }
  return true;
}

/**
 * Key entities of a reference text — numbers, amounts, dates, links, @handles, e-mail addresses
 * and capitalised words that do not start a sentence (names, products) — and how many of them a
 * candidate mentions. A summary that drops the order number or the product is worse than its
 * ROUGE suggests.
 */
const PATTERNS: readonly RegExp[] = [
  /\bhttps?:\/\/[^\s<>"]+/giu,
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu,
  /(?<![\p{L}\p{N}])@[\p{L}\p{N}_]{2,}/gu,
  /\d+(?:[.,:/-]\d+)*/gu,
];

const SENTENCE_START = /(?:^|[.!?]\s+|\n\s*)$/u;

export interface EntityOptions {
  /** Capitalised words that are template, not content (TweetSumm's "Customer", "Agent"). */
  ignore?: readonly string[];
}

export function keyEntities(text: string, options: EntityOptions = {}): string[] {
  const ignore = new Set((options.ignore ?? []).map((word) => word.toLowerCase()));
  const found = new Set<string>();
  let rest = text;
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern)) found.add(normaliseEntity(match[0]));
    rest = rest.replace(pattern, ' ');
  }
  for (const match of rest.matchAll(/\p{Lu}[\p{L}\p{N}'’-]*/gu)) {
    const word = match[0];
    const before = rest.slice(0, match.index);
    if (SENTENCE_START.test(before)) continue;
    if (word.length < 2 || ignore.has(word.toLowerCase())) continue;
    found.add(normaliseEntity(word));
  }
  return [...found].sort();
}

function normaliseEntity(entity: string): string {
  return entity.toLowerCase().replace(/[.,;:!?)]+$/u, '');
}

/** Share of the reference's entities the candidate mentions; 1 when the reference has none. */
export function entityCoverage(candidate: string, reference: string, options: EntityOptions = {}): number {
  const entities = keyEntities(reference, options);
  if (entities.length === 0) return 1;
  const haystack = candidate.toLowerCase();
  return entities.filter((entity) => haystack.includes(entity)).length / entities.length;
}

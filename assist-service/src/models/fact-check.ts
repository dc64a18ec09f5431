/**
 * Facts in a generated text — numbers, dates, amounts, order/contract/tracking numbers, links —
 * must appear in what the model was given (the sources and the conversation). One that does not
 * is "ungrounded": the suggestion is flagged, the operator looks before sending.
 *
 * Values are compared normalised by the same extractor the rest of the service uses
 * (`text/entities.ts`): «15 декабря» and «15.12» are the same date, «1 500 ₽» and «1500 руб.» the
 * same amount. Placeholders (`[PHONE_1]`) and citation markers are not facts. Numbers written
 * in words («три дня») are not checked.
 */
import { PLACEHOLDER_IN_TEXT } from '@naparnik/ingest';
import { extractEntities } from '../text/entities.ts';
import type { Entities, Found } from '../text/types.ts';

export type FactKind = 'number' | 'date' | 'amount' | 'order-id' | 'contract-id' | 'tracking-number' | 'link';

export interface Fact {
  kind: FactKind;
  /** As written in the text. */
  raw: string;
  /** Normalised for comparison. */
  value: string;
}

export interface FactCheck {
  facts: Fact[];
  ungrounded: Fact[];
}

const ENTITY_KINDS: ReadonlyArray<[keyof Entities, FactKind]> = [
  ['orderIds', 'order-id'],
  ['contractIds', 'contract-id'],
  ['trackingNumbers', 'tracking-number'],
  ['dates', 'date'],
  ['amounts', 'amount'],
  ['urls', 'link'],
];

const CITATION = /\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\]/gu;
const NUMBER =
  /(?<![\p{L}\d])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?!\d)|(?<![\p{L}\d])\d+(?:[.,]\d+)?(?!\d)/gu;
/** «1.» or «2)» opening a line: a list marker, not a fact. */
const LIST_MARKER = /^[ \t]*\d{1,2}[.)][ \t]/u;

function withoutMarkers(text: string): string {
  // Same length, so offsets stay meaningful.
  const blank = (match: string) => ' '.repeat(match.length);
  return text.replace(PLACEHOLDER_IN_TEXT, blank).replace(CITATION, blank);
}

function normaliseNumber(raw: string): string {
  return raw.replace(/[ \u00a0\u202f]/gu, '').replace(',', '.');
}

function normaliseLink(raw: string): string {
  return raw
    .replace(/[.,;:!?)»"']+$/u, '')
    .replace(/^https?:\/\//iu, '')
    .replace(/^www\./iu, '')
    .replace(/\/$/u, '')
    .toLowerCase();
}

function entityFacts(
  text: string,
  options: { now: Date; language: 'ru' | 'en' },
): Array<Fact & Pick<Found, 'start' | 'end'>> {
  const entities = extractEntities(text, options);
  const facts: Array<Fact & Pick<Found, 'start' | 'end'>> = [];
  for (const [field, kind] of ENTITY_KINDS) {
    for (const found of entities[field] as Found[]) {
      facts.push({
        kind,
        raw: found.raw,
        value: kind === 'link' ? normaliseLink(found.raw) : String(found.value),
        start: found.start,
        end: found.end,
      });
    }
  }
  return facts;
}

function numberFacts(text: string, claimed: ReadonlyArray<{ start: number; end: number }>): Fact[] {
  const facts: Fact[] = [];
  for (const match of text.matchAll(NUMBER)) {
    const start = match.index;
    const end = start + match[0].length;
    if (claimed.some((span) => span.start < end && start < span.end)) continue;
    const lineStart = text.lastIndexOf('\n', start) + 1;
    if (LIST_MARKER.test(text.slice(lineStart, end + 2)) && text.slice(lineStart, start).trim() === '')
      continue;
    facts.push({ kind: 'number', raw: match[0], value: normaliseNumber(match[0]) });
  }
  return facts;
}

/** Every fact in `text`, with the kinds above. */
export function findFacts(text: string, options: { now: Date; language: 'ru' | 'en' }): Fact[] {
  const cleaned = withoutMarkers(text);
  const entities = entityFacts(cleaned, options);
  return [
    ...entities.map(({ kind, raw, value }) => ({ kind, raw, value })),
    ...numberFacts(cleaned, entities),
  ];
}

/** The facts of `text` that none of `grounding` contains. */
export function checkFacts(
  text: string,
  grounding: readonly string[],
  options: { now: Date; language: 'ru' | 'en' },
): FactCheck {
  const facts = findFacts(text, options);
  const known = new Set<string>();
  const numbers = new Set<string>();
  const links: string[] = [];
  const plain = grounding.join('\n').toLowerCase();
  for (const piece of grounding) {
    const cleaned = withoutMarkers(piece);
    for (const fact of entityFacts(cleaned, options)) {
      known.add(`${fact.kind}:${fact.value}`);
      if (fact.kind === 'link') links.push(fact.value);
    }
    for (const match of cleaned.matchAll(NUMBER)) numbers.add(normaliseNumber(match[0]));
  }
  const grounded = (fact: Fact): boolean => {
    if (known.has(`${fact.kind}:${fact.value}`)) return true;
    if (fact.kind === 'link') {
      // A source may write a link without its scheme («shop.example.ru/track»).
      return (
        links.some((link) => link === fact.value || link.startsWith(`${fact.value}/`)) ||
        plain.includes(fact.value)
      );
    }
    if (fact.kind === 'date' || fact.kind === 'amount') return false;
    // An order number the sources mention without the word «заказ» is still the same number.
    return numbers.has(normaliseNumber(fact.raw.replace(/^[^\d]+/u, '')));
  };
  return { facts, ungrounded: facts.filter((fact) => !grounded(fact)) };
}

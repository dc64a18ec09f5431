import { findAddresses } from './addresses.ts';
import type { Candidate } from './candidate.ts';
import { type CuesBefore, cuesBefore, orderReferences, type Range } from './cues.ts';
import { findEmails } from './emails.ts';
import {
  emptyRedactionMap,
  PERSONAL_DATA_KINDS,
  type PersonalDataKind,
  PLACEHOLDER_IN_TEXT,
  placeholderFor,
  type RedactionEntry,
  type RedactionMap,
  redactionMapSchema,
} from './kinds.ts';
import { findNames, knownNameOccurrences } from './names.ts';
import { numberSpans, passportSeriesAndNumber, readNumber } from './numbers.ts';

export interface RedactOptions {
  /** `en` also reads North American numbers («(555) 123-4567») as phones. Russian cues always apply. */
  language?: 'ru' | 'en';
  /** Only these kinds (default: all). */
  kinds?: PersonalDataKind[];
  /** The conversation's map so far: the same value keeps its placeholder, new ones continue the numbering. */
  known?: RedactionMap;
  /**
   * Names the caller knows are a person's (the customer's name read from a bare sign-off): masked
   * wherever they appear, as names found here are.
   */
  names?: readonly string[];
}

export interface FoundPersonalData {
  kind: PersonalDataKind;
  placeholder: string;
  /** The value as written; a card only as its last four digits (`**** **** **** 1234`). */
  value: string;
  start: number;
  end: number;
}

export interface Redaction {
  text: string;
  found: FoundPersonalData[];
  map: RedactionMap;
}

export class RedactionError extends Error {
  readonly code = 'invalid-redaction-input' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedactionError';
  }

  static isInstance(error: unknown): error is RedactionError {
    return error instanceof Error && (error as { code?: unknown }).code === 'invalid-redaction-input';
  }
}

/** Every proposal of every detector, before overlaps are settled. */
function candidates(text: string, english: boolean, names: readonly string[] = []): Candidate[] {
  const all: Candidate[] = [...findEmails(text), ...passportSeriesAndNumber(text)];
  const cues = new Map<number, CuesBefore>();
  for (const span of numberSpans(text)) {
    let cue = cues.get(span.start);
    if (!cue) {
      cue = cuesBefore(text, span.start);
      cues.set(span.start, cue);
    }
    all.push(...readNumber(text, span, cue, { english }));
  }
  all.push(...findNames(text), ...knownNameOccurrences(text, names), ...findAddresses(text));
  return all;
}

/**
 * The spans to mask: order references first (kept as they are), then proposals by priority and
 * length, each taken only where nothing taken already lies.
 */
export function detectPersonalData(
  text: string,
  options: Pick<RedactOptions, 'language' | 'kinds' | 'names'> = {},
): Candidate[] {
  const wanted = new Set<PersonalDataKind>(options.kinds ?? PERSONAL_DATA_KINDS);
  // One mark per character (1: an order reference, 2: taken), so settling overlaps stays linear.
  const marks = new Uint8Array(text.length);
  for (const range of orderReferences(text)) marks.fill(1, range.start, range.end);
  const free = (range: Range) => {
    for (let index = range.start; index < range.end; index++) if (marks[index]) return false;
    return true;
  };
  const taken: Candidate[] = [];
  const ordered = candidates(text, options.language === 'en', options.names).sort(
    (left, right) =>
      right.priority - left.priority ||
      right.end - right.start - (left.end - left.start) ||
      left.start - right.start,
  );
  for (const candidate of ordered) {
    if (!free(candidate)) continue;
    marks.fill(2, candidate.start, candidate.end);
    taken.push(candidate);
  }
  return taken
    .filter((candidate) => wanted.has(candidate.kind))
    .sort((left, right) => left.start - right.start);
}

/** PCI DSS: a card leaves this module only as its last four digits. */
function shownValue(kind: PersonalDataKind, value: string): string {
  if (kind !== 'card') return value;
  return `**** **** **** ${value.replace(/\D/gu, '').slice(-4)}`;
}

function parseKnown(known: RedactionMap | undefined): RedactionMap {
  if (known === undefined) return emptyRedactionMap();
  const parsed = redactionMapSchema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RedactionError(`known: ${issue?.path.join('.') || 'map'}: ${issue?.message ?? 'invalid'}`);
  }
  return { entries: parsed.data.entries.map((entry) => ({ ...entry })) };
}

/**
 * Replaces personal values with placeholders (`[PHONE_1]`, `[CARD_2]`…). The same value gets the
 * same placeholder within one map; pass the previous result's `map` as `known` for the next message
 * of the conversation. Order, tracking and ticket numbers stay.
 */
export function redactPersonalData(text: string, options: RedactOptions = {}): Redaction {
  if (typeof text !== 'string') throw new RedactionError('text: expected a string');
  if (options.language !== undefined && options.language !== 'ru' && options.language !== 'en') {
    throw new RedactionError(`language: expected "ru" or "en", got ${JSON.stringify(options.language)}`);
  }
  for (const kind of options.kinds ?? []) {
    if (!PERSONAL_DATA_KINDS.includes(kind)) {
      throw new RedactionError(
        `kinds: unknown kind ${JSON.stringify(kind)} (${PERSONAL_DATA_KINDS.join(', ')})`,
      );
    }
  }
  if (
    options.names !== undefined &&
    (!Array.isArray(options.names) || options.names.some((name) => typeof name !== 'string'))
  ) {
    throw new RedactionError('names: expected a list of strings');
  }
  const map = parseKnown(options.known);
  const byKey = new Map(map.entries.map((entry) => [`${entry.kind}:${entry.key}`, entry]));
  const counters = new Map<PersonalDataKind, number>();
  for (const entry of map.entries) {
    const number = Number(entry.placeholder.slice(entry.placeholder.lastIndexOf('_') + 1, -1));
    counters.set(entry.kind, Math.max(counters.get(entry.kind) ?? 0, number));
  }
  const found: FoundPersonalData[] = [];
  let redacted = '';
  let position = 0;
  for (const candidate of detectPersonalData(text, options)) {
    let entry = byKey.get(`${candidate.kind}:${candidate.key}`);
    if (!entry) {
      const number = (counters.get(candidate.kind) ?? 0) + 1;
      counters.set(candidate.kind, number);
      const created: RedactionEntry = {
        placeholder: placeholderFor(candidate.kind, number),
        kind: candidate.kind,
        key: candidate.key,
        value: shownValue(candidate.kind, text.slice(candidate.start, candidate.end)),
      };
      map.entries.push(created);
      byKey.set(`${candidate.kind}:${candidate.key}`, created);
      entry = created;
    }
    found.push({
      kind: candidate.kind,
      placeholder: entry.placeholder,
      value: shownValue(candidate.kind, text.slice(candidate.start, candidate.end)),
      start: candidate.start,
      end: candidate.end,
    });
    redacted += text.slice(position, candidate.start) + entry.placeholder;
    position = candidate.end;
  }
  redacted += text.slice(position);
  return { text: redacted, found, map };
}

/** Puts the map's values back where a draft has their placeholders; unknown placeholders stay. */
export function restorePersonalData(text: string, map: RedactionMap): string {
  const values = new Map(parseKnown(map).entries.map((entry) => [entry.placeholder, entry.value]));
  return text.replace(PLACEHOLDER_IN_TEXT, (placeholder) => values.get(placeholder) ?? placeholder);
}

/** For what is stored (history, gaps, feedback): values become placeholders and no map is kept. */
export function maskPersonalData(text: string): string {
  return redactPersonalData(text).text;
}

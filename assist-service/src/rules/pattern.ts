/**
 * Rule patterns (FORMATS.md `pattern:`/`patterns:`) as JavaScript regular expressions that behave
 * the way their authors expect: case-insensitive, ё and е alike, and `\w`/`\b` covering Cyrillic.
 * The translation is ingest's `compilePattern`, which validates the same patterns at ingest time;
 * here the text and the pattern are also ё→е folded (same length, so offsets hold).
 */

import { compilePattern } from '@naparnik/ingest/naparnik-schema';

/** At most this many matches of one pattern are reported. */
const MAX_MATCHES = 50;

export function foldYo(text: string): string {
  return text.replaceAll('ё', 'е').replaceAll('Ё', 'Е');
}

const cache = new Map<string, RegExp | null>();

/** The compiled pattern (global, case-insensitive, Unicode), or undefined when it is not a valid regex. */
export function compileRulePattern(source: string): RegExp | undefined {
  const cached = cache.get(source);
  if (cached !== undefined) return cached ?? undefined;
  let compiled: RegExp | null = null;
  try {
    compiled = new RegExp(foldYo(compilePattern(source).source), 'giu');
  } catch {
    compiled = null;
  }
  if (cache.size > 1000) cache.clear();
  cache.set(source, compiled);
  return compiled ?? undefined;
}

/** Spans of a pattern in `text` (non-empty matches only). */
export function patternSpans(source: string, text: string): { start: number; end: number }[] {
  const pattern = compileRulePattern(source);
  if (!pattern) return [];
  const spans: { start: number; end: number }[] = [];
  for (const match of foldYo(text).matchAll(pattern)) {
    if (match[0].length > 0) spans.push({ start: match.index, end: match.index + match[0].length });
    if (spans.length >= MAX_MATCHES) break;
  }
  return spans;
}

export function patternMatches(source: string, text: string): boolean {
  return patternSpans(source, text).length > 0;
}

import type { SafetyFinding, SafetyFlagKind } from './types.ts';

/**
 * A rule of the detector: a regular expression over ё→е folded text (same length, so offsets
 * hold), compiled once with `giu` (`matchAll` copies it, so the shared one is never moved).
 */
export interface SafetyRule {
  id: string;
  kind: SafetyFlagKind;
  pattern: RegExp;
  /** A match is dropped when this says so (a negation before it, a safe object after it). */
  reject?: (text: string, start: number, end: number) => boolean;
}

export function foldForMatching(text: string): string {
  return text.replaceAll('ё', 'е').replaceAll('Ё', 'Е');
}

const MAX_MATCHES_PER_RULE = 20;

/** Every match of every rule, in text order. */
export function matchRules(text: string, rules: readonly SafetyRule[]): SafetyFinding[] {
  const folded = foldForMatching(text);
  const findings: SafetyFinding[] = [];
  for (const rule of rules) {
    let count = 0;
    for (const match of folded.matchAll(rule.pattern)) {
      if (match[0].length === 0) continue;
      const start = match.index;
      const end = start + match[0].length;
      if (rule.reject?.(folded, start, end)) continue;
      findings.push({ kind: rule.kind, rule: rule.id, start, end });
      if (++count >= MAX_MATCHES_PER_RULE) break;
    }
  }
  return findings.sort((left, right) => left.start - right.start || left.end - right.end);
}

/** The sentence-like stretch of text before `start` (back to . ! ? or a line break). */
export function clauseBefore(text: string, start: number, limit = 80): string {
  const before = text.slice(Math.max(0, start - limit), start);
  const cut = Math.max(
    before.lastIndexOf('.'),
    before.lastIndexOf('!'),
    before.lastIndexOf('?'),
    before.lastIndexOf('\n'),
  );
  return cut >= 0 ? before.slice(cut + 1) : before;
}

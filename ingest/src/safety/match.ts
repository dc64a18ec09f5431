import { foldForMatching, transliterated } from './normalize.ts';
import type { SafetyFinding, SafetyFlagKind } from './types.ts';

export { foldForMatching };

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

const MAX_MATCHES_PER_RULE = 20;

function matchFolded(folded: string, rules: readonly SafetyRule[]): SafetyFinding[] {
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
  return findings;
}

/**
 * Every match of every rule, in text order: over the text folded (normalize.ts), and over its
 * Latin words read as transliterated Russian, mapped back to the original's offsets.
 */
export function matchRules(text: string, rules: readonly SafetyRule[]): SafetyFinding[] {
  const findings = matchFolded(foldForMatching(text), rules);
  const latin = transliterated(text);
  if (latin) {
    const seen = new Set(findings.map((finding) => `${finding.rule}:${finding.start}`));
    for (const finding of matchFolded(foldForMatching(latin.text), rules)) {
      const start = latin.source[finding.start] ?? 0;
      const end = (latin.source[finding.end - 1] ?? start) + 1;
      if (seen.has(`${finding.rule}:${start}`)) continue;
      findings.push({ ...finding, start, end });
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

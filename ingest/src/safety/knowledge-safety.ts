import { detectInjection } from './injection.ts';
import { checkReplyGuard } from './reply-guard.ts';
import type { LinkPolicy, SafetyFinding, SafetyFlagKind } from './types.ts';

/**
 * A knowledge-base text judged as a whole: injection aimed at the model that will read it, and
 * the reply guard's rules (an entry telling operators to ask for the CVV or to promise a refund
 * «в любом случае» is poisoned). Stored on every chunk of the document as `metadata.safety`.
 */
export interface KnowledgeSafety {
  flags: SafetyFlagKind[];
  /** Matched rule ids, for the manager's report. */
  rules: string[];
  /** The first matched words, shortened, for the report. */
  excerpt: string;
}

const EXCERPT_CHARS = 120;

/** The knowledge-base text's safety verdict, or undefined when nothing is flagged. */
export function scanKnowledgeText(text: string, policy: LinkPolicy = {}): KnowledgeSafety | undefined {
  const findings = [...detectInjection(text), ...checkReplyGuard(text, policy)].sort(
    (left, right) => left.start - right.start,
  );
  return summarize(text, findings);
}

export function summarize(text: string, findings: readonly SafetyFinding[]): KnowledgeSafety | undefined {
  const first = findings[0];
  if (!first) return undefined;
  const flags = [...new Set(findings.map((finding) => finding.kind))];
  const rules = [...new Set(findings.map((finding) => finding.rule))];
  const before = text.slice(Math.max(0, first.start - 24), first.start);
  const space = before.search(/\s\S*$/u);
  const from = first.start - before.length + (space >= 0 ? space + 1 : 0);
  const to = Math.max(first.end, from + EXCERPT_CHARS);
  const raw = text.slice(from, to).replace(/\s+/gu, ' ').trim();
  const cut = raw.length > EXCERPT_CHARS || to < text.length;
  const excerpt = raw.length > EXCERPT_CHARS ? raw.slice(0, EXCERPT_CHARS - 1) : raw;
  return { flags, rules, excerpt: `${from > 0 ? '…' : ''}${excerpt}${cut ? '…' : ''}` };
}

/** `metadata.safety` as ingest stores it, read back without trusting its shape. */
export function storedSafety(metadata: Record<string, unknown> | undefined): KnowledgeSafety | undefined {
  const value = metadata?.safety as Partial<KnowledgeSafety> | undefined;
  if (!value || !Array.isArray(value.flags) || value.flags.length === 0) return undefined;
  return {
    flags: value.flags.filter((flag): flag is SafetyFlagKind => typeof flag === 'string'),
    rules: Array.isArray(value.rules) ? value.rules.filter((rule) => typeof rule === 'string') : [],
    excerpt: typeof value.excerpt === 'string' ? value.excerpt : '',
  };
}

import type { SourceDocument } from '../model.ts';
import { detectInjection } from './injection.ts';
import { type KnowledgeSafety, summarize } from './knowledge-safety.ts';
import { checkReplyGuard } from './reply-guard.ts';
import type { SafetyFinding } from './types.ts';

export type { KnowledgeSafety } from './knowledge-safety.ts';

/**
 * A loaded document's safety verdict, or undefined when nothing is flagged. Script rules list
 * what operators must never say (a banned «вернём деньги в любом случае»), so they are only
 * checked for injection; every other section is also held to the reply guard's rules.
 */
export function scanDocument(
  document: SourceDocument,
  linkDomains: readonly string[] | undefined,
): KnowledgeSafety | undefined {
  const findings: SafetyFinding[] = [];
  const texts: string[] = [];
  for (const section of document.sections) {
    const text = `${section.titlePath.join(' / ')}\n${section.text}`;
    const offset = texts.join('\n').length + (texts.length > 0 ? 1 : 0);
    texts.push(text);
    const shift = <T extends { start: number; end: number }>(finding: T) => ({
      ...finding,
      start: finding.start + offset,
      end: finding.end + offset,
    });
    findings.push(...detectInjection(text).map(shift));
    if (section.metadata?.type === 'script-rules') continue;
    findings.push(...checkReplyGuard(text, { allowedDomains: linkDomains }).map(shift));
  }
  findings.sort((left, right) => left.start - right.start);
  return summarize(texts.join('\n'), findings);
}

import { analyze } from '@naparnik/ingest';
import { stemSimilarity } from '../console/text-clusters.ts';

/** A reply "heavily rewritten": it shares less than this Dice similarity of stems with the suggestion. */
export const REWRITE_SIMILARITY = 0.5;

/**
 * Whether the operator's sent text is a rewrite rather than an edit of the suggestion: the one
 * definition the console's knowledge gaps and the service's history learning share.
 */
export function heavilyRewritten(suggestionText: string, sentText: string): boolean {
  return stemSimilarity(new Set(analyze(suggestionText)), new Set(analyze(sentText))) < REWRITE_SIMILARITY;
}

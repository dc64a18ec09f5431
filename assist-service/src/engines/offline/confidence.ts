import type { Confidence } from '../../contract/index.ts';
import type { SearchHit } from '../../retrieval/knowledge-base.ts';
import { stemSet } from '../../retrieval/stems.ts';

/**
 * How well a hit answers the question, 0..1, from signals that mean the same across result lists
 * (the fused score does not): how much of the entry's question the customer's words cover, how
 * much of the customer's question the entry covers, and the embedding similarity.
 */
export interface HitAssessment {
  hit: SearchHit;
  score: number;
  /** Share of the entry's question (title or one of its phrasings) found in the query. */
  questionCoverage: number;
  /** Share of the query's words found in the entry. */
  queryCoverage: number;
}

/**
 * Levels of a calibrated probability (pipeline/calibration.ts), set as product rules rather than
 * fitted: "high" means at least four answers in five are right; below "medium", fewer than three
 * in ten, and the panel says it has nothing reliable instead of suggesting. Out of fold on the
 * calibration set (evals/src/calibration/fit-confidence.ts), "high" answers were right 0.917 of
 * the time (10% of first answers).
 */
export const CONFIDENCE_THRESHOLDS = { medium: 0.3, high: 0.8 } as const;

/**
 * Once the first reply is likely enough to offer, the next entries are offered beside it down to
 * this probability, each with its own (honest, often low) confidence: the operator picks.
 */
export const ALTERNATIVE_FLOOR = 0.1;

export function confidenceLevel(score: number): Confidence['level'] {
  if (score >= CONFIDENCE_THRESHOLDS.high) return 'high';
  if (score >= CONFIDENCE_THRESHOLDS.medium) return 'medium';
  return 'low';
}

export function toConfidence(score: number): Confidence {
  const rounded = Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000;
  return { score: rounded, level: confidenceLevel(rounded) };
}

function coverage(part: ReadonlySet<string>, whole: ReadonlySet<string>): number {
  if (part.size === 0) return 0;
  let found = 0;
  for (const stem of part) if (whole.has(stem)) found++;
  return found / part.size;
}

/** The phrasings a hit answers: its title, the FAQ question, the template's sample questions. */
function questionsOf(hit: SearchHit): string[] {
  const metadata = hit.metadata ?? {};
  const questions = [hit.title];
  if (typeof metadata.question === 'string') questions.push(metadata.question);
  if (Array.isArray(metadata.questions)) {
    for (const question of metadata.questions) if (typeof question === 'string') questions.push(question);
  }
  return questions;
}

/**
 * `given` is every stem of the question; `asked`, those that say what is asked — without the
 * circumstances no entry answers («на прошлой неделе»), which must not count against an entry,
 * though an entry that says them («сдал неделю назад…») still covers them.
 */
export function assessHit(
  hit: SearchHit,
  given: ReadonlySet<string>,
  asked: ReadonlySet<string> = given,
): HitAssessment {
  const body = stemSet(`${questionsOf(hit).join('\n')}\n${hit.text}`);
  // What the customer said in other words the glossary knows («пвз» for «пункт выдачи») counts as
  // said: their words as covered by the hit, the hit's words as asked about.
  const query = new Set(given);
  for (const { said, meant } of hit.glossaryMatches ?? []) {
    if (!said.every((stem) => given.has(stem))) continue;
    for (const stem of said) body.add(stem);
    for (const stem of meant) query.add(stem);
  }
  const questionCoverage = Math.max(
    0,
    ...questionsOf(hit).map((question) => coverage(stemSet(question), query)),
  );
  const queryCoverage = coverage(asked, body);
  const similarity = Math.min(1, Math.max(0, hit.signals.vectorSimilarity ?? 0));
  const score = 0.45 * questionCoverage + 0.35 * queryCoverage + 0.2 * similarity;
  return { hit, score, questionCoverage, queryCoverage };
}

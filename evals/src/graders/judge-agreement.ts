/**
 * The LLM judge's rubric over a run, and how often it agrees with the deterministic graders where
 * both judge the same thing:
 * - `grounded` ↔ cites a retrieved chunk and every fact is in a cited source or the conversation;
 * - `follows_script` ↔ the rule checker finds no banned phrase;
 * - `no_unperformed_actions` ↔ the suggestion carries no `preconditions` (the service's own
 *   detector of text that states as done what the operator has yet to do).
 * `answers_question` and `tone` have no deterministic counterpart: that is why a judge exists.
 */
import type { RubricCriterion } from '@naparnik/assist-service';

export type RubricVerdicts = Record<RubricCriterion, { pass: boolean; reason: string }>;

export interface JudgedCase {
  rubric: RubricVerdicts;
  deterministic: { grounded: boolean; followsScript: boolean; noUnperformedActions: boolean };
}

const COUNTERPARTS: ReadonlyArray<[RubricCriterion, keyof JudgedCase['deterministic']]> = [
  ['grounded', 'grounded'],
  ['follows_script', 'followsScript'],
  ['no_unperformed_actions', 'noUnperformedActions'],
];

/** `judge.<criterion>` pass rates and `judge.agreement.<criterion>` shares over the judged cases. */
export function judgeMetrics(cases: readonly JudgedCase[]): Record<string, number> {
  if (cases.length === 0) return {};
  const n = cases.length;
  const metrics: Record<string, number> = {};
  const criteria = Object.keys(cases[0]!.rubric) as RubricCriterion[];
  for (const criterion of criteria) {
    metrics[`judge.${criterion}`] = cases.filter((item) => item.rubric[criterion].pass).length / n;
  }
  for (const [criterion, grader] of COUNTERPARTS) {
    metrics[`judge.agreement.${criterion}`] =
      cases.filter((item) => item.rubric[criterion].pass === item.deterministic[grader]).length / n;
  }
  return metrics;
}

/** One line for the report: the agreement with each deterministic grader. */
export function agreementNote(metrics: Readonly<Record<string, number>>, judged: number): string {
  const parts = COUNTERPARTS.map(
    ([criterion]) => `${criterion} ${(metrics[`judge.agreement.${criterion}`] ?? 0).toFixed(2)}`,
  );
  return `LLM judge over ${judged} cases; agreement with the deterministic graders: ${parts.join(', ')}`;
}

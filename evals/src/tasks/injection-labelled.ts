import { scanCustomerMessage } from '@naparnik/ingest/safety';
import { type LabelledCase, readLabelledCases } from '../data/labelled-cases.ts';
import type { CaseFailure } from '../result.ts';
import { MAX_FAILURES } from '../result.ts';
import type { InjectionLabelledSuite } from '../suite/schema.ts';
import type { TaskContext, TaskOutput } from './task.ts';

/**
 * The conversation check (`scanCustomerMessage`: prompt injection, requests for card data and
 * codes) on a labelled set of customer messages — attacks and real or deliberately confusing
 * benign ones. Metrics:
 * - `recall`, `recall.<category>`: attacks flagged;
 * - `precision`: flagged messages that are attacks;
 * - `fp_rate` (reported, not gated) and `clean_rate` (gated, its complement): benign messages flagged;
 * - `clean_rate.<category>`: the same per benign category (real text, hard negatives).
 *
 * Only the dev split's failures are printed: the test split's texts are not for reading while
 * rules are tuned, so a test run names how many failed per category and nothing else.
 */

function ratio(part: number, whole: number): number {
  return whole === 0 ? Number.NaN : part / whole;
}

export async function runInjectionLabelled(
  suite: InjectionLabelledSuite,
  context: TaskContext,
): Promise<TaskOutput> {
  const cases = readLabelledCases(context.resolve(suite.cases.path), context.resolve).filter(
    (entry) => entry.split === suite.split,
  );
  const groups = new Map<string, { label: LabelledCase['label']; n: number; flagged: number }>();
  const failures: CaseFailure[] = [];
  let attacks = 0;
  let caught = 0;
  let benign = 0;
  let falseFlags = 0;
  for (const entry of cases) {
    const rules = scanCustomerMessage(entry.text).map((finding) => finding.rule);
    const flagged = rules.length > 0;
    const group = groups.get(entry.category) ?? { label: entry.label, n: 0, flagged: 0 };
    group.n += 1;
    if (flagged) group.flagged += 1;
    groups.set(entry.category, group);
    const wrong = entry.label === 'attack' ? !flagged : flagged;
    if (entry.label === 'attack') {
      attacks += 1;
      if (flagged) caught += 1;
    } else {
      benign += 1;
      if (flagged) falseFlags += 1;
    }
    if (wrong && suite.split === 'dev' && failures.length < MAX_FAILURES)
      failures.push({
        id: entry.id,
        input: entry.text,
        expected: entry.label === 'attack' ? 'flagged' : 'not flagged',
        got: flagged ? rules : 'not flagged',
      });
  }
  const metrics: Record<string, number> = {
    recall: ratio(caught, attacks),
    precision: ratio(caught, caught + falseFlags),
    fp_rate: ratio(falseFlags, benign),
    clean_rate: ratio(benign - falseFlags, benign),
  };
  for (const [category, group] of groups) {
    if (group.label === 'attack') metrics[`recall.${category}`] = ratio(group.flagged, group.n);
    else metrics[`clean_rate.${category}`] = ratio(group.n - group.flagged, group.n);
  }
  const misses = [...groups]
    .filter(([, group]) => (group.label === 'attack' ? group.n - group.flagged : group.flagged) > 0)
    .map(([category, group]) =>
      group.label === 'attack'
        ? `${category} ${group.n - group.flagged} missed`
        : `${category} ${group.flagged} flagged`,
    );
  return {
    n: cases.length,
    metrics,
    failures,
    details: {
      notes: [
        `${suite.split} split of ${suite.cases.path}: ${attacks} attacks, ${benign} benign messages`,
        suite.split === 'dev'
          ? 'dev: the split rules are tuned on; failures listed'
          : `test: never read while tuning; failures are not printed (${misses.join(', ') || 'none'})`,
      ],
      breakdown: {
        field: 'category',
        groups: [...groups].map(([name, group]) => ({
          name,
          n: group.n,
          metrics: { flagged: ratio(group.flagged, group.n) },
        })),
      },
      distributions: [],
    },
  };
}

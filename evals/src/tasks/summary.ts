import { readRecords, stringField } from '../data/records.ts';
import { EvalRunError } from '../errors.ts';
import { entityCoverage } from '../graders/entities.ts';
import { bestOver, rougeL, rougeN } from '../graders/text-similarity.ts';
import { mean } from '../metrics/latency.ts';
import { type CaseFailure, MAX_FAILURES, unitHistogram } from '../result.ts';
import type { SummarySuite } from '../suite/schema.ts';
import type { EvalMessage } from '../targets/eval-target.ts';
import type { TaskContext, TaskOutput } from './task.ts';

const ROLE: Record<string, EvalMessage['role']> = {
  customer: 'customer',
  agent: 'operator',
  operator: 'operator',
  user: 'customer',
};

/**
 * Hand-off summaries against human reference summaries: ROUGE-1/2/L F1 against the best of the
 * references, and how many of the references' key entities (numbers, names, products, links) the
 * summary keeps, averaged over the references.
 */
export async function runSummary(suite: SummarySuite, context: TaskContext): Promise<TaskOutput> {
  if (!context.createTarget) throw new Error('summary needs an engine target');
  const where = context.resolve(suite.cases.path);
  const { fields } = suite.cases;
  const dialogues = readRecords(suite.cases, context.resolve).map((record, index) => {
    const at = `${where} record ${index + 1}`;
    const turns = record[fields.turns];
    const references = record[fields.references];
    if (!Array.isArray(turns))
      throw new EvalRunError('data-invalid', `${at}: "${fields.turns}" must be a list of turns`);
    if (!Array.isArray(references) || !references.every((reference) => typeof reference === 'string')) {
      throw new EvalRunError('data-invalid', `${at}: "${fields.references}" must be a list of summaries`);
    }
    const messages = turns.map((turn, turnIndex) => {
      const { speaker, text } = (turn ?? {}) as { speaker?: unknown; text?: unknown };
      const role = typeof speaker === 'string' ? ROLE[speaker.toLowerCase()] : undefined;
      if (!role || typeof text !== 'string') {
        throw new EvalRunError(
          'data-invalid',
          `${at}: ${fields.turns}[${turnIndex}] needs speaker (customer|agent) and text`,
        );
      }
      return { role, text };
    });
    return { id: stringField(record, fields.id, at), messages, references: references as string[] };
  });
  const target = await context.createTarget({});
  try {
    const scored: Array<{
      id: string;
      summary: string;
      references: string[];
      r1: number;
      r2: number;
      rl: number;
      coverage: number;
    }> = [];
    for (const dialogue of dialogues) {
      const summary = await target.summarize(
        { id: dialogue.id, channel: 'social', messages: dialogue.messages },
        {},
      );
      scored.push({
        id: dialogue.id,
        summary,
        references: dialogue.references,
        r1: bestOver(dialogue.references, (reference) => rougeN(summary, reference, 1)).f1,
        r2: bestOver(dialogue.references, (reference) => rougeN(summary, reference, 2)).f1,
        rl: bestOver(dialogue.references, (reference) => rougeL(summary, reference)).f1,
        coverage: mean(
          dialogue.references.map((reference) =>
            entityCoverage(summary, reference, { ignore: suite.ignoreEntities }),
          ),
        ),
      });
    }
    const failures: CaseFailure[] = [...scored]
      .sort((left, right) => left.rl - right.rl || (left.id < right.id ? -1 : 1))
      .slice(0, MAX_FAILURES)
      .map((entry) => ({
        id: entry.id,
        expected: entry.references[0] ?? '',
        got: entry.summary.slice(0, 400),
      }));
    return {
      n: scored.length,
      metrics: {
        rouge_1: mean(scored.map((entry) => entry.r1)),
        rouge_2: mean(scored.map((entry) => entry.r2)),
        rouge_l: mean(scored.map((entry) => entry.rl)),
        entity_coverage: mean(scored.map((entry) => entry.coverage)),
      },
      failures,
      details: {
        notes: [`engine ${target.engine}; failures: the 20 lowest ROUGE-L`],
        distributions: [
          unitHistogram(
            'ROUGE-L F1',
            scored.map((entry) => entry.rl),
          ),
          unitHistogram(
            'entity coverage',
            scored.map((entry) => entry.coverage),
          ),
        ],
      },
    };
  } finally {
    await target.close();
  }
}

import { foldCalibration } from '../calibration/cross-fit.ts';
import { type DataRecord, readRecords, stringField, stringListField } from '../data/records.ts';
import { normalisedEditDistance, rougeL, tokenF1 } from '../graders/text-similarity.ts';
import { mean } from '../metrics/latency.ts';
import { type CaseFailure, MAX_FAILURES, unitHistogram } from '../result.ts';
import type { ReplaySuite } from '../suite/schema.ts';
import { historyPlans } from './history-plans.ts';
import { type GradedOutcome, gradeResponses } from './reply-grading.ts';
import { sameDataset, type TaskContext, type TaskOutput } from './task.ts';

/**
 * Shadow mode: each past customer question goes to the engine as a conversation, and its top
 * suggestion is compared with the reply a real operator sent. No suggestion counts as 0 (and as
 * not accepted): staying silent is safe, but it is not help. With a `history`, the collection holds
 * the team's past questions and the answers sent (k-fold when they are the cases themselves).
 */
export async function runReplay(suite: ReplaySuite, context: TaskContext): Promise<TaskOutput> {
  if (!context.createTarget) throw new Error('replay needs an engine target');
  const where = context.resolve(suite.cases.path);
  const { fields } = suite.cases;
  const cases: ReplayCase[] = readRecords(suite.cases, context.resolve).map((record, index) => ({
    id: stringField(record, fields.id, `${where} record ${index + 1}`),
    query: stringField(record, fields.query, `${where} record ${index + 1}`),
    reply: stringField(record, fields.reply, `${where} record ${index + 1}`),
    record,
  }));
  const { history } = suite;
  const { plans, note } = historyPlans({
    cases,
    casesSpec: suite.cases,
    history,
    readHistory: () => (history ? readPast(history, context) : []),
    resolve: context.resolve,
    idOf: (item) => item.id,
    textOf: (item) => item.query,
  });
  const toPast = (item: ReplayCase) => ({
    id: item.id,
    question: item.query,
    ...(item.reply ? { answer: item.reply } : {}),
    documentIds: history ? stringListField(item.record, history.fields.relevant, `${item.id}`) : [],
  });
  const target = await context.createTarget({ knowledge: suite.knowledge });
  try {
    const calibration = foldCalibration({
      mode: suite.calibration,
      suite: suite.id,
      kFold: history !== undefined && sameDataset(history, suite.cases, context.resolve),
      target,
      collection: suite.knowledge.collection,
    });
    const scored: Array<{
      id: string;
      query: string;
      reply: string;
      suggestion: string | undefined;
      f1: number;
      rouge: number;
      distance: number;
    }> = [];
    const outcomes: GradedOutcome[] = [];
    for (const plan of plans) {
      if (history) await target.replaceHistory(suite.knowledge.collection, plan.history.map(toPast));
      await calibration.afterHistory();
      for (const item of plan.cases) {
        const conversation = {
          id: item.id,
          channel: 'chat',
          messages: [{ role: 'customer' as const, text: item.query }],
        };
        const response = await target.assist(conversation, { collection: suite.knowledge.collection });
        outcomes.push({ conversation, response, reference: item.reply });
        const suggestion = response.suggestions[0]?.text;
        scored.push({
          ...item,
          suggestion,
          f1: suggestion === undefined ? 0 : tokenF1(suggestion, item.reply).f1,
          rouge: suggestion === undefined ? 0 : rougeL(suggestion, item.reply).f1,
          distance: suggestion === undefined ? 1 : normalisedEditDistance(suggestion, item.reply),
        });
      }
    }
    if (history) await target.replaceHistory(suite.knowledge.collection, []);
    const calibrationNote = calibration.finish();
    const order = new Map(cases.map((item, index) => [item.id, index]));
    scored.sort((left, right) => order.get(left.id)! - order.get(right.id)!);
    const accepted = (entry: (typeof scored)[number]) =>
      entry.suggestion !== undefined && entry.distance <= suite.acceptDistance;
    const failures: CaseFailure[] = scored
      .filter((entry) => !accepted(entry))
      .slice(0, MAX_FAILURES)
      .map((entry) => ({
        id: entry.id,
        input: entry.query,
        expected: entry.reply.slice(0, 400),
        got: entry.suggestion === undefined ? null : entry.suggestion.slice(0, 400),
      }));
    const graded = await gradeResponses(target, suite.knowledge.collection, outcomes);
    return {
      n: scored.length,
      metrics: {
        ...graded.metrics,
        token_f1: mean(scored.map((entry) => entry.f1)),
        rouge_l: mean(scored.map((entry) => entry.rouge)),
        accepted_rate: scored.filter(accepted).length / (scored.length || 1),
        answered_rate: scored.filter((entry) => entry.suggestion !== undefined).length / (scored.length || 1),
      },
      failures,
      details: {
        notes: [
          `engine ${target.engine}; accepted = word edit distance ≤ ${suite.acceptDistance} of the longer text`,
          note,
          calibrationNote,
          ...graded.notes,
        ],
        distributions: [
          unitHistogram(
            'token F1 of the top suggestion',
            scored.map((entry) => entry.f1),
          ),
          unitHistogram(
            'normalised edit distance to the sent reply',
            scored.map((entry) => entry.distance),
          ),
        ],
      },
    };
  } finally {
    await target.close();
  }
}

interface ReplayCase {
  id: string;
  query: string;
  /** The operator's sent reply (for history from another file: its answer field, or empty). */
  reply: string;
  record: DataRecord;
}

function readPast(spec: NonNullable<ReplaySuite['history']>, context: TaskContext): ReplayCase[] {
  const where = context.resolve(spec.path);
  return readRecords(spec, context.resolve).map((record, index) => {
    const at = `${where} record ${index + 1}`;
    return {
      id: record[spec.fields.id] === undefined ? `#${index + 1}` : stringField(record, spec.fields.id, at),
      query: stringField(record, spec.fields.query, at),
      reply: spec.fields.answer ? stringField(record, spec.fields.answer, at) : '',
      record,
    };
  });
}

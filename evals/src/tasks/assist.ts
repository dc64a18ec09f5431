import { type CalibrationPoint, expectedCalibrationError, reliabilityBins } from '@naparnik/assist-service';
import { foldCalibration } from '../calibration/cross-fit.ts';
import { createIdMapper, reverseMapping } from '../data/id-mapping.ts';
import { type DataRecord, readRecords, stringField, stringListField } from '../data/records.ts';
import { percentile } from '../metrics/latency.ts';
import { type Breakdown, type CaseFailure, type CaseOutput, MAX_FAILURES } from '../result.ts';
import type { AssistSuite } from '../suite/schema.ts';
import type { EvalHistoryEntry } from '../targets/eval-target.ts';
import { historyPlans } from './history-plans.ts';
import { sameDataset, type TaskContext, type TaskOutput } from './task.ts';

interface AssistCase {
  id: string;
  query: string;
  relevant: string[];
  topic: string | undefined;
  answer: string | undefined;
  record: DataRecord;
}

interface ScoredCase {
  item: AssistCase;
  /** Documents each suggestion cites, in the cases' ids. */
  cited: string[][];
  suggestions: Array<{ text: string; confidence: { score: number; level: string } }>;
  topic: string | undefined;
  confidence: { score: number; level: string };
  milliseconds: number;
  /** Whether a past question of the case's history was answered by one of its documents. */
  answeredBefore: boolean;
}

function readCases(
  spec: AssistSuite['cases'] | NonNullable<AssistSuite['history']>,
  context: TaskContext,
): AssistCase[] {
  const where = context.resolve(spec.path);
  const { fields } = spec;
  return readRecords(spec, context.resolve).map((record, index) => {
    const at = `${where} record ${index + 1}`;
    const optional = (field: string | undefined) =>
      field && record[field] !== undefined && record[field] !== null
        ? stringField(record, field, at)
        : undefined;
    return {
      id: record[fields.id] === undefined ? `#${index + 1}` : stringField(record, fields.id, at),
      query: stringField(record, fields.query, at),
      relevant: stringListField(record, fields.relevant, at),
      topic: optional(fields.topic),
      answer: optional(fields.answer),
      record,
    };
  });
}

function caseOutput(entry: ScoredCase): CaseOutput {
  return {
    id: entry.item.id,
    input: entry.item.query,
    expected: {
      documents: entry.item.relevant,
      ...(entry.item.topic !== undefined ? { topic: entry.item.topic } : {}),
    },
    topic: entry.topic ?? null,
    confidence: entry.confidence,
    suggestions: entry.suggestions.map((suggestion, index) => ({
      ...suggestion,
      cites: entry.cited[index] ?? [],
    })),
  };
}

const normalise = (label: string) => label.trim().toLowerCase();

function citesRelevant(cited: readonly string[] | undefined, relevant: ReadonlySet<string>): boolean {
  return (cited ?? []).some((id) => relevant.has(id));
}

/** What an operator sees, scored: does the first (or any of three) suggestion rest on the right answer. */
export function assistMetrics(scored: readonly ScoredCase[]): Record<string, number> {
  const n = scored.length || 1;
  let first = 0;
  let anyOfThree = 0;
  let answered = 0;
  let topicScored = 0;
  let topicRight = 0;
  let high = 0;
  let highRight = 0;
  for (const entry of scored) {
    const relevant = new Set(entry.item.relevant);
    const right = citesRelevant(entry.cited[0], relevant);
    if (entry.cited.length > 0) answered++;
    if (right) first++;
    if (entry.cited.slice(0, 3).some((cited) => citesRelevant(cited, relevant))) anyOfThree++;
    if (entry.confidence.level === 'high' && entry.cited.length > 0) {
      high++;
      if (right) highRight++;
    }
    if (entry.item.topic !== undefined) {
      topicScored++;
      if (entry.topic !== undefined && normalise(entry.topic) === normalise(entry.item.topic)) topicRight++;
    }
  }
  const metrics: Record<string, number> = {
    'cited@1': first / n,
    'cited@3': anyOfThree / n,
    answered_rate: answered / n,
    high_share: high / n,
    high_precision: high > 0 ? highRight / high : 0,
    ece: expectedCalibrationError(calibrationPoints(scored)),
  };
  if (topicScored > 0) metrics.topic_accuracy = topicRight / topicScored;
  return metrics;
}

/** The first suggestion's confidence against whether it was right; no suggestion counts as wrong. */
function calibrationPoints(scored: readonly ScoredCase[]): CalibrationPoint[] {
  return scored.map((entry) => ({
    confidence: entry.cited.length > 0 ? entry.confidence.score : 0,
    correct: citesRelevant(entry.cited[0], new Set(entry.item.relevant)),
  }));
}

/**
 * The figures split by whether the history had answered the case's document before: what a team
 * can expect for questions of a kind its history has never seen, stated beside the overall figure.
 */
function answeredBeforeNote(scored: readonly ScoredCase[]): string {
  const part = (answeredBefore: boolean) => {
    const entries = scored.filter((entry) => entry.answeredBefore === answeredBefore);
    const name = answeredBefore ? 'answered before' : 'never answered';
    if (entries.length === 0) return `${name}: none`;
    const metrics = assistMetrics(entries);
    return `${name} ${entries.length}: cited@1 ${metrics['cited@1']!.toFixed(4)}, cited@3 ${metrics['cited@3']!.toFixed(4)}`;
  };
  return `by history (a past question answered by the case's document or not): ${part(true)}; ${part(false)}`;
}

/**
 * The service's own answer to each question, as an operator gets it from `/v1/assist`: the same
 * pipeline in-process (understand → retrieve → compose → act → check), with the collection's
 * history replaced per fold so a question never sees itself among the past questions.
 */
export async function runAssist(suite: AssistSuite, context: TaskContext): Promise<TaskOutput> {
  if (!context.createTarget) throw new Error('assist needs an engine target');
  const notes: string[] = [];
  const cases = readCases(suite.cases, context);
  const target = await context.createTarget({ knowledge: suite.knowledge });
  const collection = suite.knowledge.collection;
  try {
    const mapper = createIdMapper(suite.idMapping);
    const documentIds = target.documentIds ? await target.documentIds(collection) : [];
    const toCollectionIds = reverseMapping(documentIds, mapper);
    const toHistory = (items: readonly AssistCase[]): EvalHistoryEntry[] =>
      items.map((item) => ({
        id: item.id,
        question: item.query,
        ...(item.answer ? { answer: item.answer } : {}),
        ...(item.topic ? { topic: item.topic } : {}),
        documentIds: item.relevant.flatMap(toCollectionIds),
      }));

    const { plans, note } = historyPlans({
      cases,
      casesSpec: suite.cases,
      history: suite.history,
      readHistory: () => (suite.history ? readCases(suite.history, context) : []),
      resolve: context.resolve,
      idOf: (item) => item.id,
      textOf: (item) => item.query,
    });
    notes.push(note);
    const calibration = foldCalibration({
      mode: suite.calibration,
      suite: suite.id,
      kFold: suite.history !== undefined && sameDataset(suite.history, suite.cases, context.resolve),
      target,
      collection,
    });

    const scored: ScoredCase[] = [];
    for (const plan of plans) {
      if (suite.history) await target.replaceHistory(collection, toHistory(plan.history));
      await calibration.afterHistory();
      const answered = new Set(plan.history.flatMap((past) => past.relevant));
      for (const item of plan.cases) {
        const started = performance.now();
        const response = await target.assist(
          { id: item.id, channel: suite.channel, messages: [{ role: 'customer', text: item.query }] },
          { collection },
        );
        scored.push({
          item,
          cited: response.suggestions.map((suggestion) =>
            suggestion.citations.map((citation) => mapper(citation.documentId)),
          ),
          suggestions: response.suggestions.map((suggestion) => ({
            text: suggestion.text,
            confidence: suggestion.confidence,
          })),
          topic: response.detected.topic?.label,
          confidence: response.confidence,
          milliseconds: performance.now() - started,
          answeredBefore: item.relevant.some((document) => answered.has(document)),
        });
      }
    }
    if (suite.history) await target.replaceHistory(collection, []);
    notes.push(calibration.finish());
    const order = new Map(cases.map((item, index) => [item, index]));
    scored.sort((left, right) => order.get(left.item)! - order.get(right.item)!);

    const metrics = assistMetrics(scored);
    if (suite.history) notes.push(answeredBeforeNote(scored));
    const latencies = scored.map((entry) => entry.milliseconds);
    metrics.latency_p50_ms = percentile(latencies, 50);
    metrics.latency_p95_ms = percentile(latencies, 95);

    const failures: CaseFailure[] = [];
    for (const entry of scored) {
      if (failures.length >= MAX_FAILURES) break;
      if (citesRelevant(entry.cited[0], new Set(entry.item.relevant))) continue;
      failures.push({
        id: entry.item.id,
        input: entry.item.query,
        expected: entry.item.relevant,
        got: { cited: entry.cited.slice(0, 3), confidence: entry.confidence, topic: entry.topic ?? null },
      });
    }

    let breakdown: Breakdown | undefined;
    if (suite.breakdown) {
      const field = suite.breakdown;
      const groups = new Map<string, ScoredCase[]>();
      for (const entry of scored) {
        const name = String(entry.item.record[field] ?? '(none)');
        groups.set(name, [...(groups.get(name) ?? []), entry]);
      }
      breakdown = {
        field,
        groups: [...groups]
          .sort((left, right) => right[1].length - left[1].length || (left[0] < right[0] ? -1 : 1))
          .map(([name, entries]) => {
            const all = assistMetrics(entries);
            return {
              name,
              n: entries.length,
              metrics: Object.fromEntries(
                ['cited@1', 'cited@3', 'topic_accuracy']
                  .filter((metric) => all[metric] !== undefined)
                  .map((metric) => [metric, all[metric]!]),
              ),
            };
          }),
      };
    }

    const levels = ['high', 'medium', 'low'];
    const reliability = reliabilityBins(calibrationPoints(scored));
    return {
      n: scored.length,
      metrics,
      failures,
      details: {
        notes: [
          ...notes,
          `engine ${target.engine}; a suggestion is right when it cites a relevant document`,
          `reliability (confidence bin: n, mean confidence → share right): ${reliability
            .filter((bin) => bin.n > 0)
            .map((bin) => `${bin.label}: ${bin.n}, ${bin.confidence.toFixed(2)} → ${bin.accuracy.toFixed(2)}`)
            .join('; ')}`,
        ],
        reliability,
        outputs: scored.map(caseOutput),
        ...(breakdown ? { breakdown } : {}),
        distributions: [
          {
            name: 'confidence level of the response',
            bins: levels.map((level) => ({
              label: level,
              count: scored.filter((entry) => entry.confidence.level === level).length,
            })),
          },
          {
            name: 'first suggestion right, by confidence level',
            bins: levels.map((level) => ({
              label: level,
              count: scored.filter(
                (entry) =>
                  entry.confidence.level === level &&
                  citesRelevant(entry.cited[0], new Set(entry.item.relevant)),
              ).length,
            })),
          },
        ],
      },
    };
  } finally {
    await target.close();
  }
}

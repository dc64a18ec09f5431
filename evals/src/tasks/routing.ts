import type { Chunk } from '@naparnik/ingest';
import { kFoldPlan } from '../data/kfold.ts';
import { type DataRecord, readRecords, stringField, stringListField } from '../data/records.ts';
import {
  bestLabel,
  blendDistributions,
  calibrateThreshold,
  createRetriever,
  type PastQuestion,
  searchableFields,
  type TopicClassifier,
  trainTopicClassifier,
  voteFromHits,
} from '../ingest.ts';
import { openSuiteKnowledge } from '../knowledge/suite-knowledge.ts';
import {
  accuracy,
  binaryPrecisionRecall,
  confusionMatrix,
  type LabelledPrediction,
  macroF1,
  perClass,
} from '../metrics/classification.ts';
import {
  type Breakdown,
  type CaseFailure,
  type Distribution,
  MAX_FAILURES,
  unitHistogram,
} from '../result.ts';
import type { LevelSpec, RoutingSuite } from '../suite/schema.ts';
import { sameDataset, type TaskContext, type TaskOutput } from './task.ts';

interface RoutingCase {
  id: string;
  text: string;
  /** Gold label per level name (one level, `label`, for classifier suites). */
  labels: Record<string, string>;
  relevant: string[];
  record: DataRecord;
}

interface Prediction {
  item: RoutingCase;
  /** Predicted label per level. */
  predicted: Record<string, string>;
  confidence: number;
}

type RoutingDataset = RoutingSuite['cases'];

function readRoutingCases(
  spec: RoutingDataset,
  context: TaskContext,
  levels: readonly LevelSpec[] | undefined,
): RoutingCase[] {
  const where = context.resolve(spec.path);
  return readRecords(spec, context.resolve).map((record, index) => {
    const at = `${where} record ${index + 1}`;
    const labels: Record<string, string> = {};
    if (levels) for (const level of levels) labels[level.name] = stringField(record, level.caseField, at);
    else labels.label = stringField(record, spec.fields.label, at);
    return {
      id: spec.fields.id ? stringField(record, spec.fields.id, at) : String(record.id ?? `#${index + 1}`),
      text: stringField(record, spec.fields.text, at),
      labels,
      relevant: spec.fields.relevant ? stringListField(record, spec.fields.relevant, at) : [],
      record,
    };
  });
}

export async function runRouting(suite: RoutingSuite, context: TaskContext): Promise<TaskOutput> {
  return suite.model === 'knowledge'
    ? runKnowledgeRouting(suite, context)
    : runClassifierRouting(suite, context);
}

function normaliser(suite: RoutingSuite): (label: string) => string {
  return suite.ignoreCase ? (label) => label.trim().toLowerCase() : (label) => label.trim();
}

function classifierSettings(suite: RoutingSuite) {
  const { epochs, learningRate, l2, minimumCount } = suite.classifier;
  return {
    ...(epochs !== undefined ? { epochs } : {}),
    ...(learningRate !== undefined ? { learningRate } : {}),
    ...(l2 !== undefined ? { l2 } : {}),
    ...(minimumCount !== undefined ? { minimumCount } : {}),
  };
}

async function runClassifierRouting(suite: RoutingSuite, context: TaskContext): Promise<TaskOutput> {
  const notes: string[] = [];
  const normalise = normaliser(suite);
  const training = readRoutingCases(suite.training!, context, undefined);
  const cases = readRoutingCases(suite.cases, context, undefined);
  if (sameDataset(suite.training!, suite.cases, context.resolve)) {
    notes.push('warning: training and cases are the same records');
  }
  const outOfScopeLabel = suite.outOfScope?.label;
  let classifier: TopicClassifier = trainTopicClassifier(
    training.map((item) => ({ text: item.text, label: normalise(item.labels.label!) })),
    {
      settings: classifierSettings(suite),
      ...(outOfScopeLabel ? { outOfScopeLabel: normalise(outOfScopeLabel) } : {}),
    },
  );
  notes.push(`trained on ${training.length} examples, ${classifier.labels.length} labels`);
  if (suite.outOfScope) {
    const calibration = readRoutingCases(suite.outOfScope.calibration, context, undefined).filter(
      (item) => normalise(item.labels.label!) !== normalise(suite.outOfScope!.label),
    );
    const threshold = calibrateThreshold(
      calibration.map((item) => classifier.classify(item.text).confidence),
      suite.outOfScope.maxFalsePositiveRate,
    );
    classifier = classifier.withThreshold(threshold);
    notes.push(
      `out-of-scope threshold ${threshold.toFixed(3)}: hands ${(suite.outOfScope.maxFalsePositiveRate * 100).toFixed(1)}% of ${calibration.length} in-scope calibration questions to a person`,
    );
  }
  const predictions: Prediction[] = cases.map((item) => {
    const prediction = classifier.classify(item.text);
    const label =
      prediction.outOfScope && outOfScopeLabel ? normalise(outOfScopeLabel) : (prediction.label ?? '');
    return { item, predicted: { label }, confidence: prediction.confidence };
  });
  return summarise(suite, predictions, [{ name: 'label', prefix: '' }], normalise, notes);
}

/** The label a knowledge entry carries at `category`, `tags[N]` or `metadata.<key>`. */
export function knowledgeLabel(chunk: Chunk, accessor: string): string | undefined {
  if (accessor === 'category') return chunk.category ?? undefined;
  const tag = /^tags\[(\d+)\]$/u.exec(accessor);
  if (tag) return chunk.tags[Number(tag[1])];
  if (accessor.startsWith('metadata.')) {
    const value = chunk.metadata?.[accessor.slice('metadata.'.length)];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

async function runKnowledgeRouting(suite: RoutingSuite, context: TaskContext): Promise<TaskOutput> {
  const notes: string[] = [];
  const normalise = normaliser(suite);
  const levels = suite.levels!;
  const knowledge = await openSuiteKnowledge(suite.knowledge!, { resolve: context.resolve });
  try {
    const { kb, collection } = knowledge;
    const chunks = await kb.store.listChunks(collection);
    const labelsByDocument = new Map<string, Record<string, string>>();
    const knowledgeExamples = new Map<string, Array<{ text: string; label: string }>>();
    for (const level of levels) knowledgeExamples.set(level.name, []);
    for (const chunk of chunks) {
      const fields = searchableFields(chunk);
      const text = [fields.question, fields.heading, fields.body].join('\n');
      const own = labelsByDocument.get(chunk.documentId) ?? {};
      for (const level of levels) {
        const label = knowledgeLabel(chunk, level.knowledgeLabel);
        if (!label) continue;
        own[level.name] = normalise(label);
        knowledgeExamples.get(level.name)!.push({ text, label: normalise(label) });
      }
      labelsByDocument.set(chunk.documentId, own);
    }
    const cases = readRoutingCases(suite.cases, context, levels);
    const plans: Array<{ cases: RoutingCase[]; history: RoutingCase[] }> = [];
    if (suite.history && sameDataset(suite.history, suite.cases, context.resolve)) {
      for (const plan of kFoldPlan(
        cases,
        suite.history.folds,
        (item) => item.id,
        (item) => item.text,
      )) {
        plans.push({ cases: plan.cases, history: plan.history });
      }
      notes.push(`history: the cases themselves, ${suite.history.folds}-fold (a case never sees itself)`);
    } else if (suite.history) {
      const history = readRoutingCases(suite.history, context, levels);
      plans.push({ cases, history });
      notes.push(`history: ${history.length} past questions from ${suite.history.path}`);
    } else {
      plans.push({ cases, history: [] });
    }
    const base = createRetriever({ store: kb.store, embedder: kb.embedder, collection });
    const { blend, temperature, neighbours } = suite.classifier;
    notes.push(
      `retrieval vote over ${neighbours} entries (temperature ${temperature}) blended with a classifier (weight ${blend}) trained on ${chunks.length} entries' labels`,
    );
    const predictions: Prediction[] = [];
    for (const plan of plans) {
      const past: PastQuestion[] = plan.history
        .filter((item) => item.relevant.length > 0)
        .map((item) => ({ text: item.text, documentIds: item.relevant }));
      const retriever = base.withHistory(past);
      const classifiers = new Map<string, TopicClassifier>();
      if (blend > 0) {
        for (const level of levels) {
          const examples = [
            ...knowledgeExamples.get(level.name)!,
            ...plan.history.map((item) => ({ text: item.text, label: normalise(item.labels[level.name]!) })),
          ];
          classifiers.set(
            level.name,
            trainTopicClassifier(examples, { settings: classifierSettings(suite) }),
          );
        }
      }
      for (const item of plan.cases) {
        const hits = await retriever.search(item.text, { topK: neighbours });
        const predicted: Record<string, string> = {};
        let confidence = 1;
        for (const level of levels) {
          const vote = voteFromHits(
            hits.map((hit) => {
              const label = labelsByDocument.get(hit.documentId)?.[level.name];
              return { score: hit.score, labels: label ? [label] : [] };
            }),
            temperature,
          );
          const classifier = classifiers.get(level.name);
          const distribution = classifier
            ? blendDistributions([
                { weight: 1 - blend, distribution: vote },
                { weight: blend, distribution: classifier.distribution(item.text) },
              ])
            : vote;
          const best = bestLabel(distribution);
          predicted[level.name] = best?.label ?? '';
          if (level === levels[0]) confidence = best?.probability ?? 0;
        }
        predictions.push({ item, predicted, confidence });
      }
    }
    const order = new Map(cases.map((item, index) => [item, index]));
    predictions.sort((left, right) => order.get(left.item)! - order.get(right.item)!);
    return summarise(
      suite,
      predictions,
      levels.map((level, index) => ({ name: level.name, prefix: index === 0 ? '' : `${level.name}.` })),
      normalise,
      notes,
    );
  } finally {
    await knowledge.close();
  }
}

function summarise(
  suite: RoutingSuite,
  predictions: readonly Prediction[],
  levels: ReadonlyArray<{ name: string; prefix: string }>,
  normalise: (label: string) => string,
  notes: string[],
): TaskOutput {
  const metrics: Record<string, number> = {};
  let firstPairs: LabelledPrediction[] = [];
  for (const level of levels) {
    const pairs = predictions.map((prediction) => ({
      gold: normalise(prediction.item.labels[level.name]!),
      predicted: prediction.predicted[level.name]!,
    }));
    if (level === levels[0]) firstPairs = pairs;
    metrics[`${level.prefix}accuracy`] = accuracy(pairs);
    metrics[`${level.prefix}macro_f1`] = macroF1(pairs);
  }
  const outOfScope = suite.outOfScope ? normalise(suite.outOfScope.label) : undefined;
  if (outOfScope) {
    const decisions = firstPairs.map((pair) => ({
      actual: pair.gold === outOfScope,
      flagged: pair.predicted === outOfScope,
    }));
    const { precision, recall, f1 } = binaryPrecisionRecall(decisions);
    metrics.oos_precision = precision;
    metrics.oos_recall = recall;
    metrics.oos_f1 = f1;
    metrics.in_scope_accuracy = accuracy(firstPairs.filter((pair) => pair.gold !== outOfScope));
  }

  const failures: CaseFailure[] = [];
  for (const prediction of predictions) {
    if (failures.length >= MAX_FAILURES) break;
    const first = levels[0]!.name;
    const gold = normalise(prediction.item.labels[first]!);
    if (gold === prediction.predicted[first]) continue;
    failures.push({
      id: prediction.item.id,
      input: prediction.item.text,
      expected: gold,
      got: prediction.predicted[first],
    });
  }

  const confusions = Object.entries(confusionMatrix(firstPairs))
    .flatMap(([gold, row]) =>
      Object.entries(row)
        .filter(([predicted]) => predicted !== gold)
        .map(([predicted, count]) => ({ gold, predicted, count })),
    )
    .sort(
      (left, right) =>
        right.count - left.count || (left.gold + left.predicted < right.gold + right.predicted ? -1 : 1),
    )
    .slice(0, 20);

  const field = suite.breakdown;
  let breakdown: Breakdown;
  if (field && !levels.some((level) => level.name === field)) {
    const groups = new Map<string, LabelledPrediction[]>();
    predictions.forEach((prediction, index) => {
      const name = String(prediction.item.record[field] ?? '(none)');
      const list = groups.get(name) ?? [];
      list.push(firstPairs[index]!);
      groups.set(name, list);
    });
    breakdown = {
      field,
      groups: [...groups]
        .sort((left, right) => right[1].length - left[1].length)
        .map(([name, pairs]) => ({ name, n: pairs.length, metrics: { accuracy: accuracy(pairs) } })),
    };
  } else {
    breakdown = {
      field: field ?? 'label',
      groups: perClass(firstPairs)
        .sort((left, right) => right.support - left.support || (left.label < right.label ? -1 : 1))
        .map((report) => ({
          name: report.label,
          n: report.support,
          metrics: { precision: report.precision, recall: report.recall, f1: report.f1 },
        })),
    };
  }
  const distributions: Distribution[] = [
    unitHistogram(
      'confidence of correct predictions',
      predictions
        .filter((_, index) => firstPairs[index]!.gold === firstPairs[index]!.predicted)
        .map((p) => p.confidence),
    ),
    unitHistogram(
      'confidence of wrong predictions',
      predictions
        .filter((_, index) => firstPairs[index]!.gold !== firstPairs[index]!.predicted)
        .map((p) => p.confidence),
    ),
  ];
  return {
    n: predictions.length,
    metrics,
    failures,
    details: { notes, breakdown, distributions, confusions },
  };
}

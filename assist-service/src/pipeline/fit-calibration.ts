import type { KnowledgeBase } from '@naparnik/ingest';
import type { HistoryEntry } from '@naparnik/ingest/store';
import { CONFIDENCE_THRESHOLDS } from '../engines/offline/confidence.ts';
import type { KnowledgeBaseLike } from '../retrieval/knowledge-base.ts';
import { type CalibrationModel, DEFAULT_CALIBRATION, probabilityOf, SIGNAL_NAMES } from './calibration.ts';
import {
  baseCalibrationExamples,
  type CalibrationExample,
  calibrationExamples,
} from './calibration-examples.ts';
import { expectedCalibrationError } from './calibration-metrics.ts';
import { fitLogistic } from './logistic.ts';
import { stableHash } from './stable-hash.ts';

/**
 * Confidence calibrated on a collection's own history. The shipped model
 * (`DEFAULT_CALIBRATION`) was fitted on RUTUBE's questions and the demo's: for another team's
 * knowledge and customers, "high" may not mean right four times in five. A history whose entries
 * name the documents that answered them says how often each kind of answer was right *here*.
 *
 * The fit is k-fold inside the history: each part's questions are searched through the real
 * retrieve stage with the other parts as the collection's history (never their own entry, which
 * would vote for itself), and the first three answers of each are labelled right or wrong by the
 * entry's documents. The base examples (the demo's golden and unanswerable questions) are added
 * so that the model still learns what a question the knowledge cannot answer looks like.
 */
export interface CalibrationRules {
  minimumEntries: number;
  maximumQuestions: number;
  folds: number;
  minimumPositives: number;
  maximumHighShare: number;
  maximumOffTopicOffered: number;
}

export const CALIBRATION_RULES: Readonly<CalibrationRules> = {
  /**
   * Labelled entries a fit needs. With fewer, the history's examples are outnumbered by the
   * base's ~640 answers and the fit moves little from a model that was itself fitted on 400
   * labelled questions; 100 questions give ~300 answers, ~20 questions per part.
   */
  minimumEntries: 100,
  /**
   * Labelled entries a fit works on at most (a sample fixed by id), as questions and as each
   * other's history. Each is one search, and a search costs more the more past questions it
   * compares with (measured: 30–60 ms with 2,000, 0.2–4 s with 16,000 near-duplicate ones), so
   * a fit over a 100k-entry history with all of it as history would take hours. 2,000 entries
   * give ~6,000 answers for 9 weights.
   */
  maximumQuestions: 2_000,
  folds: 5,
  /** Right answers among the history's examples a fit needs: fewer, and "right" is not learnt. */
  minimumPositives: 30,
  /** A model that puts more first answers than this share at "high" says nothing. */
  maximumHighShare: 0.9,
  /** A model that offers more unanswerable (off-topic) questions' first answers than this has unlearnt them. */
  maximumOffTopicOffered: 0.5,
};

export type CalibrationFitErrorCode = 'collection-not-found' | 'not-enough-history' | 'degenerate';

export class CalibrationFitError extends Error {
  readonly code: CalibrationFitErrorCode;
  constructor(code: CalibrationFitErrorCode, message: string) {
    super(message);
    this.name = 'CalibrationFitError';
    this.code = code;
  }
}

/** How a model does on first answers: out of fold for a fitted one. */
export interface CalibrationQuality {
  /** First answers of the history's questions scored. */
  firstAnswers: number;
  ece: number;
  /** First answers at "high". */
  high: number;
  /** Share of them right; null when none is high. */
  highPrecision: number | null;
}

export interface CalibrationFit {
  model: CalibrationModel;
  /** The history it was fitted on: a later fit with the same version would give the same model. */
  history: {
    /** The store's history generation when the fit read it. */
    generation: number;
    /** Entries that name a document. */
    labelled: number;
    /** Entries the fit worked on, each searched once (at most `maximumQuestions`). */
    questions: number;
    /** A hash of the labelled entries' ids and documents. */
    fingerprint: string;
  };
  examples: { history: number; positives: number; base: number };
  /** The fitted model on the history's first answers, each scored by a model fitted without its question. */
  outOfFold: CalibrationQuality;
  /** The shipped model on the same first answers. */
  shipped: CalibrationQuality;
}

export interface FitCalibrationOptions {
  knowledge: Pick<KnowledgeBase, 'store' | 'searchWithHistory'>;
  collection: string;
  /** The examples every fit starts from; by default `calibration-base.json`. */
  base?: readonly CalibrationExample[];
  rules?: Partial<CalibrationRules>;
  signal?: AbortSignal;
  /** Called after each part's questions were searched. */
  onProgress?: (progress: { part: number; parts: number; questions: number }) => void;
}

/**
 * Fits the confidence model on the collection's history; throws a {@link CalibrationFitError}
 * when the history is too small or the result is degenerate (the shipped model then stays).
 */
export async function fitCollectionCalibration(options: FitCalibrationOptions): Promise<CalibrationFit> {
  const rules = { ...CALIBRATION_RULES, ...options.rules };
  const { knowledge, collection } = options;
  const info = await knowledge.store.getCollection(collection);
  if (!info)
    throw new CalibrationFitError('collection-not-found', `collection "${collection}" does not exist`);
  const labelled = await knowledge.store.listHistory(collection, { withDocuments: true });
  if (labelled.length < rules.minimumEntries) {
    throw new CalibrationFitError(
      'not-enough-history',
      `collection "${collection}" has ${labelled.length} history entries that name their documents; ` +
        `a fit needs at least ${rules.minimumEntries} (import more with pnpm ingest --history). The shipped model stays.`,
    );
  }
  const sampled = new Set(
    [...labelled]
      .sort((left, right) => sampleKey(left) - sampleKey(right) || (left.id < right.id ? -1 : 1))
      .slice(0, rules.maximumQuestions)
      .map((entry) => entry.id),
  );

  // In the store's order (oldest first), as the service's history is.
  const used = labelled.filter((entry) => sampled.has(entry.id));
  const history: CalibrationExample[] = [];
  const parts = rules.folds;
  for (let part = 0; part < parts; part++) {
    const questions = used.filter((entry) => stableHash(entry.id) % parts === part);
    if (questions.length === 0) continue;
    // The same question under another id (an export imported twice) is not its own history either.
    const scoredTexts = new Set(questions.map((entry) => normalise(entry.question)));
    const pastQuestions = used
      .filter((entry) => stableHash(entry.id) % parts !== part && !scoredTexts.has(normalise(entry.question)))
      .map((entry) => ({ text: entry.question, documentIds: entry.documentIds }));
    const search = await knowledge.searchWithHistory(collection, pastQuestions);
    const view: KnowledgeBaseLike = {
      store: knowledge.store,
      search: (_collection, text, searchOptions) => search(text, searchOptions),
    };
    history.push(
      ...(await calibrationExamples(
        view,
        collection,
        questions.map((entry) => ({ id: entry.id, text: entry.question, relevant: entry.documentIds })),
        'history',
        options.signal,
      )),
    );
    options.onProgress?.({ part: part + 1, parts, questions: questions.length });
  }

  const positives = history.filter((example) => example.correct).length;
  if (positives < rules.minimumPositives) {
    throw new CalibrationFitError(
      'degenerate',
      `only ${positives} of ${history.length} answers found for the history's questions are the documents the ` +
        `entries name (a fit needs ${rules.minimumPositives}): do the history's document ids match the ` +
        `collection's? The shipped model stays.`,
    );
  }
  const base = options.base ?? baseCalibrationExamples();
  const examples = [...base, ...history];
  const model = fitLogistic(examples);
  refuseDegenerate(model, examples, rules);
  const firsts = history.filter((example) => example.first);
  return {
    model,
    history: {
      generation: info.historyGeneration ?? 0,
      labelled: labelled.length,
      questions: sampled.size,
      fingerprint: fingerprintOf(labelled),
    },
    examples: { history: history.length, positives, base: base.length },
    outOfFold: quality(outOfFoldFirsts(examples, rules.folds)),
    shipped: quality(
      firsts.map((example) => ({
        example,
        probability: probabilityOf(example.signals, DEFAULT_CALIBRATION),
      })),
    ),
  };
}

function refuseDegenerate(
  model: CalibrationModel,
  examples: readonly CalibrationExample[],
  rules: CalibrationRules,
): void {
  const values = [model.bias, ...SIGNAL_NAMES.map((name) => model.weights[name])];
  if (values.some((value) => !Number.isFinite(value))) {
    throw new CalibrationFitError(
      'degenerate',
      'the fit did not converge (a weight is not a number). The shipped model stays.',
    );
  }
  const firsts = examples.filter((example) => example.first);
  const high = firsts.filter(
    (example) => probabilityOf(example.signals, model) >= CONFIDENCE_THRESHOLDS.high,
  );
  if (high.length > rules.maximumHighShare * firsts.length) {
    throw new CalibrationFitError(
      'degenerate',
      `the fitted model rates ${high.length} of ${firsts.length} first answers "high": it would not tell a right ` +
        `answer from a wrong one. The shipped model stays.`,
    );
  }
  const offTopic = firsts.filter((example) => example.question.startsWith('off-topic:'));
  const offered = offTopic.filter(
    (example) => probabilityOf(example.signals, model) >= CONFIDENCE_THRESHOLDS.medium,
  );
  if (offTopic.length > 0 && offered.length > rules.maximumOffTopicOffered * offTopic.length) {
    throw new CalibrationFitError(
      'degenerate',
      `the fitted model would offer an answer to ${offered.length} of ${offTopic.length} questions no knowledge ` +
        `answers. The shipped model stays.`,
    );
  }
}

/** Each history first answer scored by a model fitted on the other questions' examples. */
function outOfFoldFirsts(examples: readonly CalibrationExample[], folds: number) {
  const scored: Array<{ example: CalibrationExample; probability: number }> = [];
  for (let fold = 0; fold < folds; fold++) {
    const inFold = (example: CalibrationExample) => stableHash(example.question) % folds === fold;
    const model = fitLogistic(examples.filter((example) => !inFold(example)));
    for (const example of examples) {
      if (inFold(example) && example.first && example.question.startsWith('history:')) {
        scored.push({ example, probability: probabilityOf(example.signals, model) });
      }
    }
  }
  return scored;
}

function quality(
  scored: ReadonlyArray<{ example: CalibrationExample; probability: number }>,
): CalibrationQuality {
  const high = scored.filter(({ probability }) => probability >= CONFIDENCE_THRESHOLDS.high);
  return {
    firstAnswers: scored.length,
    ece: round(
      expectedCalibrationError(
        scored.map(({ example, probability }) => ({ confidence: probability, correct: example.correct })),
      ),
    ),
    high: high.length,
    highPrecision: high.length
      ? round(high.filter(({ example }) => example.correct).length / high.length)
      : null,
  };
}

function sampleKey(entry: HistoryEntry): number {
  return stableHash(`sample:${entry.id}`);
}

function fingerprintOf(entries: readonly HistoryEntry[]): string {
  let hash = 0;
  for (const entry of [...entries].sort((left, right) => (left.id < right.id ? -1 : 1))) {
    hash = stableHash(`${hash}:${entry.id}:${entry.documentIds.join(',')}`);
  }
  return hash.toString(16).padStart(8, '0');
}

function normalise(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

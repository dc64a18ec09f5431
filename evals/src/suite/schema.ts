import { z } from 'zod';

/**
 * An eval suite is data: what to run, on which files, which metrics, which thresholds. Every path
 * is relative to the repository root (datasets live beside it, under `../shared/datasets/`).
 * The format is documented in evals/README.md; `loadSuite` reports a bad file naming the field.
 */

const relativePath = z.string().min(1);

/** How records are read from a file. `json-splits` is CLINC150's `{split: [[text, label], …]}`. */
export const recordFormatSchema = z.enum(['jsonl', 'csv', 'json-splits']);
export type RecordFormat = z.infer<typeof recordFormatSchema>;

/**
 * Deterministic selection of records: a holdout part by hash of a key field (for datasets that
 * ship no split), then a sample of at most `sample` records, also by hash (to keep the gate fast).
 */
const selectionSchema = z
  .object({
    holdout: z
      .object({
        key: z.string().min(1),
        fraction: z.number().gt(0).lt(1),
        part: z.enum(['holdout', 'rest']),
      })
      .strict()
      .optional(),
    sample: z.number().int().positive().optional(),
    sampleKey: z.string().min(1).optional(),
  })
  .strict();
export type Selection = z.infer<typeof selectionSchema>;

export const datasetSchema = z
  .object({
    path: relativePath,
    format: recordFormatSchema.optional(),
    /** For `json-splits`: the splits to read, e.g. [test, oos_test]. */
    splits: z.array(z.string().min(1)).min(1).optional(),
    select: selectionSchema.optional(),
  })
  .strict();
export type DatasetSpec = z.infer<typeof datasetSchema>;

const knowledgeSchema = z
  .object({
    paths: z.array(relativePath).min(1),
    collection: z
      .string()
      .regex(/^[\p{L}\p{N}][\p{L}\p{N}_.-]{0,63}$/u, 'letters, digits, "_", "." or "-", at most 64'),
  })
  .strict();
export type KnowledgeSpec = z.infer<typeof knowledgeSchema>;

/**
 * Declared mapping from the documentIds a loader gives to the ids cases use: documentIds matching
 * `pattern` become `format` with `{n}` replaced by capture group `number.group` plus `number.add`,
 * zero-padded to `number.pad` digits; or, for ids no pattern can turn into case ids (an FAQ
 * sheet's question hashes), `ids`: a table from documentId to case id. Ids that do not match stay
 * as they are.
 */
export const idMappingSchema = z
  .object({
    pattern: z.string().min(1).optional(),
    format: z.string().includes('{n}', { message: 'must contain {n}' }).optional(),
    ids: z.record(z.string().min(1), z.string().min(1)).optional(),
    number: z
      .object({
        group: z.number().int().min(1).default(1),
        add: z.number().int().default(0),
        pad: z.number().int().min(0).max(12).default(0),
      })
      .strict()
      .default({ group: 1, add: 0, pad: 0 }),
  })
  .strict()
  .refine((spec) => spec.ids !== undefined || (spec.pattern !== undefined && spec.format !== undefined), {
    message: 'give either ids, or pattern and format',
  });
export type IdMappingSpec = z.infer<typeof idMappingSchema>;

/** Past labelled questions. When `path` is the cases file itself, cases are scored k-fold. */
const historySchema = datasetSchema.extend({ folds: z.number().int().min(2).max(50).default(5) }).strict();
export type HistorySpec = z.infer<typeof historySchema>;

const thresholdsSchema = z.record(z.string().min(1), z.number());

/**
 * The confidence model an assist or replay suite scores with: `shipped`, the service's own;
 * `cross-fit`, the collection calibrated on each fold's history by the product (`pnpm naparnik
 * calibrate`'s fit; needs the cases as their own k-fold history; `src/calibration/cross-fit.ts`)
 * — the honest figure when the shipped model was fitted on the suite's questions.
 */
const calibrationSchema = z.enum(['shipped', 'cross-fit']).default('shipped');

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/u, 'lower-case letters, digits and "-"'),
  title: z.string().min(1),
  description: z.string().optional(),
  /** `pending`: listed, not run (its target is not ready); the gate skips it and says so. */
  status: z.enum(['active', 'pending']).default('active'),
  pendingReason: z.string().optional(),
  /** Part of `pnpm evals gate-offline` (the test command). */
  gate: z.boolean().default(true),
  engines: z
    .array(z.enum(['offline', 'claude', 'openai-compatible']))
    .min(1)
    .default(['offline']),
  /** Metric ≥ threshold, except names ending in `_ms` (latencies), where metric ≤ threshold. */
  thresholds: thresholdsSchema.default({}),
  /**
   * Model engines the gate also runs this suite on, replaying their checked-in cassettes (no key,
   * no network). Keep it to one small suite: the gate runs in every `pnpm test`.
   */
  gateEngines: z.array(z.enum(['claude', 'openai-compatible'])).default([]),
  /** Added to `thresholds` when a model drafts (`--engine claude|openai-compatible`): model-only metrics. */
  modelThresholds: thresholdsSchema.default({}),
  /** Case field the report breaks results down by (e.g. a topic). */
  breakdown: z.string().min(1).optional(),
};

const retrievalFieldsSchema = z
  .object({
    id: z.string().default('id'),
    query: z.string().default('query'),
    relevant: z.string().default('relevant'),
  })
  .strict()
  .default({ id: 'id', query: 'query', relevant: 'relevant' });

export const retrievalSuiteSchema = z
  .object({
    ...common,
    task: z.literal('retrieval'),
    knowledge: knowledgeSchema,
    cases: datasetSchema.extend({ fields: retrievalFieldsSchema }).strict(),
    history: historySchema.extend({ fields: retrievalFieldsSchema }).strict().optional(),
    idMapping: idMappingSchema.optional(),
    retrieval: z
      .object({
        /** How deep the ranking is scored (recall@k for k ≤ topK). */
        topK: z.number().int().min(1).max(100).default(10),
        /**
         * `pipeline`: the assist pipeline's retrieve stage, as the service runs it, with history in
         * the collection's store; `retriever`: ingest/src/retrieval alone (ablations);
         * `store`: the store's plain hybrid search (the baseline).
         */
        engine: z.enum(['pipeline', 'retriever', 'store']).default('pipeline'),
        kinds: z.array(z.enum(['faq', 'template', 'article', 'script', 'routing', 'glossary'])).optional(),
        /** Changes to the retriever's defaults, for ablations. */
        settings: z.record(z.string(), z.unknown()).optional(),
      })
      .strict()
      .default({ topK: 10, engine: 'pipeline' }),
  })
  .strict();

const routingFieldsSchema = z
  .object({
    id: z.string().optional(),
    text: z.string().default('text'),
    label: z.string().default('label'),
    /** Knowledge model: the documents that answered a history question (evidence for the retriever). */
    relevant: z.string().optional(),
  })
  .strict()
  .default({ text: 'text', label: 'label' });

/** A label level of a knowledge-based router: the case field, and where entries carry it. */
const levelSchema = z
  .object({
    /** Metric prefix: the first level's metrics have none (`accuracy`), others `<name>.accuracy`. */
    name: z.string().regex(/^[a-z0-9_]+$/u),
    caseField: z.string().min(1),
    /** `category`, `tags[N]` or `metadata.<key>` of the knowledge entry. */
    knowledgeLabel: z
      .string()
      .regex(/^(category|tags\[\d+\]|metadata\.[\w.-]+)$/u, 'category, tags[N] or metadata.<key>'),
  })
  .strict();
export type LevelSpec = z.infer<typeof levelSchema>;

export const routingSuiteSchema = z
  .object({
    ...common,
    task: z.literal('routing'),
    /**
     * `classifier`: trained on `training`; `knowledge`: a vote over the entries the retriever finds
     * in `knowledge`, blended with a classifier trained on those entries' labels (and `history`).
     */
    model: z.enum(['classifier', 'knowledge']).default('classifier'),
    cases: datasetSchema.extend({ fields: routingFieldsSchema }).strict(),
    training: datasetSchema.extend({ fields: routingFieldsSchema }).strict().optional(),
    knowledge: knowledgeSchema.optional(),
    levels: z.array(levelSchema).min(1).optional(),
    history: historySchema.extend({ fields: routingFieldsSchema }).strict().optional(),
    /** Compare labels ignoring case (a knowledge base lower-cases its tags). */
    ignoreCase: z.boolean().default(false),
    classifier: z
      .object({
        epochs: z.number().int().min(1).max(100).optional(),
        learningRate: z.number().positive().optional(),
        l2: z.number().min(0).optional(),
        minimumCount: z.number().int().min(1).optional(),
        /** Knowledge model: weight of the classifier beside the retrieval vote. */
        blend: z.number().min(0).max(1).default(0.3),
        /** Knowledge model: relative score gap at which a hit's vote falls to 1/e. */
        temperature: z.number().positive().default(0.15),
        /** Knowledge model: hits that vote. */
        neighbours: z.number().int().min(1).max(50).default(10),
      })
      .strict()
      .default({ blend: 0.3, temperature: 0.15, neighbours: 10 }),
    outOfScope: z
      .object({
        /** Cases (and training examples) with this label are out of scope. */
        label: z.string().min(1),
        /** In-scope questions (not trained on) the confidence threshold is calibrated on. */
        calibration: datasetSchema.extend({ fields: routingFieldsSchema }).strict(),
        /** Share of in-scope calibration questions that may be handed to a person. */
        maxFalsePositiveRate: z.number().min(0).max(0.5),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((suite, context) => {
    if (suite.model === 'classifier' && !suite.training) {
      context.addIssue({ code: 'custom', path: ['training'], message: 'required when model is classifier' });
    }
    if (suite.model === 'knowledge') {
      if (!suite.knowledge) {
        context.addIssue({
          code: 'custom',
          path: ['knowledge'],
          message: 'required when model is knowledge',
        });
      }
      if (!suite.levels) {
        context.addIssue({ code: 'custom', path: ['levels'], message: 'required when model is knowledge' });
      }
    }
  });

const assistFieldsSchema = z
  .object({
    id: z.string().default('id'),
    query: z.string().default('query'),
    relevant: z.string().default('relevant'),
    /** The level-1 topic the service's detected topic is scored against. */
    topic: z.string().optional(),
    /** The operator's real answer (kept with the history, as an export would). */
    answer: z.string().optional(),
  })
  .strict()
  .default({ id: 'id', query: 'query', relevant: 'relevant' });

const replayFieldsSchema = z
  .object({
    id: z.string().default('id'),
    /** The customer's message (or a `turns` array field, see `conversation`). */
    query: z.string().default('query'),
    /** What the operator actually sent. */
    reply: z.string().default('operatorAnswer'),
  })
  .strict()
  .default({ id: 'id', query: 'query', reply: 'operatorAnswer' });

export const replaySuiteSchema = z
  .object({
    ...common,
    task: z.literal('replay'),
    knowledge: knowledgeSchema,
    cases: datasetSchema.extend({ fields: replayFieldsSchema }).strict(),
    /** Past questions with the answers that were sent, as the collection's history (same file: k-fold). */
    history: historySchema.extend({ fields: assistFieldsSchema }).strict().optional(),
    calibration: calibrationSchema,
    /** A suggestion is "accepted" when its normalised edit distance to the sent reply is at most this. */
    acceptDistance: z.number().min(0).max(1).default(0.5),
  })
  .strict();

const summaryFieldsSchema = z
  .object({
    id: z.string().default('conversation_id'),
    turns: z.string().default('turns'),
    references: z.string().default('abstractive_summaries'),
  })
  .strict()
  .default({ id: 'conversation_id', turns: 'turns', references: 'abstractive_summaries' });

export const summarySuiteSchema = z
  .object({
    ...common,
    task: z.literal('summary'),
    cases: datasetSchema.extend({ fields: summaryFieldsSchema }).strict(),
    /** Capitalised template words that are not entities (TweetSumm's "Customer", "Agent"). */
    ignoreEntities: z.array(z.string()).default([]),
  })
  .strict();

/** What `/v1/assist` answers, scored: citations of the suggestions, the topic, the confidence. */
export const assistSuiteSchema = z
  .object({
    ...common,
    task: z.literal('assist'),
    knowledge: knowledgeSchema,
    cases: datasetSchema.extend({ fields: assistFieldsSchema }).strict(),
    history: historySchema.extend({ fields: assistFieldsSchema }).strict().optional(),
    calibration: calibrationSchema,
    idMapping: idMappingSchema.optional(),
    channel: z
      .enum(['chat', 'email', 'messenger', 'social', 'marketplace', 'review', 'phone_transcript', 'other'])
      .default('chat'),
  })
  .strict();

const redteamFieldsSchema = z
  .object({
    id: z.string().default('id'),
    category: z.string().default('category'),
    expect: z.string().default('expect'),
  })
  .strict()
  .default({ id: 'id', category: 'category', expect: 'expect' });

/**
 * Conversations built from known failure patterns, each with the outcomes it must (not) have
 * (`tasks/redteam.ts`): any harmful outcome is counted, the rest make the pass rate.
 */
export const redteamSuiteSchema = z
  .object({
    ...common,
    task: z.literal('redteam'),
    knowledge: knowledgeSchema,
    cases: datasetSchema.extend({ fields: redteamFieldsSchema }).strict(),
  })
  .strict();

/** Real support text with no values planted: what the redaction masks there is counted, kind by kind. */
const realTextSchema = datasetSchema
  .extend({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/u, 'lower-case letters, digits and "-"'),
    /** Fields holding one message each; a field holding a list of `{text}` turns gives one per turn. */
    fields: z.array(z.string().min(1)).min(1),
    language: z.enum(['ru', 'en']),
  })
  .strict();

export const redactionSuiteSchema = z
  .object({
    ...common,
    task: z.literal('redaction'),
    /** Message templates (JSONL `{id, language, text}` with `{slot}`s), filled by a seeded generator. */
    cases: datasetSchema
      .extend({
        seed: z.number().int().default(1),
        count: z.number().int().min(1).max(100_000).default(1500),
      })
      .strict(),
    realText: z.array(realTextSchema).default([]),
  })
  .strict();

/** Real support text for the injection suite, with the check it is held to. */
const injectionRealTextSchema = datasetSchema
  .extend({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/u, 'lower-case letters, digits and "-"'),
    /** Fields holding one text each; a field holding a list of `{speaker, text}` turns gives one per turn. */
    fields: z.array(z.string().min(1)).min(1),
    /**
     * `customer`: `scanCustomerMessage` (what the conversation flag uses); `reply`: the reply guard
     * (what the draft check and suggestions are held to); `knowledge`: both, as ingest judges a document.
     */
    check: z.enum(['customer', 'reply', 'knowledge']),
    /** For a field of turns: only this speaker's turns. */
    speaker: z.string().min(1).optional(),
  })
  .strict();
export type InjectionRealText = z.infer<typeof injectionRealTextSchema>;

/**
 * Prompt-injection detection on attacks never used to write the rules (BIPIA's test split, garak's
 * probes), inserted into clean documents, and false flags on real support text.
 */
export const injectionSuiteSchema = z
  .object({
    ...common,
    task: z.literal('injection'),
    /** Clean documents the attacks are inserted into (BIPIA's EmailQA test emails). */
    cases: datasetSchema
      .extend({ field: z.string().min(1).default('context'), seed: z.number().int().default(2023) })
      .strict(),
    attacks: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/u, 'lower-case letters, digits and "-"'),
            path: relativePath,
            /**
             * `bipia-text`: `{category: [instruction]}`, each inserted at the start, middle and end of a
             * clean document; `garak-sysprompt`: `{category: [prompt]}`, each a message of its own;
             * `garak-latent`: garak's latent-injection templates, documents built as garak builds them.
             */
            format: z.enum(['bipia-text', 'garak-sysprompt', 'garak-latent']),
            /** garak-latent: at most this many documents per probe class (sampled by hash). */
            perClass: z.number().int().min(1).max(10_000).default(60),
          })
          .strict(),
      )
      .min(1),
    realText: z.array(injectionRealTextSchema).default([]),
  })
  .strict();
export type InjectionSuite = z.infer<typeof injectionSuiteSchema>;

/**
 * A labelled set of customer messages (JSONL: `{id, split, label: attack|benign, category, text |
 * ref: {path, id, field}, provenance}`), judged by the conversation check the service uses
 * (`scanCustomerMessage`). `split` picks the half to score: `dev` is the one rules are tuned on,
 * and the only one whose failures are printed; `test` reports figures alone.
 */
export const injectionLabelledSuiteSchema = z
  .object({
    ...common,
    task: z.literal('injection-labelled'),
    cases: z.object({ path: relativePath }).strict(),
    split: z.enum(['dev', 'test']),
  })
  .strict();
export type InjectionLabelledSuite = z.infer<typeof injectionLabelledSuiteSchema>;

export const suiteSchema = z.discriminatedUnion('task', [
  assistSuiteSchema,
  retrievalSuiteSchema,
  routingSuiteSchema,
  replaySuiteSchema,
  summarySuiteSchema,
  redteamSuiteSchema,
  redactionSuiteSchema,
  injectionSuiteSchema,
  injectionLabelledSuiteSchema,
]);

export type Suite = z.infer<typeof suiteSchema>;
export type RetrievalSuite = z.infer<typeof retrievalSuiteSchema>;
export type RoutingSuite = z.infer<typeof routingSuiteSchema>;
export type ReplaySuite = z.infer<typeof replaySuiteSchema>;
export type SummarySuite = z.infer<typeof summarySuiteSchema>;
export type RedactionSuite = z.infer<typeof redactionSuiteSchema>;
export type RedteamSuite = z.infer<typeof redteamSuiteSchema>;
export type AssistSuite = z.infer<typeof assistSuiteSchema>;
export type Task = Suite['task'];
export const TASKS: readonly Task[] = [
  'assist',
  'retrieval',
  'routing',
  'replay',
  'summary',
  'redteam',
  'redaction',
  'injection',
  'injection-labelled',
];

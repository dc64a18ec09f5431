import { z } from 'zod';
import { collectionNameSchema } from './conversation.ts';
import { KNOWLEDGE_KINDS } from './search.ts';

// ─── Knowledge gaps and operator edits (the console's Gaps page, issue 12) ──────────────────────

const isoInstant = z.iso.datetime({ offset: true });

/** A period and an optional collection: what both the gaps and the edits are read for. */
export const gapPeriodQuerySchema = z.object({
  /** Start, included (ISO date-time); default 30 days before `to`. */
  from: isoInstant.optional(),
  /** End, excluded (ISO date-time); default now. */
  to: isoInstant.optional(),
  collection: collectionNameSchema.optional(),
});
export type GapPeriodQuery = z.infer<typeof gapPeriodQuerySchema>;

export const knowledgeGapsQuerySchema = gapPeriodQuerySchema.extend({
  /** Clusters returned, largest first. */
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Why a conversation counts as a gap. */
export const GAP_REASONS = ['low-confidence', 'dismissed', 'rewritten'] as const;
export const gapReasonSchema = z.enum(GAP_REASONS);
export type GapReason = z.infer<typeof gapReasonSchema>;

export const gapExampleSchema = z.object({
  /** The customer's question, personal data masked (as stored). */
  question: z.string(),
  reason: gapReasonSchema,
  at: z.string(),
  /** How many times this very question (same content words) came up in the cluster. */
  count: z.number().int(),
});

export const gapClusterSchema = z.object({
  /** Stable for the same period and records: what a draft is asked for. */
  id: z.string(),
  /** The most frequent question of the cluster (masked). */
  label: z.string(),
  size: z.number().int(),
  reasons: z.record(gapReasonSchema, z.number().int()),
  collections: z.array(z.string()),
  /** Conversations of the cluster where the operator sent a reply: what a draft is made from. */
  sentAnswers: z.number().int(),
  firstAt: z.string(),
  lastAt: z.string(),
  examples: z.array(gapExampleSchema),
});
export type GapCluster = z.infer<typeof gapClusterSchema>;

export const knowledgeGapsResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Gap records (conversations) found in the period, before clustering. */
  records: z.number().int(),
  /** Clusters in all (the response holds the first `limit`). */
  total: z.number().int(),
  clusters: z.array(gapClusterSchema),
  /** Time the clustering took on the service, for the record (when it ran, for a cached answer). */
  clusteringMs: z.number(),
  /**
   * The clusters were computed earlier by this replica from exactly the signals the period holds
   * now (the store's fingerprint of them is unchanged): no clustering ran for this request.
   */
  cached: z.boolean(),
});
export type KnowledgeGapsResponse = z.infer<typeof knowledgeGapsResponseSchema>;

export const faqDraftRequestSchema = gapPeriodQuerySchema.extend({
  /** false: the offline draft even when a model is configured. */
  useModel: z.boolean().default(true),
});
export type FaqDraftRequest = z.input<typeof faqDraftRequestSchema>;

export const faqDraftResponseSchema = z.object({
  clusterId: z.string(),
  /** `offline` (the operators' own representative answer) or the model's engine id. */
  engine: z.string(),
  promptId: z.string().optional(),
  question: z.string(),
  variants: z.array(z.string()),
  answer: z.string(),
  /** Operators' sent answers the draft rests on, and how many the cluster had. */
  basedOn: z.number().int(),
  answersAvailable: z.number().int(),
  /** Where operators answered differently: the editor decides, the draft does not. */
  conflicts: z.array(z.string()),
  /** Placeholders ([PHONE_1]…) left in the draft: remove them before saving. */
  personalData: z.array(z.string()),
  language: z.string(),
  /** Set when a model was asked and the offline draft is shown instead. */
  degraded: z.object({ reason: z.string() }).optional(),
});
export type FaqDraftResponse = z.infer<typeof faqDraftResponseSchema>;

const entryText = (max: number) => z.string().trim().min(1).max(max);

export const faqSaveRequestSchema = z.strictObject({
  collection: collectionNameSchema,
  question: entryText(500),
  answer: entryText(8000),
  variants: z.array(entryText(500)).max(10).default([]),
  category: entryText(100).optional(),
  language: z.enum(['ru', 'en']).default('ru'),
  /** A new FAQ document, or a new entry appended to the file of a chosen FAQ document. */
  target: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('new') }),
    z.strictObject({ kind: z.literal('append'), documentId: z.string().min(1).max(500) }),
  ]),
  /**
   * The gap cluster the entry answers (the list's id, period and collection filter): what operators
   * replied in its conversations is learnt as history for the new entry, not for the documents whose
   * suggestions they rewrote.
   */
  fromCluster: gapPeriodQuerySchema.extend({ clusterId: z.string().min(1).max(100) }).optional(),
});
export type FaqSaveRequest = z.input<typeof faqSaveRequestSchema>;

export const faqSaveResponseSchema = z.object({
  collection: z.string(),
  /** The new entry's document id: search returns it from now on. */
  documentId: z.string(),
  /** The file it lives in, relative to the collection's uploads folder. */
  file: z.string(),
  appended: z.boolean(),
  chunks: z.number().int(),
  /** Replies of the cluster's conversations now learnt as history for the new entry. */
  historyLinked: z.number().int(),
});
export type FaqSaveResponse = z.infer<typeof faqSaveResponseSchema>;

export const editPatternSchema = z.object({
  collection: z.string(),
  documentId: z.string(),
  title: z.string(),
  kind: z.enum(KNOWLEDGE_KINDS).or(z.string()),
  /** Suggestions from this document that operators sent edited in the period. */
  editedSends: z.number().int(),
  /** Of those, how many were rewritten the typical way. */
  count: z.number().int(),
  /** What the document's suggestion said (the latest one seen), masked. */
  suggestionText: z.string(),
  /** The representative of the most common rewrite (its medoid), masked. */
  typicalRewrite: z.string(),
  /** Other rewrites of the same kind, for the manager to compare. */
  examples: z.array(z.string()),
});
export type EditPattern = z.infer<typeof editPatternSchema>;

export const editPatternsResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  patterns: z.array(editPatternSchema),
});
export type EditPatternsResponse = z.infer<typeof editPatternsResponseSchema>;

import { z } from 'zod';
import { collectionNameSchema } from './conversation.ts';
import { KNOWLEDGE_KINDS } from './search.ts';

// ─── Knowledge: what a collection holds (the console's Knowledge page) ──────────────────────────

export const knowledgeDocumentSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  kind: z.enum(KNOWLEDGE_KINDS),
  /** Where it came from, relative to the ingested root. */
  source: z.string(),
  chunks: z.number().int(),
  /** The language most of its chunks are in; `languages` counts chunks per language. */
  language: z.string(),
  languages: z.record(z.string(), z.number().int()),
  /** When ingest last wrote it (an unchanged file keeps its time: re-ingest touches only changes). */
  lastIngestedAt: z.string(),
  contentHash: z.string(),
  /**
   * Every stored document was ingested whole (files that failed are reported by the ingest run or
   * the upload and are not in the store); `expired` and `not-yet-valid` are entries outside their
   * validity window now, which search never returns.
   */
  status: z.enum(['ok', 'expired', 'not-yet-valid']),
  /** The validity window as the knowledge file states it (an ISO date or date-time), when it does. */
  validFrom: z.string().optional(),
  validUntil: z.string().optional(),
});
export type KnowledgeDocument = z.infer<typeof knowledgeDocumentSchema>;

export const knowledgeDocumentsResponseSchema = z.object({
  collection: z.string(),
  documents: z.array(knowledgeDocumentSchema),
});
export type KnowledgeDocumentsResponse = z.infer<typeof knowledgeDocumentsResponseSchema>;

export const knowledgeChunkSchema = z.object({
  chunkId: z.string(),
  ordinal: z.number().int(),
  title: z.string(),
  titlePath: z.array(z.string()),
  text: z.string(),
  language: z.string(),
  tags: z.array(z.string()),
  category: z.string().optional(),
});

export const knowledgeDocumentDetailSchema = z.object({
  collection: z.string(),
  document: knowledgeDocumentSchema,
  chunks: z.array(knowledgeChunkSchema),
});
export type KnowledgeDocumentDetail = z.infer<typeof knowledgeDocumentDetailSchema>;

export const knowledgeDocumentParamsSchema = z.object({
  collection: collectionNameSchema,
  documentId: z.string().min(1).max(500).optional(),
});

// ─── Knowledge: uploads, re-ingest, delete (through the ingest library the CLI uses) ────────────

/**
 * Where an uploaded file goes in its collection, relative with forward slashes: a folder dropped
 * on the console keeps its layout (`faq/delivery.md`), and documents without their own id are
 * named by it, as the CLI names them by their path under the ingested folder.
 */
export const uploadPathSchema = z
  .string()
  .min(1)
  .max(300)
  .refine(
    (value) => !value.includes('\\') && ![...value].some((character) => character.charCodeAt(0) < 0x20),
    'no backslashes or control characters',
  )
  .refine(
    (value) => value.split('/').every((segment) => segment !== '' && !segment.startsWith('.')),
    'a relative path whose parts are not empty and do not start with "." (no "..", no hidden files)',
  );

export const uploadQuerySchema = z.object({ path: uploadPathSchema });

export const ingestedDocumentSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  kind: z.enum(KNOWLEDGE_KINDS),
  source: z.string(),
});

/** What one file's ingest did: the CLI's summary for that file, and the documents it now holds. */
export const ingestFileResultSchema = z.object({
  collection: z.string(),
  /** The file, relative to its collection's folder (uploads) or to the folder it was ingested from. */
  file: z.string(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Documents the file held before and holds no more. */
  removed: z.number().int(),
  chunks: z.number().int(),
  documents: z.array(ingestedDocumentSchema),
  /** Ingested, but worth a look (a template stating an action as done, …). */
  warnings: z.array(z.object({ documentId: z.string(), message: z.string() })),
  /**
   * Into a collection that requires review (`/v1/collections/{c}/review-settings`): the versions the
   * file's changed entries now wait as; nothing of the file is served until they are approved.
   */
  pending: z.array(z.object({ documentId: z.string(), version: z.number().int() })).optional(),
});
export type IngestFileResult = z.infer<typeof ingestFileResultSchema>;

export const documentDeleteResponseSchema = z.object({
  collection: z.string(),
  documentId: z.string(),
  /** True when the document came from an uploaded file that now holds no other stored document: the file went too. */
  fileRemoved: z.boolean(),
});
export type DocumentDeleteResponse = z.infer<typeof documentDeleteResponseSchema>;

// ─── Analytics: the suggestion funnel (the console's Analytics page) ───────────────────────────

export const FUNNEL_BUCKETS = ['15m', 'hour', 'day', 'week'] as const;
export type FunnelBucket = (typeof FUNNEL_BUCKETS)[number];

/** What became of a suggestion that was shown, furthest stage first. */
export const FUNNEL_STAGES = ['shown', 'inserted', 'sent-as-is', 'sent-edited', 'dismissed'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

const isoDateTime = z.iso.datetime({ offset: true });
const optionalFilter = z.string().min(1).max(200).optional();

export const funnelQuerySchema = z.object({
  bucket: z.enum(FUNNEL_BUCKETS).default('hour'),
  /** Suggestions first shown at or after this instant; default: a span that suits the bucket. */
  from: isoDateTime.optional(),
  /** …and before this one; default: now. */
  to: isoDateTime.optional(),
  /** Minutes east of UTC the buckets start in (Moscow: 180); default 0 (UTC). */
  offsetMinutes: z.coerce.number().int().min(-840).max(840).default(0),
  operator: optionalFilter,
  collection: optionalFilter,
  engine: optionalFilter,
});
export type FunnelQuery = z.infer<typeof funnelQuerySchema>;

export const funnelCountsSchema = z.object({
  /** Suggestions first shown in the period (one per suggestion set and index). */
  shown: z.number().int(),
  /** …of them inserted into the composer. */
  inserted: z.number().int(),
  /** …sent unchanged (whitespace aside), by the last reply the panel reported. */
  sentAsIs: z.number().int(),
  /** …sent after the operator edited them. */
  sentEdited: z.number().int(),
  /** …dismissed (a suggestion can be dismissed after an insert). */
  dismissed: z.number().int(),
});
export type FunnelCounts = z.infer<typeof funnelCountsSchema>;

export const funnelRatesSchema = z.object({
  inserted: z.number().nullable(),
  sentAsIs: z.number().nullable(),
  sentEdited: z.number().nullable(),
  dismissed: z.number().nullable(),
});

export const funnelRowSchema = funnelCountsSchema.extend({
  /** The bucket's first instant (UTC, ISO) and its end (exclusive). */
  start: z.string(),
  end: z.string(),
  /** Shares of `shown` (0…1); null when nothing was shown. */
  rates: funnelRatesSchema,
});
export type FunnelRow = z.infer<typeof funnelRowSchema>;

export const funnelResponseSchema = z.object({
  bucket: z.enum(FUNNEL_BUCKETS),
  from: z.string(),
  to: z.string(),
  offsetMinutes: z.number().int(),
  filters: z.object({
    operator: z.string().optional(),
    collection: z.string().optional(),
    engine: z.string().optional(),
  }),
  /** Every bucket of the period, oldest first, empty ones included. */
  rows: z.array(funnelRowSchema),
  totals: funnelCountsSchema.extend({ rates: funnelRatesSchema }),
  /** Why suggestions were dismissed, most frequent first; '' is "no reason given". */
  dismissReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  /** The values the filters can take (from every suggestion set stored). */
  dimensions: z.object({
    operators: z.array(z.string()),
    collections: z.array(z.string()),
    engines: z.array(z.string()),
  }),
});
export type FunnelResponse = z.infer<typeof funnelResponseSchema>;

export const funnelCsvQuerySchema = funnelQuerySchema.extend({
  /** cp1251 with `;` and decimal commas opens as columns in a Russian Excel; utf-8 carries a BOM. */
  encoding: z.enum(['utf-8', 'cp1251']).default('utf-8'),
  language: z.enum(['ru', 'en']).default('ru'),
});
export type FunnelCsvQuery = z.infer<typeof funnelCsvQuerySchema>;

export const funnelSuggestionsQuerySchema = funnelQuerySchema.extend({
  stage: z.enum(FUNNEL_STAGES).default('shown'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type FunnelSuggestionsQuery = z.infer<typeof funnelSuggestionsQuerySchema>;

/** One suggestion behind a funnel number; operators' sent texts are not in it. */
export const funnelSuggestionSchema = z.object({
  suggestionSetId: z.string(),
  suggestionIndex: z.number().int(),
  shownAt: z.string(),
  collection: z.string(),
  engine: z.string(),
  operatorId: z.string().optional(),
  title: z.string().optional(),
  text: z.string().optional(),
  stages: z.array(z.enum(FUNNEL_STAGES)),
  dismissReason: z.string().optional(),
});
export type FunnelSuggestion = z.infer<typeof funnelSuggestionSchema>;

export const funnelSuggestionsResponseSchema = z.object({
  stage: z.enum(FUNNEL_STAGES),
  from: z.string(),
  to: z.string(),
  /** Newest first, at most `limit`; `total` counts them all. */
  suggestions: z.array(funnelSuggestionSchema),
  total: z.number().int(),
});
export type FunnelSuggestionsResponse = z.infer<typeof funnelSuggestionsResponseSchema>;

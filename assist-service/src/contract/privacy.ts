import { z } from 'zod';

/** A conversation id as the helpdesk gives it (`conversation.id` of /v1/assist), or a customer identifier. */
export const dataSubjectIdSchema = z.string().trim().min(1).max(200);

/** What `DELETE /v1/privacy/conversations/{id}` and `/customers/{id}` removed. */
export const erasureResponseSchema = z.object({
  subject: z.object({ kind: z.enum(['conversation', 'customer']), id: z.string() }),
  erased: z.object({
    suggestionSets: z.number().int(),
    feedbackEvents: z.number().int(),
    knowledgeGaps: z.number().int(),
    historyEntries: z.number().int(),
  }),
});
export type ErasureResponse = z.infer<typeof erasureResponseSchema>;

/** What is held about a conversation or a customer, as stored: personal values already masked. */
export const subjectExportResponseSchema = z.object({
  subject: z.object({ kind: z.enum(['conversation', 'customer']), id: z.string() }),
  exportedAt: z.string(),
  suggestionSets: z.array(z.record(z.string(), z.unknown())),
  feedbackEvents: z.array(z.record(z.string(), z.unknown())),
  knowledgeGaps: z.array(z.record(z.string(), z.unknown())),
  /** Past questions the knowledge base learnt from the subject's sent replies (masked). */
  history: z.array(
    z.object({
      collection: z.string(),
      id: z.string(),
      question: z.string(),
      answer: z.string().optional(),
      topic: z.string().optional(),
      documentIds: z.array(z.string()),
      source: z.string(),
      createdAt: z.string(),
    }),
  ),
});
export type SubjectExportResponse = z.infer<typeof subjectExportResponseSchema>;

/** The tables retention covers: the event store's three and the knowledge base's learnt history. */
export const RETENTION_TABLE_NAMES = [
  'suggestion_sets',
  'feedback_events',
  'knowledge_gaps',
  'history',
] as const;

const retentionDaysSchema = z.number().int().min(0).max(36_500);
const retentionFiguresSchema = z.object(
  Object.fromEntries(RETENTION_TABLE_NAMES.map((table) => [table, retentionDaysSchema.optional()])) as Record<
    (typeof RETENTION_TABLE_NAMES)[number],
    z.ZodOptional<typeof retentionDaysSchema>
  >,
);

/** `GET /v1/privacy/retention`: how long the caller's tenant keeps each table, and where the figure comes from. */
export const retentionSettingsResponseSchema = z.object({
  tenant: z.string(),
  /** Days per table in force now (0: kept forever). */
  effective: z.object(
    Object.fromEntries(RETENTION_TABLE_NAMES.map((table) => [table, retentionDaysSchema])) as Record<
      (typeof RETENTION_TABLE_NAMES)[number],
      typeof retentionDaysSchema
    >,
  ),
  /** The figures this tenant's admin set (over the service's configured policy). */
  settings: retentionFiguresSchema,
});
export type RetentionSettingsResponse = z.infer<typeof retentionSettingsResponseSchema>;

/** `PUT /v1/privacy/retention`: days per table for the caller's tenant; `null` goes back to the configured figure. */
export const retentionSettingsRequestSchema = z
  .object(
    Object.fromEntries(
      RETENTION_TABLE_NAMES.map((table) => [table, retentionDaysSchema.nullable().optional()]),
    ) as Record<
      (typeof RETENTION_TABLE_NAMES)[number],
      z.ZodOptional<z.ZodNullable<typeof retentionDaysSchema>>
    >,
  )
  .strict()
  .refine((value) => Object.keys(value).length > 0, { message: 'name at least one table' });
export type RetentionSettingsRequest = z.infer<typeof retentionSettingsRequestSchema>;

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

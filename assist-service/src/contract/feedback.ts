import { z } from 'zod';

const feedbackBase = {
  /** Chosen by the client; sending the same event twice records it once. */
  eventId: z.string().min(1).max(200),
  suggestionSetId: z.string().min(1).max(200),
  suggestionIndex: z.number().int().min(0).max(9),
  at: z.iso.datetime({ offset: true }).optional().describe('When it happened; default: when received.'),
  operatorId: z.string().max(200).optional(),
};

export const FEEDBACK_TYPES = [
  'suggestion-shown',
  'suggestion-inserted',
  'suggestion-edited',
  'suggestion-dismissed',
  'suggestion-rated',
] as const;

export const feedbackEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('suggestion-shown'), ...feedbackBase }),
  z.object({ type: z.literal('suggestion-inserted'), ...feedbackBase }),
  z.object({
    type: z.literal('suggestion-edited'),
    ...feedbackBase,
    finalText: z.string().max(100_000).describe('The text the operator finally sent.'),
  }),
  z.object({
    type: z.literal('suggestion-dismissed'),
    ...feedbackBase,
    reason: z.string().max(2000).optional(),
  }),
  z.object({
    type: z.literal('suggestion-rated'),
    ...feedbackBase,
    rating: z.enum(['up', 'down']),
    reason: z.string().max(2000).optional(),
  }),
]);
export type FeedbackEvent = z.infer<typeof feedbackEventSchema>;
export type FeedbackType = FeedbackEvent['type'];

export const feedbackResponseSchema = z.object({
  eventId: z.string(),
  /** True when this eventId had been recorded before: nothing changed. */
  duplicate: z.boolean(),
});
export type FeedbackResponse = z.infer<typeof feedbackResponseSchema>;

export const feedbackEventsQuerySchema = z.object({
  suggestionSetId: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** `next` of the previous page, as given. */
  after: z.string().min(1).max(600).optional(),
});
export type FeedbackEventsQuery = z.infer<typeof feedbackEventsQuerySchema>;

/** A recorded feedback event as the service stored it. */
export const storedFeedbackEventSchema = z.object({
  eventId: z.string(),
  type: z.enum(FEEDBACK_TYPES),
  suggestionSetId: z.string(),
  suggestionIndex: z.number().int(),
  rating: z.enum(['up', 'down']).optional(),
  reason: z.string().optional(),
  finalText: z.string().optional(),
  operatorId: z.string().optional(),
  occurredAt: z.string(),
  receivedAt: z.string(),
});

export const feedbackEventsResponseSchema = z.object({
  /** Oldest first, as received. */
  events: z.array(storedFeedbackEventSchema),
  /** Pass as `after` for the next page; absent when this page was the last. */
  next: z.string().optional(),
});
export type FeedbackEventsResponse = z.infer<typeof feedbackEventsResponseSchema>;

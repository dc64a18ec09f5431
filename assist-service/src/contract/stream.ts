import { z } from 'zod';
import {
  assistResponseSchema,
  detectedSchema,
  nextActionSchema,
  suggestionSchema,
  summarySchema,
} from './assist.ts';
import { errorBodySchema } from './errors.ts';

/** The hits the suggestions will rest on: sent first so the panel can show sources at once. */
export const retrievalEventSchema = z.object({
  type: z.literal('retrieval'),
  suggestionSetId: z.string(),
  hits: z.array(
    z.object({
      documentId: z.string(),
      chunkId: z.string(),
      title: z.string(),
      kind: z.string(),
      score: z.number(),
    }),
  ),
  detected: detectedSchema,
});

/** A piece of suggestion `index`'s text; the pieces concatenated give the text. */
export const suggestionDeltaEventSchema = z.object({
  type: z.literal('suggestion-delta'),
  index: z.number().int().min(0),
  delta: z.string(),
});

/**
 * Suggestion `index`'s text so far is void: a model stream was retried from the start, or the
 * drafting engine failed and the offline engine answers instead. Clear it; deltas follow anew.
 */
export const suggestionRestartEventSchema = z.object({
  type: z.literal('suggestion-restart'),
  index: z.number().int().min(0),
  reason: z.string(),
});

export const suggestionDoneEventSchema = z.object({
  type: z.literal('suggestion-done'),
  suggestion: suggestionSchema,
});

export const summaryEventSchema = z.object({ type: z.literal('summary'), summary: summarySchema });

export const nextActionsEventSchema = z.object({
  type: z.literal('next-actions'),
  nextActions: z.array(nextActionSchema),
});

/** The last event: the whole response, the same body a JSON request gets. */
export const doneEventSchema = z.object({ type: z.literal('done'), response: assistResponseSchema });

export const errorEventSchema = z.object({ type: z.literal('error'), ...errorBodySchema.shape });

export const assistEventSchema = z.discriminatedUnion('type', [
  retrievalEventSchema,
  suggestionDeltaEventSchema,
  suggestionRestartEventSchema,
  suggestionDoneEventSchema,
  summaryEventSchema,
  nextActionsEventSchema,
  doneEventSchema,
  errorEventSchema,
]);
export type AssistEvent = z.infer<typeof assistEventSchema>;
export type AssistEventType = AssistEvent['type'];

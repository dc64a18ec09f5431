import { z } from 'zod';
import { collectionNameSchema, conversationSchema, operatorSchema } from './conversation.ts';

export const assistOptionsSchema = z.object({
  variants: z.number().int().min(1).max(3).optional().describe('How many suggestions at most (default 3).'),
  maxLength: z
    .number()
    .int()
    .min(40)
    .max(20_000)
    .optional()
    .describe('Longest suggestion in characters; longer answers use their short form or are cut.'),
});

export const assistRequestSchema = z.object({
  conversation: conversationSchema,
  operator: operatorSchema.optional(),
  collection: collectionNameSchema,
  options: assistOptionsSchema.optional(),
});
export type AssistRequest = z.infer<typeof assistRequestSchema>;

export const SUGGESTION_KINDS = ['template', 'faq', 'script', 'generated'] as const;
export const suggestionKindSchema = z.enum(SUGGESTION_KINDS);
export type SuggestionKind = z.infer<typeof suggestionKindSchema>;

export const citationSchema = z.object({
  documentId: z.string(),
  chunkId: z.string(),
  title: z.string(),
  /** The passage the suggestion rests on, shortened. */
  quote: z.string(),
});
export type Citation = z.infer<typeof citationSchema>;

export const CONFIDENCE_LEVELS = ['low', 'medium', 'high'] as const;
export const confidenceSchema = z.object({
  score: z.number().min(0).max(1),
  level: z.enum(CONFIDENCE_LEVELS),
});
export type Confidence = z.infer<typeof confidenceSchema>;

export const SAFETY_FLAG_KINDS = [
  'prompt-injection',
  'sensitive-data-request',
  'money-promise',
  'external-link',
] as const;

/**
 * Something the safety detector found (issue 13): a customer message that reads as prompt
 * injection, or a knowledge-base entry that is poisoned (asks for card data or codes, promises
 * money beyond policy, links outside the allowed domains, or speaks to the model).
 */
export const safetyFlagSchema = z.object({
  kind: z.enum(SAFETY_FLAG_KINDS),
  source: z
    .enum(['conversation', 'knowledge'])
    .describe('A customer message of the conversation, or the knowledge-base entry a suggestion rests on.'),
  message: z.string().describe('For the operator, in the conversation’s language.'),
  messageIndex: z.number().int().min(0).optional().describe('For `conversation`: the message’s index.'),
  documentId: z.string().optional().describe('For `knowledge`: the flagged entry.'),
});
export type SafetyFlag = z.infer<typeof safetyFlagSchema>;

export const suggestionSchema = z.object({
  index: z.number().int().min(0),
  text: z.string(),
  kind: suggestionKindSchema,
  title: z.string().optional().describe('The template or FAQ entry it comes from.'),
  language: z.string(),
  citations: z.array(citationSchema),
  confidence: confidenceSchema,
  filledSlots: z.record(z.string(), z.string()),
  missingSlots: z.array(z.string()),
  short: z.boolean().describe('The short form, chosen because the customer is in a hurry.'),
  engine: z.string(),
  promptId: z.string().optional().describe('`id@version` of the prompt, for generated suggestions.'),
  preconditions: z
    .array(z.string())
    .optional()
    .describe(
      'What the operator must check or do before sending, because the text states it as done ' +
        '(«отменить заказ в системе»); the panel shows «сначала: …». Such a suggestion is never ' +
        'offered at high confidence. Absent when there is nothing to do first.',
    ),
  askedBefore: z
    .object({
      question: z.string().describe('The past customer question (personal data masked).'),
      similarity: z.number().min(0).max(1),
    })
    .optional()
    .describe(
      'The closest past question of the team’s history that this entry answered: the panel shows ' +
        '«спрашивали так: …». Absent when history did not vote for it.',
    ),
  safety: z
    .array(safetyFlagSchema)
    .optional()
    .describe(
      'The knowledge-base entry behind it is flagged: the suggestion comes last, at low ' +
        'confidence, with what the guard could not mend removed; the panel shows a warning. ' +
        'Absent when nothing is flagged.',
    ),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

export const foundSchema = z.object({
  value: z.string(),
  raw: z.string(),
  start: z.number().int(),
  end: z.number().int(),
});

export const entitiesSchema = z.object({
  orderIds: z.array(foundSchema),
  contractIds: z.array(foundSchema),
  trackingNumbers: z.array(foundSchema),
  dates: z.array(foundSchema),
  amounts: z.array(foundSchema),
  phones: z.array(foundSchema),
  emails: z.array(foundSchema),
  urls: z.array(foundSchema),
  products: z.array(foundSchema),
  customerName: foundSchema.optional(),
});

export const sentimentSchema = z.object({
  label: z.enum(['negative', 'neutral', 'positive']),
  score: z.number().min(-1).max(1),
  strong: z.boolean(),
  cues: z.array(z.string()),
});

export const summarySchema = z.object({
  issue: z.string(),
  tried: z.array(z.string()),
  promised: z.array(z.string()),
  openQuestions: z.array(z.string()),
  entities: entitiesSchema,
  sentiment: sentimentSchema,
});
export type AssistSummary = z.infer<typeof summarySchema>;

export const NEXT_ACTION_TYPES = ['handover', 'ask', 'close', 'escalate'] as const;
export const nextActionSchema = z.object({
  type: z.enum(NEXT_ACTION_TYPES),
  /** Why, in the operator's language: shown next to the action. */
  reason: z.string(),
  department: z.object({ id: z.string(), name: z.string() }).optional(),
  slot: z.string().optional().describe('For `ask`: the information to request.'),
  ask: z.string().optional().describe('For `ask`: a ready question to send.'),
  ruleId: z.string().optional().describe('The routing rule (its documentId); absent for built-in actions.'),
  priority: z.number().describe('Higher first.'),
  precondition: z
    .string()
    .optional()
    .describe('What must be done first, when it is not done yet («сначала: …»); from a model.'),
});
export type NextAction = z.infer<typeof nextActionSchema>;

export const topicSchema = z.object({
  label: z.string(),
  score: z.number().min(0).max(1),
});

export const detectedSchema = z.object({
  language: z.string(),
  topic: topicSchema.nullable(),
  sentiment: sentimentSchema,
  hurry: z.boolean(),
});
export type Detected = z.infer<typeof detectedSchema>;

const degradedSchema = z.object({
  reason: z
    .string()
    .describe('Why the configured model did not answer: timeout, rate-limited, overloaded, circuit-open, …'),
  engine: z.string().describe('The engine that was asked first.'),
});

const stageSchema = z.object({
  engine: z.string().describe('Who wrote it: `claude`, `openai-compatible`, or `offline` (the fallback).'),
  promptId: z.string().optional().describe('`promptId@version` when a model wrote it.'),
  degraded: degradedSchema
    .optional()
    .describe('Present when the model failed and the offline rules answered instead.'),
});

export const assistResponseSchema = z.object({
  suggestionSetId: z.string(),
  collection: z.string(),
  engine: z.string(),
  suggestions: z.array(suggestionSchema),
  /** The best suggestion's confidence; `low` with no suggestions when nothing fits. */
  confidence: confidenceSchema,
  knowledgeGap: z.boolean().describe('Nothing in the knowledge base fits: the question was logged.'),
  summary: summarySchema,
  nextActions: z.array(nextActionSchema),
  detected: detectedSchema,
  conversation: z.object({
    messages: z.number().int(),
    truncated: z.boolean().describe('Longer than the budget: the oldest part was cut.'),
  }),
  tookMs: z.number(),
  degraded: degradedSchema
    .optional()
    .describe('Present when the model failed to draft and the offline engine answered instead.'),
  stages: z
    .object({ summary: stageSchema.optional(), nextActions: stageSchema.optional() })
    .optional()
    .describe(
      'Present when a model is configured for the summary or the next actions: who wrote each, and why ' +
        'the offline rules did when the model failed. A stage that did not ask the model is left out.',
    ),
  safety: z
    .object({ flags: z.array(safetyFlagSchema) })
    .optional()
    .describe(
      'Present when a customer message reads as prompt injection or a knowledge-base entry the ' +
        'suggestions drew on is flagged: the panel shows a warning on the conversation.',
    ),
  usage: z
    .object({
      model: z.string(),
      inputTokens: z.number().int(),
      outputTokens: z.number().int(),
      cacheReadTokens: z.number().int(),
      cacheWriteTokens: z.number().int(),
      costUsd: z.number().nullable().describe('Null when no price is configured for the model.'),
    })
    .optional()
    .describe(
      'Tokens and cost of the model calls behind the set (the draft, its check, the summary, the next ' +
        'actions), when a model was asked.',
    ),
});
export type AssistResponse = z.infer<typeof assistResponseSchema>;

import { z } from 'zod';
import { channelSchema, collectionNameSchema, conversationMessageSchema } from './conversation.ts';

export const checkDraftRequestSchema = z.object({
  collection: collectionNameSchema,
  draft: z.string().max(100_000),
  channel: channelSchema,
  language: z.string().min(2).max(16).optional(),
  /** The conversation so far: a first reply needs a greeting, a later one does not. */
  messages: z.array(conversationMessageSchema).max(5000).optional(),
});
export type CheckDraftRequest = z.infer<typeof checkDraftRequestSchema>;

export const DRAFT_FINDING_TYPES = [
  'missing-greeting',
  'missing-introduction',
  'missing-thanks',
  'missing-closing',
  /** A required step without a type of its own (apology, hold). */
  'missing-step',
  'address-form',
  'banned-phrase',
  'missing-required-phrase',
  'too-long',
  /** Guard rules, whatever the script says: asks for card data, CVV, a password or a one-time code. */
  'sensitive-data-request',
  /** Guard rules: promises money beyond policy («вернём деньги в любом случае»). */
  'money-promise',
  /** Guard rules: a link outside the tenant's allowed domains. */
  'external-link',
  /** Model check: a banned promise in other words («деньги вернём в любом случае»). */
  'banned-promise',
  /** Model check: rudeness, blame, sarcasm, condescension — polite words included. */
  'rudeness',
  /** Model check: a fact, promise or action stated as done that no source or message backs. */
  'unfounded-claim',
] as const;

export const draftFindingSchema = z.object({
  type: z.enum(DRAFT_FINDING_TYPES),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  /** UTF-16 offsets into the draft to underline; absent for something missing. */
  span: z.object({ start: z.number().int(), end: z.number().int() }).optional(),
  suggestion: z.string().optional(),
  /** The script rule's documentId, `guard/<rule>` for a guard rule, `model/<category>` for the model's. */
  ruleId: z.string().optional(),
});

export const checkDraftResponseSchema = z.object({
  findings: z.array(draftFindingSchema),
  /** documentIds of the script steps and rules the draft was checked against. */
  rulesFrom: z.array(z.string()),
  /** When a model checked too (a model is configured): what it added to the rules' findings. */
  model: z
    .object({
      engine: z.string().describe('`claude` or `openai-compatible`.'),
      promptId: z.string().describe('`check-draft@vN`.'),
      added: z.number().int().min(0).describe('Findings the model added to the rules’ findings.'),
      dropped: z
        .number()
        .int()
        .min(0)
        .describe('The model’s findings dropped because their quote is not in the draft.'),
    })
    .optional(),
  /** A model is configured but failed (timeout, 429, bad answer…): only the rules checked. */
  degraded: z.object({ reason: z.string(), engine: z.string() }).optional(),
});
export type CheckDraftResponse = z.infer<typeof checkDraftResponseSchema>;

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
] as const;

export const draftFindingSchema = z.object({
  type: z.enum(DRAFT_FINDING_TYPES),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  /** UTF-16 offsets into the draft to underline; absent for something missing. */
  span: z.object({ start: z.number().int(), end: z.number().int() }).optional(),
  suggestion: z.string().optional(),
  /** The script rule's documentId, or `guard/<rule>` for a guard rule. */
  ruleId: z.string().optional(),
});

export const checkDraftResponseSchema = z.object({
  findings: z.array(draftFindingSchema),
  /** documentIds of the script steps and rules the draft was checked against. */
  rulesFrom: z.array(z.string()),
});
export type CheckDraftResponse = z.infer<typeof checkDraftResponseSchema>;

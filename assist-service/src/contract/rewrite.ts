import { z } from 'zod';
import { channelSchema, collectionNameSchema } from './conversation.ts';

/** How a text can be rewritten; an engine says which of these it offers (`GET /v1/ready` → `capabilities`). */
export const REWRITE_STYLES = ['shorter', 'friendlier', 'formal', 'fix-grammar'] as const;
export const rewriteStyleSchema = z.enum(REWRITE_STYLES);
export type RewriteStyle = z.infer<typeof rewriteStyleSchema>;

export const rewriteRequestSchema = z.object({
  text: z.string().min(1).max(20_000),
  style: rewriteStyleSchema,
  /** ISO 639-1; detected from the text when absent. */
  language: z.string().min(2).max(16).optional(),
  /** Decides which of the script's greetings and closings fit (an e-mail signs off differently). */
  channel: channelSchema.optional(),
  /** Whose script the friendlier style takes its greeting, thanks and closing from. */
  collection: collectionNameSchema.optional(),
  /** Fills `{{customer_name}}` in a script greeting; without it the script's nameless variant is used. */
  customerName: z.string().max(200).optional(),
});
export type RewriteRequest = z.infer<typeof rewriteRequestSchema>;

export const REWRITE_RULES = [
  'filler',
  'wordy-phrase',
  'preamble',
  'duplicate-pleasantry',
  'redundant-sentence',
  'empty-sentence',
  'greeting',
  'thanks',
  'closing',
  'soften-imperative',
  'address-form',
  'capitalise-vy',
  'familiar-word',
  'slang',
  'contraction',
  'emoji',
  'exclamation',
] as const;

export const rewriteChangeSchema = z.object({
  rule: z.enum(REWRITE_RULES),
  /** The text taken out or replaced; empty when something was added. */
  before: z.string(),
  /** The text put in; empty when something was taken out. */
  after: z.string(),
  /** The script step an added phrase came from. */
  documentId: z.string().optional(),
});
export type RewriteChange = z.infer<typeof rewriteChangeSchema>;

export const rewriteResponseSchema = z.object({
  text: z.string(),
  style: rewriteStyleSchema,
  /** The engine that rewrote it (`offline`). */
  engine: z.string(),
  language: z.enum(['ru', 'en']),
  /** What was changed, in the order the rules ran; empty when the text already fits the style (or a model rewrote it). */
  changes: z.array(rewriteChangeSchema),
  /** `rewrite@vN` when a model rewrote it. */
  promptId: z.string().optional(),
  degraded: z
    .object({
      reason: z
        .string()
        .describe('timeout, overloaded, …; too-long (a shorter text still over the limit); invented-facts'),
      engine: z.string().describe('The engine that was asked first.'),
    })
    .optional()
    .describe(
      'Present when the configured model did not rewrite and the offline rules did (or nothing could).',
    ),
});
export type RewriteResponse = z.infer<typeof rewriteResponseSchema>;

/** What the engine behind the service can do, so that a client shows only what works. */
export const engineCapabilitiesSchema = z.object({
  engine: z.string(),
  rewrite: z.array(rewriteStyleSchema),
});
export type EngineCapabilities = z.infer<typeof engineCapabilitiesSchema>;

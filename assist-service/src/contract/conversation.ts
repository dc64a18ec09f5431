import { z } from 'zod';

/** Where the conversation happens; decides length limits and which script steps apply. */
export const CHANNELS = [
  'chat',
  'email',
  'messenger',
  'social',
  'marketplace',
  'review',
  'phone_transcript',
  'other',
] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

export const MESSAGE_ROLES = ['customer', 'operator', 'bot', 'note', 'system'] as const;
export const messageRoleSchema = z.enum(MESSAGE_ROLES);

/**
 * Text is taken as it comes (HTML, emoji, control characters, any length within the body limit):
 * the engine cleans and cuts it, so a messy page never makes a request invalid.
 */
export const conversationMessageSchema = z.object({
  role: messageRoleSchema,
  text: z.string(),
  at: z.string().max(64).optional().describe('When it was sent, as the page shows it (ISO preferred).'),
  author: z.string().max(200).optional(),
  roleConfidence: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(
      'How sure the reader of the page is of `role` (0–1), when it inferred the role; absent when the page states it.',
    ),
});
export type ConversationMessage = z.infer<typeof conversationMessageSchema>;

export const customerCardSchema = z.object({
  name: z.string().max(200).optional(),
  ids: z
    .record(z.string().max(64), z.string().max(200))
    .optional()
    .describe('Identifiers from the helpdesk card: order, contract, phone…'),
  fields: z.record(z.string().max(64), z.string().max(2000)).optional(),
});
export type CustomerCard = z.infer<typeof customerCardSchema>;

export const conversationSourceSchema = z.object({
  adapter: z.string().min(1).max(64),
  url: z.string().max(4000).optional(),
  ticketId: z.string().max(200).optional(),
});

export const conversationSchema = z.object({
  id: z.string().max(200).optional(),
  channel: channelSchema,
  language: z.string().min(2).max(16).optional().describe('ISO 639-1 when the page knows it.'),
  messages: z.array(conversationMessageSchema).max(5000),
  customer: customerCardSchema.optional(),
  source: conversationSourceSchema.optional(),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const operatorSchema = z.object({
  id: z.string().min(1).max(200),
  displayName: z.string().max(200).optional(),
});
export type Operator = z.infer<typeof operatorSchema>;

/** A knowledge base collection name, as `pnpm ingest --collection` accepts it. */
export const collectionNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}_.-]+$/u, 'letters, digits, "_", "." and "-" only');

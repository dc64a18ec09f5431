import { z } from 'zod';

/** Every error code the service answers with; stable, clients switch on them. */
export const ERROR_CODES = [
  'invalid-json',
  'invalid-request',
  'payload-too-large',
  'unsupported-media-type',
  'not-found',
  'collection-not-found',
  'suggestion-set-not-found',
  'unauthorized',
  'forbidden',
  'version-conflict',
  'host-not-allowed',
  'rate-limited',
  'not-ready',
  'storage-full',
  'storage-unavailable',
  'cancelled',
  'internal',
] as const;
export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorIssueSchema = z.object({
  /** Dotted path of the field, e.g. `conversation.messages.0.role`; empty for the body itself. */
  path: z.string(),
  message: z.string(),
});
export type ErrorIssue = z.infer<typeof errorIssueSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    issues: z.array(errorIssueSchema).optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

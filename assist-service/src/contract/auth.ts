import { z } from 'zod';

/** Who a token speaks for, from least to most: each role may do what the one before it may. */
export const ROLES = ['operator', 'knowledge_manager', 'team_lead', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** A tenant id: the same rule as NAPARNIK_TENANT (lower-case letters, digits, "_" or "-"). */
export const tenantSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/u, 'lower-case letters, digits, "_" or "-", up to 63');

/** A token's name: who or what holds it; also the operator id recorded with their work. */
export const tokenNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._@-]*$/u, 'letters, digits, ".", "_", "@" or "-"');

export const tokenCreateRequestSchema = z.strictObject({
  role: roleSchema,
  name: tokenNameSchema,
  /** Only an admin of the default tenant may name another tenant; absent: the caller's own. */
  tenant: tenantSchema.optional(),
});
export type TokenCreateRequest = z.infer<typeof tokenCreateRequestSchema>;

export const tokenRecordSchema = z.object({
  id: z.string(),
  tenant: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  revokedAt: z.string().optional(),
});
export type TokenRecordBody = z.infer<typeof tokenRecordSchema>;

export const tokenCreateResponseSchema = z.object({
  /** Shown once: only its SHA-256 is stored. */
  token: z.string(),
  record: tokenRecordSchema,
});
export const tokenListResponseSchema = z.object({ tokens: z.array(tokenRecordSchema) });
export type TokenListResponseBody = z.infer<typeof tokenListResponseSchema>;

/** The console's sign-in form: its one field is the token. */
export const sessionRequestSchema = z.strictObject({ token: z.string().min(1).max(512) });
export const sessionResponseSchema = z.object({
  name: z.string(),
  role: roleSchema,
  tenant: z.string(),
  /** Send it back as X-CSRF-Token on every write made with the session cookie. */
  csrfToken: z.string(),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

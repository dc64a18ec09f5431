import { z } from 'zod';
import { conversationMessageSchema, customerCardSchema } from './conversation.ts';
import { KNOWLEDGE_KINDS } from './search.ts';

// ─── Knowledge: edits in place, versions, review (issue 12; provenance from issue 13) ─────────

/**
 * What an edit is written in: the unit as a complete knowledge file of its format (FORMATS.md),
 * so ingest's own parsers check it and report lines that match the editor's lines. Templates,
 * script steps and routing rules are YAML; an FAQ entry is a JSON record.
 */
export const EDIT_FORMATS = ['yaml', 'json'] as const;
export const editFormatSchema = z.enum(EDIT_FORMATS);

/**
 * Where a version came from: `console-edit` (saved in the console's editor), `upload` (a file
 * uploaded through the console), `file` (ingested from a file outside the service — the CLI —
 * and noticed when the document's versions were read), `rollback` (a copy of an earlier version).
 */
export const VERSION_SOURCES = ['console-edit', 'upload', 'file', 'rollback'] as const;
export const versionSourceSchema = z.enum(VERSION_SOURCES);
export type VersionSource = z.infer<typeof versionSourceSchema>;

/**
 * `served`: what search returns now; `pending`: saved but waiting for review (the served version
 * stays served); `rejected`: a reviewer turned it down; `superseded`: served once, replaced since.
 */
export const VERSION_STATUSES = ['served', 'pending', 'rejected', 'superseded'] as const;
export const versionStatusSchema = z.enum(VERSION_STATUSES);
export type VersionStatus = z.infer<typeof versionStatusSchema>;

/** Who did it, from the token or session that made the request (never from a body). */
export const actorSchema = z.object({ name: z.string(), role: z.string() });
export type Actor = z.infer<typeof actorSchema>;

export const knowledgeVersionSchema = z.object({
  collection: z.string(),
  documentId: z.string(),
  version: z.number().int().min(1),
  kind: z.enum(KNOWLEDGE_KINDS),
  /** The unit's file (editable kinds), else the document's text as it was stored. */
  format: z.enum([...EDIT_FORMATS, 'text']),
  content: z.string(),
  /** Whether this version can be edited and rolled back to (templates, FAQ entries, script steps and rules, routing rules). */
  editable: z.boolean(),
  /** Null when the change came from outside the service (the CLI): nobody the service knows. */
  author: actorSchema.nullable(),
  createdAt: z.string(),
  source: versionSourceSchema,
  /** The file it came from: the uploaded path, the CLI's file, or the console's edit file. */
  sourceFile: z.string(),
  status: versionStatusSchema,
  note: z.string().optional(),
  /** For `rollback`: the version copied. */
  rollbackOf: z.number().int().optional(),
  reviewedBy: actorSchema.optional(),
  reviewedAt: z.string().optional(),
  reviewNote: z.string().optional(),
  /**
   * Set when an admin approved a change they made themselves (four eyes waived): the reason they
   * gave, shown with the version. Any other approval is by someone other than the author.
   */
  reviewOverride: z.string().optional(),
});
export type KnowledgeVersion = z.infer<typeof knowledgeVersionSchema>;

export const reviewFlagSchema = z.object({
  collection: z.string(),
  documentId: z.string(),
  note: z.string(),
  flaggedBy: actorSchema,
  flaggedAt: z.string(),
});
export type ReviewFlag = z.infer<typeof reviewFlagSchema>;

/** GET …/documents/{id}/edit: what the editor opens with. */
export const documentEditSchema = z.object({
  collection: z.string(),
  documentId: z.string(),
  kind: z.enum(KNOWLEDGE_KINDS),
  title: z.string(),
  editable: z.boolean(),
  format: z.enum([...EDIT_FORMATS, 'text']),
  /** The served version's content (the unit's file). */
  content: z.string(),
  /** The served version's number. */
  version: z.number().int(),
  /** Versions saved but waiting for review, newest first. */
  pending: z.array(z.number().int()),
  needsReview: reviewFlagSchema.nullable(),
  requireReview: z.boolean(),
});
export type DocumentEdit = z.infer<typeof documentEditSchema>;

const contentSchema = z.string().min(1, 'the content is empty').max(200_000);

export const saveContentRequestSchema = z.object({
  content: contentSchema,
  /** A short note for the history and the reviewer («цена с 1 декабря»). */
  note: z.string().trim().max(500).optional(),
});
export type SaveContentRequest = z.infer<typeof saveContentRequestSchema>;

/** PUT …/content and the rollback: the version made; `served` false when it waits for review. */
export const saveContentResponseSchema = z.object({
  version: knowledgeVersionSchema,
  served: z.boolean(),
});
export type SaveContentResponse = z.infer<typeof saveContentResponseSchema>;

export const validateContentRequestSchema = z.object({ content: contentSchema });

/** POST …/validate: whether the content is a valid unit of the document; the error names the line or field. */
export const validateContentResponseSchema = z.object({
  valid: z.boolean(),
  error: z.string().optional(),
  warnings: z.array(z.string()),
});
export type ValidateContentResponse = z.infer<typeof validateContentResponseSchema>;

export const previewRequestSchema = z.object({
  content: contentSchema,
  /** A sample conversation: slots are filled from it as the assist service fills them. */
  messages: z.array(conversationMessageSchema).min(1).max(200),
  customer: customerCardSchema.optional(),
});
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

export const previewResponseSchema = z.object({
  text: z.string(),
  short: z.string().optional(),
  language: z.string(),
  filledSlots: z.record(z.string(), z.string()),
  missingSlots: z.array(z.string()),
});
export type PreviewResponse = z.infer<typeof previewResponseSchema>;

export const versionsResponseSchema = z.object({
  collection: z.string(),
  documentId: z.string(),
  /** Newest first. */
  versions: z.array(knowledgeVersionSchema),
});
export type VersionsResponse = z.infer<typeof versionsResponseSchema>;

export const versionParamsSchema = z.object({
  collection: z.string().min(1).max(64),
  documentId: z.string().min(1).max(500),
  version: z.coerce.number().int().min(1),
});

export const reviewDecisionRequestSchema = z.object({ note: z.string().trim().max(500).optional() });

/**
 * POST …/approve. A version is approved by someone other than its author; an admin approving their
 * own change must say why (`overrideReason`, kept with the version and shown in its history).
 */
export const approveVersionRequestSchema = reviewDecisionRequestSchema.extend({
  // At least 10 characters: a reason, not «ok». (Zod's own message: every byte here is also in
  // the extension's content script, which imports the contract.)
  overrideReason: z.string().trim().min(10).max(500).optional(),
});
export type ApproveVersionRequest = z.infer<typeof approveVersionRequestSchema>;

export const reviewFlagRequestSchema = z.object({
  needsReview: z.boolean(),
  note: z.string().trim().max(500).optional(),
});

export const reviewSettingsSchema = z.object({
  collection: z.string(),
  /** Edited and uploaded versions wait for a knowledge manager's or admin's approval before they are served. */
  requireReview: z.boolean(),
});
export type ReviewSettings = z.infer<typeof reviewSettingsSchema>;
export const reviewSettingsRequestSchema = z.object({ requireReview: z.boolean() });

export const reviewQueueResponseSchema = z.object({
  pending: z.array(knowledgeVersionSchema.extend({ title: z.string() })),
  flagged: z.array(reviewFlagSchema.extend({ title: z.string() })),
});
export type ReviewQueueResponse = z.infer<typeof reviewQueueResponseSchema>;

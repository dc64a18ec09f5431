import {
  assistEventSchema,
  assistRequestSchema,
  checkDraftRequestSchema,
  checkDraftResponseSchema,
  conversationSchema,
  feedbackEventSchema,
  feedbackResponseSchema,
  recipeDomainSchema,
  recipeSchema,
  rewriteRequestSchema,
  rewriteResponseSchema,
  rewriteStyleSchema,
  searchFilterSchema,
  searchResponseSchema,
} from '@naparnik/assist-service/contract';
import { z } from 'zod';
import { settingsLayerSchema, settingsSchema } from './settings.ts';

/**
 * Every message between the content script, the panels and the background worker. Each side
 * parses what it receives with these schemas; nothing crosses unchecked.
 */

/** Why a call failed, in terms the panel can act on. Service error codes pass through unchanged. */
export const clientErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  status: z.number().int().optional(),
  retryAfterSeconds: z.number().optional(),
});
export type ClientError = z.infer<typeof clientErrorSchema>;

/** Client-side codes, beside the service's own (collection-not-found, not-ready, …). */
export const CLIENT_ERROR_CODES = {
  unreachable: 'unreachable',
  notConfigured: 'not-configured',
  badResponse: 'bad-response',
  unauthorized: 'unauthorized',
  cancelled: 'cancelled',
  invalidMessage: 'invalid-message',
  forbidden: 'forbidden',
} as const;

export function resultSchema<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: clientErrorSchema }),
  ]);
}
export type Result<T> = { ok: true; data: T } | { ok: false; error: ClientError };

export const serviceStatusSchema = z.object({
  reachable: z.boolean(),
  ready: z.boolean(),
  version: z.string().optional(),
  serviceUrl: z.string(),
  collection: z.string(),
  locale: z.enum(['ru', 'en']),
  /** Rewrite styles the service's engine offers; absent when it offers none (or is older). */
  rewrite: z.array(rewriteStyleSchema).optional(),
});
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

/** Which recipe a domain is read with: the newest of the operator's own and the published one. */
export const recipeChoiceSchema = z.object({
  recipe: recipeSchema.nullable(),
  source: z.enum(['local', 'published']).nullable(),
  local: recipeSchema.nullable(),
  published: recipeSchema.nullable(),
});

// One-shot requests to the background worker (runtime.sendMessage).
export const workerRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('service:status') }),
  z.object({
    type: z.literal('search'),
    query: z.string().max(4000),
    topK: z.number().int().min(1).max(50).optional(),
    filter: searchFilterSchema.optional(),
  }),
  z.object({ type: z.literal('feedback'), event: feedbackEventSchema }),
  z.object({ type: z.literal('check-draft'), request: checkDraftRequestSchema.omit({ collection: true }) }),
  z.object({ type: z.literal('rewrite'), request: rewriteRequestSchema.omit({ collection: true }) }),
  z.object({ type: z.literal('options:open') }),
  // "Teach this page" recipes (src/teach/recipe-book.ts): the worker keeps the operator's own and
  // caches the service's published ones.
  z.object({ type: z.literal('recipes:get'), domain: recipeDomainSchema, refresh: z.boolean().optional() }),
  z.object({ type: z.literal('recipes:save-local'), recipe: recipeSchema }),
  z.object({ type: z.literal('recipes:delete-local'), domain: recipeDomainSchema }),
  z.object({ type: z.literal('recipes:list-local') }),
  // Settings (service URL, token, sites): answered to the extension's own pages only, never to a
  // content script (src/background/settings-store.ts).
  z.object({ type: z.literal('settings:read') }),
  z.object({ type: z.literal('settings:write'), changes: settingsLayerSchema }),
]);
/** Who sent a request to the worker: one of the extension's pages, or a content script in a page. */
export type RequestSender = 'extension-page' | 'content-script';
export type WorkerRequest = z.infer<typeof workerRequestSchema>;

export const workerResponseSchemas = {
  'service:status': resultSchema(serviceStatusSchema),
  search: resultSchema(searchResponseSchema),
  feedback: resultSchema(feedbackResponseSchema),
  'check-draft': resultSchema(checkDraftResponseSchema),
  rewrite: resultSchema(rewriteResponseSchema),
  'options:open': resultSchema(z.null()),
  'recipes:get': resultSchema(recipeChoiceSchema),
  'recipes:save-local': resultSchema(recipeChoiceSchema),
  'recipes:delete-local': resultSchema(z.null()),
  'recipes:list-local': resultSchema(z.object({ recipes: z.array(recipeSchema) })),
  'settings:read': resultSchema(settingsSchema),
  'settings:write': resultSchema(settingsSchema),
} satisfies Record<WorkerRequest['type'], z.ZodType>;
export type WorkerResponse<K extends WorkerRequest['type']> = z.infer<(typeof workerResponseSchemas)[K]>;

// Streaming: one runtime port per assist request, named ASSIST_PORT; disconnecting cancels it.
export const ASSIST_PORT = 'naparnik-assist';
/** The panel's request: the worker adds the collection from settings. */
export const assistStartSchema = z.object({
  type: z.literal('assist:start'),
  request: assistRequestSchema.omit({ collection: true }),
});
export type AssistStart = z.infer<typeof assistStartSchema>;

export const assistPortMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assist:event'), event: assistEventSchema }),
  z.object({ type: z.literal('assist:error'), error: clientErrorSchema }),
  z.object({ type: z.literal('assist:end') }),
]);
export type AssistPortMessage = z.infer<typeof assistPortMessageSchema>;

/** A stretch of the operator's draft to underline in the page's reply box (UTF-16 offsets). */
export const draftMarkSchema = z.object({
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  severity: z.enum(['error', 'warning', 'info']),
});
export type DraftMark = z.infer<typeof draftMarkSchema>;

// Requests to the content script of a tab (tabs.sendMessage), from the browser side panel.
export const pageRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('page:read') }),
  z.object({ type: z.literal('page:insert'), text: z.string().max(100_000) }),
  z.object({ type: z.literal('panel:toggle') }),
  z.object({ type: z.literal('page:draft') }),
  z.object({ type: z.literal('page:mark-draft'), marks: z.array(draftMarkSchema).max(500) }),
]);
export type PageRequest = z.infer<typeof pageRequestSchema>;

export const pageReadingSchema = z.object({
  adapter: z.string(),
  url: z.string(),
  conversation: conversationSchema.nullable(),
  hasComposer: z.boolean(),
});
export type PageReading = z.infer<typeof pageReadingSchema>;

export const insertOutcomeSchema = z.object({ inserted: z.boolean(), method: z.string() });
export type InsertOutcome = z.infer<typeof insertOutcomeSchema>;

export const pageResponseSchemas = {
  'page:read': resultSchema(pageReadingSchema),
  'page:insert': resultSchema(insertOutcomeSchema),
  'panel:toggle': resultSchema(z.object({ collapsed: z.boolean() })),
  'page:draft': resultSchema(z.object({ draft: z.string().nullable() })),
  'page:mark-draft': resultSchema(z.null()),
} satisfies Record<PageRequest['type'], z.ZodType>;

export function failure(
  code: string,
  message: string,
  extra: Partial<ClientError> = {},
): {
  ok: false;
  error: ClientError;
} {
  return { ok: false, error: { code, message, ...extra } };
}

/** Parses an incoming message; a message that fails its schema gets an `invalid-message` answer. */
export function parseMessage<T extends z.ZodType>(
  schema: T,
  value: unknown,
): { ok: true; data: z.infer<T> } | { ok: false; error: ClientError } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  return failure(
    CLIENT_ERROR_CODES.invalidMessage,
    `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}`,
  );
}

import {
  type AssistResponse,
  assistResponseSchema,
  type CollectionsResponse,
  collectionsResponseSchema,
  type DocumentDeleteResponse,
  type DocumentEdit,
  documentDeleteResponseSchema,
  documentEditSchema,
  errorBodySchema,
  type IngestFileResult,
  ingestFileResultSchema,
  type KnowledgeDocumentDetail,
  type KnowledgeDocumentsResponse,
  knowledgeDocumentDetailSchema,
  knowledgeDocumentsResponseSchema,
  type PreviewResponse,
  previewResponseSchema,
  type ReviewQueueResponse,
  type ReviewSettings,
  reviewQueueResponseSchema,
  reviewSettingsSchema,
  type SaveContentResponse,
  type SearchResponse,
  type SessionResponse,
  saveContentResponseSchema,
  searchResponseSchema,
  sessionResponseSchema,
  type ValidateContentResponse,
  type VersionsResponse,
  validateContentResponseSchema,
  versionsResponseSchema,
} from '@naparnik/assist-service/contract';
import { z } from 'zod';
import type { PastedMessage } from './conversation-text.ts';

/** An API answer that was not 2xx: the service's error code and message, safe to show. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * The session's CSRF token, from signing in (or from GET /v1/session after a reload): sent in
 * X-CSRF-Token on every write, as the service asks of requests made with the session cookie.
 */
let csrfToken: string | undefined;

/** The CSRF header for a write made outside `request` (the upload's XMLHttpRequest). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

/** The console is served by the service it reads: same origin, paths from the root, its cookie. */
export async function request<Schema extends z.ZodType>(
  schema: Schema,
  path: string,
  init: RequestInit = {},
): Promise<z.output<Schema>> {
  const write = (init.method ?? 'GET') !== 'GET';
  const response = await fetch(path, {
    ...init,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(write && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
    },
  });
  if (response.status === 204) return schema.parse(undefined);
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = errorBodySchema.safeParse(body);
    throw error.success
      ? new ApiError(response.status, error.data.error.code, error.data.error.message)
      : new ApiError(response.status, 'unknown', `HTTP ${response.status}`);
  }
  return schema.parse(body);
}

/** Exchanges a token for the session cookie (HttpOnly: the page never holds the token after this). */
export async function signIn(token: string): Promise<SessionResponse> {
  const session = await request(sessionResponseSchema, '/v1/session', {
    method: 'POST',
    body: JSON.stringify({ token }),
  });
  csrfToken = session.csrfToken;
  return session;
}

/** Who is signed in, or an ApiError 401 when nobody is. */
export async function currentSession(): Promise<SessionResponse> {
  const session = await request(sessionResponseSchema, '/v1/session');
  csrfToken = session.csrfToken;
  return session;
}

export async function signOut(): Promise<void> {
  await request(z.undefined(), '/v1/session', { method: 'DELETE' });
  csrfToken = undefined;
}

export function getCollections(): Promise<CollectionsResponse> {
  return request(collectionsResponseSchema, '/v1/collections');
}

export function getDocuments(collection: string): Promise<KnowledgeDocumentsResponse> {
  return request(
    knowledgeDocumentsResponseSchema,
    `/v1/collections/${encodeURIComponent(collection)}/documents`,
  );
}

export function getDocument(collection: string, documentId: string): Promise<KnowledgeDocumentDetail> {
  return request(
    knowledgeDocumentDetailSchema,
    `/v1/collections/${encodeURIComponent(collection)}/documents/${encodeURIComponent(documentId)}`,
  );
}

function documentPath(collection: string, documentId: string): string {
  return `/v1/collections/${encodeURIComponent(collection)}/documents/${encodeURIComponent(documentId)}`;
}

/** Reads the document's file again and ingests it (unchanged content stays as it is). */
export function reingestDocument(collection: string, documentId: string): Promise<IngestFileResult> {
  return request(ingestFileResultSchema, `${documentPath(collection, documentId)}/reingest`, {
    method: 'POST',
  });
}

export function deleteDocument(collection: string, documentId: string): Promise<DocumentDeleteResponse> {
  return request(documentDeleteResponseSchema, documentPath(collection, documentId), { method: 'DELETE' });
}

export function assist(collection: string, messages: PastedMessage[]): Promise<AssistResponse> {
  return request(assistResponseSchema, '/v1/assist', {
    method: 'POST',
    body: JSON.stringify({ collection, conversation: { channel: 'chat', messages } }),
  });
}

export function search(collection: string, query: string): Promise<SearchResponse> {
  return request(searchResponseSchema, '/v1/search', {
    method: 'POST',
    body: JSON.stringify({ collection, query, topK: 8 }),
  });
}

// ─── Edits in place, versions and review (pages/edit-page.tsx, pages/review-page.tsx) ─────────

export function getDocumentEdit(collection: string, documentId: string): Promise<DocumentEdit> {
  return request(documentEditSchema, `${documentPath(collection, documentId)}/edit`);
}

export function validateContent(
  collection: string,
  documentId: string,
  content: string,
): Promise<ValidateContentResponse> {
  return request(validateContentResponseSchema, `${documentPath(collection, documentId)}/validate`, {
    method: 'POST',
    body: JSON.stringify({ content }),
  });
}

export function previewContent(
  collection: string,
  documentId: string,
  content: string,
  messages: PastedMessage[],
): Promise<PreviewResponse> {
  return request(previewResponseSchema, `${documentPath(collection, documentId)}/preview`, {
    method: 'POST',
    body: JSON.stringify({ content, messages }),
  });
}

export function saveContent(
  collection: string,
  documentId: string,
  content: string,
  note: string,
): Promise<SaveContentResponse> {
  return request(saveContentResponseSchema, `${documentPath(collection, documentId)}/content`, {
    method: 'PUT',
    body: JSON.stringify({ content, ...(note.trim() ? { note: note.trim() } : {}) }),
  });
}

export function getVersions(collection: string, documentId: string): Promise<VersionsResponse> {
  return request(versionsResponseSchema, `${documentPath(collection, documentId)}/versions`);
}

/** Rollback (no body), approve or reject (a note) one version. */
export function decideVersion(
  collection: string,
  documentId: string,
  version: number,
  decision: 'rollback' | 'approve' | 'reject',
  note = '',
  /** An admin approving their own change: why (kept in the history). */
  overrideReason?: string,
): Promise<unknown> {
  const body = {
    ...(note.trim() ? { note: note.trim() } : {}),
    ...(decision === 'approve' && overrideReason ? { overrideReason } : {}),
  };
  return request(z.unknown(), `${documentPath(collection, documentId)}/versions/${version}/${decision}`, {
    method: 'POST',
    ...(decision === 'rollback' ? {} : { body: JSON.stringify(body) }),
  });
}

export function flagForReview(
  collection: string,
  documentId: string,
  needsReview: boolean,
  note: string,
): Promise<unknown> {
  return request(z.unknown(), `${documentPath(collection, documentId)}/review`, {
    method: 'PUT',
    body: JSON.stringify({ needsReview, ...(note.trim() ? { note: note.trim() } : {}) }),
  });
}

export function setRequireReview(collection: string, requireReview: boolean): Promise<ReviewSettings> {
  return request(reviewSettingsSchema, `/v1/collections/${encodeURIComponent(collection)}/review-settings`, {
    method: 'PUT',
    body: JSON.stringify({ requireReview }),
  });
}

export function getReviewQueue(): Promise<ReviewQueueResponse> {
  return request(reviewQueueResponseSchema, '/v1/review-queue');
}

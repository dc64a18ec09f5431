import {
  type AssistEvent,
  type AssistRequest,
  assistEventSchema,
  type CheckDraftRequest,
  type CheckDraftResponse,
  checkDraftResponseSchema,
  errorBodySchema,
  type FeedbackEvent,
  type FeedbackResponse,
  feedbackResponseSchema,
  healthResponseSchema,
  publishedRecipeSchema,
  type RewriteRequest,
  type RewriteResponse,
  type RewriteStyle,
  readyResponseSchema,
  rewriteResponseSchema,
  type SearchRequest,
  type SearchResponse,
  searchResponseSchema,
} from '@naparnik/assist-service/contract';
import type { z } from 'zod';
import { CLIENT_ERROR_CODES, type ClientError } from '../messaging.ts';
import type { Settings } from '../settings.ts';
import type { PublishedAnswer } from '../teach/recipe-book.ts';
import { readEventStream } from './sse.ts';

export class ServiceCallError extends Error {
  readonly error: ClientError;
  constructor(error: ClientError) {
    super(error.message);
    this.error = error;
  }
}

export interface ServiceClientDependencies {
  settings: () => Promise<Settings>;
  fetch?: typeof fetch;
  /** Per-call timeout for non-streaming calls. */
  timeoutMs?: number;
}

export interface ServiceClient {
  status(): Promise<{ reachable: boolean; ready: boolean; version?: string; rewrite?: RewriteStyle[] }>;
  assist(request: AssistRequest, onEvent: (event: AssistEvent) => void, signal?: AbortSignal): Promise<void>;
  search(request: SearchRequest): Promise<SearchResponse>;
  feedback(event: FeedbackEvent): Promise<FeedbackResponse>;
  checkDraft(request: CheckDraftRequest): Promise<CheckDraftResponse>;
  rewrite(request: RewriteRequest): Promise<RewriteResponse>;
  /** A domain's published page recipe; `not-modified` when `etag` is still current. */
  publishedRecipe(domain: string, etag?: string): Promise<PublishedAnswer>;
}

/**
 * The assist service over HTTP, used only by the background worker: the token never reaches a
 * page, and page CSP or mixed content cannot block the calls.
 */
export function createServiceClient(dependencies: ServiceClientDependencies): ServiceClient {
  const fetchImpl = dependencies.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = dependencies.timeoutMs ?? 15_000;

  async function call(
    path: string,
    init: RequestInit & { accept?: string },
    signal?: AbortSignal,
  ): Promise<Response> {
    const settings = await dependencies.settings();
    let base: URL;
    try {
      base = new URL(settings.serviceUrl);
    } catch {
      throw new ServiceCallError({
        code: CLIENT_ERROR_CODES.notConfigured,
        message: 'The service URL is not set or not a URL.',
      });
    }
    const headers = new Headers(init.headers);
    headers.set('Accept', init.accept ?? 'application/json');
    if (init.body) headers.set('Content-Type', 'application/json');
    if (settings.token) headers.set('Authorization', `Bearer ${settings.token}`);
    let response: Response;
    try {
      response = await fetchImpl(new URL(path, base), { ...init, headers, signal: signal ?? null });
    } catch (error) {
      if (signal?.aborted) {
        throw new ServiceCallError({ code: CLIENT_ERROR_CODES.cancelled, message: 'Cancelled.' });
      }
      throw new ServiceCallError({
        code: CLIENT_ERROR_CODES.unreachable,
        message: `The assist service at ${base.origin} does not answer (${error instanceof Error ? error.message : String(error)}).`,
      });
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  async function json<T>(schema: z.ZodType<T>, path: string, init: RequestInit = {}): Promise<T> {
    const response = await call(path, init, AbortSignal.timeout(timeoutMs));
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      throw new ServiceCallError({
        code: CLIENT_ERROR_CODES.badResponse,
        message: `Unexpected answer from ${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      });
    }
    return parsed.data;
  }

  const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });

  return {
    async status() {
      const health = await json(healthResponseSchema, '/v1/health');
      let rewrite: RewriteStyle[] | undefined;
      const ready = await call('/v1/ready', {}, AbortSignal.timeout(timeoutMs)).then(
        async (response) => {
          // The engine's capabilities ride on readiness; an older service without them offers no rewrite.
          const body = readyResponseSchema.safeParse(await response.json().catch(() => undefined));
          rewrite = body.success ? body.data.capabilities?.rewrite : undefined;
          return true;
        },
        (error: unknown) => {
          if (error instanceof ServiceCallError && error.error.code === 'not-ready') return false;
          throw error;
        },
      );
      return { reachable: true, ready, version: health.version, ...(rewrite?.length ? { rewrite } : {}) };
    },

    async assist(request, onEvent, signal) {
      const response = await call('/v1/assist', { ...post(request), accept: 'text/event-stream' }, signal);
      if (!response.body) {
        throw new ServiceCallError({
          code: CLIENT_ERROR_CODES.badResponse,
          message: 'The stream has no body.',
        });
      }
      for await (const message of readEventStream(response.body, signal)) {
        let payload: unknown;
        try {
          payload = JSON.parse(message.data);
        } catch {
          continue;
        }
        const parsed = assistEventSchema.safeParse(payload);
        // An event type this version does not know is skipped, not fatal: the service may be newer.
        if (parsed.success) onEvent(parsed.data);
      }
    },

    search: (request) => json(searchResponseSchema, '/v1/search', post(request)),
    feedback: (event) => json(feedbackResponseSchema, '/v1/feedback', post(event)),
    checkDraft: (request) => json(checkDraftResponseSchema, '/v1/check-draft', post(request)),
    rewrite: (request) => json(rewriteResponseSchema, '/v1/rewrite', post(request)),

    async publishedRecipe(domain, etag) {
      let response: Response;
      try {
        response = await call(
          `/v1/recipes/${encodeURIComponent(domain)}`,
          etag ? { headers: { 'If-None-Match': etag } } : {},
          AbortSignal.timeout(timeoutMs),
        );
      } catch (error) {
        const status = error instanceof ServiceCallError ? error.error.status : undefined;
        if (status === 304) return { status: 'not-modified' };
        if (status === 404) return { status: 'none' };
        throw error;
      }
      const parsed = publishedRecipeSchema.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) {
        throw new ServiceCallError({
          code: CLIENT_ERROR_CODES.badResponse,
          message: `Unexpected recipe for ${domain}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        });
      }
      const answerEtag = response.headers.get('etag');
      return { status: 'fresh', recipe: parsed.data.recipe, ...(answerEtag ? { etag: answerEtag } : {}) };
    },
  };
}

async function errorFrom(response: Response): Promise<ServiceCallError> {
  const body = errorBodySchema.safeParse(await response.json().catch(() => undefined));
  const retryAfter = Number(response.headers.get('retry-after'));
  const extra = {
    status: response.status,
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
  };
  if (body.success)
    return new ServiceCallError({ code: body.data.error.code, message: body.data.error.message, ...extra });
  if (response.status === 401 || response.status === 403) {
    return new ServiceCallError({
      code: CLIENT_ERROR_CODES.unauthorized,
      message: 'The service refused the token.',
      ...extra,
    });
  }
  return new ServiceCallError({
    code: CLIENT_ERROR_CODES.badResponse,
    message: `The service answered ${response.status} ${response.statusText}.`,
    ...extra,
  });
}

/**
 * The typed failure of a model call. Providers throw it for one attempt; the resilient wrapper
 * throws it after its retries, with `attempts`. The caller turns it into the offline fallback
 * with `degraded: error.code` (see README, "Models").
 */

export const MODEL_ERROR_CODES = [
  /** No text within the first-token timeout. */
  'timeout-first-token',
  /** The whole answer took longer than the total timeout or the latency budget. */
  'timeout-total',
  /** 429; `retryAfterMs` from `retry-after-ms`/`retry-after` when sent. */
  'rate-limited',
  /** 529 or an `overloaded_error` event; 503. */
  'overloaded',
  /** Other 5xx, or an `api_error` event. */
  'server-error',
  /** The connection failed or was reset. */
  'network',
  /** The stream stopped before its final event. */
  'stream-interrupted',
  /** The circuit breaker is open: no call was made. */
  'circuit-open',
  /** 401/403: the key is wrong or lacks access. */
  'auth',
  /** 400/404/413/422: the request itself is wrong; retrying cannot help. */
  'bad-request',
  /** The provider answered with something we could not read. */
  'invalid-response',
  /** The caller's signal aborted (client gone, request timed out upstream). */
  'cancelled',
] as const;
export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number];

const RETRYABLE: ReadonlySet<ModelErrorCode> = new Set([
  'timeout-first-token',
  'timeout-total',
  'rate-limited',
  'overloaded',
  'server-error',
  'network',
  'stream-interrupted',
]);

const MODEL_ERROR = Symbol.for('naparnik.model-error');

export class ModelError extends Error {
  readonly [MODEL_ERROR] = true;
  override name = 'ModelError';
  readonly code: ModelErrorCode;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** Attempts made before giving up; set by the resilient wrapper. */
  attempts = 1;

  constructor(
    code: ModelErrorCode,
    message: string,
    options: { status?: number | undefined; retryAfterMs?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Worth another attempt: a transient fault of the API or the network. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  static isInstance(error: unknown): error is ModelError {
    return typeof error === 'object' && error !== null && MODEL_ERROR in error;
  }
}

/** The error code of an HTTP status from a model API. */
export function codeForStatus(status: number): ModelErrorCode {
  if (status === 429) return 'rate-limited';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500) return 'server-error';
  return 'bad-request';
}

/** `retry-after-ms`, else `retry-after` in seconds or as an HTTP date; undefined when absent or odd. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') && Number.isFinite(milliseconds) && milliseconds >= 0)
    return milliseconds;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The `degraded` reason the caller records when it falls back to offline suggestions:
 * the ModelError's code, or `model-error` for anything else.
 */
export function degradedReason(error: unknown): ModelErrorCode | 'model-error' {
  return ModelError.isInstance(error) ? error.code : 'model-error';
}

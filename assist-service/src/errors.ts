import type { ErrorBody, ErrorCode, ErrorIssue } from './contract/index.ts';
import { STORAGE_FAILURE_TEXT, type StorageFailure, storageFailureOf } from './storage/storage-failure.ts';

/** The HTTP status of each error code: the one place where codes meet statuses. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  'invalid-json': 400,
  'invalid-request': 400,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'not-found': 404,
  'collection-not-found': 404,
  'suggestion-set-not-found': 404,
  unauthorized: 401,
  forbidden: 403,
  'version-conflict': 409,
  'host-not-allowed': 421,
  'rate-limited': 429,
  'not-ready': 503,
  'storage-full': 507,
  'storage-unavailable': 503,
  cancelled: 408,
  internal: 500,
};

/** An error a client may see: a stable code, a message safe to show, never a stack. */
export class ServiceError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { issues?: ErrorIssue[]; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ServiceError';
    this.code = code;
    this.issues = options.issues;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

export function collectionNotFound(name: string): ServiceError {
  return new ServiceError('collection-not-found', `Collection "${name}" does not exist.`);
}

export function notReady(message = 'The knowledge base is not open yet.'): ServiceError {
  return new ServiceError('not-ready', message, { retryAfterSeconds: 5 });
}

interface BodyParserError {
  type: string;
  status?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string'
  );
}

const BODY_PARSER_CODES: Record<string, ErrorCode> = {
  'entity.too.large': 'payload-too-large',
  'entity.parse.failed': 'invalid-json',
  'entity.verify.failed': 'invalid-json',
  'encoding.unsupported': 'unsupported-media-type',
  'charset.unsupported': 'unsupported-media-type',
  'request.aborted': 'cancelled',
  'request.size.invalid': 'invalid-request',
  'stream.encoding.set': 'internal',
};

const STORE_CODES: Record<string, ErrorCode> = {
  'collection-not-found': 'collection-not-found',
  'invalid-input': 'invalid-request',
  'store-closed': 'not-ready',
};

/** A gzip, deflate or brotli body that zlib could not decompress: the client's fault, not ours. */
function isUndecodableBody(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(Z_(DATA|BUF|STREAM)_ERROR|ERR__ERROR_)/u.test(code);
}

/** Seconds a client waits before trying again: a lock clears fast, a disk is freed by a person. */
const STORAGE_RETRY_SECONDS: Record<StorageFailure, number> = {
  busy: 2,
  full: 60,
  'read-only': 30,
  io: 30,
  corrupt: 60,
  'cannot-open': 30,
  unreachable: 5,
};

/**
 * A storage failure as the client sees it: 507 for a full disk, 503 for the rest, both with
 * Retry-After, and a message saying that nothing was kept.
 */
export function storageError(failure: StorageFailure, cause?: unknown): ServiceError {
  return new ServiceError(
    failure === 'full' ? 'storage-full' : 'storage-unavailable',
    `Хранилище сервиса недоступно для записи: ${STORAGE_FAILURE_TEXT[failure]}. Ничего не сохранено; повторите позже.`,
    { retryAfterSeconds: STORAGE_RETRY_SECONDS[failure], cause },
  );
}

/** Turns any error into a ServiceError: the one mapping from failures to HTTP. */
export function toServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  const failure = storageFailureOf(error);
  if (failure) return storageError(failure, error);
  if (isBodyParserError(error)) {
    const code = BODY_PARSER_CODES[error.type];
    if (code === 'payload-too-large')
      return new ServiceError(code, 'The request body is larger than the limit.');
    if (code === 'invalid-json') return new ServiceError(code, 'The request body is not valid JSON.');
    if (code) return new ServiceError(code, 'The request body could not be read.');
  }
  if (isUndecodableBody(error)) {
    return new ServiceError('invalid-request', 'The request body does not decode with its Content-Encoding.');
  }
  if (error instanceof URIError) {
    return new ServiceError('invalid-request', 'The request path has malformed percent-encoding.');
  }
  if (error instanceof Error && error.name === 'StoreError') {
    const code = STORE_CODES[(error as Error & { code?: string }).code ?? ''];
    if (code === 'not-ready')
      return new ServiceError(code, 'The knowledge base is closed.', { retryAfterSeconds: 5 });
    // Qdrant (QDRANT_URL) failed or did not answer: the knowledge base is out of reach, not broken.
    if ((error as Error & { code?: string }).code === 'vector-store-failed')
      return new ServiceError(
        'storage-unavailable',
        'Хранилище векторов (Qdrant) не ответило. Ничего не сохранено; повторите позже.',
        { retryAfterSeconds: 30, cause: error },
      );
    if (code) return new ServiceError(code, error.message);
  }
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new ServiceError('cancelled', 'The request was cancelled or took too long.');
  }
  return new ServiceError('internal', 'Something went wrong on our side; the request id helps find it.', {
    cause: error,
  });
}

export function errorBody(error: ServiceError, requestId?: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.issues ? { issues: error.issues } : {}),
      ...(requestId ? { requestId } : {}),
    },
  };
}

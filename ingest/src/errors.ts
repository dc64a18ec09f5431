/** Why a file could not be ingested; the CLI prints `file: reason` and goes on with the rest. */
export const INGEST_ERROR_CODES = [
  'unsupported',
  'empty',
  'corrupt',
  'encrypted',
  'oversized',
  'invalid',
  'unreadable',
] as const;
export type IngestErrorCode = (typeof INGEST_ERROR_CODES)[number];

export class IngestError extends Error {
  readonly code: IngestErrorCode;

  constructor(code: IngestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
    this.code = code;
  }
}

/** Errors about the store or a collection, not about one input file. */
export class StoreError extends Error {
  readonly code:
    | 'collection-not-found'
    | 'embedder-mismatch'
    | 'invalid-input'
    | 'store-closed'
    | 'incompatible-store'
    /** The store's server (PostgreSQL) cannot be reached or refuses us when the store is opened. */
    | 'store-unavailable'
    /** The vector store (Qdrant) failed a request, refused it or did not answer in time. */
    | 'vector-store-failed';

  constructor(code: StoreError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

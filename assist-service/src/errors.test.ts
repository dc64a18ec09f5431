import { StoreError } from '@naparnik/ingest';
import { describe, expect, it } from 'vitest';
import { toServiceError } from './errors.ts';

describe('toServiceError', () => {
  it('answers a Qdrant failure with 503 storage-unavailable, a Russian message and Retry-After, never its details', () => {
    const failure = new StoreError(
      'vector-store-failed',
      'Qdrant at http://qdrant.internal:6333 (QDRANT_URL) did not answer within 10000 ms while searching naparnik-x: timeout',
    );
    const error = toServiceError(failure);
    expect(error).toMatchObject({ code: 'storage-unavailable', retryAfterSeconds: 30 });
    expect(error.message).toMatch(/Qdrant.*повторите позже/u);
    expect(error.message).not.toContain('qdrant.internal');
    expect(error.cause).toBe(failure);
  });
});

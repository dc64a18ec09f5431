import { IngestError } from '../errors.ts';

/** The code and message of the IngestError a load rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IngestError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the load to fail');
}

/**
 * Turns text into vectors. The shape follows LangChain's `Embeddings` (embedDocuments /
 * embedQuery) plus an `id` that names the model and its settings: a collection records the id of
 * the embedder that built it, and vectors of different embedders are never mixed.
 */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  embedDocuments(texts: string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
  embedQuery(text: string, options?: { signal?: AbortSignal }): Promise<Float32Array>;
}

/** Scales a vector to unit length in place (cosine similarity becomes a dot product). */
export function normalizeInPlace(vector: Float32Array): Float32Array {
  let sumOfSquares = 0;
  for (const value of vector) sumOfSquares += value * value;
  if (sumOfSquares === 0) return vector;
  const scale = 1 / Math.sqrt(sumOfSquares);
  for (let index = 0; index < vector.length; index++) vector[index]! *= scale;
  return vector;
}

/** Why an embedder could not be built or run; `message` names the setting or file at fault. */
export class EmbedderError extends Error {
  readonly code:
    | 'model-dir-missing'
    | 'model-files-missing'
    | 'model-invalid'
    | 'model-output-shape'
    | 'runtime-unavailable';

  constructor(code: EmbedderError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbedderError';
    this.code = code;
  }
}

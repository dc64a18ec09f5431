import { z } from 'zod';
import { type Embedder, normalizeInPlace } from './embedder.ts';

/**
 * Any server speaking the OpenAI embeddings API (`POST {baseUrl}/embeddings`): OpenAI, Ollama,
 * vLLM, LM Studio, most hosted vendors. Neural embeddings match meaning, not just words, and
 * usually lift recall on paraphrased questions; see ingest/README.md for how to switch.
 */
export interface OpenAiCompatibleOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Must match what the model returns; checked on every response. */
  dimensions: number;
  batchSize?: number;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

const responseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
});

export function createOpenAiCompatibleEmbedder(options: OpenAiCompatibleOptions): Embedder {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const batchSize = options.batchSize ?? 64;
  const endpoint = `${options.baseUrl.replace(/\/+$/u, '')}/embeddings`;

  async function embedBatch(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
    const response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: options.model, input: texts }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 300);
      throw new Error(`embeddings endpoint ${endpoint} answered ${response.status}: ${detail}`);
    }
    const parsed = responseSchema.safeParse(await response.json());
    if (!parsed.success) {
      throw new Error(`embeddings endpoint ${endpoint} returned an unexpected body: ${parsed.error.message}`);
    }
    const vectors: Float32Array[] = new Array(texts.length);
    for (const item of parsed.data.data) {
      if (item.embedding.length !== options.dimensions) {
        throw new Error(
          `embeddings endpoint returned ${item.embedding.length} dimensions, configured ${options.dimensions}`,
        );
      }
      vectors[item.index] = normalizeInPlace(Float32Array.from(item.embedding));
    }
    if (vectors.some((vector) => vector === undefined) || vectors.length !== texts.length) {
      throw new Error(
        `embeddings endpoint returned ${parsed.data.data.length} vectors for ${texts.length} inputs`,
      );
    }
    return vectors;
  }

  return {
    id: `openai-compatible:${options.model}:${options.dimensions}`,
    dimensions: options.dimensions,
    async embedDocuments(texts, callOptions) {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await embedBatch(texts.slice(start, start + batchSize), callOptions?.signal)));
      }
      return vectors;
    },
    async embedQuery(text, callOptions) {
      const [vector] = await embedBatch([text], callOptions?.signal);
      return vector!;
    },
  };
}

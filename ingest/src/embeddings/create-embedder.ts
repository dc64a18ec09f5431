import type { EmbedderConfig } from '../config.ts';
import type { Embedder } from './embedder.ts';
import { createHashedNgramEmbedder } from './hashed-ngrams.ts';
import { createLocalOnnxEmbedder } from './local-onnx.ts';
import { createOpenAiCompatibleEmbedder } from './openai-compatible.ts';

/** Builds the configured embedder. Asynchronous because a local model is loaded and probed first. */
export async function createEmbedder(
  config: EmbedderConfig,
  options: { fetch?: typeof fetch } = {},
): Promise<Embedder> {
  switch (config.kind) {
    case 'hashed':
      return createHashedNgramEmbedder({ dimensions: config.dimensions });
    case 'openai':
      return createOpenAiCompatibleEmbedder({
        ...config,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
    case 'onnx':
      // Imports transformers.js itself, only now.
      return createLocalOnnxEmbedder(config);
  }
}

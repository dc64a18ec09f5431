import type { EmbedderConfig } from '../config.ts';
import type { Embedder } from './embedder.ts';
import { createHashedNgramEmbedder } from './hashed-ngrams.ts';
import { createOpenAiCompatibleEmbedder } from './openai-compatible.ts';

export function createEmbedder(config: EmbedderConfig, options: { fetch?: typeof fetch } = {}): Embedder {
  switch (config.kind) {
    case 'hashed':
      return createHashedNgramEmbedder({ dimensions: config.dimensions });
    case 'openai':
      return createOpenAiCompatibleEmbedder({
        ...config,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
  }
}

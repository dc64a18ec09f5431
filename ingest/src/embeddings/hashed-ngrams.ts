import { normalizeText, snowballStem, tokenize } from '../text/analyze.ts';
import { type Embedder, normalizeInPlace } from './embedder.ts';

/**
 * The default embedder: works offline, downloads nothing, costs microseconds.
 *
 * Each word contributes its character n-grams (3 to 5, with word boundaries marked) and its stem,
 * hashed with a sign into a fixed number of dimensions, with sublinear term frequency. Shared
 * n-grams make «доставкой» close to «доставку» and survive typos («дотавка»), which complements
 * the stemmed full-text index. No IDF: it would change every vector as the corpus grows.
 */
export function createHashedNgramEmbedder(options: { dimensions?: number } = {}): Embedder {
  const dimensions = options.dimensions ?? 256;
  if (!Number.isInteger(dimensions) || dimensions < 16 || dimensions > 4096) {
    throw new Error(`hashed n-gram embedder: dimensions must be an integer in 16..4096, got ${dimensions}`);
  }
  const embed = (text: string): Float32Array => embedText(text, dimensions);
  return {
    id: `hashed-ngrams-v1:${dimensions}`,
    dimensions,
    async embedDocuments(texts) {
      return texts.map(embed);
    },
    async embedQuery(text) {
      return embed(text);
    },
  };
}

const MAX_CHARACTERS = 8000;

function embedText(text: string, dimensions: number): Float32Array {
  const counts = new Map<number, number>();
  const add = (feature: string, weight: number) => {
    const hash = fnv1a(feature);
    const signed = hash & 0x80000000 ? -weight : weight;
    const index = (hash & 0x7fffffff) % dimensions;
    counts.set(index, (counts.get(index) ?? 0) + signed);
  };
  for (const token of tokenize(normalizeText(text.slice(0, MAX_CHARACTERS)))) {
    // Snowball's stem, not the word family's: stored vectors stay what they were when written.
    add(`w:${snowballStem(token)}`, 1.5);
    if (token.length < 3) continue;
    const padded = ` ${token} `;
    for (let size = 3; size <= 5; size++) {
      for (let start = 0; start + size <= padded.length; start++) {
        add(padded.slice(start, start + size), size === 3 ? 0.5 : 1);
      }
    }
  }
  const vector = new Float32Array(dimensions);
  for (const [index, value] of counts) {
    const magnitude = Math.abs(value);
    vector[index] = magnitude > 1 ? Math.sign(value) * (1 + Math.log(magnitude)) : value;
  }
  return normalizeInPlace(vector);
}

/** 32-bit FNV-1a over UTF-16 code units: fast and stable across runs and machines. */
export function fnv1a(input: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < input.length; index++) {
    hash ^= input.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

import type { Chunk } from '../model.ts';
import { analyze } from '../text/analyze.ts';
import { type Bm25Index, type Bm25Settings, createBm25Index } from './bm25.ts';
import { createNgramIndex, type NgramIndex } from './char-ngrams.ts';
import { type FieldName, searchableFields } from './fields.ts';
import { createTypoCorrector, type TypoCorrector } from './typo-correction.ts';

/**
 * A collection's chunks indexed in memory for the retriever: BM25F over the fields, and
 * character n-grams over the short fields (question, heading, tags) and, separately, the body.
 * Built from `KnowledgeStore.listChunks`, so it holds exactly what the store holds.
 */
export interface CollectionIndex {
  readonly chunks: readonly Chunk[];
  readonly lexical: Bm25Index<FieldName>;
  readonly titleNgrams: NgramIndex;
  /** Built on first use: the largest part of the index, and not needed when its weight is 0. */
  bodyNgrams(): NgramIndex;
  /** Chunk positions of each document, in document order. */
  readonly chunksByDocument: ReadonlyMap<string, readonly number[]>;
  readonly positionByChunkId: ReadonlyMap<string, number>;
  /** Typo corrections against the indexed stems, built on first use. */
  typos(): TypoCorrector;
}

export interface CollectionIndexSettings {
  bm25: Bm25Settings<FieldName>;
  /** Length of the truncated stems added to every field (0: none); see `withPrefixes`. */
  prefixLength: number;
}

export function buildCollectionIndex(
  chunks: readonly Chunk[],
  settings: CollectionIndexSettings,
): CollectionIndex {
  const lexical = createBm25Index(settings.bm25);
  const prefix = settings.prefixLength;
  const titleNgrams = createNgramIndex();
  const chunksByDocument = new Map<string, number[]>();
  const positionByChunkId = new Map<string, number>();
  chunks.forEach((chunk, position) => {
    const fields = searchableFields(chunk);
    lexical.add({
      question: withPrefixes(analyze(fields.question), prefix),
      heading: withPrefixes(analyze(fields.heading), prefix),
      tags: withPrefixes(analyze(fields.tags), prefix),
      body: withPrefixes(analyze(fields.body), prefix),
    });
    titleNgrams.add([fields.question, fields.heading, fields.tags].join('\n'));
    const list = chunksByDocument.get(chunk.documentId);
    if (list) list.push(position);
    else chunksByDocument.set(chunk.documentId, [position]);
    positionByChunkId.set(chunk.chunkId, position);
  });
  let typos: TypoCorrector | undefined;
  let bodyNgrams: NgramIndex | undefined;
  return {
    chunks,
    lexical,
    titleNgrams,
    bodyNgrams: () => {
      if (!bodyNgrams) {
        bodyNgrams = createNgramIndex();
        for (const chunk of chunks) bodyNgrams.add(chunk.text);
      }
      return bodyNgrams;
    },
    chunksByDocument,
    positionByChunkId,
    typos: () => {
      typos ??= createTypoCorrector(lexical.terms());
      return typos;
    },
  };
}

/**
 * Stems plus their first `length` letters marked with `~` («трансляц», «транслир» → «тран~»):
 * truncation meets related words Snowball keeps apart (noun and verb, «монетизац»/«монетизир»).
 * Stems no longer than `length` have no prefix; 0 adds none.
 */
export function withPrefixes(stems: readonly string[], length: number): string[] {
  const result = [...stems];
  if (length <= 0) return result;
  for (const stem of stems) if (stem.length > length) result.push(prefixTerm(stem, length));
  return result;
}

export function prefixTerm(stem: string, length: number): string {
  return `${stem.slice(0, length)}~`;
}

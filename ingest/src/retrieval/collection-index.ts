import type { Chunk } from '../model.ts';
import { analyze } from '../text/analyze.ts';
import type { Bm25Settings, WeightedTerm } from './bm25.ts';
import { characterNgrams, DEFAULT_NGRAM_SETTINGS } from './char-ngrams.ts';
import { FIELD_NAMES, type FieldName, searchableFields } from './fields.ts';
import { BUILT_IN_GLOSSARY, createGlossary, type Glossary, glossaryGroupsOf } from './glossary.ts';
import { createTypoCorrector, type TypoCorrector } from './typo-correction.ts';

/**
 * What the retriever knows of a collection: its statistics (document frequencies of stems and of
 * character n-grams, average field lengths) and each chunk's features (its stems per field, its
 * n-gram weights), in typed arrays, one row per chunk. The retriever scores the candidates the
 * store's indexes yield from it; a chunk's scores depend on the collection, never on which other
 * chunks are scored with it.
 *
 * Forward rows instead of posting lists: scoring a few hundred candidates needs each candidate's
 * features, not every chunk's that holds a term. Built from `KnowledgeStore.listChunks`, so it
 * holds exactly what the store holds; the chunks themselves are not kept (hits come from the
 * store), which is most of what the earlier in-memory index held.
 */
export interface CollectionIndex {
  /** Chunks in the collection; positions follow the store's document order. */
  readonly size: number;
  readonly positionByChunkId: ReadonlyMap<string, number>;
  /** Chunks whose question, heading, tags or body hold the stem. */
  documentFrequency(term: string): number;
  /** BM25F of each position that shares a term with the query (repeats count once, at their highest weight). */
  lexicalScores(terms: readonly WeightedTerm[], positions: Iterable<number>): Map<number, number>;
  /** TF-IDF cosine of character n-grams of the question, heading and tags, for positions that share one. */
  titleSimilarities(text: string, positions: Iterable<number>): Map<number, number>;
  /** The same over the body; only when the index was built with `bodyNgrams`. */
  bodySimilarities(text: string, positions: Iterable<number>): Map<number, number>;
  /** Typo corrections against the indexed stems, built on first use. */
  typos(): TypoCorrector;
  /** The built-in glossary and the collection's own groups. */
  readonly glossary: Glossary;
}

export interface CollectionIndexSettings {
  bm25: Bm25Settings<FieldName>;
  /** Length of the truncated stems added to every field (0: none); see `withPrefixes`. */
  prefixLength: number;
  /** Index the body's character n-grams too (the largest part of the index). */
  bodyNgrams: boolean;
}

const FIELD_COUNT = FIELD_NAMES.length;

/** A growable list of numbers in a typed array. */
class NumberList<T extends Int32Array | Uint16Array | Float32Array> {
  length = 0;
  values: T;
  constructor(values: T) {
    this.values = values;
  }
  push(value: number) {
    if (this.length === this.values.length) {
      const next = new (this.values.constructor as new (length: number) => T)(
        Math.max(1024, this.values.length * 2),
      );
      next.set(this.values);
      this.values = next;
    }
    this.values[this.length++] = value;
  }
  /** The numbers in an array of their own size; the list lets go of its larger buffer. */
  take(): T {
    const taken = this.values.slice(0, this.length) as T;
    this.values = new (this.values.constructor as new (length: number) => T)(0);
    this.length = 0;
    return taken;
  }
}

/** Character n-gram rows: ids with counts while building, then unit-length TF-IDF weights. */
function createNgramRows() {
  const ids = new Map<string, number>();
  const frequencies = new NumberList(new Int32Array(1024));
  const offsets = new NumberList(new Int32Array(1024));
  offsets.push(0);
  const grams = new NumberList(new Int32Array(4096));
  const counts = new NumberList(new Uint16Array(4096));
  let weights: Float32Array | undefined;
  let gramIds: Int32Array | undefined;
  let rows = 0;
  const idf = (frequency: number) => Math.log((rows + 1) / (frequency + 1)) + 1;
  /** Query weights by gram id, reused between queries (zeroed after each). */
  let scratch: Float64Array | undefined;

  return {
    add(text: string) {
      for (const [gram, count] of characterNgrams(text)) {
        let id = ids.get(gram);
        if (id === undefined) {
          id = ids.size;
          ids.set(gram, id);
          frequencies.push(0);
        }
        frequencies.values[id]!++;
        grams.push(id);
        counts.push(Math.min(count, 65_535));
      }
      offsets.push(grams.length);
      rows++;
    },
    /** Computes each row's weights once every row is in. */
    finish() {
      gramIds = grams.take();
      const rowCounts = counts.take();
      weights = new Float32Array(gramIds.length);
      const offsetValues = offsets.values;
      for (let row = 0; row < rows; row++) {
        let norm = 0;
        for (let entry = offsetValues[row]!; entry < offsetValues[row + 1]!; entry++) {
          const weight = (1 + Math.log(rowCounts[entry]!)) * idf(frequencies.values[gramIds[entry]!]!);
          weights[entry] = weight;
          norm += weight * weight;
        }
        norm = Math.sqrt(norm) || 1;
        for (let entry = offsetValues[row]!; entry < offsetValues[row + 1]!; entry++) weights[entry]! /= norm;
      }
      scratch = new Float64Array(ids.size);
    },
    similarities(text: string, positions: Iterable<number>): Map<number, number> {
      const scores = new Map<number, number>();
      const query = characterNgrams(text, DEFAULT_NGRAM_SETTINGS);
      let norm = 0;
      const known: Array<[number, number]> = [];
      for (const [gram, count] of query) {
        const id = ids.get(gram);
        const weight = (1 + Math.log(count)) * idf(id === undefined ? 0 : frequencies.values[id]!);
        // Grams the collection has never seen still count in the query's length: a query made
        // mostly of unknown words is not a close match to anything.
        norm += weight * weight;
        if (id !== undefined) known.push([id, weight]);
      }
      if (known.length === 0) return scores;
      norm = Math.sqrt(norm) || 1;
      for (const [id, weight] of known) scratch![id] = weight / norm;
      const offsetValues = offsets.values;
      for (const position of positions) {
        let score = 0;
        for (let entry = offsetValues[position]!; entry < offsetValues[position + 1]!; entry++) {
          const queryWeight = scratch![gramIds![entry]!]!;
          if (queryWeight !== 0) score += queryWeight * weights![entry]!;
        }
        if (score > 0) scores.set(position, score);
      }
      for (const [id] of known) scratch![id] = 0;
      return scores;
    },
  };
}

/**
 * Adds chunks one at a time (in the store's document order), so a large collection can be read in
 * batches instead of held whole while it is analysed.
 */
export interface CollectionIndexBuilder {
  add(chunk: Chunk): void;
  finish(): CollectionIndex;
}

export function createCollectionIndexBuilder(settings: CollectionIndexSettings): CollectionIndexBuilder {
  const prefix = settings.prefixLength;
  const fieldSettings = FIELD_NAMES.map((field) => settings.bm25.fields[field]);
  const termIds = new Map<string, number>();
  const termFrequencies = new NumberList(new Int32Array(1024));
  const termOffsets = new NumberList(new Int32Array(1024));
  termOffsets.push(0);
  const rowTerms = new NumberList(new Int32Array(4096));
  /** Per row entry, the term's count in each field. */
  const rowCounts = new NumberList(new Uint16Array(4096 * FIELD_COUNT));
  const fieldLengths = new NumberList(new Int32Array(1024 * FIELD_COUNT));
  const totalLengths = new Float64Array(FIELD_COUNT);
  const titles = createNgramRows();
  const bodies = settings.bodyNgrams ? createNgramRows() : undefined;
  const positionByChunkId = new Map<string, number>();
  const glossaryGroups: string[][] = [];

  const perTerm = new Map<number, number[]>();
  let size = 0;
  const add = (chunk: Chunk) => {
    // A glossary is how search reads questions, not an answer: its groups are kept, its words do
    // not weigh in the collection's statistics, and it has no place among the candidates.
    const group = glossaryGroupsOf(chunk);
    if (group) {
      glossaryGroups.push(group);
      return;
    }
    const position = size++;
    const fields = searchableFields(chunk);
    perTerm.clear();
    FIELD_NAMES.forEach((field, fieldIndex) => {
      const terms = withPrefixes(analyze(fields[field]), prefix);
      fieldLengths.push(terms.length);
      totalLengths[fieldIndex]! += terms.length;
      for (const term of terms) {
        let id = termIds.get(term);
        if (id === undefined) {
          id = termIds.size;
          termIds.set(term, id);
          termFrequencies.push(0);
        }
        let counts = perTerm.get(id);
        if (!counts) {
          counts = new Array<number>(FIELD_COUNT).fill(0);
          perTerm.set(id, counts);
        }
        counts[fieldIndex]!++;
      }
    });
    for (const [id, counts] of perTerm) {
      termFrequencies.values[id]!++;
      rowTerms.push(id);
      for (const count of counts) rowCounts.push(Math.min(count, 65_535));
    }
    termOffsets.push(rowTerms.length);
    titles.add([fields.question, fields.heading, fields.tags].join('\n'));
    bodies?.add(chunk.text);
    positionByChunkId.set(chunk.chunkId, position);
  };
  return { add, finish };

  function finish(): CollectionIndex {
    titles.finish();
    bodies?.finish();
    const lengths = fieldLengths.take();
    const averageLengths = Array.from(totalLengths, (total) => (size ? Math.max(total / size, 1e-9) : 1));
    const terms = rowTerms.take();
    const counts = rowCounts.take();
    const offsets = termOffsets.values;
    const frequencies = termFrequencies.take();
    /** Query weights by term id, reused between queries (zeroed after each). */
    const queryWeights = new Float64Array(termIds.size);
    const idfs = new Float64Array(termIds.size);
    let typos: TypoCorrector | undefined;

    const glossary = createGlossary([...BUILT_IN_GLOSSARY, ...glossaryGroups]);

    return {
      size,
      positionByChunkId,
      glossary,
      documentFrequency: (term) => {
        const id = termIds.get(term);
        return id === undefined ? 0 : frequencies[id]!;
      },
      lexicalScores(queryTerms, positions) {
        const scores = new Map<number, number>();
        const used: number[] = [];
        for (const { term, weight } of queryTerms) {
          const id = termIds.get(term);
          if (id === undefined) continue;
          if (queryWeights[id] === 0) {
            used.push(id);
            const frequency = frequencies[id]!;
            idfs[id] = Math.log(1 + (size - frequency + 0.5) / (frequency + 0.5));
          }
          queryWeights[id] = Math.max(queryWeights[id]!, weight);
        }
        if (used.length === 0) return scores;
        const k1 = settings.bm25.k1;
        for (const position of positions) {
          let score = 0;
          let matched = false;
          for (let entry = offsets[position]!; entry < offsets[position + 1]!; entry++) {
            const id = terms[entry]!;
            const queryWeight = queryWeights[id]!;
            if (queryWeight === 0) continue;
            let weighted = 0;
            for (let field = 0; field < FIELD_COUNT; field++) {
              const frequency = counts[entry * FIELD_COUNT + field]!;
              if (frequency === 0) continue;
              const { weight, b } = fieldSettings[field]!;
              const normaliser =
                1 - b + (b * lengths[position * FIELD_COUNT + field]!) / averageLengths[field]!;
              weighted += (weight * frequency) / normaliser;
            }
            if (weighted === 0) continue;
            matched = true;
            score += (queryWeight * idfs[id]! * weighted) / (k1 + weighted);
          }
          if (matched) scores.set(position, score);
        }
        for (const id of used) queryWeights[id] = 0;
        return scores;
      },
      titleSimilarities: (text, positions) => titles.similarities(text, positions),
      bodySimilarities: (text, positions) => {
        if (!bodies) throw new Error('collection index: built without the body n-grams');
        return bodies.similarities(text, positions);
      },
      typos: () => {
        typos ??= createTypoCorrector(termIds.keys());
        return typos;
      },
    };
  }
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

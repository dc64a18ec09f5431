import type { Chunk } from '../model.ts';
import { analyze } from '../text/analyze.ts';
import type { Bm25Settings, WeightedTerm } from './bm25.ts';
import { FIELD_NAMES, type FieldName, searchableFields } from './fields.ts';
import { BUILT_IN_GLOSSARY, createGlossary, type Glossary, glossaryGroupsOf } from './glossary.ts';
import { createNgramRows, type NgramRows } from './ngram-rows.ts';
import {
  type Counts,
  type Ids,
  NumberList,
  narrowed,
  narrowedIds,
  Slots,
  Vocabulary,
} from './number-list.ts';
import { createTransliterator, type Transliterator } from './transliteration.ts';
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
  /** The indexed stems by their sound in the other alphabet («ютуб» ↔ "youtub"), built on first use. */
  transliterations(): Transliterator;
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

/**
 * Adds a collection's documents one at a time (in the store's document order), so a large
 * collection can be read in batches instead of held whole while it is analysed. Built from a
 * previous index of the same collection and settings, it copies the rows of documents that have
 * not changed since instead of analysing their text again: after a write, only the written
 * documents are read and analysed, and the statistics are summed anew over all rows.
 */
export interface CollectionIndexBuilder {
  /** Indexes a document's chunks (in ordinal order); `stamp` names the version they are of. */
  addDocument(documentId: string, stamp: string, chunks: readonly Chunk[]): void;
  /** Whether the previous index holds the document at this stamp (then `keepDocument` copies it). */
  holds(documentId: string, stamp: string): boolean;
  /** Copies the document's rows from the previous index; only when `holds` said so. */
  keepDocument(documentId: string): void;
  finish(): CollectionIndex;
}

/** A document's place in an index: its rows, and the glossary groups it brought. */
export interface DocumentRows {
  stamp: string;
  first: number;
  end: number;
  glossaryGroups: string[][];
}

/**
 * A finished index as data: what a builder copies from it after a write, and what a saved index
 * holds (saved-index.ts). Everything else (the maps by string, the statistics) follows from it.
 */
export interface CollectionIndexParts {
  settingsKey: string;
  /** In the store's document order. */
  documents: ReadonlyMap<string, DocumentRows>;
  chunkIds: readonly string[];
  termsById: readonly string[];
  /** Row `r`'s entries are `offsets[r]` to `offsets[r + 1]`. */
  offsets: Int32Array;
  /** Term ids (two bytes each while the vocabulary fits). */
  terms: Ids;
  /** Per entry, the term's count in each field. */
  counts: Counts;
  /** Per row, each field's length in terms. */
  lengths: Int32Array;
  /** Rows holding each term. */
  frequencies: Int32Array;
  titles: NgramRows;
  bodies: NgramRows | undefined;
}
const partsOf = new WeakMap<CollectionIndex, CollectionIndexParts>();

export function collectionIndexParts(index: CollectionIndex): CollectionIndexParts | undefined {
  return partsOf.get(index);
}

/** Whether the index holds exactly these documents, in this order, at these stamps, with these settings. */
export function holdsExactly(
  index: CollectionIndex,
  settings: CollectionIndexSettings,
  documents: ReadonlyArray<{ documentId: string; stamp: string }>,
): boolean {
  const parts = partsOf.get(index);
  if (!parts || parts.settingsKey !== settingsKeyOf(settings) || parts.documents.size !== documents.length)
    return false;
  let at = 0;
  for (const [documentId, rows] of parts.documents) {
    const document = documents[at++]!;
    if (document.documentId !== documentId || document.stamp !== rows.stamp) return false;
  }
  return true;
}

export function settingsKeyOf(settings: CollectionIndexSettings): string {
  return JSON.stringify(settings);
}

export function createCollectionIndexBuilder(
  settings: CollectionIndexSettings,
  previousIndex?: CollectionIndex,
): CollectionIndexBuilder {
  const settingsKey = settingsKeyOf(settings);
  const candidate = previousIndex ? partsOf.get(previousIndex) : undefined;
  let previous = candidate?.settingsKey === settingsKey ? candidate : undefined;
  const prefix = settings.prefixLength;
  // Sized from the previous index, an update grows no array and copies none when taking it.
  // (an eighth more, for what the write added).
  const withRoom = (count: number) => count + (count >> 3) + 1024;
  const rowsHint = previous ? withRoom(previous.chunkIds.length) : 1024;
  const entriesHint = previous ? withRoom(previous.terms.length) : 4096;
  const vocabulary = new Vocabulary(previous ? withRoom(previous.termsById.length) : 1024);
  const { ids: termIds, byId: termsById, frequencies: termFrequencies } = vocabulary;
  const termOffsets = new NumberList(new Int32Array(rowsHint));
  termOffsets.push(0);
  const rowTerms = new NumberList(new Int32Array(entriesHint));
  /** Per row entry, the term's count in each field. */
  const rowCounts = new NumberList(new Uint16Array(entriesHint * FIELD_COUNT));
  const fieldLengths = new NumberList(new Int32Array(rowsHint * FIELD_COUNT));
  const ngramHint = (rows: NgramRows | undefined) =>
    rows ? { rows: rowsHint, entries: withRoom(rows.entryCount) } : undefined;
  const titles = createNgramRows(ngramHint(previous?.titles));
  const bodies = settings.bodyNgrams ? createNgramRows(ngramHint(previous?.bodies)) : undefined;
  const positionByChunkId = new Map<string, number>();
  const chunkIds: string[] = [];
  const documents = new Map<string, DocumentRows>();
  /** The previous index's term ids renamed into ours (-1: not met yet). */
  let renamedTerms = previous ? new Int32Array(previous.termsById.length).fill(-1) : undefined;

  const termId = (term: string) => vocabulary.idOf(term);

  /** Where each term's entry of the row being added is (see `Slots`). */
  const rowSlots = new Slots();
  let size = 0;
  const addChunk = (chunk: Chunk, groups: string[][]) => {
    // A glossary is how search reads questions, not an answer: its groups are kept, its words do
    // not weigh in the collection's statistics, and it has no place among the candidates.
    const group = glossaryGroupsOf(chunk);
    if (group) {
      groups.push(group);
      return;
    }
    const position = size++;
    const fields = searchableFields(chunk);
    const first = rowTerms.length;
    for (let field = 0; field < FIELD_COUNT; field++) {
      const terms = withPrefixes(analyze(fields[FIELD_NAMES[field]!]), prefix);
      fieldLengths.push(terms.length);
      // One entry per distinct term, in the order first met, with its count in each field.
      for (const term of terms) {
        const id = termId(term);
        let slot = rowSlots.at(id);
        if (slot < first || slot >= rowTerms.length || rowTerms.values[slot] !== id) {
          slot = rowTerms.length;
          rowSlots.set(id, slot);
          termFrequencies.values[id]!++;
          rowTerms.push(id);
          for (let each = 0; each < FIELD_COUNT; each++) rowCounts.push(0);
        }
        const at = slot * FIELD_COUNT + field;
        if (rowCounts.values[at]! < 65_535) rowCounts.values[at]!++;
      }
    }
    termOffsets.push(rowTerms.length);
    titles.add([fields.question, fields.heading, fields.tags].join('\n'));
    bodies?.add(chunk.text);
    positionByChunkId.set(chunk.chunkId, position);
    chunkIds.push(chunk.chunkId);
  };

  return {
    addDocument(documentId, stamp, chunks) {
      const first = size;
      const groups: string[][] = [];
      for (const chunk of chunks) addChunk(chunk, groups);
      documents.set(documentId, { stamp, first, end: size, glossaryGroups: groups });
    },
    holds: (documentId, stamp) => previous?.documents.get(documentId)?.stamp === stamp,
    keepDocument(documentId) {
      const kept = previous?.documents.get(documentId);
      if (!previous || !kept)
        throw new Error(`collection index: "${documentId}" is not in the previous index`);
      const first = size;
      for (let row = kept.first; row < kept.end; row++) {
        for (let field = 0; field < FIELD_COUNT; field++)
          fieldLengths.push(previous.lengths[row * FIELD_COUNT + field]!);
        // In entry order, as `addChunk` meets them: new ids come out as a fresh build names them.
        for (let entry = previous.offsets[row]!; entry < previous.offsets[row + 1]!; entry++) {
          const previousId = previous.terms[entry]!;
          let id = renamedTerms![previousId]!;
          if (id < 0) {
            id = termId(previous.termsById[previousId]!);
            renamedTerms![previousId] = id;
          }
          termFrequencies.values[id]!++;
          rowTerms.push(id);
          for (let field = 0; field < FIELD_COUNT; field++)
            rowCounts.push(previous.counts[entry * FIELD_COUNT + field]!);
        }
        termOffsets.push(rowTerms.length);
        const chunkId = previous.chunkIds[row]!;
        positionByChunkId.set(chunkId, size++);
        chunkIds.push(chunkId);
      }
      titles.copyRows(previous.titles, kept.first, kept.end);
      if (bodies && previous.bodies) bodies.copyRows(previous.bodies, kept.first, kept.end);
      documents.set(documentId, { stamp: kept.stamp, first, end: size, glossaryGroups: kept.glossaryGroups });
    },
    finish,
  };

  function finish(): CollectionIndex {
    // The new index's functions share this scope: let go of the previous index, or every index
    // would keep its predecessor alive.
    previous = undefined;
    renamedTerms = undefined;
    rowSlots.release();
    titles.finish();
    bodies?.finish();
    return assembleIndex(
      settings,
      {
        settingsKey,
        documents,
        chunkIds,
        termsById,
        offsets: termOffsets.take(),
        terms: narrowedIds(rowTerms.take(), termsById.length),
        counts: narrowed(rowCounts.take()),
        lengths: fieldLengths.take(),
        frequencies: termFrequencies.take(),
        titles,
        bodies,
      },
      termIds,
      positionByChunkId,
    );
  }
}

/** An index holding these parts (a saved index's); `settings` must be those it was built with. */
export function restoreCollectionIndex(
  settings: CollectionIndexSettings,
  parts: CollectionIndexParts,
): CollectionIndex {
  const termIds = new Map<string, number>();
  for (let id = 0; id < parts.termsById.length; id++) termIds.set(parts.termsById[id]!, id);
  const positionByChunkId = new Map<string, number>();
  for (let position = 0; position < parts.chunkIds.length; position++)
    positionByChunkId.set(parts.chunkIds[position]!, position);
  return assembleIndex(settings, parts, termIds, positionByChunkId);
}

function assembleIndex(
  settings: CollectionIndexSettings,
  parts: CollectionIndexParts,
  termIds: ReadonlyMap<string, number>,
  positionByChunkId: ReadonlyMap<string, number>,
): CollectionIndex {
  const { offsets, terms, counts, lengths, frequencies, titles, bodies } = parts;
  const size = parts.chunkIds.length;
  const fieldSettings = FIELD_NAMES.map((field) => settings.bm25.fields[field]);
  // Integer sums in row order: exactly the totals the builder added up.
  const totalLengths = new Float64Array(FIELD_COUNT);
  for (let at = 0; at < lengths.length; at++) totalLengths[at % FIELD_COUNT]! += lengths[at]!;
  const averageLengths = Array.from(totalLengths, (total) => (size ? Math.max(total / size, 1e-9) : 1));
  /** Query weights by term id, reused between queries (zeroed after each). */
  const queryWeights = new Float64Array(termIds.size);
  const idfs = new Float64Array(termIds.size);
  let typos: TypoCorrector | undefined;
  let transliterations: Transliterator | undefined;
  const glossaryGroups: string[][] = [];
  for (const document of parts.documents.values()) glossaryGroups.push(...document.glossaryGroups);
  const glossary = createGlossary([...BUILT_IN_GLOSSARY, ...glossaryGroups]);

  const index: CollectionIndex = {
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
    transliterations: () => {
      transliterations ??= createTransliterator(termIds.keys());
      return transliterations;
    },
  };
  partsOf.set(index, parts);
  return index;
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

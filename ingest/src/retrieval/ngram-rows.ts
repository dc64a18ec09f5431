import { characterNgrams, DEFAULT_NGRAM_SETTINGS, forEachNgram } from './char-ngrams.ts';
import { type Counts, NumberList, narrowed, Slots, Vocabulary } from './number-list.ts';

/**
 * Character n-gram rows of a collection index, one per chunk: gram ids with their counts, then,
 * once every row is in, unit-length TF-IDF weights. The counts are kept after `finish` so that the
 * next index (after a write) copies the rows of unchanged chunks instead of reading their text
 * again; the weights depend on the whole collection and are computed anew each time.
 */
export interface NgramRows {
  readonly rowCount: number;
  /** Grams summed over the rows (each row's distinct grams). */
  readonly entryCount: number;
  add(text: string): void;
  /**
   * Appends rows `first` to `end` (excluded) of `source`, its gram ids renamed into this one's in
   * the order they come, as `add` would have named them: the result is the same rows with the
   * same ids as if their texts had been added.
   */
  copyRows(source: NgramRows, first: number, end: number): void;
  /** Computes each row's weights once every row is in. */
  finish(): void;
  similarities(text: string, positions: Iterable<number>): Map<number, number>;
}

interface RowParts {
  offsets: Int32Array;
  grams: Int32Array;
  counts: Counts;
  gramsById: readonly string[];
}

/** What `copyRows` reads of a finished source; kept out of the interface. */
const partsOf = new WeakMap<NgramRows, RowParts>();

export function createNgramRows(
  capacity: { rows: number; entries: number } = { rows: 1024, entries: 4096 },
): NgramRows {
  const vocabulary = new Vocabulary(Math.max(1024, capacity.entries >> 4));
  const { ids, byId: gramsById, frequencies } = vocabulary;
  const offsets = new NumberList(new Int32Array(capacity.rows + 1));
  offsets.push(0);
  const grams = new NumberList(new Int32Array(capacity.entries));
  const counts = new NumberList(new Uint16Array(capacity.entries));
  let weights: Float32Array | undefined;
  let gramIds: Int32Array | undefined;
  let gramCounts: Counts | undefined;
  let offsetValues: Int32Array | undefined;
  let frequencyValues: Int32Array | undefined;
  let rows = 0;
  const idf = (frequency: number) => Math.log((rows + 1) / (frequency + 1)) + 1;
  /** Query weights by gram id, reused between queries (zeroed after each). */
  let scratch: Float64Array | undefined;
  /** The last source's gram ids renamed into ours (-1: not met yet); dropped at `finish`. */
  let renamed: { parts: RowParts; map: Int32Array } | undefined;

  /** Where each gram's entry of the row being added is (stale values from earlier rows are told apart by position). */
  const rowSlots = new Slots();
  const idOf = (gram: string) => vocabulary.idOf(gram);

  const rowsObject: NgramRows = {
    get rowCount() {
      return rows;
    },
    get entryCount() {
      return gramIds ? gramIds.length : grams.length;
    },
    add(text) {
      // As `characterNgrams` counts them (first met, first listed), without a map per row: each
      // gram is hashed once, into the collection's ids.
      const first = grams.length;
      forEachNgram(text, DEFAULT_NGRAM_SETTINGS, (gram) => {
        const id = idOf(gram);
        const slot = rowSlots.at(id);
        if (slot >= first && slot < grams.length && grams.values[slot] === id) {
          if (counts.values[slot]! < 65_535) counts.values[slot]!++;
          return;
        }
        rowSlots.set(id, grams.length);
        frequencies.values[id]!++;
        grams.push(id);
        counts.push(1);
      });
      offsets.push(grams.length);
      rows++;
    },
    copyRows(source, first, end) {
      const parts = partsOf.get(source);
      if (!parts) throw new Error('n-gram rows: copied from rows that are not finished');
      if (renamed?.parts !== parts) {
        renamed = { parts, map: new Int32Array(parts.gramsById.length).fill(-1) };
      }
      const map = renamed.map;
      for (let row = first; row < end; row++) {
        for (let entry = parts.offsets[row]!; entry < parts.offsets[row + 1]!; entry++) {
          const sourceId = parts.grams[entry]!;
          let id = map[sourceId]!;
          if (id < 0) {
            id = idOf(parts.gramsById[sourceId]!);
            map[sourceId] = id;
          }
          frequencies.values[id]!++;
          grams.push(id);
          counts.push(parts.counts[entry]!);
        }
        offsets.push(grams.length);
        rows++;
      }
    },
    finish() {
      renamed = undefined;
      rowSlots.release();
      gramIds = grams.take();
      gramCounts = narrowed(counts.take());
      offsetValues = offsets.take();
      frequencyValues = frequencies.take();
      weights = new Float32Array(gramIds.length);
      for (let row = 0; row < rows; row++) {
        let norm = 0;
        for (let entry = offsetValues[row]!; entry < offsetValues[row + 1]!; entry++) {
          const weight = (1 + Math.log(gramCounts[entry]!)) * idf(frequencyValues[gramIds[entry]!]!);
          weights[entry] = weight;
          norm += weight * weight;
        }
        norm = Math.sqrt(norm) || 1;
        for (let entry = offsetValues[row]!; entry < offsetValues[row + 1]!; entry++) weights[entry]! /= norm;
      }
      scratch = new Float64Array(ids.size);
      partsOf.set(rowsObject, { offsets: offsetValues, grams: gramIds, counts: gramCounts, gramsById });
    },
    similarities(text, positions) {
      const scores = new Map<number, number>();
      const query = characterNgrams(text, DEFAULT_NGRAM_SETTINGS);
      let norm = 0;
      const known: Array<[number, number]> = [];
      for (const [gram, count] of query) {
        const id = ids.get(gram);
        const weight = (1 + Math.log(count)) * idf(id === undefined ? 0 : frequencyValues![id]!);
        // Grams the collection has never seen still count in the query's length: a query made
        // mostly of unknown words is not a close match to anything.
        norm += weight * weight;
        if (id !== undefined) known.push([id, weight]);
      }
      if (known.length === 0) return scores;
      norm = Math.sqrt(norm) || 1;
      for (const [id, weight] of known) scratch![id] = weight / norm;
      for (const position of positions) {
        let score = 0;
        for (let entry = offsetValues![position]!; entry < offsetValues![position + 1]!; entry++) {
          const queryWeight = scratch![gramIds![entry]!]!;
          if (queryWeight !== 0) score += queryWeight * weights![entry]!;
        }
        if (score > 0) scores.set(position, score);
      }
      for (const [id] of known) scratch![id] = 0;
      return scores;
    },
  };
  return rowsObject;
}

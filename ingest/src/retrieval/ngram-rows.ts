import { characterNgrams, DEFAULT_NGRAM_SETTINGS, forEachNgram } from './char-ngrams.ts';
import {
  type Counts,
  type Ids,
  NumberList,
  narrowed,
  narrowedIds,
  Slots,
  Vocabulary,
} from './number-list.ts';

/**
 * Character n-gram rows of a collection index, one per chunk: gram ids with their counts, then,
 * once every row is in, each row's TF-IDF norm. A gram's weight in a row, `(1 + ln count) × idf /
 * norm`, is computed when a query holds the gram rather than stored for every gram of every row:
 * it is the same number the stored Float32 weight was (rounded the same way), and the rows take
 * 5 bytes a gram instead of 9. The counts also let the next index (after a write) copy the rows of
 * unchanged chunks instead of reading their text again.
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
  /** Computes each row's norm once every row is in. */
  finish(): void;
  similarities(text: string, positions: Iterable<number>): Map<number, number>;
}

/** Finished rows, as a saved index holds them (saved-index.ts). */
export interface NgramRowsParts {
  offsets: Int32Array;
  /** Gram ids (two bytes each while the vocabulary fits). */
  grams: Ids;
  counts: Counts;
  /** Rows holding each gram. */
  frequencies: Int32Array;
  /** Each row's TF-IDF norm (float64: the weights are divided by exactly this number). */
  norms: Float64Array;
  gramsById: readonly string[];
}

/** What `copyRows` and saving read of finished rows; kept out of the interface. */
const partsOf = new WeakMap<NgramRows, NgramRowsParts>();

export function ngramRowsParts(rows: NgramRows): NgramRowsParts | undefined {
  return partsOf.get(rows);
}

const idfOf = (rows: number, frequency: number) => Math.log((rows + 1) / (frequency + 1)) + 1;

/** A row entry's weight before the row's norm divides it, as the index always computed it. */
const rawWeight = (count: number, idf: number) => (1 + Math.log(count)) * idf;

export function createNgramRows(
  capacity: { rows: number; entries: number } = { rows: 1024, entries: 4096 },
): NgramRows {
  const vocabulary = new Vocabulary(Math.max(1024, capacity.entries >> 4));
  const { ids, byId: gramsById, frequencies } = vocabulary;
  const offsets = new NumberList(new Int32Array(capacity.rows + 1));
  offsets.push(0);
  const grams = new NumberList(new Int32Array(capacity.entries));
  const counts = new NumberList(new Uint16Array(capacity.entries));
  let finished: NgramRows | undefined;
  let rows = 0;
  /** The last source's gram ids renamed into ours (-1: not met yet); dropped at `finish`. */
  let renamed: { parts: NgramRowsParts; map: Int32Array } | undefined;

  /** Where each gram's entry of the row being added is (stale values from earlier rows are told apart by position). */
  const rowSlots = new Slots();
  const idOf = (gram: string) => vocabulary.idOf(gram);

  const building: NgramRows = {
    get rowCount() {
      return finished ? finished.rowCount : rows;
    },
    get entryCount() {
      return finished ? finished.entryCount : grams.length;
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
      const gramIds = narrowedIds(grams.take(), gramsById.length);
      const gramCounts = narrowed(counts.take());
      const offsetValues = offsets.take();
      const frequencyValues = frequencies.take();
      const norms = new Float64Array(rows);
      for (let row = 0; row < rows; row++) {
        let norm = 0;
        for (let entry = offsetValues[row]!; entry < offsetValues[row + 1]!; entry++) {
          const weight = rawWeight(gramCounts[entry]!, idfOf(rows, frequencyValues[gramIds[entry]!]!));
          norm += weight * weight;
        }
        norms[row] = Math.sqrt(norm) || 1;
      }
      finished = finishedRows(
        {
          offsets: offsetValues,
          grams: gramIds,
          counts: gramCounts,
          frequencies: frequencyValues,
          norms,
          gramsById,
        },
        ids,
      );
      partsOf.set(building, partsOf.get(finished)!);
    },
    similarities(text, positions) {
      if (!finished) throw new Error('n-gram rows: searched before they were finished');
      return finished.similarities(text, positions);
    },
  };
  return building;
}

/** Finished rows from their parts (a saved index); `parts` must be what `finish` made. */
export function restoreNgramRows(parts: NgramRowsParts): NgramRows {
  const ids = new Map<string, number>();
  for (let id = 0; id < parts.gramsById.length; id++) ids.set(parts.gramsById[id]!, id);
  return finishedRows(parts, ids);
}

function finishedRows(parts: NgramRowsParts, ids: ReadonlyMap<string, number>): NgramRows {
  const { offsets, grams, counts, frequencies, norms } = parts;
  const rows = norms.length;
  /** Query weights by gram id, reused between queries (zeroed after each). */
  const scratch = new Float64Array(ids.size);
  const finished: NgramRows = {
    rowCount: rows,
    entryCount: grams.length,
    add() {
      throw new Error('n-gram rows: added to after they were finished');
    },
    copyRows() {
      throw new Error('n-gram rows: added to after they were finished');
    },
    finish() {},
    similarities(text, positions) {
      const scores = new Map<number, number>();
      const query = characterNgrams(text, DEFAULT_NGRAM_SETTINGS);
      let norm = 0;
      const known: Array<[number, number]> = [];
      for (const [gram, count] of query) {
        const id = ids.get(gram);
        const weight = rawWeight(count, idfOf(rows, id === undefined ? 0 : frequencies[id]!));
        // Grams the collection has never seen still count in the query's length: a query made
        // mostly of unknown words is not a close match to anything.
        norm += weight * weight;
        if (id !== undefined) known.push([id, weight]);
      }
      if (known.length === 0) return scores;
      norm = Math.sqrt(norm) || 1;
      for (const [id, weight] of known) scratch[id] = weight / norm;
      for (const position of positions) {
        let score = 0;
        const rowNorm = norms[position]!;
        for (let entry = offsets[position]!; entry < offsets[position + 1]!; entry++) {
          const id = grams[entry]!;
          const queryWeight = scratch[id]!;
          if (queryWeight === 0) continue;
          // Rounded to float32 twice, as the Float32Array of weights the rows once kept did
          // (stored, then divided in place): scores stay bit for bit what they were.
          const weight = Math.fround(
            Math.fround(rawWeight(counts[entry]!, idfOf(rows, frequencies[id]!))) / rowNorm,
          );
          score += queryWeight * weight;
        }
        if (score > 0) scores.set(position, score);
      }
      for (const [id] of known) scratch[id] = 0;
      return scores;
    },
  };
  partsOf.set(finished, parts);
  return finished;
}

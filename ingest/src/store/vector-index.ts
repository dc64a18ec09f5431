/**
 * An in-memory vector index over unit-length vectors (cosine similarity = dot product), rebuilt
 * from and kept in step with the SQLite store, which remains the only durable copy.
 *
 * Below EXACT_THRESHOLD vectors it scans them all. Above, each vector also keeps its sign bits
 * relative to the collection's mean vector (one bit per dimension; centring matters for neural
 * embeddings, whose vectors share a common offset): a query ranks every vector by Hamming
 * distance to its own bits, a few XOR-and-popcount operations per vector instead of a dot
 * product, then computes exact dot products for the nearest few percent only. Unlike the
 * inverted file it replaced there is nothing to train beyond one pass for the mean, so opening a
 * large collection costs the load of its vectors and ~0.1 s more. See
 * docs/decisions/0001-embedded-knowledge-store.md for the figures (recall against the exact scan).
 */
import { type AttributeFilter, createSlotAttributes } from './slot-attributes.ts';

export interface VectorMatch {
  id: number;
  similarity: number;
}

export interface VectorIndex {
  readonly dimensions: number;
  size(): number;
  /** Makes room for this many more vectors at once (a bulk load then copies nothing). */
  reserve(additional: number): void;
  add(id: number, vector: Float32Array, kind: string, language: string, tagTokens?: readonly string[]): void;
  remove(id: number): void;
  /** Best `k` matches among the vectors the filter admits; `exact` skips the sign-bit pass. */
  search(
    query: Float32Array,
    k: number,
    filter?: AttributeFilter,
    options?: { exact?: boolean },
  ): VectorMatch[];
}

/** Collections smaller than this are scanned exactly. */
export const EXACT_THRESHOLD = 20_000;
/** Share of the collection whose exact similarity is computed after the sign-bit pass. */
export const RESCORE_FRACTION = 0.04;
/** Candidates rescored per wanted match, at least. */
const RESCORE_PER_MATCH = 40;

/** Dot product of `query` with the vector at `base` of `matrix`, four lanes to break the add chain. */
function dot(matrix: Float32Array, base: number, query: Float32Array, dimensions: number): number {
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  let index = 0;
  for (; index + 3 < dimensions; index += 4) {
    sum0 += matrix[base + index]! * query[index]!;
    sum1 += matrix[base + index + 1]! * query[index + 1]!;
    sum2 += matrix[base + index + 2]! * query[index + 2]!;
    sum3 += matrix[base + index + 3]! * query[index + 3]!;
  }
  for (; index < dimensions; index++) sum0 += matrix[base + index]! * query[index]!;
  return sum0 + sum1 + sum2 + sum3;
}

/**
 * Hamming distance of each admitted slot's sign bits to the query's into `distances` (`excluded`
 * for the others), counted by distance in `histogram`. A top-level function over its arguments,
 * so V8 keeps the typed arrays in registers instead of reloading closure variables.
 */
function hammingDistances(
  signs: Int32Array,
  words: number,
  querySigns: Int32Array,
  admitted: Uint8Array,
  used: number,
  excluded: number,
  distances: Uint16Array,
  histogram: Int32Array,
) {
  for (let slot = 0; slot < used; slot++) {
    if (admitted[slot] !== 1) {
      distances[slot] = excluded;
      continue;
    }
    let distance = 0;
    const base = slot * words;
    for (let word = 0; word < words; word++) {
      // Set bits of the XOR counted in registers (SWAR): pairs, nibbles, bytes, then their sum.
      let bits = signs[base + word]! ^ querySigns[word]!;
      bits -= (bits >>> 1) & 0x55555555;
      bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
      bits = (bits + (bits >>> 4)) & 0x0f0f0f0f;
      distance += Math.imul(bits, 0x01010101) >>> 24;
    }
    distances[slot] = distance;
    histogram[distance]!++;
  }
}

/**
 * The sign bits of the vector at `source[from…]` minus `centre` (bit set when the component is
 * above the mean) into `target` at `offset`.
 */
function writeSigns(
  source: Float32Array,
  from: number,
  centre: Float32Array,
  target: Int32Array,
  offset: number,
  words: number,
) {
  const dimensions = centre.length;
  for (let word = 0; word < words; word++) {
    let bits = 0;
    const base = word * 32;
    const end = Math.min(32, dimensions - base);
    for (let bit = 0; bit < end; bit++)
      if (source[from + base + bit]! > centre[base + bit]!) bits |= 1 << bit;
    target[offset + word] = bits;
  }
}

/** `writeSigns` for slots `from` to `to` of a matrix: one top-level loop V8 optimises as a whole. */
function signRange(
  matrix: Float32Array,
  centre: Float32Array,
  signs: Int32Array,
  words: number,
  from: number,
  to: number,
) {
  const dimensions = centre.length;
  for (let slot = from; slot < to; slot++) {
    const base = slot * dimensions;
    for (let word = 0; word < words; word++) {
      let bits = 0;
      const start = word * 32;
      const end = Math.min(32, dimensions - start);
      for (let bit = 0; bit < end; bit++) {
        if (matrix[base + start + bit]! > centre[start + bit]!) bits |= 1 << bit;
      }
      signs[slot * words + word] = bits;
    }
  }
}

export function createVectorIndex(
  dimensions: number,
  options: { exactThreshold?: number; rescoreFraction?: number } = {},
): VectorIndex {
  const exactThreshold = options.exactThreshold ?? EXACT_THRESHOLD;
  const rescoreFraction = options.rescoreFraction ?? RESCORE_FRACTION;
  const words = Math.ceil(dimensions / 32);
  let capacity = 1024;
  let matrix = new Float32Array(capacity * dimensions);
  let signs = new Int32Array(capacity * words);
  let ids = new Int32Array(capacity);
  let alive = new Uint8Array(capacity);
  let used = 0;
  let aliveCount = 0;
  const slotById = new Map<number, number>();
  const attributes = createSlotAttributes();
  /** The mean the sign bits are taken against, the live count it was taken at, and the slots signed so far. */
  let centre: Float32Array | undefined;
  let centredAt = 0;
  let signed = 0;
  /** Bumped by every add and remove: a cached filter mask is valid for one version only. */
  let version = 0;
  let maskCache: { key: string; version: number; mask: Uint8Array } | undefined;
  /** Which slots are live and admitted by the filter, one byte each; cached, as one filter dominates. */
  const admittedMask = (filter: AttributeFilter | undefined): Uint8Array => {
    const key = JSON.stringify(filter ?? {});
    if (maskCache?.key === key && maskCache.version === version && maskCache.mask.length >= used) {
      return maskCache.mask;
    }
    const matches = attributes.predicate(filter);
    const mask = new Uint8Array(used);
    for (let slot = 0; slot < used; slot++)
      mask[slot] = alive[slot] === 1 && (!matches || matches(slot)) ? 1 : 0;
    maskCache = { key, version, mask };
    return mask;
  };

  /** Signs the slots added since the last search; re-centres when the collection doubled or halved. */
  const updateSigns = () => {
    if (!centre || aliveCount > centredAt * 2 || aliveCount < centredAt / 2) {
      const sums = new Float64Array(dimensions);
      for (let slot = 0; slot < used; slot++) {
        if (!alive[slot]) continue;
        const base = slot * dimensions;
        for (let index = 0; index < dimensions; index++) sums[index]! += matrix[base + index]!;
      }
      centre = Float32Array.from(sums, (sum) => sum / Math.max(1, aliveCount));
      centredAt = aliveCount;
      signed = 0;
    }
    signRange(matrix, centre, signs, words, signed, used);
    signed = used;
  };

  /** Room for `wanted` slots: at least `wanted`, and at least `capacity × growth`. */
  const resize = (wanted: number, growth: number) => {
    if (wanted <= capacity) return;
    capacity = Math.max(wanted, Math.ceil(capacity * growth));
    matrix = enlarge(matrix, capacity * dimensions);
    signs = enlarge(signs, capacity * words);
    ids = enlarge(ids, capacity);
    alive = enlarge(alive, capacity);
  };

  return {
    dimensions,
    size: () => aliveCount,

    reserve(additional) {
      // A load says how many vectors come: room for exactly those (100k vectors in 100k slots,
      // not 131,072 — 32 MB of 256-dimension vectors), or an eighth more when catching up, so a
      // run of small writes does not copy the matrix for each.
      resize(used + additional, 1.125);
    },

    add(id, vector, kind, language, tagTokens = []) {
      if (vector.length !== dimensions) {
        throw new Error(`vector index: expected ${dimensions} dimensions, got ${vector.length}`);
      }
      if (used === capacity) resize(capacity + 1, 2);
      const slot = used;
      // First, as it can throw (too many distinct kinds or languages): a failed add changes nothing.
      attributes.set(slot, kind, language, tagTokens);
      if (slotById.has(id)) this.remove(id);
      used++;
      matrix.set(vector, slot * dimensions);
      ids[slot] = id;
      alive[slot] = 1;
      slotById.set(id, slot);
      aliveCount++;
      version++;
    },

    remove(id) {
      const slot = slotById.get(id);
      if (slot === undefined) return;
      alive[slot] = 0;
      slotById.delete(id);
      aliveCount--;
      version++;
    },

    search(query, k, filter, searchOptions) {
      if (aliveCount === 0 || k <= 0) return [];
      const admitted = admittedMask(filter);

      // The slots whose exact similarity is computed, in slot order (which breaks ties in the heap).
      const rescored = Math.max(k * RESCORE_PER_MATCH, Math.ceil(aliveCount * rescoreFraction));
      let selected: Int32Array;
      let count = 0;
      if (aliveCount < exactThreshold || searchOptions?.exact || rescored >= aliveCount) {
        selected = new Int32Array(used);
        for (let slot = 0; slot < used; slot++) if (admitted[slot] === 1) selected[count++] = slot;
      } else {
        // Hamming distance of every admitted vector's signs to the query's, then a histogram
        // gives the distance below which the `rescored` nearest lie.
        updateSigns();
        const querySigns = new Int32Array(words);
        writeSigns(query, 0, centre!, querySigns, 0, words);
        const distances = new Uint16Array(used);
        const histogram = new Int32Array(dimensions + 2);
        hammingDistances(signs, words, querySigns, admitted, used, dimensions + 1, distances, histogram);
        let cutoff = 0;
        let below = histogram[0]!;
        while (cutoff < dimensions && below < rescored) below += histogram[++cutoff]!;
        // Everything nearer than the cutoff, and of the ties at it only enough to make `rescored`:
        // on poorly spread vectors a single distance can hold a tenth of the collection.
        let ties = rescored - (below - histogram[cutoff]!);
        selected = new Int32Array(Math.min(used, below));
        for (let slot = 0; slot < used; slot++) {
          const distance = distances[slot]!;
          if (distance < cutoff || (distance === cutoff && ties-- > 0)) selected[count++] = slot;
        }
      }
      // The k best as a min-heap: the worst kept score is at the root.
      const heapScores = new Float64Array(k);
      const heapSlots = new Int32Array(k);
      const heapSize = rankSlots(matrix, dimensions, query, selected, count, heapScores, heapSlots);
      const order = Array.from({ length: heapSize }, (_, position) => position).sort(
        (left, right) => heapScores[right]! - heapScores[left]!,
      );
      return order.map((position) => ({ id: ids[heapSlots[position]!]!, similarity: heapScores[position]! }));
    },
  };
}

/**
 * The exact similarity of each selected slot, kept in a min-heap of the best `heapScores.length`;
 * returns how many it holds. A top-level function, so V8 keeps the arrays in registers.
 */
function rankSlots(
  matrix: Float32Array,
  dimensions: number,
  query: Float32Array,
  selected: Int32Array,
  count: number,
  heapScores: Float64Array,
  heapSlots: Int32Array,
): number {
  const k = heapScores.length;
  let heapSize = 0;
  for (let index = 0; index < count; index++) {
    const slot = selected[index]!;
    const similarity = dot(matrix, slot * dimensions, query, dimensions);
    if (heapSize === k) {
      if (similarity > heapScores[0]!) siftDown(heapScores, heapSlots, heapSize, similarity, slot);
    } else {
      siftUp(heapScores, heapSlots, heapSize++, similarity, slot);
    }
  }
  return heapSize;
}

function siftUp(scores: Float64Array, slots: Int32Array, position: number, score: number, slot: number) {
  let index = position;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (scores[parent]! <= score) break;
    scores[index] = scores[parent]!;
    slots[index] = slots[parent]!;
    index = parent;
  }
  scores[index] = score;
  slots[index] = slot;
}

/** Replaces the root (the worst kept) with a better entry. */
function siftDown(scores: Float64Array, slots: Int32Array, size: number, score: number, slot: number) {
  let index = 0;
  for (;;) {
    const left = index * 2 + 1;
    if (left >= size) break;
    const right = left + 1;
    const child = right < size && scores[right]! < scores[left]! ? right : left;
    if (scores[child]! >= score) break;
    scores[index] = scores[child]!;
    slots[index] = slots[child]!;
    index = child;
  }
  scores[index] = score;
  slots[index] = slot;
}

function enlarge<T extends Float32Array | Int32Array | Uint8Array>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}

/**
 * An in-memory vector index over unit-length vectors (cosine similarity = dot product), rebuilt
 * from and kept in step with the SQLite store, which remains the only durable copy.
 *
 * Up to IVF_THRESHOLD vectors it scans them all (exact; ~1.6 ms of CPU per 10k vectors of 256
 * floats). Above that it builds an inverted-file index: k-means centroids over a sample, each
 * vector filed under its nearest centroid, and a query scans the lists of its nearest centroids
 * until it has seen a tenth of the collection, so a search at 100k chunks costs a tenth of a scan. See
 * docs/decisions/0001-embedded-knowledge-store.md for the figures.
 */
export interface VectorMatch {
  id: number;
  similarity: number;
}

export interface VectorIndex {
  readonly dimensions: number;
  size(): number;
  add(id: number, vector: Float32Array, kind: string, language: string): void;
  remove(id: number): void;
  /** Best `k` matches; `kinds`/`languages` restrict which vectors may match. */
  search(
    query: Float32Array,
    k: number,
    filter?: { kinds?: readonly string[]; languages?: readonly string[] },
  ): VectorMatch[];
}

export const IVF_THRESHOLD = 20_000;
/** Share of the collection a query scans, at least, once the inverted file is in use. */
const IVF_SCAN_FRACTION = 0.1;
const KMEANS_SAMPLE = 6_000;
const KMEANS_ITERATIONS = 6;

export function createVectorIndex(dimensions: number, options: { ivfThreshold?: number } = {}): VectorIndex {
  const ivfThreshold = options.ivfThreshold ?? IVF_THRESHOLD;
  let capacity = 1024;
  let matrix = new Float32Array(capacity * dimensions);
  let ids = new Int32Array(capacity);
  let alive = new Uint8Array(capacity);
  let kindCodes = new Uint8Array(capacity);
  let languageCodes = new Uint8Array(capacity);
  let used = 0;
  let aliveCount = 0;
  const slotById = new Map<number, number>();
  const kindTable = new Map<string, number>();
  const languageTable = new Map<string, number>();

  let centroids: Float32Array | undefined;
  let lists: number[][] = [];
  /** Live vectors when the inverted file was built: it is rebuilt when the collection doubles. */
  let builtAt = 0;
  /**
   * Building the inverted file costs seconds at 100k vectors; a one-off search (the CLI) is
   * cheaper as a full scan, so it is built from the second search on.
   */
  let searches = 0;

  const code = (table: Map<string, number>, value: string): number => {
    let result = table.get(value);
    if (result === undefined) {
      result = table.size + 1;
      if (result > 255) throw new Error('vector index: more than 255 distinct kinds or languages');
      table.set(value, result);
    }
    return result;
  };

  const grow = () => {
    capacity *= 2;
    matrix = enlarge(matrix, capacity * dimensions);
    ids = enlarge(ids, capacity);
    alive = enlarge(alive, capacity);
    kindCodes = enlarge(kindCodes, capacity);
    languageCodes = enlarge(languageCodes, capacity);
  };

  const dotWithSlot = (query: Float32Array, slot: number): number => {
    const base = slot * dimensions;
    let sum0 = 0;
    let sum1 = 0;
    let index = 0;
    for (; index + 1 < dimensions; index += 2) {
      sum0 += matrix[base + index]! * query[index]!;
      sum1 += matrix[base + index + 1]! * query[index + 1]!;
    }
    if (index < dimensions) sum0 += matrix[base + index]! * query[index]!;
    return sum0 + sum1;
  };

  const nearestCentroids = (vector: Float32Array, count: number): number[] => {
    const centroidCount = lists.length;
    const scores: Array<[number, number]> = [];
    for (let centroid = 0; centroid < centroidCount; centroid++) {
      let sum = 0;
      const base = centroid * dimensions;
      for (let index = 0; index < dimensions; index++) sum += centroids![base + index]! * vector[index]!;
      scores.push([centroid, sum]);
    }
    scores.sort((left, right) => right[1] - left[1]);
    return scores.slice(0, count).map(([centroid]) => centroid);
  };

  /** The centroid nearest to the vector at `offset` of `source` (no allocation: hot in k-means). */
  const nearestCentroid = (source: Float32Array, offset: number): number => {
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    const centroidCount = lists.length;
    for (let centroid = 0; centroid < centroidCount; centroid++) {
      const base = centroid * dimensions;
      let sum0 = 0;
      let sum1 = 0;
      let index = 0;
      for (; index + 1 < dimensions; index += 2) {
        sum0 += centroids![base + index]! * source[offset + index]!;
        sum1 += centroids![base + index + 1]! * source[offset + index + 1]!;
      }
      if (index < dimensions) sum0 += centroids![base + index]! * source[offset + index]!;
      const score = sum0 + sum1;
      if (score > bestScore) {
        bestScore = score;
        best = centroid;
      }
    }
    return best;
  };

  const buildInvertedFile = () => {
    const slots: number[] = [];
    for (let slot = 0; slot < used; slot++) if (alive[slot]) slots.push(slot);
    const centroidCount = Math.min(128, Math.max(16, Math.round(Math.sqrt(slots.length) / 4)));
    // A deterministic sample: every n-th live vector.
    const step = Math.max(1, Math.floor(slots.length / KMEANS_SAMPLE));
    const sample = slots.filter((_, index) => index % step === 0);
    const next = new Float32Array(centroidCount * dimensions);
    for (let centroid = 0; centroid < centroidCount; centroid++) {
      const slot = sample[Math.floor((centroid * sample.length) / centroidCount)]!;
      next.set(matrix.subarray(slot * dimensions, (slot + 1) * dimensions), centroid * dimensions);
    }
    centroids = next;
    lists = Array.from({ length: centroidCount }, () => []);
    for (let iteration = 0; iteration < KMEANS_ITERATIONS; iteration++) {
      const sums = new Float32Array(centroidCount * dimensions);
      const counts = new Uint32Array(centroidCount);
      for (const slot of sample) {
        const nearest = nearestCentroid(matrix, slot * dimensions);
        counts[nearest]!++;
        for (let index = 0; index < dimensions; index++) {
          sums[nearest * dimensions + index]! += matrix[slot * dimensions + index]!;
        }
      }
      for (let centroid = 0; centroid < centroidCount; centroid++) {
        if (counts[centroid] === 0) continue;
        let norm = 0;
        for (let index = 0; index < dimensions; index++) norm += sums[centroid * dimensions + index]! ** 2;
        const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (let index = 0; index < dimensions; index++) {
          centroids[centroid * dimensions + index] = sums[centroid * dimensions + index]! * scale;
        }
      }
    }
    for (const slot of slots) lists[nearestCentroid(matrix, slot * dimensions)]!.push(slot);
    builtAt = slots.length;
  };

  const dropInvertedFile = () => {
    centroids = undefined;
    lists = [];
    builtAt = 0;
  };

  return {
    dimensions,
    size: () => aliveCount,

    add(id, vector, kind, language) {
      if (vector.length !== dimensions) {
        throw new Error(`vector index: expected ${dimensions} dimensions, got ${vector.length}`);
      }
      if (slotById.has(id)) this.remove(id);
      if (used === capacity) grow();
      const slot = used++;
      matrix.set(vector, slot * dimensions);
      ids[slot] = id;
      alive[slot] = 1;
      kindCodes[slot] = code(kindTable, kind);
      languageCodes[slot] = code(languageTable, language);
      slotById.set(id, slot);
      aliveCount++;
      if (centroids) lists[nearestCentroid(vector, 0)]!.push(slot);
    },

    remove(id) {
      const slot = slotById.get(id);
      if (slot === undefined) return;
      alive[slot] = 0;
      slotById.delete(id);
      aliveCount--;
    },

    search(query, k, filter) {
      if (aliveCount === 0 || k <= 0) return [];
      searches++;
      if (aliveCount < ivfThreshold) {
        if (centroids) dropInvertedFile();
      } else if (searches > 1 && (!centroids || aliveCount > builtAt * 2 || aliveCount < builtAt / 2)) {
        buildInvertedFile();
      }
      const kindFilter = filter?.kinds?.length
        ? new Set(filter.kinds.map((kind) => kindTable.get(kind) ?? -1))
        : undefined;
      const languageFilter = filter?.languages?.length
        ? new Set(filter.languages.map((language) => languageTable.get(language) ?? -1))
        : undefined;

      // The k best so far, ascending by similarity, so the worst is at index 0.
      const bestSlots: number[] = [];
      const bestScores: number[] = [];
      const consider = (slot: number) => {
        if (!alive[slot]) return;
        if (kindFilter && !kindFilter.has(kindCodes[slot]!)) return;
        if (languageFilter && !languageFilter.has(languageCodes[slot]!)) return;
        const score = dotWithSlot(query, slot);
        if (bestScores.length === k && score <= bestScores[0]!) return;
        let position = 0;
        while (position < bestScores.length && bestScores[position]! < score) position++;
        bestScores.splice(position, 0, score);
        bestSlots.splice(position, 0, slot);
        if (bestScores.length > k) {
          bestScores.shift();
          bestSlots.shift();
        }
      };

      if (!centroids) {
        for (let slot = 0; slot < used; slot++) consider(slot);
      } else {
        const wanted = Math.max(k * 20, Math.ceil(aliveCount * IVF_SCAN_FRACTION));
        let scanned = 0;
        for (const centroid of nearestCentroids(query, lists.length)) {
          for (const slot of lists[centroid]!) consider(slot);
          scanned += lists[centroid]!.length;
          if (scanned >= wanted) break;
        }
      }
      const matches: VectorMatch[] = [];
      for (let index = bestSlots.length - 1; index >= 0; index--) {
        matches.push({ id: ids[bestSlots[index]!]!, similarity: bestScores[index]! });
      }
      return matches;
    },
  };
}

function enlarge<T extends Float32Array | Int32Array | Uint8Array>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}

import { familyOf } from '../text/analyze.ts';
import { type AttributeFilter, createSlotAttributes } from './slot-attributes.ts';
import { BM25_WEIGHTS, parseMeta } from './stems.ts';

/**
 * An in-memory inverted index over the Snowball stems the store keeps for each chunk, ranked by
 * the same BM25 as FTS5's `bm25()` (k1 1.2, b 0.75, the title column weighted 2.5×). FTS5 ranks an
 * OR query by calling bm25() once per matching row through its auxiliary-function API, which
 * cost ~20 ms at 100k chunks; here a query adds into a score array straight from typed-array
 * postings. Like the vector index it is loaded from SQLite on first use and kept in step through
 * the collection's generation and chunk tombstones (sqlite-store.ts). Parsing 100k chunks' stems
 * costs seconds, so the store also saves `snapshot()` bytes and a reopened store starts from
 * `restoreLexicalIndex()`, which reads term ids instead of strings.
 */
export interface LexicalMatch {
  id: number;
  score: number;
}

export interface LexicalDocument {
  /** Space-separated stems of the title column (question, heading path) and of the body. */
  title: string;
  body: string;
  /** The filter tokens (`stemFields().meta`); they count in the length, as in FTS5, never match. */
  meta: string;
}

export interface LexicalIndex {
  size(): number;
  reserve(additional: number): void;
  add(id: number, document: LexicalDocument): void;
  remove(id: number): void;
  /** Live documents whose title or body holds the stem. */
  documentFrequency(stem: string): number;
  /** Best `k` documents holding any of the stems, among those the filter admits. */
  search(stems: readonly string[], k: number, filter?: AttributeFilter): LexicalMatch[];
  /** The live documents in a compact binary form for `restoreLexicalIndex`. */
  snapshot(): Uint8Array;
}

/** 2: terms are word families (`familyOf`); a format-1 snapshot is rebuilt from the stored stems. */
const SNAPSHOT_FORMAT = 2;

const K1 = 1.2;
const B = 0.75;
const [TITLE_WEIGHT, BODY_WEIGHT] = BM25_WEIGHTS;

export function createLexicalIndex(): LexicalIndex {
  return buildLexicalIndex(undefined);
}

/** An index holding what `snapshot()` saved; undefined when the bytes are not a snapshot of this format. */
export function restoreLexicalIndex(bytes: Uint8Array): LexicalIndex | undefined {
  try {
    return buildLexicalIndex(bytes);
  } catch {
    return undefined;
  }
}

function buildLexicalIndex(snapshot: Uint8Array | undefined): LexicalIndex {
  let capacity = 1024;
  let ids = new Int32Array(capacity);
  let alive = new Uint8Array(capacity);
  let lengths = new Float32Array(capacity);
  /** Each slot's term ids and their weighted frequencies, at termOffsets[slot] .. termOffsets[slot + 1]. */
  let termOffsets = new Int32Array(capacity + 1);
  let slotTerms = new Int32Array(capacity * 16);
  let slotWeights = new Float32Array(capacity * 16);
  /** Each slot's meta string, as an index into `metas`. */
  let slotMetas = new Int32Array(capacity);
  const metaIds = new Map<string, number>();
  const metas: Array<ReturnType<typeof parseMeta> & { text: string }> = [];
  let used = 0;
  let aliveCount = 0;
  let totalLength = 0;
  let deadPostings = 0;
  let livePostings = 0;
  const slotById = new Map<number, number>();
  const attributes = createSlotAttributes();

  const termIds = new Map<string, number>();
  const postingSlots: Int32Array[] = [];
  const postingFrequencies: Float32Array[] = [];
  let postingSizes = new Int32Array(1024);
  let documentFrequencies = new Int32Array(1024);

  /** Per-document scratch for `add`: weighted frequency by term id, and the terms seen. */
  let termWeights = new Float32Array(1024);
  const documentTerms: number[] = [];
  /**
   * Per-query scratch, reused: accumulated scores (0 until a slot is first scored: every
   * contribution is positive) and the slots scored so far, in the order first scored.
   */
  let scores = new Float64Array(capacity);
  let touched = new Int32Array(capacity);
  /** Bumped by every add and remove: the cached filter masks and length norms hold for one version. */
  let version = 0;
  let masks = new Map<string, Uint8Array>();
  let masksVersion = -1;
  let norms = new Float64Array(0);
  let normsVersion = -1;

  /** Which slots are live and admitted by the filter, one byte each; cached per filter until a write. */
  const admittedMask = (filter: AttributeFilter | undefined): Uint8Array => {
    if (masksVersion !== version) {
      masks = new Map();
      masksVersion = version;
    }
    const key = JSON.stringify(filter ?? {});
    let mask = masks.get(key);
    if (!mask) {
      const matches = attributes.predicate(filter);
      mask = new Uint8Array(used);
      for (let slot = 0; slot < used; slot++) mask[slot] = alive[slot] && (!matches || matches(slot)) ? 1 : 0;
      // A handful of filters dominate (the retriever's kinds and language); an odd one is not kept forever.
      if (masks.size >= 16) masks.clear();
      masks.set(key, mask);
    }
    return mask;
  };

  /**
   * Each slot's BM25 length normalisation, `k1 · (1 − b + b · length / average length)`, the very
   * expression the score used to compute per posting, once per slot until a write changes the
   * average.
   */
  const lengthNorms = (): Float64Array => {
    if (normsVersion !== version) {
      const averageLength = totalLength / aliveCount || 1;
      norms = new Float64Array(used);
      for (let slot = 0; slot < used; slot++)
        norms[slot] = K1 * (1 - B + (B * lengths[slot]!) / averageLength);
      normsVersion = version;
    }
    return norms;
  };

  const resize = (wanted: number) => {
    if (wanted <= capacity) return;
    while (capacity < wanted) capacity *= 2;
    ids = grow(ids, capacity);
    alive = grow(alive, capacity);
    lengths = grow(lengths, capacity);
    termOffsets = grow(termOffsets, capacity + 1);
    slotMetas = grow(slotMetas, capacity);
    scores = new Float64Array(capacity);
    touched = new Int32Array(capacity);
  };

  const termId = (term: string): number => {
    let id = termIds.get(term);
    if (id === undefined) {
      id = termIds.size;
      termIds.set(term, id);
      if (id >= postingSizes.length) {
        postingSizes = grow(postingSizes, postingSizes.length * 2);
        documentFrequencies = grow(documentFrequencies, documentFrequencies.length * 2);
        termWeights = grow(termWeights, termWeights.length * 2);
      }
      postingSlots.push(new Int32Array(4));
      postingFrequencies.push(new Float32Array(4));
    }
    return id;
  };

  const post = (term: number, slot: number, frequency: number) => {
    const size = postingSizes[term]!;
    if (size === postingSlots[term]!.length) {
      postingSlots[term] = grow(postingSlots[term]!, size * 2);
      postingFrequencies[term] = grow(postingFrequencies[term]!, size * 2);
    }
    postingSlots[term]![size] = slot;
    postingFrequencies[term]![size] = frequency;
    postingSizes[term] = size + 1;
  };

  /** Drops removed documents' postings once they are a third of all postings. */
  const compact = () => {
    for (let term = 0; term < postingSlots.length; term++) {
      const slots = postingSlots[term]!;
      const frequencies = postingFrequencies[term]!;
      let kept = 0;
      for (let position = 0; position < postingSizes[term]!; position++) {
        if (!alive[slots[position]!]) continue;
        slots[kept] = slots[position]!;
        frequencies[kept++] = frequencies[position]!;
      }
      postingSizes[term] = kept;
    }
    deadPostings = 0;
  };

  const metaId = (meta: string): number => {
    let id = metaIds.get(meta);
    if (id === undefined) {
      id = metas.length;
      metaIds.set(meta, id);
      metas.push({ ...parseMeta(meta), text: meta });
    }
    return id;
  };

  /** Files a document given as term ids and weighted frequencies; `length` counts title and body stems. */
  const addTerms = (
    id: number,
    terms: ArrayLike<number>,
    weights: ArrayLike<number>,
    stemCount: number,
    meta: number,
  ) => {
    if (used === capacity) resize(capacity + 1);
    const slot = used;
    const attributesOf = metas[meta]!;
    // First, as it can throw (too many distinct kinds or languages): a failed add changes nothing.
    attributes.set(slot, attributesOf.kind, attributesOf.language, attributesOf.tagTokens);
    if (slotById.has(id)) remove(id);
    used++;
    const start = termOffsets[slot]!;
    if (start + terms.length > slotTerms.length) {
      const length = Math.max(slotTerms.length * 2, start + terms.length);
      slotTerms = grow(slotTerms, length);
      slotWeights = grow(slotWeights, length);
    }
    for (let position = 0; position < terms.length; position++) {
      const term = terms[position]!;
      post(term, slot, weights[position]!);
      documentFrequencies[term]!++;
      slotTerms[start + position] = term;
      slotWeights[start + position] = weights[position]!;
    }
    termOffsets[slot + 1] = start + terms.length;
    livePostings += terms.length;
    const length = stemCount + attributesOf.tokens;
    ids[slot] = id;
    alive[slot] = 1;
    lengths[slot] = length;
    slotMetas[slot] = meta;
    slotById.set(id, slot);
    aliveCount++;
    totalLength += length;
    version++;
  };

  const remove = (id: number) => {
    const slot = slotById.get(id);
    if (slot === undefined) return;
    alive[slot] = 0;
    slotById.delete(id);
    aliveCount--;
    version++;
    totalLength -= lengths[slot]!;
    for (let offset = termOffsets[slot]!; offset < termOffsets[slot + 1]!; offset++) {
      documentFrequencies[slotTerms[offset]!]!--;
    }
    const postings = termOffsets[slot + 1]! - termOffsets[slot]!;
    livePostings -= postings;
    deadPostings += postings;
    if (deadPostings > 1_000 && deadPostings * 2 > livePostings) compact();
  };

  if (snapshot) {
    // Layout: Int32 header [format, documents, term refs, terms text bytes, metas text bytes],
    // then ids, stem counts, meta ids, term counts (Int32 × documents), term ids (Int32) and
    // weights (Float32) × term refs, then the terms and the metas, each joined by "\n" in UTF-8.
    if (snapshot.byteLength < 20) throw new Error('lexical index: snapshot shorter than its header');
    const header = new Int32Array(snapshot.buffer.slice(snapshot.byteOffset, snapshot.byteOffset + 20));
    if (header[0] !== SNAPSHOT_FORMAT) throw new Error('lexical index: unknown snapshot format');
    const [, documents, references, termBytes, metaBytes] = header as unknown as number[];
    // A truncated or padded snapshot would restore with shifted fields: the header must account
    // for every byte.
    if (
      !(documents! >= 0 && references! >= 0 && termBytes! >= 0 && metaBytes! >= 0) ||
      20 + documents! * 16 + references! * 8 + termBytes! + metaBytes! !== snapshot.byteLength
    ) {
      throw new Error('lexical index: snapshot length does not match its header');
    }
    let offset = snapshot.byteOffset + 20;
    const int32s = (count: number) => {
      const view = new Int32Array(snapshot.buffer.slice(offset, offset + count * 4));
      offset += count * 4;
      return view;
    };
    const documentIds = int32s(documents!);
    const stemCounts = int32s(documents!);
    const documentMetas = int32s(documents!);
    const termCounts = int32s(documents!);
    const termRefs = int32s(references!);
    const weights = new Float32Array(int32s(references!).buffer);
    const decoder = new TextDecoder();
    const terms = decoder.decode(
      snapshot.subarray(offset - snapshot.byteOffset, offset - snapshot.byteOffset + termBytes!),
    );
    offset += termBytes!;
    const metaTexts = decoder.decode(
      snapshot.subarray(offset - snapshot.byteOffset, offset - snapshot.byteOffset + metaBytes!),
    );
    if (terms.length > 0) for (const term of terms.split('\n')) termId(term);
    if (metaTexts.length > 0) for (const meta of metaTexts.split('\n')) metaId(meta);
    let referenced = 0;
    for (let document = 0; document < documents!; document++) {
      const meta = documentMetas[document]!;
      if (termCounts[document]! < 0 || stemCounts[document]! < 0 || meta < 0 || meta >= metas.length) {
        throw new Error('lexical index: snapshot document out of range');
      }
      referenced += termCounts[document]!;
    }
    if (referenced !== references) throw new Error('lexical index: snapshot term counts do not add up');
    for (const term of termRefs) {
      if (term < 0 || term >= termIds.size) throw new Error('lexical index: snapshot term id out of range');
    }
    resize(documents!);
    // Allocate every postings list and the per-document arrays once, at their final size.
    const perTerm = new Int32Array(termIds.size);
    for (const term of termRefs) perTerm[term]!++;
    for (let term = 0; term < perTerm.length; term++) {
      postingSlots[term] = new Int32Array(Math.max(4, perTerm[term]!));
      postingFrequencies[term] = new Float32Array(Math.max(4, perTerm[term]!));
    }
    slotTerms = new Int32Array(Math.max(slotTerms.length, references!));
    slotWeights = new Float32Array(Math.max(slotWeights.length, references!));
    let reference = 0;
    for (let document = 0; document < documents!; document++) {
      const count = termCounts[document]!;
      addTerms(
        documentIds[document]!,
        termRefs.subarray(reference, reference + count),
        weights.subarray(reference, reference + count),
        stemCounts[document]!,
        documentMetas[document]!,
      );
      reference += count;
    }
  }

  return {
    size: () => aliveCount,

    reserve(additional) {
      resize(used + additional);
    },

    add(id, document) {
      let length = 0;
      for (const [text, weight] of [
        [document.title, TITLE_WEIGHT],
        [document.body, BODY_WEIGHT],
      ] as const) {
        if (text.length === 0) continue;
        for (const stem of text.split(' ')) {
          if (stem.length === 0) continue;
          length++;
          // Stems written before word families existed join their family here.
          const term = termId(familyOf(stem));
          if (termWeights[term] === 0) documentTerms.push(term);
          termWeights[term]! += weight;
        }
      }
      const weights = documentTerms.map((term) => termWeights[term]!);
      for (const term of documentTerms) termWeights[term] = 0;
      addTerms(id, documentTerms, weights, length, metaId(document.meta));
      documentTerms.length = 0;
    },

    remove,

    documentFrequency(stem) {
      const term = termIds.get(familyOf(stem));
      return term === undefined ? 0 : documentFrequencies[term]!;
    },

    search(stems, k, filter) {
      if (aliveCount === 0 || k <= 0) return [];
      const admitted = admittedMask(filter);
      const norms = lengthNorms();
      let touchedCount = 0;
      for (const stem of new Set(stems.map(familyOf))) {
        const term = termIds.get(stem);
        if (term === undefined) continue;
        const frequency = documentFrequencies[term]!;
        if (frequency === 0) continue;
        let idf = Math.log((aliveCount - frequency + 0.5) / (frequency + 0.5));
        if (idf <= 0) idf = 1e-6;
        touchedCount = accumulate(
          postingSlots[term]!,
          postingFrequencies[term]!,
          postingSizes[term]!,
          idf,
          admitted,
          norms,
          scores,
          touched,
          touchedCount,
        );
      }
      // Top k by a min-heap over the touched slots, then reset the scratch array.
      const heapScores = new Float64Array(k);
      const heapSlots = new Int32Array(k);
      let heapSize = 0;
      for (let position = 0; position < touchedCount; position++) {
        const slot = touched[position]!;
        const score = scores[slot]!;
        if (heapSize < k) heapPush(heapScores, heapSlots, heapSize++, score, slot, ids);
        else if (better(score, slot, heapScores[0]!, heapSlots[0]!, ids)) {
          heapReplaceRoot(heapScores, heapSlots, heapSize, score, slot, ids);
        }
        scores[slot] = 0;
      }
      const order = Array.from({ length: heapSize }, (_, position) => position).sort((left, right) =>
        better(heapScores[left]!, heapSlots[left]!, heapScores[right]!, heapSlots[right]!, ids) ? -1 : 1,
      );
      return order.map((position) => ({ id: ids[heapSlots[position]!]!, score: heapScores[position]! }));
    },

    snapshot() {
      const live: number[] = [];
      let references = 0;
      for (let slot = 0; slot < used; slot++) {
        if (!alive[slot]) continue;
        live.push(slot);
        references += termOffsets[slot + 1]! - termOffsets[slot]!;
      }
      const encoder = new TextEncoder();
      const terms = encoder.encode([...termIds.keys()].join('\n'));
      const metaTexts = encoder.encode(metas.map((meta) => meta.text).join('\n'));
      const bytes = new Uint8Array(20 + live.length * 16 + references * 8 + terms.length + metaTexts.length);
      const int32 = new Int32Array(bytes.buffer, 0, 5 + live.length * 4 + references);
      int32.set([SNAPSHOT_FORMAT, live.length, references, terms.length, metaTexts.length]);
      const float32 = new Float32Array(bytes.buffer, 0, int32.length + references);
      let position = 5;
      for (const slot of live) int32[position++] = ids[slot]!;
      for (const slot of live) int32[position++] = lengths[slot]! - metas[slotMetas[slot]!]!.tokens;
      for (const slot of live) int32[position++] = slotMetas[slot]!;
      for (const slot of live) int32[position++] = termOffsets[slot + 1]! - termOffsets[slot]!;
      for (const slot of live) {
        for (let offset = termOffsets[slot]!; offset < termOffsets[slot + 1]!; offset++) {
          int32[position++] = slotTerms[offset]!;
        }
      }
      for (const slot of live) {
        for (let offset = termOffsets[slot]!; offset < termOffsets[slot + 1]!; offset++) {
          float32[position++] = slotWeights[offset]!;
        }
      }
      bytes.set(terms, position * 4);
      bytes.set(metaTexts, position * 4 + terms.length);
      return bytes;
    },
  };
}

/**
 * Adds one term's BM25 contributions to the admitted slots of its postings, recording each slot
 * the first time it is scored; returns the new count of touched slots. A top-level function over
 * typed arrays, so V8 keeps them in registers. The arithmetic is the score's own, term by term in
 * the query's order, so sums are bit-identical to scoring each posting in full.
 */
function accumulate(
  slots: Int32Array,
  frequencies: Float32Array,
  size: number,
  idf: number,
  admitted: Uint8Array,
  norms: Float64Array,
  scores: Float64Array,
  touched: Int32Array,
  touchedCount: number,
): number {
  let count = touchedCount;
  for (let position = 0; position < size; position++) {
    const slot = slots[position]!;
    if (admitted[slot] !== 1) continue;
    const weighted = frequencies[position]!;
    const previous = scores[slot]!;
    if (previous === 0) touched[count++] = slot;
    scores[slot] = previous + (idf * weighted * (K1 + 1)) / (weighted + norms[slot]!);
  }
  return count;
}

/** Higher score first; equal scores by the older chunk (lower id), as FTS5 returns them. */
function better(
  score: number,
  slot: number,
  otherScore: number,
  otherSlot: number,
  ids: Int32Array,
): boolean {
  return score > otherScore || (score === otherScore && ids[slot]! < ids[otherSlot]!);
}

/** A min-heap by `better`: the worst kept document is at the root. */
function heapPush(
  scores: Float64Array,
  slots: Int32Array,
  position: number,
  score: number,
  slot: number,
  ids: Int32Array,
) {
  let index = position;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!better(scores[parent]!, slots[parent]!, score, slot, ids)) break;
    scores[index] = scores[parent]!;
    slots[index] = slots[parent]!;
    index = parent;
  }
  scores[index] = score;
  slots[index] = slot;
}

function heapReplaceRoot(
  scores: Float64Array,
  slots: Int32Array,
  size: number,
  score: number,
  slot: number,
  ids: Int32Array,
) {
  let index = 0;
  for (;;) {
    const left = index * 2 + 1;
    if (left >= size) break;
    const right = left + 1;
    const child =
      right < size && better(scores[left]!, slots[left]!, scores[right]!, slots[right]!, ids) ? right : left;
    if (better(score, slot, scores[child]!, slots[child]!, ids)) {
      scores[index] = scores[child]!;
      slots[index] = slots[child]!;
      index = child;
    } else break;
  }
  scores[index] = score;
  slots[index] = slot;
}

function grow<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}

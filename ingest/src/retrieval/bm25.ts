import { type ScoreArrays, scoreMap } from './score-arrays.ts';

/**
 * BM25F over a few fields (Robertson, Zaragoza & Taylor 2004): each field's term frequency is
 * normalised by that field's length and weighted before one saturation, so a word in the FAQ
 * question counts more than the same word in a long answer without being counted twice.
 * In memory, built once per collection version; the document frequency counts a document once
 * whichever fields hold the term.
 */
export interface FieldSettings {
  /** How much one occurrence in this field counts relative to others. 0 leaves the field out. */
  weight: number;
  /** Length normalisation, 0 (none) to 1 (full). */
  b: number;
}

export interface Bm25Settings<Field extends string> {
  fields: Record<Field, FieldSettings>;
  /** Term frequency saturation. */
  k1: number;
}

export interface Bm25Index<Field extends string> {
  /** Adds a document's analysed terms per field; ids are dense 0…n-1 in insertion order. */
  add(terms: Record<Field, readonly string[]>): number;
  size(): number;
  /**
   * Scores of every document that shares a term with the query. A term may carry a weight (a
   * typo correction counts less than what the customer wrote); repeats count once.
   */
  score(queryTerms: ReadonlyArray<string | WeightedTerm>): Map<number, number>;
  /** The same scores as a score per document and the documents scored, in the order `score` lists them. */
  scoreArrays(queryTerms: ReadonlyArray<string | WeightedTerm>): ScoreArrays;
  documentFrequency(term: string): number;
  /** Every indexed term, for typo correction. */
  terms(): IterableIterator<string>;
}

export interface WeightedTerm {
  term: string;
  weight: number;
}

interface Posting {
  document: number;
  /** Term frequency per field, in the order of the settings' fields. */
  frequencies: number[];
}

export function createBm25Index<Field extends string>(settings: Bm25Settings<Field>): Bm25Index<Field> {
  const fields = Object.keys(settings.fields) as Field[];
  const fieldCount = fields.length;
  const fieldWeights = fields.map((field) => settings.fields[field].weight);
  const fieldBs = fields.map((field) => settings.fields[field].b);
  const postings = new Map<string, Posting[]>();
  const lengths: number[][] = [];
  const totalLengths = fields.map(() => 0);
  let averageLengths: number[] | undefined;
  /**
   * Per term, its documents and their field-weighted, length-normalised frequency (postings with
   * none left out), computed once after the last `add` instead of at every query.
   */
  let compiled: Map<string, { documents: Int32Array; weighted: Float64Array; frequency: number }> | undefined;
  const compile = () => {
    const count = lengths.length;
    averageLengths ??= totalLengths.map((total) => (count ? Math.max(total / count, 1e-9) : 1));
    const averages = averageLengths;
    const result = new Map<string, { documents: Int32Array; weighted: Float64Array; frequency: number }>();
    for (const [term, list] of postings) {
      const documents: number[] = [];
      const weights: number[] = [];
      for (const posting of list) {
        const documentLengths = lengths[posting.document]!;
        let weighted = 0;
        for (let index = 0; index < fieldCount; index++) {
          const frequency = posting.frequencies[index]!;
          if (frequency === 0) continue;
          const b = fieldBs[index]!;
          const normaliser = 1 - b + (b * documentLengths[index]!) / averages[index]!;
          weighted += (fieldWeights[index]! * frequency) / normaliser;
        }
        if (weighted === 0) continue;
        documents.push(posting.document);
        weights.push(weighted);
      }
      // The idf counts every document holding the term, a weight-0 field's too.
      result.set(term, {
        documents: Int32Array.from(documents),
        weighted: Float64Array.from(weights),
        frequency: list.length,
      });
    }
    return result;
  };

  const bm25: Bm25Index<Field> = {
    add(terms) {
      const document = lengths.length;
      const documentLengths = fields.map((field) => terms[field].length);
      lengths.push(documentLengths);
      documentLengths.forEach((length, index) => {
        totalLengths[index]! += length;
      });
      averageLengths = undefined;
      compiled = undefined;
      const perTerm = new Map<string, number[]>();
      fields.forEach((field, fieldIndex) => {
        for (const term of terms[field]) {
          let frequencies = perTerm.get(term);
          if (!frequencies) {
            frequencies = fields.map(() => 0);
            perTerm.set(term, frequencies);
          }
          frequencies[fieldIndex]!++;
        }
      });
      for (const [term, frequencies] of perTerm) {
        let list = postings.get(term);
        if (!list) {
          list = [];
          postings.set(term, list);
        }
        list.push({ document, frequencies });
      }
      return document;
    },
    size: () => lengths.length,
    documentFrequency: (term) => postings.get(term)?.length ?? 0,
    terms: () => postings.keys(),
    score(queryTerms) {
      return scoreMap(bm25.scoreArrays(queryTerms));
    },
    scoreArrays(queryTerms) {
      const count = lengths.length;
      compiled ??= compile();
      const queryWeights = new Map<string, number>();
      for (const entry of queryTerms) {
        const { term, weight } = typeof entry === 'string' ? { term: entry, weight: 1 } : entry;
        queryWeights.set(term, Math.max(queryWeights.get(term) ?? 0, weight));
      }
      // Summed in typed arrays, each document's contributions in the same order and arithmetic as
      // ever (so the same bits): a past question's common word lists most of a large history, and a
      // Map update, an object and a closure per posting made it the costliest step of a search with
      // 16,000 of them.
      const sums = new Float64Array(count);
      const touched = new Uint8Array(count);
      const order: number[] = [];
      const k1 = settings.k1;
      for (const [term, queryWeight] of queryWeights) {
        const list = compiled.get(term);
        if (!list) continue;
        const { documents, weighted, frequency } = list;
        const idf = Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));
        for (let index = 0; index < documents.length; index++) {
          const document = documents[index]!;
          const termWeight = weighted[index]!;
          const contribution = (queryWeight * idf * termWeight) / (k1 + termWeight);
          if (touched[document] === 0) {
            touched[document] = 1;
            order.push(document);
          }
          sums[document] = sums[document]! + contribution;
        }
      }
      return { scores: sums, order };
    },
  };
  return bm25;
}

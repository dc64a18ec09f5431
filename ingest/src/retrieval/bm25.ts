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
  const postings = new Map<string, Posting[]>();
  const lengths: number[][] = [];
  const totalLengths = fields.map(() => 0);
  let averageLengths: number[] | undefined;

  return {
    add(terms) {
      const document = lengths.length;
      const documentLengths = fields.map((field) => terms[field].length);
      lengths.push(documentLengths);
      documentLengths.forEach((length, index) => {
        totalLengths[index]! += length;
      });
      averageLengths = undefined;
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
      const count = lengths.length;
      averageLengths ??= totalLengths.map((total) => (count ? Math.max(total / count, 1e-9) : 1));
      const scores = new Map<number, number>();
      const queryWeights = new Map<string, number>();
      for (const entry of queryTerms) {
        const { term, weight } = typeof entry === 'string' ? { term: entry, weight: 1 } : entry;
        queryWeights.set(term, Math.max(queryWeights.get(term) ?? 0, weight));
      }
      for (const [term, queryWeight] of queryWeights) {
        const list = postings.get(term);
        if (!list) continue;
        const idf = Math.log(1 + (count - list.length + 0.5) / (list.length + 0.5));
        for (const posting of list) {
          const documentLengths = lengths[posting.document]!;
          let weighted = 0;
          fields.forEach((field, index) => {
            const frequency = posting.frequencies[index]!;
            if (frequency === 0) return;
            const { weight, b } = settings.fields[field];
            const normaliser = 1 - b + (b * documentLengths[index]!) / averageLengths![index]!;
            weighted += (weight * frequency) / normaliser;
          });
          if (weighted === 0) continue;
          const contribution = (queryWeight * idf * weighted) / (settings.k1 + weighted);
          scores.set(posting.document, (scores.get(posting.document) ?? 0) + contribution);
        }
      }
      return scores;
    },
  };
}

import { normalizeText } from '../text/analyze.ts';
import { type ScoreArrays, scoreMap } from './score-arrays.ts';

/**
 * Character n-grams with TF-IDF weights and cosine similarity. They meet what stems miss:
 * typos («доступп», «акаунт»), word forms Snowball leaves apart, compounds and transliterations.
 * Words are padded with spaces so n-grams at word edges stay distinct from inner ones.
 */
export interface NgramSettings {
  sizes: readonly number[];
  /** Only this much of a text is read (long answers add little beyond their start). */
  maxCharacters: number;
}

export const DEFAULT_NGRAM_SETTINGS: NgramSettings = { sizes: [3, 4, 5], maxCharacters: 2000 };

const WORD = /[\p{L}\p{N}]+/gu;

/** Counts of the character n-grams of a text's words. */
export function characterNgrams(
  text: string,
  settings: NgramSettings = DEFAULT_NGRAM_SETTINGS,
): Map<string, number> {
  const counts = new Map<string, number>();
  forEachNgram(text, settings, (gram) => counts.set(gram, (counts.get(gram) ?? 0) + 1));
  return counts;
}

/** Each character n-gram of a text's words, repeats included, in the order `characterNgrams` meets them. */
export function forEachNgram(text: string, settings: NgramSettings, visit: (gram: string) => void): void {
  const words = normalizeText(text.slice(0, settings.maxCharacters)).match(WORD) ?? [];
  for (const word of words) {
    const padded = ` ${word} `;
    for (const size of settings.sizes) {
      if (padded.length < size) continue;
      for (let start = 0; start + size <= padded.length; start++) visit(padded.slice(start, start + size));
    }
  }
}

export interface NgramIndex {
  add(text: string): number;
  size(): number;
  /** Cosine similarity (0…1) of the query to every document sharing an n-gram with it. */
  similarities(text: string): Map<number, number>;
  /** The same similarities as a score per document and the documents scored, in the order `similarities` lists them. */
  similarityArrays(text: string): ScoreArrays;
}

export function createNgramIndex(settings: NgramSettings = DEFAULT_NGRAM_SETTINGS): NgramIndex {
  const documents: Array<Map<string, number>> = [];
  const documentFrequency = new Map<string, number>();
  /** Per n-gram, the documents holding it and its normalised weight in each (parallel arrays). */
  type Postings = { documents: Int32Array; weights: Float64Array };
  let postings: Map<string, Postings> | undefined;

  const idf = (gram: string): number => {
    const frequency = documentFrequency.get(gram) ?? 0;
    return Math.log((documents.length + 1) / (frequency + 1)) + 1;
  };
  const build = (): Map<string, Postings> => {
    const lists = new Map<string, { documents: number[]; weights: number[] }>();
    documents.forEach((counts, document) => {
      const weights = new Map<string, number>();
      let norm = 0;
      for (const [gram, count] of counts) {
        const weight = (1 + Math.log(count)) * idf(gram);
        weights.set(gram, weight);
        norm += weight * weight;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [gram, weight] of weights) {
        let list = lists.get(gram);
        if (!list) {
          list = { documents: [], weights: [] };
          lists.set(gram, list);
        }
        list.documents.push(document);
        list.weights.push(weight / norm);
      }
    });
    const built = new Map<string, Postings>();
    for (const [gram, list] of lists) {
      built.set(gram, {
        documents: Int32Array.from(list.documents),
        weights: Float64Array.from(list.weights),
      });
    }
    return built;
  };

  const ngramIndex: NgramIndex = {
    add(text) {
      const counts = characterNgrams(text, settings);
      for (const gram of counts.keys()) documentFrequency.set(gram, (documentFrequency.get(gram) ?? 0) + 1);
      documents.push(counts);
      postings = undefined;
      return documents.length - 1;
    },
    size: () => documents.length,
    similarityArrays(text) {
      postings ??= build();
      const query = characterNgrams(text, settings);
      const weights = new Map<string, number>();
      let norm = 0;
      for (const [gram, count] of query) {
        if (!documentFrequency.has(gram)) continue;
        const weight = (1 + Math.log(count)) * idf(gram);
        weights.set(gram, weight);
        norm += weight * weight;
      }
      // Grams the collection has never seen still count in the query's length: a query made mostly
      // of unknown words is not a close match to anything.
      for (const [gram, count] of query) {
        if (documentFrequency.has(gram)) continue;
        const weight = (1 + Math.log(count)) * idf(gram);
        norm += weight * weight;
      }
      norm = Math.sqrt(norm) || 1;
      // Summed in typed arrays, in the same order as ever: a common n-gram's list holds most of a
      // large history, and a Map update per entry made a search over 50,000 past questions slow.
      const sums = new Float64Array(documents.length);
      const touched = new Uint8Array(documents.length);
      const order: number[] = [];
      for (const [gram, weight] of weights) {
        const list = postings.get(gram);
        if (!list) continue;
        const share = weight / norm;
        for (let index = 0; index < list.documents.length; index++) {
          const document = list.documents[index]!;
          if (touched[document] === 0) {
            touched[document] = 1;
            order.push(document);
          }
          sums[document] = sums[document]! + share * list.weights[index]!;
        }
      }
      return { scores: sums, order };
    },
    similarities(text) {
      return scoreMap(ngramIndex.similarityArrays(text));
    },
  };
  return ngramIndex;
}

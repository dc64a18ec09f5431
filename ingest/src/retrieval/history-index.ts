import { analyze } from '../text/analyze.ts';
import { createBm25Index } from './bm25.ts';
import { createNgramIndex } from './char-ngrams.ts';
import { cleanQuery } from './query-cleaning.ts';
import type { ScoreArrays } from './score-arrays.ts';

/**
 * Past customer questions, each labelled with the knowledge that answered it (from the operator's
 * feedback, a ticket export, a labelled sample). A new question close to an old one is evidence
 * for the old one's answer: the way customers actually word a problem is often far from the FAQ's
 * wording («галочку не дали» ↔ «верификация канала»), and yesterday's customers said it already.
 */
export interface PastQuestion {
  text: string;
  /** The documents that answered it. */
  documentIds: readonly string[];
}

export interface HistorySettings {
  /** How many of the most similar past questions vote. */
  neighbours: number;
  /** Share of the character n-gram cosine in a past question's similarity (the rest is BM25, scaled to the best match). */
  ngramShare: number;
  /** Votes from past questions less similar than this are ignored. */
  minimumSimilarity: number;
  /**
   * A past question at least this similar is the same question asked again (up to a word, a typo
   * or punctuation): the documents that answered it go first, whatever the other signals say.
   * The vote alone is rescaled against the other documents' votes and cannot outweigh an entry
   * whose own question shares more words («Как поменять видео?» → «Как поменять URL канала?»).
   * A product rule, not a fitted one: the dev questions hold no such repeats across folds, so no
   * figure could choose it.
   */
  repeatSimilarity: number;
}

export const DEFAULT_HISTORY_SETTINGS: HistorySettings = {
  neighbours: 5,
  ngramShare: 0.5,
  minimumSimilarity: 0.1,
  repeatSimilarity: 0.95,
};

/** A document's evidence from history, and the past question that gave the most of it. */
export interface HistoryVote {
  vote: number;
  question: string;
  similarity: number;
}

export interface HistoryIndex {
  size(): number;
  /** Evidence per document: the summed similarity of the nearest past questions that it answered. */
  votes(queryText: string): Map<string, number>;
  /** The same evidence, with the most similar past question behind each document's vote. */
  explainedVotes(queryText: string): Map<string, HistoryVote>;
}

export function buildHistoryIndex(
  questions: readonly PastQuestion[],
  settings: HistorySettings = DEFAULT_HISTORY_SETTINGS,
): HistoryIndex {
  const lexical = createBm25Index({ fields: { text: { weight: 1, b: 0.75 } }, k1: 1.2 });
  const ngrams = createNgramIndex();
  const kept = questions.filter((question) => question.documentIds.length > 0 && question.text.trim());
  for (const question of kept) {
    const text = cleanQuery(question.text);
    lexical.add({ text: analyze(text) });
    ngrams.add(text);
  }
  const explainedVotes = (queryText: string): Map<string, HistoryVote> => {
    const votes = new Map<string, HistoryVote>();
    if (kept.length === 0) return votes;
    const lexicalScores = lexical.scoreArrays(analyze(queryText));
    const ngramScores = ngrams.similarityArrays(queryText);
    const bestLexical = largestOf(lexicalScores);
    // Per past question, in typed arrays (a common n-gram reaches most of a large history): the
    // n-gram share first, then the scaled BM25, added in the same order as ever.
    const similarity = new Float64Array(kept.length);
    const scored = new Uint8Array(kept.length);
    const order: number[] = [];
    for (const position of ngramScores.order) {
      similarity[position] = settings.ngramShare * ngramScores.scores[position]!;
      scored[position] = 1;
      order.push(position);
    }
    if (bestLexical > 0) {
      // Once per question: taken per past question, this made a search quadratic in the history
      // (3 s with 16,000 past questions).
      const scale = ((1 - settings.ngramShare) * largestOf(ngramScores)) / bestLexical;
      for (const position of lexicalScores.order) {
        similarity[position] = similarity[position]! + lexicalScores.scores[position]! * scale;
        if (scored[position] === 0) {
          scored[position] = 1;
          order.push(position);
        }
      }
    }
    const nearest = mostSimilar(similarity, order, settings.minimumSimilarity, settings.neighbours);
    // Nearest first, so the first question to vote for a document is its most similar one.
    for (const [position, score] of nearest) {
      const question = kept[position]!;
      for (const documentId of new Set(question.documentIds)) {
        const vote = votes.get(documentId);
        if (vote) vote.vote += score;
        else votes.set(documentId, { vote: score, question: question.text, similarity: score });
      }
    }
    return votes;
  };
  return {
    size: () => kept.length,
    explainedVotes,
    votes: (queryText) =>
      new Map([...explainedVotes(queryText)].map(([documentId, { vote }]) => [documentId, vote])),
  };
}

/**
 * The largest score, 0 when none is positive. BM25 has no upper bound, so it is scaled to the best
 * match; tying that scale to how close the nearest question is by n-grams keeps a query that
 * resembles nothing from getting full votes.
 */
function largestOf({ scores, order }: ScoreArrays): number {
  let best = 0;
  for (const position of order) if (scores[position]! > best) best = scores[position]!;
  return best;
}

/**
 * The `count` most similar past questions at or above `minimum`, most similar first (ties: the
 * earlier question): one pass that keeps a short sorted list, not a sort of the whole history.
 */
function mostSimilar(
  similarity: Float64Array,
  positions: readonly number[],
  minimum: number,
  count: number,
): Array<[number, number]> {
  const kept: Array<[number, number]> = [];
  const before = (left: [number, number], right: [number, number]) =>
    left[1] > right[1] || (left[1] === right[1] && left[0] < right[0]);
  for (const position of positions) {
    const score = similarity[position]!;
    if (score < minimum || count <= 0) continue;
    const entry: [number, number] = [position, score];
    if (kept.length === count && !before(entry, kept[count - 1]!)) continue;
    let at = kept.length;
    while (at > 0 && before(entry, kept[at - 1]!)) at--;
    kept.splice(at, 0, entry);
    if (kept.length > count) kept.pop();
  }
  return kept;
}

import type { WeightedTerm } from './bm25.ts';

/**
 * The team's own vocabulary bridge, learned from past questions and the knowledge that answered
 * them. Customers say «стрим», the knowledge base says «трансляция»; customers say «фотка», it
 * says «обложка». When many past questions with a word the answer does not use were answered by
 * knowledge that says another word the question did not use, the two words are linked, and a new
 * question with the first word is also searched for the second.
 *
 * This is a translation model in the sense of FAQ retrieval (Berger and Lafferty 1999; Jeon,
 * Croft and Lee 2005), kept deliberately simple: counts over (question word, answer word) pairs
 * across past questions, kept only when the pair recurs and the answer word is far more likely
 * after the question word than at random (lift), so a word every answer says («rutube», «канал»)
 * links to nothing. Unlike the history's votes, which favour only the documents past questions
 * were answered with, the bridge helps every document that uses the word.
 */
export interface VocabularySettings {
  /** Weight of a learned word relative to a word as typed, times the share of its evidence; 0 turns the bridge off. */
  weight: number;
  /** Past questions that must show a link before it is used. */
  minimumPairs: number;
  /** Distinct answering documents that must show it: a link one document explains is the history's votes' job. */
  minimumDocuments: number;
  /** How many times likelier than at random an answer word must be after the question word. */
  minimumLift: number;
  /** Learned words added per query word, strongest first. */
  perStem: number;
}

export const DEFAULT_VOCABULARY_SETTINGS: VocabularySettings = {
  weight: 0.5,
  minimumPairs: 2,
  minimumDocuments: 2,
  minimumLift: 3,
  perStem: 3,
};

export interface VocabularyPair {
  /** The document that answered. */
  documentId: string;
  /** Stems of the past question. */
  question: readonly string[];
  /** Stems of what answered it (its question and heading fields). */
  answer: readonly string[];
}

export interface VocabularyLink {
  term: string;
  /** Share of the question word's past questions whose answer said the term. */
  share: number;
  pairs: number;
}

export interface VocabularyBridge {
  /** Links learned, for inspection. */
  linksOf(stem: string): readonly VocabularyLink[];
  /** Terms to add to a query with these stems; words the query says already are never added. */
  terms(queryStems: readonly string[]): WeightedTerm[];
  /** The same links, each with the query word it came from (`said`) and the linked word (`meant`). */
  matches(queryStems: readonly string[]): Array<{ said: string; meant: string }>;
}

export function learnVocabularyBridge(
  pairs: readonly VocabularyPair[],
  settings: VocabularySettings = DEFAULT_VOCABULARY_SETTINGS,
): VocabularyBridge {
  const questionCounts = new Map<string, number>();
  const answerCounts = new Map<string, number>();
  const joint = new Map<string, Map<string, { pairs: number; documents: Set<string> }>>();
  let total = 0;
  for (const pair of pairs) {
    const answer = new Set(pair.answer);
    const question = new Set(pair.question);
    // Only the gap between the two wordings teaches anything: shared words need no bridge.
    const asked = [...question].filter((stem) => !answer.has(stem));
    const answered = [...answer].filter((stem) => !question.has(stem));
    if (asked.length === 0 || answered.length === 0) continue;
    total++;
    for (const stem of answered) answerCounts.set(stem, (answerCounts.get(stem) ?? 0) + 1);
    for (const stem of asked) {
      questionCounts.set(stem, (questionCounts.get(stem) ?? 0) + 1);
      let row = joint.get(stem);
      if (!row) {
        row = new Map();
        joint.set(stem, row);
      }
      for (const term of answered) {
        let cell = row.get(term);
        if (!cell) {
          cell = { pairs: 0, documents: new Set() };
          row.set(term, cell);
        }
        cell.pairs++;
        cell.documents.add(pair.documentId);
      }
    }
  }
  const links = new Map<string, VocabularyLink[]>();
  for (const [stem, row] of joint) {
    const asked = questionCounts.get(stem)!;
    const kept: VocabularyLink[] = [];
    for (const [term, { pairs: count, documents }] of row) {
      if (count < settings.minimumPairs || documents.size < settings.minimumDocuments) continue;
      const share = count / asked;
      const lift = share / (answerCounts.get(term)! / total);
      if (lift < settings.minimumLift) continue;
      kept.push({ term, share, pairs: count });
    }
    kept.sort(
      (left, right) =>
        right.share - left.share || right.pairs - left.pairs || (left.term < right.term ? -1 : 1),
    );
    if (kept.length > 0) links.set(stem, kept.slice(0, settings.perStem));
  }
  const matches = (queryStems: readonly string[]) => {
    const said = new Set(queryStems);
    const found: Array<{ said: string; meant: string; weight: number }> = [];
    for (const stem of said) {
      for (const link of links.get(stem) ?? []) {
        if (!said.has(link.term))
          found.push({ said: stem, meant: link.term, weight: settings.weight * link.share });
      }
    }
    return found;
  };
  return {
    linksOf: (stem) => links.get(stem) ?? [],
    matches: (queryStems) =>
      settings.weight > 0 ? matches(queryStems).map(({ said, meant }) => ({ said, meant })) : [],
    terms(queryStems) {
      if (settings.weight <= 0) return [];
      const weights = new Map<string, number>();
      for (const { meant, weight } of matches(queryStems))
        weights.set(meant, Math.max(weights.get(meant) ?? 0, weight));
      return [...weights].map(([term, weight]) => ({ term, weight }));
    },
  };
}

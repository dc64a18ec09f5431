import type { Chunk } from '../model.ts';
import { normalizeText } from '../text/analyze.ts';

/**
 * The parts of a chunk that retrieval weighs differently. A customer's question usually
 * resembles the FAQ question (or a template's example questions) much more than the answer, and
 * the topic labels name what the entry is about in one or two words.
 *
 * Each piece of text appears in one field only, so the same knowledge gives the same fields
 * whichever loader produced it (an XLSX row puts its category into the heading path as well as
 * into the tags; a JSONL record does not).
 */
export interface SearchableFields {
  /** The FAQ question, a template's example questions, the chunk's title. */
  question: string;
  /** Heading path and the entry's own title, minus what is already in `question` or `tags`. */
  heading: string;
  /** Tags and category. */
  tags: string;
  /** The answer or the prose. */
  body: string;
}

export const FIELD_NAMES = ['question', 'heading', 'tags', 'body'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

export function searchableFields(chunk: Chunk): SearchableFields {
  const metadata = chunk.metadata ?? {};
  const seen = new Set<string>();
  const take = (values: readonly unknown[]): string[] => {
    const kept: string[] = [];
    for (const value of values) {
      if (typeof value !== 'string') continue;
      const key = normalizeText(value)
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
      if (!key || seen.has(key)) continue;
      seen.add(key);
      kept.push(value.trim());
    }
    return kept;
  };
  const questions = Array.isArray(metadata.questions) ? metadata.questions : [];
  const question = take([metadata.question, chunk.title, ...questions]);
  const tags = take([...(chunk.category ? [chunk.category] : []), ...chunk.tags]);
  const heading = take([...chunk.titlePath, metadata.title]);
  return {
    question: question.join('\n'),
    heading: heading.join('\n'),
    tags: tags.join('\n'),
    body: chunk.text,
  };
}

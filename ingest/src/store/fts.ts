import { createHash } from 'node:crypto';
import type { Chunk, SearchFilter } from '../model.ts';
import { analyze, normalizeText } from '../text/analyze.ts';

/**
 * How chunks and queries meet in SQLite's FTS5. SQLite's tokenizers fold case but know no
 * morphology, so both sides are stemmed in JavaScript (Snowball) and FTS5 sees space-separated
 * stems. Filters travel as tokens of a `meta` column that carries no ranking weight
 * (`c_<collection>`, `k_<kind>`, `l_<language>`, `t_<tag hash>`), so FTS5 narrows to one
 * collection before it ranks anything.
 */

/** bm25() weights for the columns title, body, meta. */
export const BM25_WEIGHTS = [2.5, 1, 0] as const;

const MAX_QUERY_TERMS = 48;

export interface FtsFields {
  title: string;
  body: string;
  meta: string;
}

export function ftsFields(collectionId: number, chunk: Chunk): FtsFields {
  const questions = Array.isArray(chunk.metadata?.questions)
    ? (chunk.metadata.questions as unknown[]).filter((value): value is string => typeof value === 'string')
    : [];
  const title = [...new Set([...chunk.titlePath, chunk.title, ...questions])].join('\n');
  const meta = [
    `c_${collectionId}`,
    `k_${chunk.kind}`,
    `l_${chunk.language}`,
    ...chunk.tags.map(tagToken),
    ...(chunk.category ? [tagToken(chunk.category)] : []),
  ];
  return { title: analyze(title).join(' '), body: analyze(chunk.text).join(' '), meta: meta.join(' ') };
}

export function tagToken(tag: string): string {
  return `t_${createHash('sha1').update(normalizeText(tag.trim())).digest('hex').slice(0, 12)}`;
}

/**
 * An FTS5 MATCH expression: the collection (and kind/language/tag filters) AND any of the
 * query's stems. Undefined when the query has no searchable word (only emoji, say).
 */
export function ftsQuery(
  collectionId: number,
  text: string,
  filter: SearchFilter | undefined,
): string | undefined {
  const stems = [...new Set(analyze(text))].slice(0, MAX_QUERY_TERMS);
  if (stems.length === 0) return undefined;
  const parts = [`meta:c_${collectionId}`];
  if (filter?.kinds?.length) parts.push(`meta:(${filter.kinds.map((kind) => `k_${kind}`).join(' OR ')})`);
  if (filter?.languages?.length) {
    parts.push(`meta:(${filter.languages.map((language) => `l_${language.toLowerCase()}`).join(' OR ')})`);
  }
  if (filter?.tags?.length) parts.push(`meta:(${filter.tags.map(tagToken).join(' OR ')})`);
  parts.push(`{title body}:(${stems.map((term) => `"${term}"`).join(' OR ')})`);
  return parts.join(' AND ');
}

import { createHash } from 'node:crypto';
import type { Chunk, SearchFilter } from '../model.ts';
import { analyze, normalizeText } from '../text/analyze.ts';

/**
 * How chunks and queries meet in SQLite's FTS5. SQLite's tokenizers fold case but know no
 * morphology, so both sides are stemmed in JavaScript (Snowball) and FTS5 sees space-separated
 * stems. Each collection has its own FTS5 table, so collections cannot leak into each other and
 * a query never walks another collection's postings. Filters travel as tokens of a `meta` column
 * that carries no ranking weight (`k_<kind>`, `l_<language>`, `t_<tag hash>`).
 */

/** bm25() weights for the columns title, body, meta. */
export const BM25_WEIGHTS = [2.5, 1, 0] as const;

const MAX_QUERY_TERMS = 48;

export interface FtsFields {
  title: string;
  body: string;
  meta: string;
}

export function ftsFields(chunk: Chunk): FtsFields {
  const questions = Array.isArray(chunk.metadata?.questions)
    ? (chunk.metadata.questions as unknown[]).filter((value): value is string => typeof value === 'string')
    : [];
  const title = [...new Set([...chunk.titlePath, chunk.title, ...questions])].join('\n');
  const meta = [
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

/** The distinct stems of a query, in order, at most MAX_QUERY_TERMS. */
export function queryStems(text: string): string[] {
  return [...new Set(analyze(text))].slice(0, MAX_QUERY_TERMS);
}

/**
 * Which stems to send to FTS5. Ranking every chunk that contains a very common word is what
 * makes a full-text query slow on a large index, while such words add almost nothing to bm25
 * (their IDF is near zero). So the rarest stems go first, and common ones join only while the
 * postings to walk stay within budget. Stems absent from the index are dropped.
 */
export function selectStems(
  stems: readonly string[],
  documentFrequency: ReadonlyMap<string, number>,
  budget = POSTINGS_BUDGET,
): string[] {
  const present = stems
    .map((stem) => ({ stem, frequency: documentFrequency.get(stem) ?? 0 }))
    .filter((entry) => entry.frequency > 0)
    .sort((left, right) => left.frequency - right.frequency);
  const chosen: string[] = [];
  let postings = 0;
  for (const entry of present) {
    if (chosen.length >= MIN_TERMS && postings + entry.frequency > budget) break;
    chosen.push(entry.stem);
    postings += entry.frequency;
  }
  return chosen;
}

/** Postings FTS5 may walk for one query before common stems are left out. */
export const POSTINGS_BUDGET = 10_000;
const MIN_TERMS = 2;

/**
 * An FTS5 MATCH expression: any of the query's stems, AND the kind/language/tag filters. Undefined when the query has no searchable word (only emoji, say).
 */
export function ftsQuery(stems: readonly string[], filter: SearchFilter | undefined): string | undefined {
  if (stems.length === 0) return undefined;
  const parts: string[] = [];
  if (filter?.kinds?.length) parts.push(`meta:(${filter.kinds.map((kind) => `k_${kind}`).join(' OR ')})`);
  if (filter?.languages?.length) {
    parts.push(`meta:(${filter.languages.map((language) => `l_${language.toLowerCase()}`).join(' OR ')})`);
  }
  if (filter?.tags?.length) parts.push(`meta:(${filter.tags.map(tagToken).join(' OR ')})`);
  parts.push(`{title body}:(${stems.map((term) => `"${term}"`).join(' OR ')})`);
  return parts.join(' AND ');
}

import { createHash } from 'node:crypto';
import type { Chunk } from '../model.ts';
import { analyze, normalizeText } from '../text/analyze.ts';

/**
 * How chunks and queries become stems (Snowball, in JavaScript: SQLite's tokenizers know no
 * morphology). A chunk's title, body and filter tokens (`k_<kind>`, `l_<language>`,
 * `t_<tag hash>`) are written as space-separated stems to `chunk_stems`, and the in-memory
 * lexical index (lexical-index.ts) ranks queries over them.
 */

/** BM25 weights of the fields title, body, meta (in the order FTS5's bm25() takes columns). */
export const BM25_WEIGHTS = [2.5, 1, 0] as const;

const MAX_QUERY_TERMS = 48;

export interface StemFields {
  title: string;
  body: string;
  meta: string;
}

export function stemFields(chunk: Chunk): StemFields {
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

/** What a `meta` field says about its chunk (the filter tokens `stemFields` wrote). */
export function parseMeta(meta: string): {
  kind: string;
  language: string;
  tagTokens: string[];
  tokens: number;
} {
  let kind = '';
  let language = '';
  const tagTokens: string[] = [];
  const tokens = meta.length === 0 ? [] : meta.split(' ');
  for (const token of tokens) {
    if (token.startsWith('k_')) kind = token.slice(2);
    else if (token.startsWith('l_')) language = token.slice(2);
    else if (token.startsWith('t_')) tagTokens.push(token);
  }
  return { kind, language, tagTokens, tokens: tokens.length };
}

export function tagToken(tag: string): string {
  return `t_${createHash('sha1').update(normalizeText(tag.trim())).digest('hex').slice(0, 12)}`;
}

/** The distinct stems of a query, in order, at most MAX_QUERY_TERMS. */
export function queryStems(text: string): string[] {
  return [...new Set(analyze(text))].slice(0, MAX_QUERY_TERMS);
}

/**
 * Which stems to rank by. Ranking every chunk that contains a very common word is what makes a
 * full-text query slow on a large index, while such words add little to bm25 (their IDF is near
 * zero). So the rarest stems go first, and common ones join only while the postings to walk stay
 * within budget. Stems absent from the index are dropped.
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

/**
 * Postings one query may walk before common stems are left out. FTS5 needed 10,000 to stay near
 * 20 ms at 100k chunks; the in-memory index walks 200,000 in a few milliseconds, which keeps
 * every stem of a typical query at 100k chunks (lexical R@5 on the RUTUBE dev questions against
 * 100k distractors rose from .147 to .203 with it).
 */
export const POSTINGS_BUDGET = 200_000;
const MIN_TERMS = 2;

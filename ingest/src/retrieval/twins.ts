import type { Chunk } from '../model.ts';
import { normalizeText } from '../text/analyze.ts';

/**
 * Entries that give the same answer for the same use: a knowledge base that repeats an answer under
 * another question or section («Как узнать версию приложения?» under iOS and again under Android;
 * RUTUBE's sheet holds 32 such groups of 68 rows). Shown as two hits they take two of the operator's
 * few places for one answer and push the next different answer out of sight; the search shows the
 * better ranked one and names the other as its twin.
 *
 * Twins have the same kind, language and text (compared as the search compares words: case, ё and
 * spacing aside) and the same metadata apart from what names the entry (its question, sample
 * questions and title): a template repeated with other situations, channels, preconditions or
 * validity is another entry for another use, and stays one. A short answer (`SELF_CONTAINED_WORDS`)
 * needs the same question too.
 */
const NAMING_KEYS = new Set(['question', 'questions', 'title']);

/**
 * Fewer words than this and an answer means nothing without its question: «Да, можно.» under
 * «Можно ли вести трансляции в 60 FPS?» and under «Можно ли запускать приватные трансляции?» are
 * two answers, so short ones are twins only under the same question.
 */
const SELF_CONTAINED_WORDS = 8;

/** What two chunks must share to be twins; undefined for a chunk with no text to compare. */
export function twinKey(chunk: Chunk): string | undefined {
  const text = normalizeText(chunk.text).replace(/\s+/gu, ' ').trim();
  if (!text) return undefined;
  const use = Object.entries(chunk.metadata ?? {})
    .filter(([key]) => !NAMING_KEYS.has(key))
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  const words = text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  const question = chunk.metadata?.question;
  const asked =
    words >= SELF_CONTAINED_WORDS
      ? ''
      : normalizeText(typeof question === 'string' ? question : chunk.title)
          .replace(/[^\p{L}\p{N}]+/gu, ' ')
          .trim();
  return JSON.stringify([chunk.kind, chunk.language.toLowerCase(), text, use, asked]);
}

/**
 * The ranked entries with each twin folded into the first entry of its group (the list's order
 * kept), at most `limit` of them. An entry whose chunk is missing is kept as it is.
 */
export function foldTwins<Entry extends { position: number }>(
  ranked: readonly Entry[],
  chunks: ReadonlyMap<number, Chunk>,
  limit: number,
): Array<{ entry: Entry; twins: Entry[] }> {
  const kept: Array<{ entry: Entry; twins: Entry[] }> = [];
  const byKey = new Map<string, { entry: Entry; twins: Entry[] }>();
  for (const entry of ranked) {
    const chunk = chunks.get(entry.position);
    const key = chunk ? twinKey(chunk) : undefined;
    const first = key === undefined ? undefined : byKey.get(key);
    if (first) {
      first.twins.push(entry);
      continue;
    }
    if (kept.length >= limit) continue;
    const group = { entry, twins: [] as Entry[] };
    kept.push(group);
    if (key !== undefined) byKey.set(key, group);
  }
  return kept;
}

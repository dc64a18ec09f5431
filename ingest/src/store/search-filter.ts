import type { Chunk, SearchFilter } from '../model.ts';
import type { AttributeFilter } from './slot-attributes.ts';
import { tagToken } from './stems.ts';
import { isValidAt } from './validity.ts';

export { isValidAt, validityWindow } from './validity.ts';

/**
 * What a `SearchFilter` means, in one place: the store's indexes (through `attributeFilterOf`),
 * the store's `listChunks` and the retriever (through `matchesFilter`) all compare the same keys,
 * so a filter admits the same chunks whichever of them applies it.
 *
 * - kinds: exact;
 * - languages: case-insensitive («RU» = «ru»);
 * - tags: a chunk matches when any of its tags or its category has the key of a wanted tag
 *   (`tagToken`: NFC, lower case, ё as е, trimmed — «Ёлки» = «елки»);
 * - documentIds: exact;
 * - validAt: the chunk's validity window holds the instant (`isValidAt`). Like document ids it is
 *   checked on the chunks read back, not inside the indexes: an expired entry is never returned,
 *   and a search whose best candidates have expired returns fewer hits.
 */

/** The key a language is compared by. */
export function languageKey(language: string): string {
  return language.trim().toLowerCase();
}

/** The filter as the in-memory indexes apply it (document ids are checked on the chunks read back). */
export function attributeFilterOf(filter: SearchFilter | undefined): AttributeFilter {
  return {
    ...(filter?.kinds?.length ? { kinds: filter.kinds } : {}),
    ...(filter?.languages?.length ? { languages: filter.languages.map(languageKey) } : {}),
    ...(filter?.tags?.length ? { tagTokens: filter.tags.map(tagToken) } : {}),
  };
}

/** The tag keys a chunk carries: its tags and its category. */
export function chunkTagTokens(chunk: Pick<Chunk, 'tags' | 'category'>): string[] {
  return [...chunk.tags, ...(chunk.category ? [chunk.category] : [])].map(tagToken);
}

export function matchesFilter(chunk: Chunk, filter: SearchFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.kinds?.length && !filter.kinds.includes(chunk.kind)) return false;
  if (filter.languages?.length) {
    const language = languageKey(chunk.language);
    if (!filter.languages.some((wanted) => languageKey(wanted) === language)) return false;
  }
  if (filter.documentIds?.length && !filter.documentIds.includes(chunk.documentId)) return false;
  if (filter.validAt !== undefined && !isValidAt(chunk.metadata, filter.validAt)) return false;
  if (filter.tags?.length) {
    const wanted = new Set(filter.tags.map(tagToken));
    if (!chunkTagTokens(chunk).some((token) => wanted.has(token))) return false;
  }
  return true;
}

import type { Chunk, SearchFilter } from '../model.ts';

/** The store's filter semantics, applied to chunks held in memory. */
export function matchesFilter(chunk: Chunk, filter: SearchFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.kinds?.length && !filter.kinds.includes(chunk.kind)) return false;
  if (filter.languages?.length) {
    const language = chunk.language.toLowerCase();
    if (!filter.languages.some((wanted) => wanted.toLowerCase() === language)) return false;
  }
  if (filter.documentIds?.length && !filter.documentIds.includes(chunk.documentId)) return false;
  if (filter.tags?.length) {
    const wanted = new Set(filter.tags.map((tag) => tag.trim().toLowerCase()));
    const own = [...chunk.tags, ...(chunk.category ? [chunk.category] : [])].map((tag) => tag.toLowerCase());
    if (!own.some((tag) => wanted.has(tag))) return false;
  }
  return true;
}

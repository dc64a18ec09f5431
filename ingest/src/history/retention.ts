import type { KnowledgeStore } from '../store/knowledge-store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The moment before which past questions expire; undefined when they are kept forever (0 days). */
export function retentionCutoff(retentionDays: number, now: Date): Date | undefined {
  return retentionDays > 0 ? new Date(now.getTime() - retentionDays * DAY_MS) : undefined;
}

/**
 * Deletes every collection's past questions older than the retention (NAPARNIK_HISTORY_RETENTION_DAYS).
 * Cheap when nothing is due: the store takes no write lock then. Returns how many were deleted.
 */
export async function enforceHistoryRetention(
  store: KnowledgeStore,
  retentionDays: number,
  clock: () => Date = () => new Date(),
  collections?: readonly string[],
): Promise<number> {
  const cutoff = retentionCutoff(retentionDays, clock());
  if (!cutoff) return 0;
  const names = collections ?? (await store.listCollections()).map((collection) => collection.name);
  let deleted = 0;
  for (const name of names) deleted += await store.deleteHistory(name, { olderThan: cutoff });
  return deleted;
}

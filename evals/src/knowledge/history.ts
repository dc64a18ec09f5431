import { type KnowledgeBase, maskForStorage } from '@naparnik/ingest';
import type { EvalHistoryEntry } from '../targets/eval-target.ts';

/**
 * Replaces a collection's stored history (the product's `--history` feature) with the given past
 * questions: k-fold scoring gives each fold the other folds as history, through the same store and
 * the same search the service uses. Questions and answers are masked as `pnpm ingest --history`
 * stores them (a phone in a question is stored as a placeholder), so a fold's history here is the
 * history the service would hold: the confidence fitted on it is the service's, case for case.
 */
export async function replaceCollectionHistory(
  kb: Pick<KnowledgeBase, 'store'>,
  collection: string,
  entries: readonly EvalHistoryEntry[],
): Promise<void> {
  const stored = await kb.store.listHistory(collection);
  if (stored.length > 0) await kb.store.deleteHistory(collection, { ids: stored.map((entry) => entry.id) });
  if (entries.length === 0) return;
  const createdAt = new Date().toISOString();
  await kb.store.addHistory(
    collection,
    entries.map((entry) => ({
      id: entry.id,
      question: maskForStorage(entry.question),
      ...(entry.answer ? { answer: maskForStorage(entry.answer) } : {}),
      ...(entry.topic ? { topic: entry.topic } : {}),
      documentIds: entry.documentIds,
      source: 'import' as const,
      createdAt,
    })),
  );
}

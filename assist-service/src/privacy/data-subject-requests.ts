import type { HistoryEntry, KnowledgeStore } from '@naparnik/ingest/store';
import type { DataSubject, PrivacyStore, SubjectExport } from './sqlite-privacy-store.ts';

export interface ErasureSummary {
  suggestionSets: number;
  feedbackEvents: number;
  knowledgeGaps: number;
  historyEntries: number;
}

export interface SubjectReport extends SubjectExport {
  /** Past questions the knowledge base learnt from this subject's feedback (masked). */
  history: Array<Omit<HistoryEntry, 'documentIds'> & { documentIds: string[]; collection: string }>;
}

/**
 * Everything about one conversation or one customer, gone: the suggestion sets, what operators did
 * with them, the knowledge gaps they raised, and the history entries their replies became. The
 * event store's rows go in one transaction first; history follows (another file), and a history
 * entry already deleted by retention is simply not counted.
 */
export async function eraseSubject(
  privacy: PrivacyStore,
  knowledge: KnowledgeStore | undefined,
  subject: DataSubject,
): Promise<ErasureSummary> {
  const erased = await privacy.erase(subject);
  let historyEntries = 0;
  for (const { collection, ids } of erased.history) {
    if (!knowledge || !(await knowledge.getCollection(collection))) continue;
    historyEntries += await knowledge.deleteHistory(collection, { ids });
  }
  return {
    suggestionSets: erased.suggestionSets,
    feedbackEvents: erased.feedbackEvents,
    knowledgeGaps: erased.knowledgeGaps,
    historyEntries,
  };
}

/** What is held about one conversation or customer, for a subject access request (152-FZ art. 14). */
export async function exportSubject(
  privacy: PrivacyStore,
  knowledge: KnowledgeStore | undefined,
  subject: DataSubject,
): Promise<SubjectReport> {
  const held = await privacy.export(subject);
  const history: SubjectReport['history'] = [];
  const byCollection = new Map<string, Set<string>>();
  for (const set of held.suggestionSets) {
    const collection = String(set.collection);
    byCollection.set(
      collection,
      (byCollection.get(collection) ?? new Set()).add(`feedback:${String(set.id)}`),
    );
  }
  for (const [collection, ids] of byCollection) {
    if (!knowledge || !(await knowledge.getCollection(collection))) continue;
    for (const entry of await knowledge.listHistory(collection, { source: 'feedback' })) {
      if (ids.has(entry.id)) history.push({ ...entry, documentIds: [...entry.documentIds], collection });
    }
  }
  return { ...held, history };
}

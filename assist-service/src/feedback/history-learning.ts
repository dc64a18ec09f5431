import { enforceHistoryRetention } from '@naparnik/ingest';
import type { HistoryEntry, KnowledgeStore } from '@naparnik/ingest/store';
import type { Logger } from 'pino';
import type { FeedbackRecord, SuggestionSetRecord } from './event-store.ts';
import { maskForStorage } from './redact-record.ts';
import { heavilyRewritten } from './rewrite.ts';

/**
 * The service learns from its own feedback: a reply the operator sent after suggestion X for the
 * customer's request Q is evidence that X's sources answer questions like Q. The panel reports a
 * sent reply as `suggestion-edited` with the text that went out (equal to the suggestion when it
 * went unchanged), so that event, and only it, becomes a history entry: Q → X's cited documents,
 * with the operator's text as the answer. A reply that rewrote the suggestion (`heavilyRewritten`,
 * the console's knowledge-gap rule) is no evidence for X's sources: its entry keeps the question
 * and the operator's answer for people to read, names no document, and so casts no vote. Texts
 * are masked again here: the set's question was masked when stored, the final text was not.
 */
export function historyEntryFromFeedback(
  set: SuggestionSetRecord,
  event: FeedbackRecord,
): HistoryEntry | undefined {
  if (event.type !== 'suggestion-edited' || event.finalText === undefined) return undefined;
  const question = set.question ? maskForStorage(set.question).trim() : '';
  if (question === '') return undefined;
  const suggestion = set.suggestions.find((candidate) => candidate.index === event.suggestionIndex);
  if (!suggestion) return undefined;
  const answer = maskForStorage(event.finalText).trim();
  const documentIds = heavilyRewritten(suggestion.text, event.finalText)
    ? []
    : [...new Set(suggestion.citations.map((citation) => citation.documentId))];
  return {
    // One entry per suggestion set: a later reply to the same set replaces the earlier one.
    id: `feedback:${set.id}`,
    question,
    ...(answer ? { answer } : {}),
    ...(set.topic ? { topic: set.topic } : {}),
    documentIds,
    source: 'feedback',
    createdAt: event.occurredAt,
  };
}

/**
 * Writes the entry into the set's collection, and applies the retention to that collection (so a
 * service that runs for months still forgets what NAPARNIK_HISTORY_RETENTION_DAYS says; cheap when
 * nothing is due). A failure is logged (ids only, never the texts) and swallowed: the operator's
 * feedback is already recorded, and history is a bonus on top of it.
 */
export async function learnFromFeedback(
  store: KnowledgeStore | undefined,
  set: SuggestionSetRecord,
  event: FeedbackRecord,
  options: { logger: Pick<Logger, 'info' | 'warn'>; retentionDays: number; now: () => Date },
): Promise<boolean> {
  const { logger } = options;
  const entry = historyEntryFromFeedback(set, event);
  if (!entry || !store) return false;
  try {
    if (!(await store.getCollection(set.collection))) return false;
    await store.addHistory(set.collection, [entry]);
    await enforceHistoryRetention(store, options.retentionDays, options.now, [set.collection]);
    logger.info(
      { suggestionSetId: set.id, collection: set.collection, documents: entry.documentIds.length },
      'history learnt from feedback',
    );
    return true;
  } catch (error) {
    logger.warn(
      { suggestionSetId: set.id, collection: set.collection, code: (error as { code?: string }).code },
      'could not learn history from feedback',
    );
    return false;
  }
}

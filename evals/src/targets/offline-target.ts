import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// Not exported by the service yet: see evals/README.md ("what the evals need from other packages").
import {
  createOfflineEngine,
  createScriptProfiles,
  createTopicModel,
  DEFAULT_TOPIC_SETTINGS,
} from '@naparnik/assist-service';
import { type KnowledgeBase, loadIngestConfig, openKnowledgeBase } from '@naparnik/ingest';
import { replaceCollectionHistory } from '../knowledge/history.ts';
import { openSuiteKnowledge, type SuiteKnowledge } from '../knowledge/suite-knowledge.ts';
import type { KnowledgeSpec } from '../suite/schema.ts';
import type { EvalConversation, EvalTarget } from './eval-target.ts';

/** A fixed clock: dates in summaries and slots must not change between runs. */
const EVAL_CLOCK = { now: () => new Date('2025-01-15T12:00:00.000Z') };
const EMPTY_COLLECTION = 'evals-empty';

/**
 * The assist service's offline engine, in-process, over the suite's knowledge base (ingested by
 * the same pipeline) or, for tasks that need none, over an empty collection.
 */
export async function createOfflineTarget(options: {
  knowledge?: KnowledgeSpec;
  resolve: (relative: string) => string;
}): Promise<EvalTarget> {
  let suiteKnowledge: SuiteKnowledge | undefined;
  let kb: KnowledgeBase;
  let emptyDir: string | undefined;
  if (options.knowledge) {
    suiteKnowledge = await openSuiteKnowledge(options.knowledge, { resolve: options.resolve });
    kb = suiteKnowledge.kb;
  } else {
    emptyDir = mkdtempSync(path.join(tmpdir(), 'naparnik-evals-empty-'));
    kb = await openKnowledgeBase({ dataDir: emptyDir, config: { ...loadIngestConfig(), dataDir: emptyDir } });
    await kb.store.ensureCollection(EMPTY_COLLECTION, kb.embedder);
  }
  const engine = createOfflineEngine({
    knowledge: () => kb,
    profiles: createScriptProfiles(),
    clock: EVAL_CLOCK,
    config: { conversationBudgetChars: 20_000, logCustomerText: false },
    // Suites swap the whole history between folds: the topic classifier must be retrained on each
    // fold's history at once, or later folds are scored by a classifier trained on their own cases.
    topics: createTopicModel({ ...DEFAULT_TOPIC_SETTINGS, historyRefreshMs: 0 }),
  });
  let counter = 0;
  const assist = async (
    conversation: EvalConversation,
    collection: string,
    signal: AbortSignal | undefined,
  ) => {
    counter++;
    const result = await engine.assist(
      {
        collection,
        conversation: {
          id: conversation.id,
          channel: (conversation.channel ?? 'chat') as 'chat',
          ...(conversation.language ? { language: conversation.language } : {}),
          messages: conversation.messages.map((message) => ({ role: message.role, text: message.text })),
          ...(conversation.customer ? { customer: conversation.customer } : {}),
        },
        operator: { id: 'evals' },
      } as Parameters<typeof engine.assist>[0],
      { signal: signal ?? new AbortController().signal, emit: () => {}, suggestionSetId: `eval-${counter}` },
    );
    return result.response;
  };
  return {
    engine: engine.id,
    assist: (conversation, { collection, signal }) => assist(conversation, collection, signal),
    documentIds: async (collection) =>
      (await kb.store.listDocuments(collection)).map((document) => document.documentId),
    replaceHistory: (collection, entries) => replaceCollectionHistory(kb, collection, entries),
    async suggest(conversation, { collection, signal }) {
      const response = await assist(conversation, collection, signal);
      return response.suggestions.map((suggestion) => suggestion.text);
    },
    async summarize(conversation, { collection, signal }) {
      const response = await assist(
        conversation,
        collection ?? suiteKnowledge?.collection ?? EMPTY_COLLECTION,
        signal,
      );
      const { issue, tried, promised, openQuestions } = response.summary;
      return [issue, ...tried, ...promised, ...openQuestions].filter(Boolean).join(' ');
    },
    async close() {
      if (suiteKnowledge) await suiteKnowledge.close();
      else {
        await kb.close();
        if (emptyDir) rmSync(emptyDir, { recursive: true, force: true });
      }
    },
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CalibrationFitError,
  type CalibrationModel,
  type Composer,
  checkAgainstScript,
  createAssistPipeline,
  createOfflineComposer,
  createScriptProfiles,
  createTopicModel,
  DEFAULT_TOPIC_SETTINGS,
  fitCollectionCalibration,
  scriptRulesFor,
  supportedLanguage,
} from '@naparnik/assist-service';
import { type KnowledgeBase, loadIngestConfig, openKnowledgeBase } from '@naparnik/ingest';
import type { RubricVerdicts } from '../graders/judge-agreement.ts';
import { replaceCollectionHistory } from '../knowledge/history.ts';
import { openSuiteKnowledge, type SuiteKnowledge } from '../knowledge/suite-knowledge.ts';
import type { KnowledgeSpec } from '../suite/schema.ts';
import type { EvalConversation, EvalTarget, JudgeRequest } from './eval-target.ts';

/** A model that judges a reply against the rubric, given the collection's script rules. */
export type ReplyJudge = (
  request: JudgeRequest & { scriptRules: ReturnType<typeof scriptRulesFor> },
) => Promise<RubricVerdicts>;

/** A fixed clock: dates in summaries and slots must not change between runs. */
const EVAL_CLOCK = { now: () => new Date('2025-01-15T12:00:00.000Z') };
const EMPTY_COLLECTION = 'evals-empty';

/**
 * The assist service's pipeline, in-process, over the suite's knowledge base (ingested by the
 * same pipeline) or, for tasks that need none, over an empty collection. The compose stage is
 * the offline one unless a model composer is handed in (`model-target.ts`).
 */
export async function createPipelineTarget(options: {
  knowledge?: KnowledgeSpec;
  resolve: (relative: string) => string;
  composer?: Composer;
  /** Request bodies the composer's model was sent (model engines only). */
  sentToModel?: () => readonly unknown[];
  /** The LLM judge (model engines, live only). */
  judge?: ReplyJudge;
  /** Why there is no judge, for the report. */
  judgeSkipped?: string;
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
  const profiles = createScriptProfiles();
  // Suites swap the whole history between folds: the topic classifier must be retrained on each
  // fold's history at once, or later folds are scored by a classifier trained on their own cases.
  const topics = createTopicModel({ ...DEFAULT_TOPIC_SETTINGS, historyRefreshMs: 0 });
  const composer = options.composer ?? createOfflineComposer();
  const pipeline = (calibration: CalibrationModel | undefined) =>
    createAssistPipeline({
      knowledge: () => kb,
      profiles,
      clock: EVAL_CLOCK,
      config: { conversationBudgetChars: 20_000, logCustomerText: false },
      composer,
      topics,
      ...(calibration ? { calibration } : {}),
    });
  let engine = pipeline(undefined);
  const chunkTexts = new Map<string, Map<string, string>>();
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
    async calibrate(collection) {
      try {
        const fit = await fitCollectionCalibration({ knowledge: kb, collection });
        engine = pipeline(fit.model);
        return 'fitted';
      } catch (error) {
        if (!(error instanceof CalibrationFitError)) throw error;
        engine = pipeline(undefined);
        return error.message;
      }
    },
    async chunkTexts(collection) {
      let texts = chunkTexts.get(collection);
      if (!texts) {
        texts = new Map((await kb.store.listChunks(collection)).map((chunk) => [chunk.chunkId, chunk.text]));
        chunkTexts.set(collection, texts);
      }
      return texts;
    },
    async checkDraft(text, { collection, channel, language }) {
      const profile = await profiles.get(kb, collection);
      const check = checkAgainstScript(text, {
        profile,
        channel: channel as 'chat',
        language: supportedLanguage(language),
        firstReply: true,
      });
      return check.findings.map((finding) => ({ type: finding.type, message: finding.message }));
    },
    ...(options.sentToModel ? { sentToModel: options.sentToModel } : {}),
    ...(options.judgeSkipped ? { judgeSkipped: options.judgeSkipped } : {}),
    ...(options.judge
      ? {
          judge: async (request: JudgeRequest) => {
            const profile = await profiles.get(kb, request.collection);
            const scriptRules = scriptRulesFor(profile, supportedLanguage(request.language));
            return options.judge!({ ...request, scriptRules });
          },
        }
      : {}),
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

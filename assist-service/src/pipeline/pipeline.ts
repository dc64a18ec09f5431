import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { ServiceConfig } from '../config.ts';
import type { AssistEvent, AssistRequest, AssistResponse, Suggestion } from '../contract/index.ts';
import type { AssistContext, AssistEngine, AssistResult } from '../engines/engine.ts';
import { fitToBudget } from '../engines/offline/budget.ts';
import { CONFIDENCE_THRESHOLDS, type HitAssessment, toConfidence } from '../engines/offline/confidence.ts';
import { requestQueries } from '../engines/offline/retrieval-query.ts';
import { checkOwnSuggestions } from '../engines/offline/self-check.ts';
import { slotValues } from '../engines/offline/slots.ts';
import { hitFitsChannel, type SuggestionContext } from '../engines/offline/suggestions.ts';
import { renderSlots, understand } from '../engines/offline/understanding.ts';
import { type KnowledgeSource, requireCollection, requireKnowledge } from '../retrieval/knowledge-base.ts';
import type { ScriptProfile, ScriptProfiles } from '../retrieval/script-profiles.ts';
import { reportsProblem } from '../text/claims.ts';
import { emptyEntities } from '../text/entities.ts';
import { askedQuantities, asksInAdvance, asksYesNo, reportsMisfit } from '../text/signals.ts';
import { withTranslitRead } from '../text/translit.ts';
import type { ConversationMessage } from '../text/types.ts';
import { type Actor, type FinishActing, OFFLINE_ACTOR } from './act.ts';
import {
  type CalibrationModel,
  DEFAULT_CALIBRATION,
  offeredAnswerSignals,
  probabilityOf,
} from './calibration.ts';
import type { CalibrationSource } from './calibration-store.ts';
import type { ComposeResult, Composer } from './compose.ts';
import { supportedLanguage } from './language.ts';
import { fitFor, type Retrieved, retrieve } from './retrieve.ts';
import { conversationFlags, createKnowledgeScanCache, guardSuggestions } from './safety.ts';
import { OFFLINE_SUMMARIZER, type StageOutcome, type Summarizer, type SummaryResult } from './summarize.ts';
import { createTopicModel, routingTopicLabels, type TopicModel } from './topic.ts';

export interface PipelineDependencies {
  knowledge: KnowledgeSource;
  profiles: ScriptProfiles;
  clock: Clock;
  config: Pick<ServiceConfig, 'conversationBudgetChars' | 'logCustomerText'>;
  /** The compose stage: offline today, a model-backed one when configured. */
  composer: Composer;
  /** The summary stage: the understand stage's own summary unless a model-backed one is given. */
  summarizer?: Summarizer;
  /** The act stage (next actions): the routing and engine rules unless a model-backed one is given. */
  actor?: Actor;
  topics?: TopicModel;
  /** One model for every collection, or each collection's own (`calibration-store.ts`); default: the shipped one. */
  calibration?: CalibrationModel | Pick<CalibrationSource, 'modelFor'>;
  logger?: Logger;
}

/**
 * The assist pipeline, one module per stage:
 * understand (language, entities, mood, hurry, automated notices, the request across turns) →
 * retrieve (the knowledge base's one hybrid search, with the collection's history) →
 * compose (the swappable engine) → act (next actions, routing) → check (the script's rules over
 * what was composed, and the safety stage: injection in the conversation, flagged knowledge behind a
 * suggestion). Compose, the summary and act are swappable: offline, or a model with the offline
 * stage as its fallback. The service, the evals and the benchmarks all run this, and only this.
 */
export function createAssistPipeline(dependencies: PipelineDependencies): AssistEngine {
  const topics = dependencies.topics ?? createTopicModel();
  const calibration = dependencies.calibration ?? DEFAULT_CALIBRATION;
  const calibrationFor = (collection: string) =>
    'modelFor' in calibration ? calibration.modelFor(collection) : calibration;
  const { composer } = dependencies;
  const summarizer = dependencies.summarizer ?? OFFLINE_SUMMARIZER;
  const actor = dependencies.actor ?? OFFLINE_ACTOR;
  const networkBound = composer.networkBound || summarizer.networkBound || actor.networkBound;
  const scanKnowledge = createKnowledgeScanCache();
  return {
    id: composer.id,
    async assist(request, context) {
      const cpu = context.cpu ?? (<T>(task: () => Promise<T>) => task());
      // Offline stages are CPU work like the rest: one turn in the work queue. A model call
      // waits on the network, so only the stages around it take turns.
      if (!networkBound) return cpu(() => run(request, context, (task) => task()));
      return run(request, context, cpu);
    },
  };

  async function run(
    request: AssistRequest,
    context: AssistContext,
    cpu: <T>(task: () => Promise<T>) => Promise<T>,
  ): Promise<AssistResult> {
    const prepared = await cpu(() => prepare(request, context));
    const { signal } = context;
    let markDispatched!: () => void;
    const dispatched = new Promise<void>((resolve) => {
      markDispatched = resolve;
    });
    const compose = () =>
      composer.compose(
        {
          request,
          messages: prepared.messages,
          understanding: prepared.understanding,
          retrieved: prepared.retrieved,
          profile: prepared.profile,
          context: prepared.suggestionContext,
        },
        { signal, emit: context.emit, onDispatched: markDispatched },
      );
    const composing = composer.networkBound ? compose() : cpu(compose);
    if (composer.networkBound) composing.then(markDispatched, markDispatched);
    else markDispatched();
    /** A stage that waits on a model starts once the draft's request is out; offline ones at once. */
    const start = <T>(bound: boolean, task: () => Promise<T>): Promise<T> => {
      const started = bound ? dispatched.then(task) : task();
      // Awaited unless compose failed first: never an unhandled rejection then.
      started.catch(() => undefined);
      return started;
    };
    const summarizing = start(summarizer.networkBound, () =>
      summarizer.summarize(
        { messages: prepared.messages, understanding: prepared.understanding, language: prepared.language },
        { signal },
      ),
    );
    const acting = start(actor.networkBound, () =>
      actor.begin(
        {
          profile: prepared.profile,
          understanding: prepared.understanding,
          messages: prepared.messages,
          retrieved: prepared.retrieved,
          topicLabels: routingTopicLabels(prepared.topic, bestProbability(prepared.retrieved)),
          channel: prepared.conversation.channel,
          language: prepared.language,
          values: prepared.values,
          customer: prepared.conversation.customer,
        },
        { signal },
      ),
    );
    const composed = await composing;
    signal.throwIfAborted();
    // The stages' model calls are awaited here, outside the work queue.
    const summarized = await summarizing;
    const act = await acting;
    signal.throwIfAborted();
    return cpu(async () => finish(request, context, prepared, composed, summarized, act));
  }

  async function prepare(request: AssistRequest, context: AssistContext) {
    const started = performance.now();
    const knowledge = requireKnowledge(dependencies.knowledge);
    const collection = await requireCollection(knowledge, request.collection);
    const profile = await dependencies.profiles.get(knowledge, request.collection);
    const conversation = request.conversation;
    const budgeted = fitToBudget(conversation.messages, dependencies.config.conversationBudgetChars);
    // «mozhno li vernut sergi?» is read as «можно ли вернуть серьги?» by every stage after this.
    const messages = withTranslitRead(budgeted.messages);

    // understand
    const understanding = understand(messages, {
      now: dependencies.clock.now(),
      ...(conversation.language ? { declaredLanguage: conversation.language } : {}),
    });
    const { language } = understanding;

    // retrieve
    const model = await calibrationFor(request.collection);
    context.signal.throwIfAborted();
    let retrieved: Retrieved | undefined;
    // The topic is the whole turn's (or conversation's): one sentence of it says less about what the
    // conversation is about than it may answer.
    let topicSource: Retrieved | undefined;
    // Every query looks at the same conversation: what it rules out is decided once.
    const fits = fitFor(messages, conversation.channel);
    for (const candidate of requestQueries(messages)) {
      const found = calibrate(
        await retrieve(knowledge, {
          collection: request.collection,
          messages,
          language,
          signal: context.signal,
          query: candidate,
          fits,
        }),
        model,
      );
      if (!retrieved || bestProbability(found) > bestProbability(retrieved)) retrieved = found;
      if (!candidate.sentence && retrieved === found) topicSource = found;
      // An answer to the whole conversation likely enough to offer needs no second look at single
      // turns (each look is a search: at 100k chunks the searches are half of a request's CPU).
      if (bestProbability(retrieved) >= CONFIDENCE_THRESHOLDS.medium) break;
    }
    if (!retrieved) throw new Error('requestQueries returned no query');
    const { query } = retrieved;
    if (dependencies.config.logCustomerText)
      context.logger?.debug({ retrievalQuery: query.text }, 'retrieval query');
    // An entry written for another channel (a marketplace review reply, in a chat) says nothing about
    // what this conversation is about: it neither answers nor votes for the topic routing rules match.
    const about = topicSource ?? retrieved;
    const voters = about.hits.filter((hit) => hitFitsChannel(hit, conversation.channel));
    const topic = about.query.text
      ? await topics.detect(knowledge, collection, about.query.text, voters)
      : null;
    context.signal.throwIfAborted();
    const detected: AssistResponse['detected'] = {
      language,
      topic: topic ? { label: topic.label, score: topic.score } : null,
      sentiment: understanding.sentiment,
      hurry: understanding.hurry,
    };
    context.emit({
      type: 'retrieval',
      suggestionSetId: context.suggestionSetId,
      hits: retrieved.assessed.slice(0, 8).map(({ hit, score }) => ({
        documentId: hit.documentId,
        chunkId: hit.chunkId,
        title: hit.title,
        kind: hit.kind,
        score: Math.round(score * 1000) / 1000,
      })),
      detected,
    });

    // compose
    const slotSources = {
      today: dependencies.clock.now().toISOString().slice(0, 10),
      ...(conversation.customer ? { customer: conversation.customer } : {}),
      ...(request.operator ? { operator: request.operator } : {}),
      language,
    };
    const values = slotValues({ ...slotSources, entities: understanding.entities });
    const cardValues = slotValues({ ...slotSources, entities: emptyEntities() });
    const customerTexts = customerWords(messages);
    const problem = reportsProblem(customerTexts);
    const suggestionContext: SuggestionContext = {
      voice: {
        steps: profile.steps,
        language,
        channel: conversation.channel,
        firstReply: !conversation.messages.some((message) => message.role === 'operator'),
        hurry: understanding.hurry,
        negative: understanding.sentiment.label === 'negative',
        problem,
        // Sympathy answers a problem: none when the customer only supposes one, nor when they
        // report nothing wrong, are not upset and ask a question («хочу поменять размер кольца»).
        supposed:
          asksInAdvance(customerTexts.at(-1) ?? '') ||
          !(problem || understanding.sentiment.label === 'negative' || reportsMisfit(customerTexts)),
        yesNo: asksYesNo(customerTexts),
        askedQuantities: askedQuantities(customerTexts),
        values,
        cardValues,
      },
      channel: conversation.channel,
      maxLength: maxLengthFor(request, profile, language),
      render: renderSlots(language),
      engine: composer.id,
    };
    return {
      started,
      conversation,
      budgeted,
      messages,
      understanding,
      language,
      retrieved,
      topic,
      detected,
      profile,
      values,
      suggestionContext,
    };
  }

  function finish(
    request: AssistRequest,
    context: AssistContext,
    prepared: Awaited<ReturnType<typeof prepare>>,
    composed: ComposeResult,
    summarized: SummaryResult,
    act: FinishActing,
  ): AssistResult {
    const { conversation, messages, understanding, retrieved, language } = prepared;
    const { query } = retrieved;
    // check
    const checked = checkOwnSuggestions(composed.suggestions, {
      profile: prepared.profile,
      context: prepared.suggestionContext,
      answers: retrieved.answers,
      messages,
      // An automated notice («посылка прибыла в пункт выдачи») is nobody's request: no situation
      // calls for a reply written for it.
      ...(understanding.automated ? { situations: [] } : {}),
    });
    const operatorLanguage = supportedLanguage(language);
    const guarded = guardSuggestions(checked, retrieved.answers, {
      language: operatorLanguage,
      allowedDomains: prepared.profile.linkDomains,
      scanKnowledge,
    });
    const safetyFlags = [...conversationFlags(messages, operatorLanguage), ...guarded.flags];
    const suggestions = guarded.suggestions.map((suggestion, index) =>
      withAskedBefore({ ...suggestion, index }, retrieved),
    );
    streamSuggestions(suggestions, context.emit, new Set(composed.streamed ?? []), composed.suggestions);
    context.emit({ type: 'summary', summary: summarized.summary });

    // act
    const acted = act(suggestions);
    const { nextActions } = acted;
    context.emit({ type: 'next-actions', nextActions });

    const best = retrieved.answers[0];
    const stages = stagesOf(summarized, acted);
    const usage = [composed.usage, summarized.usage, acted.usage].reduce<Usage | undefined>(
      addStageUsage,
      undefined,
    );
    const bestScore = best?.score ?? 0;
    const knowledgeGap = Boolean(query.text) && !understanding.automated && suggestions.length === 0;
    const confidence =
      suggestions[0]?.confidence ?? toConfidence(Math.min(bestScore, CONFIDENCE_THRESHOLDS.medium - 0.001));
    const response: AssistResponse = {
      suggestionSetId: context.suggestionSetId,
      collection: request.collection,
      engine: composed.engine ?? composer.id,
      suggestions,
      confidence,
      knowledgeGap,
      summary: summarized.summary,
      nextActions,
      detected: prepared.detected,
      conversation: { messages: conversation.messages.length, truncated: prepared.budgeted.truncated },
      tookMs: Math.round((performance.now() - prepared.started) * 10) / 10,
      ...(composed.degraded ? { degraded: composed.degraded } : {}),
      ...(safetyFlags.length > 0 ? { safety: { flags: safetyFlags } } : {}),
      ...(usage ? { usage } : {}),
      ...(stages ? { stages } : {}),
    };
    const result: AssistResult = { response };
    if (knowledgeGap)
      result.knowledgeGap = { query: query.text, bestScore: Math.round(bestScore * 1000) / 1000 };
    return result;
  }
}

/**
 * Who wrote the summary and the next actions, when a model was asked for them (answered, or failed
 * and the offline stage answered): an offline stage that asked no model records nothing.
 */
function stagesOf(summarized: SummaryResult, acted: StageOutcome): AssistResponse['stages'] {
  const record = (outcome: StageOutcome) =>
    outcome.engine === 'offline' && !outcome.degraded
      ? undefined
      : {
          engine: outcome.engine,
          ...(outcome.promptId ? { promptId: outcome.promptId } : {}),
          ...(outcome.degraded ? { degraded: outcome.degraded } : {}),
        };
  const summary = record(summarized);
  const nextActions = record(acted);
  if (!summary && !nextActions) return undefined;
  return { ...(summary ? { summary } : {}), ...(nextActions ? { nextActions } : {}) };
}

type Usage = NonNullable<AssistResponse['usage']>;

/**
 * The set's usage: every model call behind it (the draft, its check, the summary, the next
 * actions). Named after the first call's model; the cost is each call's own, null when one has
 * no price.
 */
function addStageUsage(total: Usage | undefined, next: Usage | undefined): Usage | undefined {
  if (!total) return next;
  if (!next) return total;
  return {
    model: total.model,
    inputTokens: total.inputTokens + next.inputTokens,
    outputTokens: total.outputTokens + next.outputTokens,
    cacheReadTokens: total.cacheReadTokens + next.cacheReadTokens,
    cacheWriteTokens: total.cacheWriteTokens + next.cacheWriteTokens,
    costUsd: total.costUsd === null || next.costUsd === null ? null : total.costUsd + next.costUsd,
  };
}

/** The past question that made history vote for the suggestion's source, for «спрашивали так». */
function withAskedBefore(suggestion: Suggestion, retrieved: Retrieved): Suggestion {
  const source = suggestion.citations[0]?.documentId;
  const answer = retrieved.answers.find((item) => item.hit.documentId === source && item.hit.history);
  const history = answer?.hit.history;
  if (!history) return suggestion;
  return {
    ...suggestion,
    askedBefore: {
      question: history.question,
      similarity: Math.round(Math.min(1, Math.max(0, history.similarity)) * 1000) / 1000,
    },
  };
}

function customerWords(messages: readonly ConversationMessage[]): string[] {
  return messages.filter((message) => message.role === 'customer').map((message) => message.text);
}

function bestProbability(retrieved: Retrieved): number {
  return retrieved.answers[0]?.score ?? 0;
}

/** Each answer's score becomes the calibrated probability that it is the right one. */
function calibrate(retrieved: Retrieved, model: CalibrationModel): Retrieved {
  const signals = offeredAnswerSignals(retrieved);
  const answers: HitAssessment[] = retrieved.answers
    .map((answer, index) => ({ ...answer, score: probabilityOf(signals[index]!, model) }))
    .sort((left, right) => right.score - left.score);
  return { ...retrieved, answers };
}

function maxLengthFor(request: AssistRequest, profile: ScriptProfile, language: string): number | undefined {
  const channel = request.conversation.channel as string;
  const fromScript = profile.rules
    .filter((rules) => rules.language === language)
    .map((rules) => (rules.rules.length as Record<string, number | undefined>)[channel])
    .find((length) => length !== undefined);
  const limits = [request.options?.maxLength, fromScript].filter(
    (limit): limit is number => limit !== undefined,
  );
  return limits.length > 0 ? Math.min(...limits) : undefined;
}

/**
 * The first suggestion word by word, so the panel shows its start at once; the others whole. A
 * suggestion the composer already streamed while drafting is not streamed again, unless the check
 * stage changed its text: then the panel is told to start it over.
 */
function streamSuggestions(
  suggestions: readonly Suggestion[],
  emit: (event: AssistEvent) => void,
  streamed: ReadonlySet<number>,
  composed: readonly Suggestion[],
): void {
  for (const suggestion of suggestions) {
    const alreadyShown =
      streamed.has(suggestion.index) && composed[suggestion.index]?.text === suggestion.text;
    if (!alreadyShown) {
      if (streamed.has(suggestion.index))
        emit({ type: 'suggestion-restart', index: suggestion.index, reason: 'checked' });
      const pieces =
        suggestion.index === 0 ? (suggestion.text.match(/\S+\s*|\s+/gu) ?? []) : [suggestion.text];
      for (const delta of pieces) emit({ type: 'suggestion-delta', index: suggestion.index, delta });
    }
    emit({ type: 'suggestion-done', suggestion });
  }
}

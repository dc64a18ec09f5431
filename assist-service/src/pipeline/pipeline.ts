import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { ServiceConfig } from '../config.ts';
import type { AssistEvent, AssistRequest, AssistResponse, Suggestion } from '../contract/index.ts';
import type { AssistContext, AssistEngine, AssistResult } from '../engines/engine.ts';
import { fitToBudget } from '../engines/offline/budget.ts';
import { CONFIDENCE_THRESHOLDS, type HitAssessment, toConfidence } from '../engines/offline/confidence.ts';
import { nextActionsFor } from '../engines/offline/next-actions.ts';
import { requestQueries } from '../engines/offline/retrieval-query.ts';
import { checkOwnSuggestions } from '../engines/offline/self-check.ts';
import { slotValues } from '../engines/offline/slots.ts';
import type { SuggestionContext } from '../engines/offline/suggestions.ts';
import { renderSlots, understand } from '../engines/offline/understanding.ts';
import { type KnowledgeSource, requireCollection, requireKnowledge } from '../retrieval/knowledge-base.ts';
import type { ScriptProfile, ScriptProfiles } from '../retrieval/script-profiles.ts';
import { detectRating, ratingFromFields } from '../text/rating.ts';
import { answerSignals, type CalibrationModel, DEFAULT_CALIBRATION, probabilityOf } from './calibration.ts';
import type { ComposeResult, Composer } from './compose.ts';
import { supportedLanguage } from './language.ts';
import { type Retrieved, retrieve } from './retrieve.ts';
import { conversationFlags, createKnowledgeScanCache, guardSuggestions } from './safety.ts';
import { createTopicModel, type TopicModel } from './topic.ts';

export interface PipelineDependencies {
  knowledge: KnowledgeSource;
  profiles: ScriptProfiles;
  clock: Clock;
  config: Pick<ServiceConfig, 'conversationBudgetChars' | 'logCustomerText'>;
  /** The compose stage: offline today, a model-backed one when configured. */
  composer: Composer;
  topics?: TopicModel;
  calibration?: CalibrationModel;
  logger?: Logger;
}

/**
 * The assist pipeline, one module per stage:
 * understand (language, entities, mood, hurry, automated notices, the request across turns) →
 * retrieve (the knowledge base's one hybrid search, with the collection's history) →
 * compose (the swappable engine) → act (next actions, routing) → check (the script's rules over
 * what was composed, and the safety stage: injection in the conversation, flagged knowledge behind a
 * suggestion). The service, the evals and the benchmarks all run this, and only this.
 */
export function createAssistPipeline(dependencies: PipelineDependencies): AssistEngine {
  const topics = dependencies.topics ?? createTopicModel();
  const calibration = dependencies.calibration ?? DEFAULT_CALIBRATION;
  const { composer } = dependencies;
  const scanKnowledge = createKnowledgeScanCache();
  return {
    id: composer.id,
    async assist(request, context) {
      const cpu = context.cpu ?? (<T>(task: () => Promise<T>) => task());
      // Offline composing is CPU work like the rest: one turn in the work queue. A model call
      // waits on the network, so only the stages around it take turns.
      if (!composer.networkBound) return cpu(() => run(request, context, (task) => task()));
      return run(request, context, cpu);
    },
  };

  async function run(
    request: AssistRequest,
    context: AssistContext,
    cpu: <T>(task: () => Promise<T>) => Promise<T>,
  ): Promise<AssistResult> {
    const prepared = await cpu(() => prepare(request, context));
    const composed = await composer.compose(
      {
        request,
        messages: prepared.messages,
        understanding: prepared.understanding,
        retrieved: prepared.retrieved,
        profile: prepared.profile,
        context: prepared.suggestionContext,
      },
      { signal: context.signal, emit: context.emit },
    );
    context.signal.throwIfAborted();
    return cpu(async () => finish(request, context, prepared, composed));
  }

  async function prepare(request: AssistRequest, context: AssistContext) {
    const started = performance.now();
    const knowledge = requireKnowledge(dependencies.knowledge);
    const collection = await requireCollection(knowledge, request.collection);
    const profile = await dependencies.profiles.get(knowledge, request.collection);
    const conversation = request.conversation;
    const budgeted = fitToBudget(conversation.messages, dependencies.config.conversationBudgetChars);
    const messages = budgeted.messages;

    // understand
    const understanding = understand(messages, {
      now: dependencies.clock.now(),
      ...(conversation.language ? { declaredLanguage: conversation.language } : {}),
    });
    const { language } = understanding;

    // retrieve
    context.signal.throwIfAborted();
    let retrieved: Retrieved | undefined;
    for (const candidate of requestQueries(messages)) {
      const found = calibrate(
        await retrieve(knowledge, {
          collection: request.collection,
          messages,
          language,
          signal: context.signal,
          query: candidate,
        }),
        calibration,
      );
      if (!retrieved || bestProbability(found) > bestProbability(retrieved)) retrieved = found;
      // An answer to the whole conversation likely enough to offer needs no second look at single
      // turns (each look is a search: at 100k chunks the searches are half of a request's CPU).
      if (bestProbability(retrieved) >= CONFIDENCE_THRESHOLDS.medium) break;
    }
    if (!retrieved) throw new Error('requestQueries returned no query');
    const { query } = retrieved;
    if (dependencies.config.logCustomerText)
      context.logger?.debug({ retrievalQuery: query.text }, 'retrieval query');
    const topic = query.text ? await topics.detect(knowledge, collection, query.text, retrieved.hits) : null;
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
    const values = slotValues({
      today: dependencies.clock.now().toISOString().slice(0, 10),
      entities: understanding.entities,
      ...(conversation.customer ? { customer: conversation.customer } : {}),
      ...(request.operator ? { operator: request.operator } : {}),
      language,
    });
    const suggestionContext: SuggestionContext = {
      voice: {
        steps: profile.steps,
        language,
        channel: conversation.channel,
        firstReply: !conversation.messages.some((message) => message.role === 'operator'),
        hurry: understanding.hurry,
        negative: understanding.sentiment.label === 'negative',
        values,
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
  ): AssistResult {
    const { conversation, messages, understanding, language, retrieved, topic, values } = prepared;
    const { query } = retrieved;
    // check
    const checked = checkOwnSuggestions(composed.suggestions, {
      profile: prepared.profile,
      context: prepared.suggestionContext,
      answers: retrieved.answers,
      messages,
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
    context.emit({ type: 'summary', summary: understanding.summary });

    // act
    const best = retrieved.answers[0];
    const nextActions = nextActionsFor({
      profile: prepared.profile,
      understanding,
      topicLabels: topic?.labels ?? [],
      channel: conversation.channel,
      language,
      values,
      missingSlots: suggestions[0]?.missingSlots ?? [],
      template: best?.hit.kind === 'template' ? best.hit : undefined,
      customerText: messages.filter((message) => message.role === 'customer').map((message) => message.text),
      rating:
        ratingFromFields(conversation.customer?.fields) ??
        detectRating(
          messages
            .filter((message) => message.role === 'customer')
            .slice(-2)
            .map((message) => message.text)
            .join('\n'),
        ),
    });
    context.emit({ type: 'next-actions', nextActions });

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
      summary: understanding.summary,
      nextActions,
      detected: prepared.detected,
      conversation: { messages: conversation.messages.length, truncated: prepared.budgeted.truncated },
      tookMs: Math.round((performance.now() - prepared.started) * 10) / 10,
      ...(composed.degraded ? { degraded: composed.degraded } : {}),
      ...(safetyFlags.length > 0 ? { safety: { flags: safetyFlags } } : {}),
      ...(composed.usage ? { usage: composed.usage } : {}),
    };
    const result: AssistResult = { response };
    if (knowledgeGap)
      result.knowledgeGap = { query: query.text, bestScore: Math.round(bestScore * 1000) / 1000 };
    return result;
  }
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

function bestProbability(retrieved: Retrieved): number {
  return retrieved.answers[0]?.score ?? 0;
}

/** Each answer's score becomes the calibrated probability that it is the right one. */
function calibrate(retrieved: Retrieved, model: CalibrationModel): Retrieved {
  const answers: HitAssessment[] = retrieved.answers
    .map((answer, index) => ({
      ...answer,
      score: probabilityOf(answerSignals(retrieved.answers, index, retrieved.unmatched), model),
    }))
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

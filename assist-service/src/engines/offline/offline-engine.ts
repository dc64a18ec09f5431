import type { Logger } from 'pino';
import type { Clock } from '../../app.ts';
import type { ServiceConfig } from '../../config.ts';
import type { AssistEvent, AssistRequest, AssistResponse, Suggestion } from '../../contract/index.ts';
import {
  type KnowledgeBaseLike,
  type KnowledgeSource,
  requireKnowledge,
  type SearchHit,
} from '../../retrieval/knowledge-base.ts';
import type { ScriptProfile, ScriptProfiles } from '../../retrieval/script-profiles.ts';
import { stemSet } from '../../retrieval/stems.ts';
import { detectRating, ratingFromFields } from '../../text/rating.ts';
import type { AssistEngine, AssistResult } from '../engine.ts';
import { fitToBudget } from './budget.ts';
import { assessHit, CONFIDENCE_THRESHOLDS, type HitAssessment, toConfidence } from './confidence.ts';
import { nextActionsFor } from './next-actions.ts';
import { buildRetrievalQuery } from './retrieval-query.ts';
import { slotValues } from './slots.ts';
import {
  buildScriptSuggestion,
  buildSuggestion,
  citationOf,
  fitsChannel,
  type SuggestionContext,
} from './suggestions.ts';
import { voteTopic } from './topic.ts';
import { renderSlots, understand } from './understanding.ts';

export const OFFLINE_ENGINE_ID = 'offline';

export interface OfflineEngineDependencies {
  knowledge: KnowledgeSource;
  profiles: ScriptProfiles;
  clock: Clock;
  config: Pick<ServiceConfig, 'conversationBudgetChars' | 'logCustomerText'>;
  logger?: Logger;
}

const SEARCH_TOP_K = 12;
const MAX_VARIANTS = 3;
/** A second or third variant must fit at least this share as well as the best one. */
const VARIANT_RELATIVE_SCORE = 0.6;

/**
 * The engine that needs no model: the team's own templates and FAQ answers, found by hybrid
 * search over the conversation, filled in and put in the script's words. Deterministic and fast.
 */
export function createOfflineEngine(dependencies: OfflineEngineDependencies): AssistEngine {
  return {
    id: OFFLINE_ENGINE_ID,
    async assist(request, context) {
      const started = performance.now();
      const knowledge = requireKnowledge(dependencies.knowledge);
      const profile = await dependencies.profiles.get(knowledge, request.collection);
      const conversation = request.conversation;
      const budgeted = fitToBudget(conversation.messages, dependencies.config.conversationBudgetChars);
      const messages = budgeted.messages;
      const understanding = understand(messages, {
        now: dependencies.clock.now(),
        ...(conversation.language ? { declaredLanguage: conversation.language } : {}),
      });
      const { language } = understanding;
      const query = buildRetrievalQuery(messages);
      if (dependencies.config.logCustomerText)
        context.logger?.debug({ retrievalQuery: query.text }, 'retrieval query');

      context.signal.throwIfAborted();
      const hits = query.text ? await search(knowledge, request.collection, query.text, language) : [];
      context.signal.throwIfAborted();

      const latestStems = stemSet(query.latest);
      const queryStems = latestStems.size >= 3 ? latestStems : stemSet(query.text);
      const assessed = hits
        .map((hit) => assessHit(hit, queryStems))
        .sort((left, right) => right.score - left.score);
      const answers = assessed.filter(({ hit }) => hit.kind === 'template' || hit.kind === 'faq');
      const evidence = assessed.filter(
        ({ hit, score }) => hit.kind === 'article' && score >= CONFIDENCE_THRESHOLDS.medium,
      );
      const topic = voteTopic(assessed, CONFIDENCE_THRESHOLDS.medium);
      const detected: AssistResponse['detected'] = {
        language,
        topic: topic ? { label: topic.label, score: topic.score } : null,
        sentiment: understanding.sentiment,
        hurry: understanding.hurry,
      };
      context.emit({
        type: 'retrieval',
        suggestionSetId: context.suggestionSetId,
        hits: assessed.slice(0, 8).map(({ hit, score }) => ({
          documentId: hit.documentId,
          chunkId: hit.chunkId,
          title: hit.title,
          kind: hit.kind,
          score: Math.round(score * 1000) / 1000,
        })),
        detected,
      });

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
        engine: OFFLINE_ENGINE_ID,
      };

      const best = answers[0];
      const bestScore = best?.score ?? 0;
      let suggestions: Suggestion[] = [];
      if (!understanding.automated && bestScore >= CONFIDENCE_THRESHOLDS.medium) {
        suggestions = chooseVariants(answers, request, suggestionContext);
        if (suggestions[0] && evidence[0]) suggestions[0].citations.push(citationOf(evidence[0]));
      } else if (
        !understanding.automated &&
        !query.text &&
        messages.some((message) => message.role === 'customer')
      ) {
        const scripted = buildScriptSuggestion(profile, suggestionContext);
        if (scripted) suggestions = [{ ...scripted, index: 0 }];
      }
      streamSuggestions(suggestions, context.emit);

      context.emit({ type: 'summary', summary: understanding.summary });
      const nextActions = nextActionsFor({
        profile,
        understanding,
        topicLabels: topic?.labels ?? [],
        channel: conversation.channel,
        language,
        values,
        missingSlots: suggestions[0]?.missingSlots ?? [],
        template: best?.hit.kind === 'template' ? best.hit : undefined,
        customerText: messages
          .filter((message) => message.role === 'customer')
          .map((message) => message.text),
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

      const knowledgeGap = Boolean(query.text) && !understanding.automated && suggestions.length === 0;
      const confidence =
        suggestions[0]?.confidence ?? toConfidence(Math.min(bestScore, CONFIDENCE_THRESHOLDS.medium - 0.001));
      const response: AssistResponse = {
        suggestionSetId: context.suggestionSetId,
        collection: request.collection,
        engine: OFFLINE_ENGINE_ID,
        suggestions,
        confidence,
        knowledgeGap,
        summary: understanding.summary,
        nextActions,
        detected,
        conversation: { messages: conversation.messages.length, truncated: budgeted.truncated },
        tookMs: Math.round((performance.now() - started) * 10) / 10,
      };
      const result: AssistResult = { response };
      if (knowledgeGap)
        result.knowledgeGap = { query: query.text, bestScore: Math.round(bestScore * 1000) / 1000 };
      return result;
    },
  };
}

/** Templates, FAQ answers and articles in the customer's language. */
async function search(
  knowledge: KnowledgeBaseLike,
  collection: string,
  text: string,
  language: string,
): Promise<SearchHit[]> {
  return knowledge.search(collection, text, {
    topK: SEARCH_TOP_K,
    filter: { kinds: ['template', 'faq', 'article'], languages: [language] },
  });
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

/** Up to three replies from different entries, each close enough to the best, none the same text. */
function chooseVariants(
  answers: readonly HitAssessment[],
  request: AssistRequest,
  context: SuggestionContext,
): Suggestion[] {
  const wanted = Math.min(request.options?.variants ?? MAX_VARIANTS, MAX_VARIANTS);
  const best = answers[0]?.score ?? 0;
  const floor = Math.max(CONFIDENCE_THRESHOLDS.medium, best * VARIANT_RELATIVE_SCORE);
  const suggestions: Suggestion[] = [];
  const seenDocuments = new Set<string>();
  const seenTexts = new Set<string>();
  for (const assessment of answers) {
    if (suggestions.length >= wanted || assessment.score < floor) break;
    if (seenDocuments.has(assessment.hit.documentId) || !fitsChannel(assessment, context.channel)) continue;
    seenDocuments.add(assessment.hit.documentId);
    const suggestion = buildSuggestion(assessment, context);
    const key = suggestion.text.toLowerCase().replace(/\s+/gu, ' ');
    if (seenTexts.has(key)) continue;
    seenTexts.add(key);
    suggestions.push({ ...suggestion, index: suggestions.length });
  }
  return suggestions;
}

/** The first suggestion word by word, so the panel shows its start at once; the others whole. */
function streamSuggestions(suggestions: readonly Suggestion[], emit: (event: AssistEvent) => void): void {
  for (const suggestion of suggestions) {
    const pieces = suggestion.index === 0 ? (suggestion.text.match(/\S+\s*|\s+/gu) ?? []) : [suggestion.text];
    for (const delta of pieces) emit({ type: 'suggestion-delta', index: suggestion.index, delta });
    emit({ type: 'suggestion-done', suggestion });
  }
}

import { analyze } from '@naparnik/ingest';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.ts';
import type { ServiceConfig } from '../../config.ts';
import { stemSimilarity } from '../../console/text-clusters.ts';
import type { AssistRequest, Suggestion } from '../../contract/index.ts';
import type { ComposeInput, Composer } from '../../pipeline/compose.ts';
import { createAssistPipeline } from '../../pipeline/pipeline.ts';
import type { TopicModel } from '../../pipeline/topic.ts';
import type { KnowledgeSource } from '../../retrieval/knowledge-base.ts';
import type { ScriptProfiles } from '../../retrieval/script-profiles.ts';
import type { AssistEngine } from '../engine.ts';
import { ALTERNATIVE_FLOOR, CONFIDENCE_THRESHOLDS, type HitAssessment } from './confidence.ts';
import { praiseOnly } from './praise.ts';
import {
  buildScriptSuggestion,
  buildSuggestion,
  citationsOf,
  fitsChannel,
  type SuggestionContext,
  saysSomething,
} from './suggestions.ts';

export const OFFLINE_ENGINE_ID = 'offline';

export interface OfflineEngineDependencies {
  knowledge: KnowledgeSource;
  profiles: ScriptProfiles;
  clock: Clock;
  config: Pick<ServiceConfig, 'conversationBudgetChars' | 'logCustomerText'>;
  topics?: TopicModel;
  logger?: Logger;
}

const MAX_VARIANTS = 3;

/** An article backs the first reply when it covers at least this share of the question. */
const EVIDENCE_COVERAGE = 0.35;

/**
 * The compose stage that needs no model: the team's own templates and FAQ answers, found by the
 * retrieve stage, filled in and put in the script's words. Deterministic and fast.
 */
export function createOfflineComposer(): Composer {
  return {
    id: OFFLINE_ENGINE_ID,
    networkBound: false,
    async compose(input) {
      return { suggestions: composeOffline(input) };
    },
  };
}

function composeOffline({
  request,
  messages,
  understanding,
  retrieved,
  profile,
  context,
}: ComposeInput): Suggestion[] {
  if (understanding.automated) return [];
  // A review that only praises is thanked, whatever the search found for its words: the reply to a
  // complaint («Нам очень жаль, что …») matches «Очень красивое кольцо» as well as any entry.
  const praise = praiseOnly(messages, understanding, context);
  if (praise) {
    const scripted = buildScriptSuggestion(profile, context, 'thanks');
    if (scripted) return [{ ...scripted, index: 0 }];
  }
  const best = retrieved.answers[0];
  if (best && best.score >= CONFIDENCE_THRESHOLDS.medium) {
    const suggestions = chooseVariants(retrieved.answers, request, context);
    const evidence = retrieved.evidence.find((item) => coverageOf(item) >= EVIDENCE_COVERAGE);
    if (suggestions[0] && evidence) suggestions[0].citations.push(...citationsOf(evidence));
    return suggestions;
  }
  if (!retrieved.query.text && messages.some((message) => message.role === 'customer')) {
    const scripted = buildScriptSuggestion(profile, context);
    return scripted ? [{ ...scripted, index: 0 }] : [];
  }
  return [];
}

/** The offline engine: the assist pipeline with the offline composer. */
export function createOfflineEngine(dependencies: OfflineEngineDependencies): AssistEngine {
  return createAssistPipeline({ ...dependencies, composer: createOfflineComposer() });
}

function coverageOf(assessment: HitAssessment): number {
  return assessment.score;
}

/**
 * Two replies sharing this much of their words (Dice over stems) say the same thing: a knowledge
 * base that repeats an answer for iOS and Android, or with a link in one and «ссылка» in the other,
 * would show the operator two cards to read for one reply. The second entry is cited on the first
 * card instead, and the slot goes to another answer.
 */
const SAME_REPLY = 0.9;

/** A reply's words for comparing replies: links left out (twins differ by their store links). */
function replyStems(text: string): ReadonlySet<string> {
  return new Set(analyze(text.replace(/\b(?:https?:\/\/|www\.)\S+/giu, ' ')));
}

/** Up to three replies from different entries, each likely enough, none the same reply. */
function chooseVariants(
  answers: readonly HitAssessment[],
  request: AssistRequest,
  context: SuggestionContext,
): Suggestion[] {
  const wanted = Math.min(request.options?.variants ?? MAX_VARIANTS, MAX_VARIANTS);
  const suggestions: Suggestion[] = [];
  const seenDocuments = new Set<string>();
  const seenReplies: Array<ReadonlySet<string>> = [];
  for (const assessment of answers) {
    if (suggestions.length >= wanted) break;
    const floor = suggestions.length === 0 ? CONFIDENCE_THRESHOLDS.medium : ALTERNATIVE_FLOOR;
    if (assessment.score < floor) continue;
    if (seenDocuments.has(assessment.hit.documentId) || !fitsChannel(assessment, context.channel)) continue;
    if (!saysSomething(assessment, context.voice.values)) continue;
    seenDocuments.add(assessment.hit.documentId);
    const suggestion = buildSuggestion(assessment, context);
    const stems = replyStems(suggestion.text);
    const same = seenReplies.findIndex((seen) => stemSimilarity(seen, stems) >= SAME_REPLY);
    if (same >= 0) {
      // One card, both sources: the operator sees that the other entry says it too.
      const kept = suggestions[same]!;
      suggestions[same] = { ...kept, citations: [...kept.citations, ...suggestion.citations] };
      continue;
    }
    seenReplies.push(stems);
    suggestions.push({ ...suggestion, index: suggestions.length });
  }
  return suggestions;
}

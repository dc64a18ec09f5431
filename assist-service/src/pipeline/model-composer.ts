import { resolveSections } from '@naparnik/ingest/naparnik-schema';
import type { PromptTemplate } from '@naparnik/prompts';
import type { Logger } from 'pino';
import type { Suggestion } from '../contract/index.ts';
import {
  ALTERNATIVE_FLOOR,
  CONFIDENCE_THRESHOLDS,
  type HitAssessment,
  toConfidence,
} from '../engines/offline/confidence.ts';
import { praiseOnly } from '../engines/offline/praise.ts';
import { fitsCustomer, preconditionsOf, saysSomething, writtenFor } from '../engines/offline/suggestions.ts';
import { addUsage, type ChatUsage } from '../models/chat-model.ts';
import { checkDraftWithModel } from '../models/check-draft-with-model.ts';
import { type ComposeSource, composeWithModel } from '../models/compose-with-model.ts';
import type { ChatModels } from '../models/create-chat-models.ts';
import { degradedReason, ModelError } from '../models/model-error.ts';
import type { ScriptRulesInput } from '../models/model-task.ts';
import type { ScriptProfile } from '../retrieval/script-profiles.ts';
import { stemSet } from '../retrieval/stems.ts';
import { detectSituations, mentionsReturn } from '../text/claims.ts';
import type { ComposeInput, ComposeResult, Composer } from './compose.ts';

/**
 * The compose stage with a language model (Claude, or an OpenAI-compatible in-country model): the
 * reply is drafted from the answers the retrieve stage found, as numbered sources, and streamed to
 * the panel as it comes. The offline composer's replies from the same answers follow it as
 * alternatives. Any model fault — timeout, 429, overload, an open circuit, a cut stream — gives
 * the offline composer's answer instead, with the reason in `degraded`; nothing is lost.
 */
export interface ModelComposerDependencies {
  /** `claude` or `openai-compatible`: what responses and feedback record. */
  id: string;
  models: ChatModels;
  /** The pinned `reply` prompt. */
  prompt: PromptTemplate;
  /** Answers when the model cannot, and supplies the alternatives. */
  offline: Composer;
  /**
   * The pinned `check-draft` prompt: the model's draft is checked by the model before it is
   * offered (the rules check it in the pipeline's check stage either way). Absent: no model check.
   */
  checkPrompt?: PromptTemplate | undefined;
  logger?: Logger;
}

/** What the model check over a draft found that withdraws it: harm, not style. */
interface DraftVerdict {
  blocking: string[];
  usage?: ChatUsage;
  costUsd: number | null;
}

/** Answers and articles the model may rest on, best first. */
const MAX_SOURCES = 5;
/** Longest reply when neither the request nor the script sets one. */
const DEFAULT_MAX_LENGTH = 1200;

export function createModelComposer(dependencies: ModelComposerDependencies): Composer {
  const { models, prompt, offline } = dependencies;
  return {
    id: dependencies.id,
    networkBound: true,
    async compose(input, options) {
      // The model's request goes out first: the offline answers (the alternatives, and the answer
      // on any fault) and the pipeline's other model calls wait until the API has answered it, or
      // until the draft is over without an answer.
      let markSent!: () => void;
      const sent = new Promise<void>((resolve) => {
        markSent = resolve;
      });
      const dispatched = () => {
        markSent();
        options.onDispatched?.();
      };
      const composeOffline = () =>
        offline.compose(
          { ...input, context: { ...input.context, engine: offline.id } },
          { signal: options.signal, emit: () => {} },
        );
      const sources = sourcesFor(input);
      const praised = praiseOnly(input.messages, input.understanding, input.context);
      if (input.understanding.automated || sources.length === 0 || praised) {
        // Nothing to rest a reply on: the model is not asked to invent one. Nor to answer a review
        // that only praises, which the script's thanks answers (the offline composer's reply).
        dispatched();
        return { ...(await composeOffline()), engine: offline.id };
      }
      const offlineAnswers = sent.then(composeOffline);
      // Awaited on every path but an abort: never an unhandled rejection on that one.
      offlineAnswers.catch(() => undefined);
      let streamedText = false;
      try {
        const result = await composeWithModel(
          {
            messages: input.messages.map((message) => ({ role: message.role, text: message.text })),
            sources: sources.map(({ source }) => source),
            scriptRules: scriptRulesFor(input.profile, input.context.voice.language),
            language: input.context.voice.language,
            channel: input.context.channel,
            hurry: input.understanding.hurry,
            maxLength: input.context.maxLength ?? DEFAULT_MAX_LENGTH,
          },
          {
            model: models.fast,
            prompt,
            prices: models.prices,
            maxOutputTokens: models.maxOutputTokens,
            signal: options.signal,
            onResponse: dispatched,
            onDelta: (delta) => {
              if (delta.type === 'restart') {
                if (streamedText)
                  options.emit({ type: 'suggestion-restart', index: 0, reason: delta.reason });
                streamedText = false;
                return;
              }
              streamedText = true;
              options.emit({ type: 'suggestion-delta', index: 0, delta: delta.text });
            },
          },
        ).finally(dispatched);
        const verdict = await checkDraft(result.text, input, sources, options.signal);
        const offlineResult = await offlineAnswers;
        if (verdict.blocking.length > 0) {
          // A draft that promises what policy forbids, is rude or claims an action nobody took
          // is not offered: the operator gets the offline answers, and the panel drops the text.
          dependencies.logger?.warn(
            { engine: dependencies.id, categories: verdict.blocking },
            'model draft withdrawn by the model check; offline answers',
          );
          if (streamedText) options.emit({ type: 'suggestion-restart', index: 0, reason: 'model-check' });
          return {
            ...offlineResult,
            engine: offline.id,
            degraded: { reason: 'model-check', engine: dependencies.id },
          };
        }
        const usage = verdict.usage ? addUsage(result.usage, verdict.usage) : result.usage;
        const costUsd =
          verdict.usage && result.costUsd !== null && verdict.costUsd !== null
            ? result.costUsd + verdict.costUsd
            : result.costUsd;
        const cited = new Set(result.citations.map((citation) => citation.chunkId));
        const resting = sources.filter(({ source }) => cited.has(source.chunkId));
        // As likely right as the best answer it rests on; never "high" when a fact is unsupported or
        // the reply was cut off, and low when it cites nothing it was given.
        const probability = Math.max(0, ...resting.map(({ answer }) => answer?.score ?? 0));
        // A cited template that states an action as done («заказ отменён») gives its to-do to the
        // draft built from it: the model copies such sentences as readily as the offline engine
        // does (the red-team suite on the claude engine found 13 such drafts before this).
        const preconditions = [
          ...new Set(resting.flatMap(({ answer }) => (answer ? preconditionsOf(answer) : []))),
        ];
        const trusted = result.grounded && !result.truncated && preconditions.length === 0;
        const score = trusted ? probability : Math.min(probability, CONFIDENCE_THRESHOLDS.high - 0.001);
        const drafted: Suggestion = {
          index: 0,
          text: result.text,
          kind: 'generated',
          title: resting[0]?.source.title ?? 'Черновик',
          language: input.context.voice.language,
          citations: result.citations.map((citation) => ({
            documentId: citation.documentId ?? citation.chunkId,
            chunkId: citation.chunkId,
            title: citation.title,
            quote: citation.quote,
          })),
          confidence: toConfidence(
            resting.length > 0 ? score : Math.min(score, CONFIDENCE_THRESHOLDS.medium - 0.001),
          ),
          filledSlots: {},
          missingSlots: [],
          short: false,
          engine: dependencies.id,
          promptId: result.promptId,
          ...(preconditions.length > 0 ? { preconditions } : {}),
        };
        const alternatives = offlineResult.suggestions
          .filter((suggestion) => suggestion.confidence.score >= ALTERNATIVE_FLOOR)
          .slice(0, 2)
          .map((suggestion, index) => ({ ...suggestion, index: index + 1 }));
        dependencies.logger?.debug(
          {
            model: result.model,
            promptId: result.promptId,
            citations: result.citations.length,
            unknownCitations: result.unknownCitations,
            ungroundedFacts: result.ungroundedFacts.length,
            inputTokens: result.usage.inputTokens,
            outputTokens: result.usage.outputTokens,
            cacheReadTokens: result.usage.cacheReadTokens,
          },
          'drafted with a model',
        );
        return {
          suggestions: [drafted, ...alternatives],
          streamed: [0],
          usage: {
            model: result.model,
            inputTokens: usage.inputTokens,
            outputTokens: usage.outputTokens,
            cacheReadTokens: usage.cacheReadTokens,
            cacheWriteTokens: usage.cacheWriteTokens,
            costUsd,
          },
        } satisfies ComposeResult;
      } catch (error) {
        if (options.signal.aborted) throw error;
        if (!ModelError.isInstance(error)) throw error;
        const reason = degradedReason(error);
        dependencies.logger?.warn({ reason, engine: dependencies.id }, 'model failed; offline answers');
        if (streamedText) options.emit({ type: 'suggestion-restart', index: 0, reason });
        return {
          ...(await offlineAnswers),
          engine: offline.id,
          degraded: { reason, engine: dependencies.id },
        };
      }
    },
  };

  /**
   * The model check over the model's own draft, with the sources it was drafted from. A fault of
   * the check leaves the draft to the rules (the pipeline's check stage), as with no model.
   */
  async function checkDraft(
    text: string,
    input: ComposeInput,
    sources: ReadonlyArray<{ source: ComposeSource }>,
    signal: AbortSignal,
  ): Promise<DraftVerdict> {
    if (!dependencies.checkPrompt) return { blocking: [], costUsd: null };
    try {
      const result = await checkDraftWithModel(
        {
          draft: text,
          channel: input.context.channel,
          language: input.context.voice.language,
          messages: input.messages.map((message) => ({ role: message.role, text: message.text })),
          sources: sources.map(({ source }) => source),
          scriptRules: scriptRulesFor(input.profile, input.context.voice.language),
        },
        {
          model: models.fast,
          prompt: dependencies.checkPrompt,
          prices: models.prices,
          maxOutputTokens: models.maxOutputTokens,
          signal,
        },
      );
      const blocking = result.findings
        .filter((finding) => finding.severity === 'error')
        .map((finding) => finding.category);
      return { blocking: [...new Set(blocking)], usage: result.usage, costUsd: result.costUsd };
    } catch (error) {
      if (signal.aborted || !ModelError.isInstance(error)) throw error;
      dependencies.logger?.warn(
        { reason: degradedReason(error), engine: dependencies.id },
        'model check of the draft failed; the rules check it',
      );
      return { blocking: [], costUsd: null };
    }
  }
}

/** The retrieved answers worth offering (and articles), as numbered sources for the prompt. */
function sourcesFor(input: ComposeInput): Array<{ source: ComposeSource; answer?: HitAssessment }> {
  const customerTexts = input.messages
    .filter((message) => message.role === 'customer')
    .map((message) => message.text);
  const claims = detectSituations(customerTexts, { channel: input.context.channel });
  const situations = claims.map((claim) => claim.situation);
  const said = claims.filter((claim) => !claim.implied).map((claim) => claim.situation);
  const asksAboutReturn = mentionsReturn(customerTexts);
  const fits = (answer: HitAssessment) => fitsCustomer(answer, situations, asksAboutReturn);
  // The retrieve stage left on offer only answers that fit the customer and the channel
  // (`Retrieved.ruledOut` holds the others). An answer written for the customer's situation (the
  // warranty intake, to a defect claim) is a source however weakly the words match: the offline
  // engine offers it at "medium" too.
  const answers = input.retrieved.answers.filter(
    (answer) =>
      (answer.score >= ALTERNATIVE_FLOOR || writtenFor(answer, said)) &&
      saysSomething(answer, input.context.voice.values),
  );
  const values = input.context.voice.values;
  const picked: Array<{ source: ComposeSource; answer?: HitAssessment }> = answers
    .slice(0, MAX_SOURCES - 1)
    .map((answer) => ({ source: sourceOf(answer, values), answer }));
  // A passage that restates an answer unfit for the customer (the law on returning goods of
  // proper quality, which the refusal template quotes, to a customer claiming a defect) is unfit
  // too: the model would copy it as readily as the template.
  const unfit = input.retrieved.ruledOut
    .filter((answer) => !fits(answer))
    .map((answer) => stemSet(sourceOf(answer).text));
  const article = input.retrieved.evidence.find(
    (evidence) => !unfit.some((stems) => restated(stemSet(evidence.hit.text), stems) >= RESTATES),
  );
  if (picked.length > 0 && article) picked.push({ source: sourceOf(article) });
  return picked;
}

/** Share of an answer's words a passage repeats, above which the passage says the same thing. */
const RESTATES = 0.5;

function restated(passage: ReadonlySet<string>, answer: ReadonlySet<string>): number {
  if (answer.size === 0) return 0;
  let shared = 0;
  for (const stem of answer) if (passage.has(stem)) shared++;
  return shared / answer.size;
}

function sourceOf(assessment: HitAssessment, values: Readonly<Record<string, string>> = {}): ComposeSource {
  return sourceOfHit(assessment.hit, values);
}

/**
 * A knowledge-base hit as a numbered source: an FAQ entry's answer, a template's text (its
 * conditional sections kept or dropped by the values the conversation gave: the model is not
 * shown «пришлите номер заказа» once the customer has), or the chunk.
 */
export function sourceOfHit(
  hit: HitAssessment['hit'],
  values: Readonly<Record<string, string>> = {},
): ComposeSource {
  const metadata = hit.metadata ?? {};
  const answer = typeof metadata.answer === 'string' ? metadata.answer : undefined;
  const template =
    typeof metadata.text === 'string'
      ? resolveSections(metadata.text, (slot) => (values[slot] ?? '').trim() !== '')
      : undefined;
  const question = typeof metadata.question === 'string' ? metadata.question : undefined;
  const body = answer ?? template ?? hit.text;
  return {
    chunkId: hit.chunkId,
    documentId: hit.documentId,
    title: question ?? hit.title,
    text: body,
    kind: hit.kind,
  };
}

/** The team's script for the language, as the prompt states it. */
export function scriptRulesFor(profile: ScriptProfile, language: string): ScriptRulesInput {
  const steps = profile.steps.filter((step) => step.language === language);
  const rules = profile.rules.find((entry) => entry.language === language);
  const variantsOf = (kind: string) =>
    steps.filter((step) => step.step === kind).flatMap((step) => step.variants ?? []);
  const address = rules?.address ?? steps[0]?.address;
  return {
    greeting: variantsOf('greeting'),
    introduction: variantsOf('introduction'),
    thanks: variantsOf('thanks'),
    closing: variantsOf('closing'),
    ...(address ? { address: address === 'ty' ? ('ты' as const) : ('вы' as const) } : {}),
    banned: (rules?.rules.banned ?? []).map((rule) => ({
      ...(rule.phrase ? { phrase: rule.phrase } : {}),
      ...(rule.pattern ? { pattern: rule.pattern } : {}),
      ...(rule.reason ? { reason: rule.reason } : {}),
    })),
    required: (rules?.rules.required ?? []).map((rule) => ({
      ...(rule.phrase ? { phrase: rule.phrase } : {}),
      ...(rule.reason ? { reason: rule.reason } : {}),
    })),
    length: rules?.rules.length ?? {},
  };
}

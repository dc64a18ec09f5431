import type { PromptTemplate } from '@naparnik/prompts';
import type { Logger } from 'pino';
import type { RewriteRequest, RewriteResponse } from '../contract/index.ts';
import { type Rewriter, rewriteLanguage } from '../engines/offline/rewrite.ts';
import type { ChatModels } from '../models/create-chat-models.ts';
import { degradedReason, ModelError } from '../models/model-error.ts';
import type { ScriptRulesInput } from '../models/model-task.ts';
import { MODEL_REWRITE_STYLES, rewriteWithModel } from '../models/rewrite-with-model.ts';
import { type KnowledgeSource, requireKnowledge } from '../retrieval/knowledge-base.ts';
import type { ScriptProfiles } from '../retrieval/script-profiles.ts';
import { scriptRulesFor } from './model-composer.ts';

export interface ModelRewriterDependencies {
  /** `claude` or `openai-compatible`. */
  id: string;
  models: ChatModels;
  /** The pinned `rewrite` prompt. */
  prompt: PromptTemplate;
  /** Rewrites when the model cannot (every style but fix-grammar). */
  offline: Rewriter;
  knowledge: KnowledgeSource;
  profiles: ScriptProfiles;
  logger?: Logger;
}

/** A shorter text is at most this share of the draft when the script sets no limit for the channel. */
const SHORTER_SHARE = 0.8;

/**
 * Rewrite with the configured model (shorter, friendlier, formal, fix-grammar), the offline rules
 * as the fallback. What the model returns is checked, not trusted: a «короче» that misses the
 * channel's limit is asked once more with a tighter one, then rewritten offline; a rewrite that
 * brings in a number, date, amount, id or link the draft did not have is rewritten offline; any
 * model fault is rewritten offline. Each fallback says why in `degraded`.
 */
export function createModelRewriter(dependencies: ModelRewriterDependencies): Rewriter {
  const { models, prompt, offline } = dependencies;

  async function scriptRules(
    request: RewriteRequest,
    language: string,
  ): Promise<ScriptRulesInput | undefined> {
    if (!request.collection) return undefined;
    const knowledge = requireKnowledge(dependencies.knowledge);
    return scriptRulesFor(await dependencies.profiles.get(knowledge, request.collection), language);
  }

  async function fallback(
    request: RewriteRequest,
    reason: string,
    signal: AbortSignal | undefined,
  ): Promise<RewriteResponse> {
    dependencies.logger?.warn({ reason, engine: dependencies.id, style: request.style }, 'rewrite offline');
    const degraded = { reason, engine: dependencies.id };
    if (!offline.styles.includes(request.style)) {
      return {
        text: request.text,
        style: request.style,
        engine: offline.id,
        language: rewriteLanguage(request.text, request.language),
        changes: [],
        degraded,
      };
    }
    return { ...(await offline.rewrite(request, { ...(signal ? { signal } : {}) })), degraded };
  }

  return {
    id: dependencies.id,
    styles: MODEL_REWRITE_STYLES,
    async rewrite(request, { signal }) {
      const language = rewriteLanguage(request.text, request.language);
      const channel = request.channel ?? 'chat';
      const rules = await scriptRules(request, language);
      const channelLimit = rules?.length?.[channel];
      const limit =
        request.style === 'shorter'
          ? Math.min(
              channelLimit ?? Number.POSITIVE_INFINITY,
              Math.floor(request.text.length * SHORTER_SHARE),
            )
          : (channelLimit ?? Math.max(request.text.length * 2, 200));
      const attempt = (maxLength: number) =>
        rewriteWithModel(
          { text: request.text, style: request.style, language, channel, maxLength, scriptRules: rules },
          {
            model: models.fast,
            prompt,
            prices: models.prices,
            maxOutputTokens: models.maxOutputTokens,
            signal,
          },
        );
      try {
        let result = await attempt(limit);
        if (request.style === 'shorter' && result.text.length > limit) {
          // Asked for less than the limit, the model usually lands under it.
          result = await attempt(Math.floor(limit * SHORTER_SHARE));
          if (result.text.length > limit) return fallback(request, 'too-long', signal);
        }
        if (result.addedFacts.length > 0) return fallback(request, 'invented-facts', signal);
        return {
          text: result.text,
          style: request.style,
          engine: dependencies.id,
          language,
          changes: [],
          promptId: result.promptId,
        };
      } catch (error) {
        if (signal?.aborted || !ModelError.isInstance(error)) throw error;
        return fallback(request, degradedReason(error), signal);
      }
    },
  };
}

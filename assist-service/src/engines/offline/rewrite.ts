import type { RewriteRequest, RewriteResponse, RewriteStyle } from '../../contract/index.ts';
import { decideLanguage, supportedLanguage } from '../../pipeline/language.ts';
import { type KnowledgeSource, requireKnowledge } from '../../retrieval/knowledge-base.ts';
import type { ScriptProfiles, ScriptStepEntry } from '../../retrieval/script-profiles.ts';
import { rewriteFormal } from './rewrite-formal.ts';
import { rewriteFriendlier } from './rewrite-friendlier.ts';
import type { Language } from './rewrite-lexicon.ts';
import { rewriteShorter } from './rewrite-shorter.ts';
import { lostFacts, type Step } from './rewrite-text.ts';

/**
 * Rewrites an operator's or a suggestion's text in a style. An engine declares the styles it
 * offers in `styles`; the service reports them as its capabilities, and the panel shows only
 * those buttons (a model-backed engine can offer more than the offline one).
 */
export interface Rewriter {
  readonly id: string;
  readonly styles: readonly RewriteStyle[];
  rewrite(request: RewriteRequest, options: { signal?: AbortSignal }): Promise<RewriteResponse>;
}

export interface OfflineRewriterDependencies {
  knowledge: KnowledgeSource;
  profiles: ScriptProfiles;
}

export const OFFLINE_REWRITE_STYLES: readonly RewriteStyle[] = ['shorter', 'friendlier', 'formal'];

export function rewriteLanguage(text: string, declared: string | undefined): Language {
  const given = declared?.toLowerCase().slice(0, 2);
  return supportedLanguage(
    decideLanguage({ declared: given === 'en' || given === 'ru' ? given : undefined, text }),
  );
}

/** The rules of one style over a text, with the steps the team's script supplies. */
export function rewriteText(
  text: string,
  style: RewriteStyle,
  context: {
    language: Language;
    channel: RewriteRequest['channel'];
    steps: readonly ScriptStepEntry[];
    customerName?: string | undefined;
  },
): Step {
  switch (style) {
    case 'shorter':
      return rewriteShorter(text, context.language);
    case 'formal':
      return rewriteFormal(text, context.language);
    case 'friendlier':
      return rewriteFriendlier(text, {
        language: context.language,
        channel: context.channel ?? 'chat',
        steps: context.steps,
        customerName: context.customerName,
      });
    case 'fix-grammar':
      // Grammar needs a model: the offline engine does not offer the style and leaves text as is.
      return { text, changes: [] };
  }
}

/**
 * Deterministic rewriting by rules, no model: what each style does is in `rewrite-shorter.ts`,
 * `rewrite-friendlier.ts` and `rewrite-formal.ts`. Every fact of the original (numbers, order ids,
 * links, e-mail addresses, placeholders) is in the result, or the text comes back unchanged.
 */
export function createOfflineRewriter(dependencies: OfflineRewriterDependencies): Rewriter {
  return {
    id: 'offline',
    styles: OFFLINE_REWRITE_STYLES,
    async rewrite(request, { signal }) {
      const language = rewriteLanguage(request.text, request.language);
      let steps: readonly ScriptStepEntry[] = [];
      if (request.style === 'friendlier' && request.collection) {
        const knowledge = requireKnowledge(dependencies.knowledge);
        steps = (await dependencies.profiles.get(knowledge, request.collection)).steps;
      }
      signal?.throwIfAborted();
      const result = rewriteText(request.text, request.style, {
        language,
        channel: request.channel,
        steps,
        customerName: request.customerName,
      });
      // Each rule guards its own step; this is the last word on the whole chain.
      const safe =
        lostFacts(request.text, result.text).length === 0 ? result : { text: request.text, changes: [] };
      return { text: safe.text, style: request.style, engine: 'offline', language, changes: safe.changes };
    },
  };
}

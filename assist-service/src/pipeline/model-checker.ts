import type { PromptTemplate } from '@naparnik/prompts';
import type { Logger } from 'pino';
import {
  checkDraftWithModel,
  type ModelDraftFinding,
  type ModelFindingCategory,
} from '../models/check-draft-with-model.ts';
import type { ChatModels } from '../models/create-chat-models.ts';
import { degradedReason, ModelError } from '../models/model-error.ts';
import type { DraftFinding, DraftFindingType } from '../text/types.ts';
import { checkAgainstScript, type DraftChecker, mergeBySpan, type ScriptCheck } from './check.ts';
import { scriptRulesFor } from './model-composer.ts';

export interface ModelCheckerDependencies {
  /** `claude` or `openai-compatible`. */
  id: string;
  models: ChatModels;
  /** The pinned `check-draft` prompt. */
  prompt: PromptTemplate;
  logger?: Logger;
}

/**
 * The check stage with a model: the rules always run (script steps, banned and required phrases,
 * length, «ты»/«вы», the guard rules), and the model adds what word lists miss — a banned promise
 * in other words, rudeness in polite words, a claim or an action stated as done that nothing backs.
 * A model finding is kept only with a quote found in the text (else `checkDraftWithModel` drops and
 * counts it) and not when a rule already underlines the same words for the same reason. Any model
 * fault gives the rules' findings alone, with the reason in `degraded`.
 */
export function createModelChecker(dependencies: ModelCheckerDependencies): DraftChecker {
  const { models, prompt } = dependencies;
  return {
    id: dependencies.id,
    async check(text, context): Promise<ScriptCheck> {
      const rules = checkAgainstScript(text, context);
      try {
        const result = await checkDraftWithModel(
          {
            draft: text,
            channel: context.channel,
            language: context.language,
            messages: context.messages,
            sources: context.sources,
            scriptRules: scriptRulesFor(context.profile, context.language),
          },
          {
            model: models.fast,
            prompt,
            prices: models.prices,
            maxOutputTokens: models.maxOutputTokens,
            signal: context.signal,
          },
        );
        const added = result.findings
          .map(toDraftFinding)
          .filter((finding) => !rules.findings.some((rule) => sameConcern(rule, finding)));
        dependencies.logger?.debug(
          {
            model: result.model,
            promptId: result.promptId,
            added: added.length,
            dropped: result.dropped,
            inputTokens: result.usage.inputTokens,
            outputTokens: result.usage.outputTokens,
            cacheReadTokens: result.usage.cacheReadTokens,
          },
          'draft checked with a model',
        );
        return {
          findings: added.length > 0 ? mergeBySpan(rules.findings, added) : rules.findings,
          rulesFrom: rules.rulesFrom,
          model: {
            engine: dependencies.id,
            promptId: result.promptId,
            added: added.length,
            dropped: result.dropped,
            usage: { model: result.model, ...result.usage, costUsd: result.costUsd },
          },
        };
      } catch (error) {
        if (context.signal?.aborted || !ModelError.isInstance(error)) throw error;
        const reason = degradedReason(error);
        dependencies.logger?.warn({ reason, engine: dependencies.id }, 'draft checked by the rules only');
        return { ...rules, degraded: { reason, engine: dependencies.id } };
      }
    },
  };
}

const FINDING_TYPE: Readonly<Record<ModelFindingCategory, DraftFindingType>> = {
  'banned-promise': 'banned-promise',
  rudeness: 'rudeness',
  'unfounded-claim': 'unfounded-claim',
  'address-form': 'address-form',
};

function toDraftFinding(finding: ModelDraftFinding): DraftFinding {
  return {
    type: FINDING_TYPE[finding.category],
    severity: finding.severity,
    message: finding.message,
    span: finding.span,
    ...(finding.fix.trim() ? { suggestion: finding.fix } : {}),
    ruleId: `model/${finding.category}`,
  };
}

/** What a rule already says about these words: the same kind of problem over overlapping spans. */
const SAME_CONCERN: Readonly<Partial<Record<DraftFindingType, ReadonlySet<DraftFindingType>>>> = {
  'banned-promise': new Set(['banned-phrase', 'money-promise']),
  'address-form': new Set(['address-form']),
};

function sameConcern(rule: DraftFinding, model: DraftFinding): boolean {
  if (!SAME_CONCERN[model.type]?.has(rule.type)) return false;
  if (model.type === 'address-form' && !rule.span) return true;
  return Boolean(
    rule.span && model.span && rule.span.start < model.span.end && model.span.start < rule.span.end,
  );
}

import type { ConversationMessage } from '../contract/index.ts';
import type { ModelUsage } from '../feedback/event-store.ts';
import type { ComposeSource } from '../models/model-task.ts';
import type { ScriptProfile } from '../retrieval/script-profiles.ts';
import { checkDraft } from '../rules/draft-check.ts';
import { checkGuard } from '../rules/guard.ts';
import type { Channel, DraftFinding } from '../text/types.ts';
import type { SupportedLanguage } from './language.ts';

/**
 * The check stage: a text — the operator's draft, or a suggestion the pipeline composed — against
 * the team's script as the knowledge base states it: required steps, banned and required phrases,
 * the channel's length, «ты»/«вы» — and against the guard rules no script can lift (card data,
 * CVV, passwords or codes asked for; money beyond policy; links outside the profile's allowed
 * domains). One function for `/v1/check-draft` and for the pipeline, so an
 * operator's draft and a suggestion are held to the same rules.
 */
export interface ScriptCheck {
  findings: DraftFinding[];
  /** The script documents the rules came from. */
  rulesFrom: string[];
  /** A model-backed checker: which engine added findings, with which prompt, and what it cost. */
  model?: ModelCheckReport;
  /** A model-backed checker whose model failed: only the rules checked (the ModelError's code). */
  degraded?: { reason: string; engine: string };
}

export interface ModelCheckReport {
  engine: string;
  promptId: string;
  /** Findings the model added (after those dropped and those the rules already made). */
  added: number;
  /** Findings dropped because their quote is not in the text. */
  dropped: number;
  usage: ModelUsage;
}

export interface DraftCheckContext {
  profile: ScriptProfile;
  channel: Channel;
  language: SupportedLanguage;
  firstReply: boolean;
  /** The conversation before the text: a model checks claims against it. */
  messages?: readonly ConversationMessage[] | undefined;
  /** What the text may rest on (knowledge entries): a model checks claims against them. */
  sources?: readonly ComposeSource[] | undefined;
  signal?: AbortSignal | undefined;
}

export interface DraftChecker {
  readonly id: string;
  check(text: string, context: DraftCheckContext): Promise<ScriptCheck>;
}

export function checkAgainstScript(
  text: string,
  context: { profile: ScriptProfile; channel: Channel; language: SupportedLanguage; firstReply: boolean },
): ScriptCheck {
  const { profile, language } = context;
  const steps = profile.steps.filter((step) => step.language === language);
  const rules = profile.rules.find((entry) => entry.language === language);
  const findings = checkDraft(text, {
    channel: context.channel,
    isFirstReply: context.firstReply,
    steps,
    ...(rules ? { rules: rules.rules } : {}),
    address: rules?.address ?? steps[0]?.address,
    language,
    ruleDocumentIds: {
      ...(rules ? { rules: rules.documentId } : {}),
      steps: Object.fromEntries(steps.map((step) => [step.id, step.documentId])),
    },
  });
  const guard = checkGuard(text, { language, allowedDomains: profile.linkDomains });
  return {
    findings: guard.length > 0 ? mergeBySpan(findings, guard) : findings,
    rulesFrom: [...steps.map((step) => step.documentId), ...(rules ? [rules.documentId] : [])],
  };
}

/** checkDraft's order kept: findings about something missing first, then by position. */
export function mergeBySpan(
  findings: readonly DraftFinding[],
  added: readonly DraftFinding[],
): DraftFinding[] {
  const missing = findings.filter((finding) => !finding.span);
  const located = [...findings.filter((finding) => finding.span), ...added].sort(
    (left, right) => left.span!.start - right.span!.start,
  );
  return [...missing, ...located];
}

/** The rule-based checker (the offline one); a model-backed checker adds to it, never replaces it. */
export function createScriptChecker(): DraftChecker {
  return {
    id: 'rules',
    check: async (text, context) => checkAgainstScript(text, context),
  };
}

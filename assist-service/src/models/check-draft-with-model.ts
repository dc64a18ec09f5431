/**
 * Check a draft with a model: `checkDraftWithModel({draft, channel, language, messages?,
 * sources?, scriptRules?, redaction?}, {model, prompt: prompts['check-draft'], prices, signal})`
 * → `{findings, dropped, promptId, model, usage, costUsd}`.
 *
 * It catches what word lists miss: paraphrased banned promises («деньги вернём в любом случае»),
 * rudeness in polite words, claims no source backs (an action stated as done included), the wrong
 * address form. The answer is structured output through tool use: the model must call
 * `report_draft_findings`, whose input is validated here with zod — never read out of prose.
 * Each finding's quote must occur in the operator's real draft (placeholders restored) to be
 * underlined; a quote that does not — the model paraphrased or invented it — is dropped and
 * counted in `dropped`, never shown at a guessed place.
 */
import type { RedactionMap } from '@naparnik/ingest';
import { formatConversation, formatSources } from '@naparnik/prompts';
import { z } from 'zod';
import {
  type ComposeMessage,
  type ComposeSource,
  formatScriptRules,
  type ModelTaskCost,
  type ModelTaskDependencies,
  redactContext,
  restoreWith,
  runStructuredTask,
  type ScriptRulesInput,
  structuredTool,
} from './model-task.ts';

/** What the model looks for; missing script steps and length are the rules' (they are exact). */
export const MODEL_FINDING_CATEGORIES = [
  'banned-promise',
  'rudeness',
  'unfounded-claim',
  'address-form',
] as const;
export type ModelFindingCategory = (typeof MODEL_FINDING_CATEGORIES)[number];

const findingSchema = z.object({
  category: z.enum(MODEL_FINDING_CATEGORIES).describe('What is wrong.'),
  severity: z.enum(['error', 'warning']),
  quote: z.string().describe('The offending words, copied from the draft character for character.'),
  message: z.string().min(1).describe('One sentence for the operator: what is wrong.'),
  fix: z.string().describe('The replacement for the quote; empty to remove it.'),
  ruleId: z.string().optional().describe('The script rule a banned promise breaks.'),
});

export const modelCheckSchema = z.object({ findings: z.array(findingSchema).max(50) });

/** The tool the model must call; its input schema is the zod schema above. */
export const CHECK_DRAFT_TOOL = structuredTool({
  name: 'report_draft_findings',
  description:
    'Report what is wrong in the operator’s draft: each finding with its category, the exact quote ' +
    'from the draft, a message for the operator and a fix. An empty list when nothing is wrong.',
  input: modelCheckSchema,
});

export interface ModelDraftFinding extends z.infer<typeof findingSchema> {
  /** UTF-16 offsets of the quote in the draft. */
  span: { start: number; end: number };
}

export interface CheckDraftInput {
  draft: string;
  channel: string;
  language: string;
  messages?: readonly ComposeMessage[] | undefined;
  sources?: readonly ComposeSource[] | undefined;
  scriptRules?: ScriptRulesInput | undefined;
  redaction?: RedactionMap | undefined;
}

export interface CheckDraftResult extends ModelTaskCost {
  /** Only findings whose quote was found in the draft. */
  findings: ModelDraftFinding[];
  /** Findings dropped because their quote is not in the draft. */
  dropped: number;
}

export async function checkDraftWithModel(
  input: CheckDraftInput,
  dependencies: ModelTaskDependencies,
): Promise<CheckDraftResult> {
  const context = redactContext({
    messages: input.messages,
    sources: input.sources,
    extra: [input.draft],
    redaction: input.redaction,
  });
  const run = await runStructuredTask(
    {
      script_rules: formatScriptRules(input.scriptRules),
      language: input.language,
      channel: input.channel,
      sources: formatSources(context.sources),
      conversation: formatConversation(context.messages),
      draft: context.extra[0]!,
    },
    dependencies,
    { temperature: 0, tool: CHECK_DRAFT_TOOL },
  );
  const restore = restoreWith(context.map);
  const { answer } = run;
  const findings: ModelDraftFinding[] = [];
  for (const finding of answer.findings) {
    const quote = restore(finding.quote);
    const start = quote.trim() ? input.draft.indexOf(quote) : -1;
    if (start < 0) continue;
    findings.push({
      ...finding,
      quote,
      message: restore(finding.message),
      fix: restore(finding.fix),
      span: { start, end: start + quote.length },
    });
  }
  return {
    findings,
    dropped: answer.findings.length - findings.length,
    promptId: run.promptId,
    model: run.model,
    usage: run.usage,
    costUsd: run.costUsd,
  };
}

/**
 * Check a draft with a model: `checkDraftWithModel({draft, channel, language, messages?,
 * sources?, scriptRules?, redaction?}, {model, prompt: prompts['check-draft'], prices, signal})`
 * → `{findings, promptId, model, usage, costUsd}`.
 *
 * It catches what word lists miss: paraphrased banned promises («деньги вернём в любом случае»),
 * rudeness in polite words, claims no source backs, the wrong address form. The answer is a
 * structured output (JSON schema sent to the provider, validated here with zod — never read out
 * of prose); each finding's quote is located in the operator's real draft for underlining.
 */
import type { RedactionMap } from '@naparnik/ingest';
import { formatConversation, formatSources } from '@naparnik/prompts';
import { z } from 'zod';
import type { ChatUsage } from './chat-model.ts';
import {
  type ComposeMessage,
  type ComposeSource,
  formatScriptRules,
  type ModelTaskDependencies,
  parseJsonAnswer,
  redactContext,
  restoreWith,
  runModelTask,
  type ScriptRulesInput,
} from './model-task.ts';

export const MODEL_FINDING_TYPES = [
  'banned-promise',
  'rudeness',
  'unfounded-claim',
  'address-form',
  'script',
  'too-long',
] as const;

const findingSchema = z.object({
  type: z.enum(MODEL_FINDING_TYPES),
  severity: z.enum(['error', 'warning']),
  quote: z.string(),
  message: z.string().min(1),
  suggestion: z.string().optional(),
  ruleId: z.string().optional(),
});

export const modelCheckSchema = z.object({ findings: z.array(findingSchema).max(50) });

export interface ModelDraftFinding extends z.infer<typeof findingSchema> {
  /** UTF-16 offsets of the quote in the draft, when it was found there. */
  span?: { start: number; end: number };
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

export interface CheckDraftResult {
  findings: ModelDraftFinding[];
  promptId: string;
  model: string;
  usage: ChatUsage;
  costUsd: number | null;
}

const JSON_SCHEMA = z.toJSONSchema(modelCheckSchema) as Record<string, unknown>;

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
  const run = await runModelTask(
    {
      script_rules: formatScriptRules(input.scriptRules),
      language: input.language,
      channel: input.channel,
      sources: formatSources(context.sources),
      conversation: formatConversation(context.messages),
      draft: context.extra[0]!,
    },
    dependencies,
    { temperature: 0, jsonSchema: { name: 'draft_check', schema: JSON_SCHEMA } },
  );
  const restore = restoreWith(context.map);
  const answer = parseJsonAnswer(run.text, modelCheckSchema);
  const findings = answer.findings.map((finding): ModelDraftFinding => {
    const quote = restore(finding.quote);
    const start = quote ? input.draft.indexOf(quote) : -1;
    return {
      ...finding,
      quote,
      message: restore(finding.message),
      ...(finding.suggestion !== undefined ? { suggestion: restore(finding.suggestion) } : {}),
      ...(start >= 0 ? { span: { start, end: start + quote.length } } : {}),
    };
  });
  return { findings, promptId: run.promptId, model: run.model, usage: run.usage, costUsd: run.costUsd };
}

/**
 * Rewrite with a model: `rewriteWithModel({text, style, language, channel, maxLength, scriptRules?,
 * redaction?}, {model, prompt: prompts.rewrite, prices, signal})` → `{text, style, promptId,
 * model, usage, costUsd, addedFacts, tooLong}`.
 *
 * Styles: `shorter`, `friendlier`, `formal`, `fix-grammar`. The draft is redacted before it goes
 * out and restored after. A rewrite must not invent: any number, date, amount, id or link that
 * was not in the draft is reported in `addedFacts` (the caller may fall back to the offline
 * rewrite). `tooLong` says a `shorter` result still misses the channel's limit.
 */
import type { RedactionMap } from '@naparnik/ingest';
import type { ChatUsage } from './chat-model.ts';
import { languageForChecks } from './compose-with-model.ts';
import { checkFacts, type Fact } from './fact-check.ts';
import {
  formatScriptRules,
  type ModelTaskDependencies,
  redactAll,
  restoreWith,
  runModelTask,
  type ScriptRulesInput,
} from './model-task.ts';

export const MODEL_REWRITE_STYLES = ['shorter', 'friendlier', 'formal', 'fix-grammar'] as const;
export type ModelRewriteStyle = (typeof MODEL_REWRITE_STYLES)[number];

export interface RewriteInput {
  text: string;
  style: ModelRewriteStyle;
  language: string;
  channel: string;
  maxLength: number;
  scriptRules?: ScriptRulesInput | undefined;
  redaction?: RedactionMap | undefined;
  now?: Date | undefined;
}

export interface RewriteResult {
  text: string;
  style: ModelRewriteStyle;
  promptId: string;
  model: string;
  usage: ChatUsage;
  costUsd: number | null;
  /** Facts in the result that the draft did not have. */
  addedFacts: Fact[];
  tooLong: boolean;
}

/** Models like to wrap an edited text in quotes or a code fence; the operator wants the text. */
function unwrap(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```[a-z]*\n([\s\S]*?)\n```$/u.exec(trimmed);
  if (fenced) return fenced[1]!.trim();
  const quoted = /^[«"]([\s\S]*)[»"]$/u.exec(trimmed);
  return quoted && !/[«"»]/u.test(quoted[1]!) ? quoted[1]!.trim() : trimmed;
}

export async function rewriteWithModel(
  input: RewriteInput,
  dependencies: ModelTaskDependencies,
): Promise<RewriteResult> {
  const redacted = redactAll([input.text], input.redaction);
  const draft = redacted.texts[0]!;
  const run = await runModelTask(
    {
      style: input.style,
      language: input.language,
      channel: input.channel,
      max_length: input.maxLength,
      script_rules: formatScriptRules(input.scriptRules),
      text: draft,
    },
    dependencies,
    { temperature: 0.3 },
  );
  const rewritten = unwrap(run.text);
  const facts = checkFacts(rewritten, [draft], {
    now: input.now ?? new Date(),
    language: languageForChecks(input.language),
  });
  const text = restoreWith(redacted.map)(rewritten);
  return {
    text,
    style: input.style,
    promptId: run.promptId,
    model: run.model,
    usage: run.usage,
    costUsd: run.costUsd,
    addedFacts: facts.ungrounded,
    tooLong: text.length > input.maxLength,
  };
}

/**
 * The evals' LLM-judged rubric: `judgeReplyWithModel({reply, language, messages?, sources?,
 * reference?, scriptRules?}, {model, prompt: prompts.judge, prices, signal})` → `{rubric, promptId,
 * model, usage, costUsd}`.
 *
 * Five criteria, each pass/fail with a reason: `grounded`, `answers_question`, `follows_script`,
 * `tone`, `no_unperformed_actions`. Structured output through tool use (`report_rubric`), validated
 * with zod. Only a live model can judge: the evals skip it, saying why, when they replay cassettes.
 */
import { formatConversation, formatSources } from '@naparnik/prompts';
import { z } from 'zod';
import {
  type ComposeMessage,
  type ComposeSource,
  formatScriptRules,
  type ModelTaskCost,
  type ModelTaskDependencies,
  redactContext,
  runStructuredTask,
  type ScriptRulesInput,
  structuredTool,
} from './model-task.ts';

export const RUBRIC_CRITERIA = [
  'grounded',
  'answers_question',
  'follows_script',
  'tone',
  'no_unperformed_actions',
] as const;
export type RubricCriterion = (typeof RUBRIC_CRITERIA)[number];

const verdictSchema = z.object({ pass: z.boolean(), reason: z.string() });
export const rubricSchema = z.object(
  Object.fromEntries(RUBRIC_CRITERIA.map((criterion) => [criterion, verdictSchema])) as Record<
    RubricCriterion,
    typeof verdictSchema
  >,
);
export type Rubric = z.infer<typeof rubricSchema>;

export const JUDGE_TOOL = structuredTool({
  name: 'report_rubric',
  description:
    'Report the verdict on each rubric criterion for the draft reply: pass (true/false) and a one-sentence reason.',
  input: rubricSchema,
});

export interface JudgeInput {
  reply: string;
  language: string;
  messages?: readonly ComposeMessage[] | undefined;
  sources?: readonly ComposeSource[] | undefined;
  /** What the operator really sent, when the eval case has it. */
  reference?: string | undefined;
  scriptRules?: ScriptRulesInput | undefined;
}

export interface JudgeResult extends ModelTaskCost {
  rubric: Rubric;
}

export async function judgeReplyWithModel(
  input: JudgeInput,
  dependencies: ModelTaskDependencies,
): Promise<JudgeResult> {
  const context = redactContext({
    messages: input.messages,
    sources: input.sources,
    extra: [input.reply, input.reference ?? '—'],
  });
  const run = await runStructuredTask(
    {
      script_rules: formatScriptRules(input.scriptRules),
      language: input.language,
      sources: formatSources(context.sources),
      conversation: formatConversation(context.messages),
      reply: context.extra[0]!,
      reference: context.extra[1]!,
    },
    dependencies,
    { temperature: 0, tool: JUDGE_TOOL },
  );
  return {
    rubric: run.answer,
    promptId: run.promptId,
    model: run.model,
    usage: run.usage,
    costUsd: run.costUsd,
  };
}

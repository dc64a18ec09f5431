/**
 * Structured conversation understanding with a model (the stronger model is allowed here):
 *
 * - `summarizeWithModel({messages, language, redaction?}, deps)` → `{summary: {issue, tried,
 *   promised, openQuestions}, promptId, model, usage, costUsd}`;
 * - `suggestNextActionsWithModel({messages, sources?, routing, language, redaction?}, deps)` →
 *   `{actions, droppedActions, …}`: handover / ask / close / escalate with reasons and a
 *   precondition («сначала: …»); a department or rule the team does not have is dropped and
 *   counted, never shown.
 *
 * Both are structured outputs (a JSON schema sent to the provider, the answer validated with
 * zod), never read out of prose. Personal values are redacted going out and restored coming back.
 */
import type { RedactionMap } from '@naparnik/ingest';
import { formatConversation, formatSources } from '@naparnik/prompts';
import { stringify } from 'yaml';
import { z } from 'zod';
import type { ChatUsage } from './chat-model.ts';
import {
  type ComposeMessage,
  type ComposeSource,
  type ModelTaskDependencies,
  parseJsonAnswer,
  redactContext,
  restoreWith,
  runModelTask,
} from './model-task.ts';

interface TaskOutcome {
  promptId: string;
  model: string;
  usage: ChatUsage;
  costUsd: number | null;
}

const summarySchema = z.object({
  issue: z.string(),
  tried: z.array(z.string()).max(20),
  promised: z.array(z.string()).max(20),
  openQuestions: z.array(z.string()).max(20),
});
export type ModelSummary = z.infer<typeof summarySchema>;

export interface SummaryInput {
  messages: readonly ComposeMessage[];
  language: string;
  redaction?: RedactionMap | undefined;
}

export async function summarizeWithModel(
  input: SummaryInput,
  dependencies: ModelTaskDependencies,
): Promise<TaskOutcome & { summary: ModelSummary }> {
  const context = redactContext({ messages: input.messages, redaction: input.redaction });
  const run = await runModelTask(
    { language: input.language, conversation: formatConversation(context.messages) },
    dependencies,
    {
      temperature: 0,
      jsonSchema: { name: 'summary', schema: z.toJSONSchema(summarySchema) as Record<string, unknown> },
    },
  );
  const restore = restoreWith(context.map);
  const answer = parseJsonAnswer(run.text, summarySchema);
  return {
    summary: {
      issue: restore(answer.issue),
      tried: answer.tried.map(restore),
      promised: answer.promised.map(restore),
      openQuestions: answer.openQuestions.map(restore),
    },
    promptId: run.promptId,
    model: run.model,
    usage: run.usage,
    costUsd: run.costUsd,
  };
}

const actionSchema = z.object({
  type: z.enum(['handover', 'ask', 'close', 'escalate']),
  reason: z.string().min(1),
  department: z.string().optional(),
  slot: z.string().optional(),
  ask: z.string().optional(),
  ruleId: z.string().optional(),
  sources: z.array(z.number().int()).optional(),
  precondition: z.string().optional(),
});
const actionsSchema = z.object({ actions: z.array(actionSchema).max(10) });
export type ModelNextAction = z.infer<typeof actionSchema>;

export interface RoutingInput {
  departments: readonly { id: string; name: string; description?: string | undefined }[];
  rules: readonly {
    id: string;
    action: string;
    department?: string | undefined;
    reason?: string | undefined;
  }[];
}

export interface NextActionsInput {
  messages: readonly ComposeMessage[];
  sources?: readonly ComposeSource[] | undefined;
  routing: RoutingInput;
  language: string;
  redaction?: RedactionMap | undefined;
}

export async function suggestNextActionsWithModel(
  input: NextActionsInput,
  dependencies: ModelTaskDependencies,
): Promise<TaskOutcome & { actions: ModelNextAction[]; droppedActions: number }> {
  const sources = input.sources ?? [];
  const context = redactContext({ messages: input.messages, sources, redaction: input.redaction });
  const run = await runModelTask(
    {
      routing_rules: stringify(
        { departments: input.routing.departments, rules: input.routing.rules },
        { lineWidth: 0 },
      ).trim(),
      language: input.language,
      sources: formatSources(context.sources),
      conversation: formatConversation(context.messages),
    },
    dependencies,
    {
      temperature: 0,
      jsonSchema: { name: 'next_actions', schema: z.toJSONSchema(actionsSchema) as Record<string, unknown> },
    },
  );
  const restore = restoreWith(context.map);
  const departments = new Set(input.routing.departments.map((department) => department.id));
  const rules = new Set(input.routing.rules.map((rule) => rule.id));
  const answer = parseJsonAnswer(run.text, actionsSchema);
  // Only what the team has: a made-up department would send the customer nowhere.
  const kept = answer.actions.filter(
    (action) =>
      (action.type !== 'handover' ||
        (action.department !== undefined && departments.has(action.department))) &&
      (action.ruleId === undefined || rules.has(action.ruleId)) &&
      (action.sources ?? []).every((number) => number >= 1 && number <= sources.length),
  );
  return {
    actions: kept.map((action) => ({
      ...action,
      reason: restore(action.reason),
      ...(action.ask !== undefined ? { ask: restore(action.ask) } : {}),
      ...(action.precondition !== undefined ? { precondition: restore(action.precondition) } : {}),
    })),
    droppedActions: answer.actions.length - kept.length,
    promptId: run.promptId,
    model: run.model,
    usage: run.usage,
    costUsd: run.costUsd,
  };
}

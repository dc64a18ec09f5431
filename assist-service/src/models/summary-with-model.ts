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
 * Both are structured outputs through forced tool use (`report_summary`, `suggest_next_actions`;
 * the input validated with zod, a missing or malformed call retried once, then `invalid-response`),
 * never read out of prose. Personal values are redacted going out and restored coming back.
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
  redactContext,
  restoreWith,
  runStructuredTask,
  structuredTool,
} from './model-task.ts';

interface TaskOutcome {
  promptId: string;
  model: string;
  usage: ChatUsage;
  costUsd: number | null;
}

const summarySchema = z.object({
  issue: z.string().describe('What happened and what the customer wants, in one sentence.'),
  tried: z.array(z.string()).max(20).describe('What the customer or support already did.'),
  promised: z.array(z.string()).max(20).describe('What support promised the customer.'),
  openQuestions: z.array(z.string()).max(20).describe('The customer’s questions not answered yet.'),
});
export type ModelSummary = z.infer<typeof summarySchema>;

export const SUMMARY_TOOL = structuredTool({
  name: 'report_summary',
  description:
    'Report the summary of the conversation for the operator joining it: the issue, what was tried, ' +
    'what was promised, the open questions. Empty lists when the conversation has none.',
  input: summarySchema,
});

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
  const run = await runStructuredTask(
    { language: input.language, conversation: formatConversation(context.messages) },
    dependencies,
    { temperature: 0, tool: SUMMARY_TOOL },
  );
  const restore = restoreWith(context.map);
  const { answer } = run;
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
  reason: z.string().min(1).describe('One sentence for the operator: why this step.'),
  department: z.string().optional().describe('For handover: the id of one of the team’s departments.'),
  slot: z.string().optional().describe('For ask: what is missing.'),
  ask: z.string().optional().describe('For ask: the question to the customer, ready to send.'),
  ruleId: z.string().optional().describe('The id of the routing rule the step follows from.'),
  sources: z.array(z.number().int()).optional().describe('Numbers of the sources the step rests on.'),
  precondition: z
    .string()
    .optional()
    .describe('What must be done first, when it is not done yet («сначала: …»).'),
});
const actionsSchema = z.object({ actions: z.array(actionSchema).max(10) });
export type ModelNextAction = z.infer<typeof actionSchema>;

export const NEXT_ACTIONS_TOOL = structuredTool({
  name: 'suggest_next_actions',
  description:
    'Suggest the operator’s next steps (handover, ask, close, escalate), each with its reason and, ' +
    'when one is still to be met, its precondition. An empty list when no step is needed.',
  input: actionsSchema,
});

export interface RoutingInput {
  departments: readonly { id: string; name: string; description?: string | undefined }[];
  rules: readonly {
    id: string;
    action: string;
    department?: string | undefined;
    /** For ask: the slot the rule asks for. */
    slot?: string | undefined;
    /** When the rule applies (topics, keywords, channels, mood, missing slots), as the team wrote it. */
    when?: unknown;
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
  const run = await runStructuredTask(
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
    { temperature: 0, tool: NEXT_ACTIONS_TOOL },
  );
  const restore = restoreWith(context.map);
  const departments = new Set(input.routing.departments.map((department) => department.id));
  const rules = new Set(input.routing.rules.map((rule) => rule.id));
  const { answer } = run;
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

import { z } from 'zod';
import { readRecords } from '../data/records.ts';
import { EvalRunError } from '../errors.ts';
import {
  type EvalAssistResponse,
  expectationsSchema,
  gradeResponse,
  type Violation,
} from '../graders/redteam.ts';
import { type Breakdown, type CaseFailure, MAX_FAILURES } from '../result.ts';
import type { RedteamSuite } from '../suite/schema.ts';
import type { EvalConversation } from '../targets/eval-target.ts';
import { type GradedOutcome, gradeResponses } from './reply-grading.ts';
import type { TaskContext, TaskOutput } from './task.ts';

const conversationFields = z
  .object({
    channel: z.enum(['chat', 'email', 'messenger', 'social', 'marketplace']).default('chat'),
    language: z.string().min(2).optional(),
    customer: z
      .object({ name: z.string().optional(), fields: z.record(z.string(), z.string()).optional() })
      .strict()
      .optional(),
    messages: z
      .array(z.object({ role: z.enum(['customer', 'operator']), text: z.string().min(1) }).strict())
      .min(1),
  })
  .passthrough();

export interface RedteamOutcome {
  id: string;
  category: string;
  conversation: EvalConversation;
  response: EvalAssistResponse;
  violations: Violation[];
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(record)'}: ${issue.message}` : 'invalid';
}

/**
 * Red-team conversations through the engine the service runs: each response is graded against
 * the case's expected outcomes. `harmful_count` counts cases with a harmful outcome (gated at 0);
 * `pass_rate` is the share of cases with no violation at all, also per category.
 */
export async function runRedteam(suite: RedteamSuite, context: TaskContext): Promise<TaskOutput> {
  if (!context.createTarget) throw new Error('redteam needs an engine target');
  const where = context.resolve(suite.cases.path);
  const { fields } = suite.cases;
  const cases = readRecords(suite.cases, context.resolve).map((record, index) => {
    const at = `${where} record ${index + 1}`;
    const id = record[fields.id];
    const category = record[fields.category];
    if (typeof id !== 'string' || !id)
      throw new EvalRunError('data-invalid', `${at}: "${fields.id}" required`);
    if (typeof category !== 'string' || !category)
      throw new EvalRunError('data-invalid', `${at}: "${fields.category}" required`);
    const conversation = conversationFields.safeParse(record);
    if (!conversation.success)
      throw new EvalRunError('data-invalid', `${at}: ${describeIssue(conversation.error)}`);
    const expectations = expectationsSchema.safeParse(record[fields.expect]);
    if (!expectations.success)
      throw new EvalRunError('data-invalid', `${at}: ${fields.expect}.${describeIssue(expectations.error)}`);
    const { channel, language, customer, messages } = conversation.data;
    return {
      id,
      category,
      conversation: {
        id,
        channel,
        ...(language ? { language } : {}),
        ...(customer ? { customer } : {}),
        messages,
      } satisfies EvalConversation,
      expectations: expectations.data,
    };
  });
  const target = await context.createTarget({ knowledge: suite.knowledge });
  try {
    const outcomes: RedteamOutcome[] = [];
    const responses: GradedOutcome[] = [];
    for (const item of cases) {
      const response = await target.assist(item.conversation, { collection: suite.knowledge.collection });
      responses.push({ conversation: item.conversation, response });
      outcomes.push({
        id: item.id,
        category: item.category,
        conversation: item.conversation,
        response,
        violations: gradeResponse(response, item.expectations),
      });
    }
    const output = summarize(outcomes, target.engine);
    const graded = await gradeResponses(target, suite.knowledge.collection, responses);
    return {
      ...output,
      metrics: { ...output.metrics, ...graded.metrics },
      details: { ...output.details, notes: [...output.details.notes, ...graded.notes] },
    };
  } finally {
    await target.close();
  }
}

/** Metrics, per-category breakdown and failures of graded outcomes. */
export function summarize(outcomes: readonly RedteamOutcome[], engine: string): TaskOutput {
  const harmful = (outcome: RedteamOutcome) => outcome.violations.some((violation) => violation.harmful);
  const passed = (outcome: RedteamOutcome) => outcome.violations.length === 0;
  const rate = (list: readonly RedteamOutcome[]) => list.filter(passed).length / (list.length || 1);
  const categories = [...new Set(outcomes.map((outcome) => outcome.category))].sort();
  const metrics: Record<string, number> = {
    harmful_count: outcomes.filter(harmful).length,
    pass_rate: rate(outcomes),
  };
  const breakdown: Breakdown = { field: 'category', groups: [] };
  for (const category of categories) {
    const group = outcomes.filter((outcome) => outcome.category === category);
    metrics[`pass_rate.${category}`] = rate(group);
    breakdown.groups.push({
      name: category,
      n: group.length,
      metrics: { pass_rate: rate(group), harmful_count: group.filter(harmful).length },
    });
  }
  // Harmful cases first: they are what the gate is about.
  const failing = [...outcomes.filter(harmful), ...outcomes.filter((o) => !harmful(o) && !passed(o))];
  const shown = Math.max(MAX_FAILURES, metrics.harmful_count ?? 0);
  const failures: CaseFailure[] = failing.slice(0, shown).map((outcome) => ({
    id: outcome.id,
    input: outcome.conversation.messages
      .filter((message) => message.role === 'customer')
      .map((message) => message.text)
      .join(' / '),
    expected: outcome.violations.map(
      (violation) => `${violation.harmful ? 'HARMFUL ' : ''}${violation.kind}: ${violation.detail}`,
    ),
    got: outcome.response.suggestions[0]
      ? {
          text: outcome.response.suggestions[0].text.slice(0, 400),
          confidence: outcome.response.suggestions[0].confidence.level,
          preconditions: outcome.response.suggestions[0].preconditions ?? [],
        }
      : null,
  }));
  return {
    n: outcomes.length,
    metrics,
    failures,
    details: {
      notes: [
        `engine ${engine}; a case passes when no expectation is violated; harmful_count counts cases with a harmful violation`,
      ],
      breakdown,
      distributions: [],
    },
  };
}

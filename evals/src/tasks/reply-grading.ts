import type { AssistResponse } from '@naparnik/assist-service/contract';
import { type GradedReply, gradeReply, personalValuesSent, replyMetrics } from '../graders/reply-graders.ts';
import type { EvalConversation, EvalTarget } from '../targets/eval-target.ts';

export interface GradedOutcome {
  conversation: EvalConversation;
  response: AssistResponse;
}

/**
 * The deterministic reply graders over a task's responses (first suggestion of each answered
 * case), and for a model engine what it cost and whether anything personal was sent to it.
 */
export async function gradeResponses(
  target: EvalTarget,
  collection: string,
  outcomes: readonly GradedOutcome[],
): Promise<{ metrics: Record<string, number>; notes: string[]; grades: Map<string, GradedReply> }> {
  const chunkTexts = target.chunkTexts ? await target.chunkTexts(collection) : new Map<string, string>();
  const grades = new Map<string, GradedReply>();
  for (const { conversation, response } of outcomes) {
    const first = response.suggestions[0];
    if (!first) continue;
    const findings = target.checkDraft
      ? await target.checkDraft(first.text, {
          collection,
          channel: conversation.channel ?? 'chat',
          language: first.language,
        })
      : [];
    grades.set(
      conversation.id,
      gradeReply({ text: first.text, citations: first.citations, conversation, chunkTexts, findings }),
    );
  }
  const metrics = replyMetrics([...grades.values()]);
  const notes = [
    `reply graders over the first suggestion of ${grades.size} answered cases: cites a retrieved chunk, facts in a cited source or the conversation, language, no banned phrase, no personal value the conversation did not hold`,
  ];
  if (target.sentToModel) {
    const n = outcomes.length || 1;
    const sent = personalValuesSent(
      outcomes.map((outcome) => outcome.conversation),
      target.sentToModel(),
    );
    metrics['model.personal_values_sent_count'] = sent.length;
    // The model's draft among the suggestions (it may stand behind the hold message when it
    // carries a to-do), against the offline fallback or silence.
    metrics['model.drafted_rate'] =
      outcomes.filter((outcome) =>
        outcome.response.suggestions.some((suggestion) => suggestion.kind === 'generated'),
      ).length / n;
    metrics['model.degraded_count'] = outcomes.filter((outcome) => outcome.response.degraded).length;
    const usages = outcomes.flatMap((outcome) => (outcome.response.usage ? [outcome.response.usage] : []));
    const sum = (pick: (usage: NonNullable<AssistResponse['usage']>) => number) =>
      usages.reduce((total, usage) => total + pick(usage), 0);
    metrics['model.input_tokens_per_case'] = sum((usage) => usage.inputTokens) / n;
    metrics['model.output_tokens_per_case'] = sum((usage) => usage.outputTokens) / n;
    metrics['model.cache_read_tokens_per_case'] = sum((usage) => usage.cacheReadTokens) / n;
    metrics['model.cache_write_tokens_per_case'] = sum((usage) => usage.cacheWriteTokens) / n;
    if (usages.length > 0 && usages.every((usage) => usage.costUsd !== null)) {
      metrics['model.cost_usd_per_1000'] = (sum((usage) => usage.costUsd ?? 0) / n) * 1000;
    }
    notes.push(
      `model: ${target.sentToModel().length} requests sent; ${sent.length} personal values of the conversations found in them`,
    );
  }
  return { metrics, notes, grades };
}

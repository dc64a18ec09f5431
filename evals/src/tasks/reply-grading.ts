import { ModelError } from '@naparnik/assist-service';
import type { AssistResponse } from '@naparnik/assist-service/contract';
import { agreementNote, type JudgedCase, judgeMetrics } from '../graders/judge-agreement.ts';
import { type GradedReply, gradeReply, personalValuesSent, replyMetrics } from '../graders/reply-graders.ts';
import type { EvalConversation, EvalTarget } from '../targets/eval-target.ts';

export interface GradedOutcome {
  conversation: EvalConversation;
  response: AssistResponse;
  /** What the operator really sent (replay suites): the judge reads it. */
  reference?: string;
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
  if (target.judge) {
    const judged = await judgeOutcomes(target, collection, outcomes, grades, chunkTexts);
    Object.assign(metrics, judgeMetrics(judged.cases));
    notes.push(agreementNote(metrics, judged.cases.length));
    if (judged.failed > 0) notes.push(`LLM judge failed on ${judged.failed} cases (left out)`);
  } else if (target.judgeSkipped) {
    notes.push(target.judgeSkipped);
  }
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

/** The judge's rubric of each graded first suggestion, beside the deterministic graders' verdicts. */
async function judgeOutcomes(
  target: EvalTarget,
  collection: string,
  outcomes: readonly GradedOutcome[],
  grades: ReadonlyMap<string, GradedReply>,
  chunkTexts: ReadonlyMap<string, string>,
): Promise<{ cases: JudgedCase[]; failed: number }> {
  const cases: JudgedCase[] = [];
  let failed = 0;
  for (const { conversation, response, reference } of outcomes) {
    const first = response.suggestions[0];
    const grade = grades.get(conversation.id);
    if (!first || !grade || !target.judge) continue;
    try {
      const rubric = await target.judge({
        reply: first.text,
        conversation,
        collection,
        language: first.language,
        sources: first.citations.map((citation) => ({
          chunkId: citation.chunkId,
          title: citation.title,
          text: chunkTexts.get(citation.chunkId) ?? citation.quote,
        })),
        reference,
      });
      cases.push({
        rubric,
        deterministic: {
          grounded: grade.citesSource && grade.ungrounded.length === 0,
          followsScript: grade.bannedPromises.length === 0,
          noUnperformedActions: (first.preconditions?.length ?? 0) === 0,
        },
      });
    } catch (error) {
      // One failed or unreadable verdict does not sink the run; the report counts it.
      if (!ModelError.isInstance(error)) throw error;
      failed++;
    }
  }
  return { cases, failed };
}

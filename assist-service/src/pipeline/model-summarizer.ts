import { summarizeWithModel } from '../models/summary-with-model.ts';
import { degradedBy, type ModelStageDependencies, recordStageCall, stageTask } from './model-stage.ts';
import type { Summarizer, SummaryResult } from './summarize.ts';

/**
 * The summary stage with a model: the issue, what was tried, what was promised and the open
 * questions come from the model (`summarizeWithModel`: forced tool use, personal values redacted
 * going out and restored coming back); entities and mood stay the understand stage's. Any model
 * fault gives the offline summary with the reason in `degraded`. An automated notice is not worth
 * a call: the offline summary answers it, and nothing is recorded.
 */
export function createModelSummarizer(dependencies: ModelStageDependencies<Summarizer>): Summarizer {
  const { offline } = dependencies;
  return {
    id: dependencies.id,
    networkBound: true,
    async summarize(input, options): Promise<SummaryResult> {
      const { understanding } = input;
      if (understanding.automated || !input.messages.some((message) => message.role === 'customer'))
        return offline.summarize(input, options);
      try {
        const result = await summarizeWithModel(
          {
            messages: input.messages.map((message) => ({ role: message.role, text: message.text })),
            language: input.language,
          },
          stageTask(dependencies, options.signal),
        );
        const { summary } = result;
        return {
          summary: {
            ...understanding.summary,
            // An empty issue says the model found none: the understand stage's words are better.
            issue: summary.issue.trim() || understanding.summary.issue,
            tried: summary.tried,
            promised: summary.promised,
            openQuestions: summary.openQuestions,
          },
          ...recordStageCall(dependencies, result, 'summarized with a model'),
        };
      } catch (error) {
        const degraded = degradedBy(error, options.signal, dependencies, 'summary by the offline rules');
        return { ...(await offline.summarize(input, options)), degraded };
      }
    },
  };
}

import type { AssistResponse, AssistSummary, ConversationMessage } from '../contract/index.ts';
import type { Understanding } from '../engines/offline/understanding.ts';

/**
 * The summary stage: what the panel shows an operator joining the conversation (the issue, what
 * was tried, what was promised, the open questions). Offline it is the understand stage's own
 * summary; a model-backed summarizer writes those four parts with the model and keeps the
 * understand stage's entities and mood. Like compose, it is swappable and falls back to offline.
 */
export interface SummaryInput {
  /** The conversation within the service's budget. */
  messages: readonly ConversationMessage[];
  understanding: Understanding;
  language: string;
}

/** Which engine did a stage's work, and why the model did not when it was asked first. */
export interface StageOutcome {
  engine: string;
  promptId?: string;
  degraded?: { reason: string; engine: string };
  /** Tokens and cost of the stage's model calls; the pipeline adds them to the set's usage. */
  usage?: AssistResponse['usage'];
}

export interface SummaryResult extends StageOutcome {
  summary: AssistSummary;
}

/** A stage around compose that can be swapped for a model-backed one (summary, act). */
export interface SwappableStage {
  readonly id: string;
  /** Waits on a model: the pipeline starts it once the draft is out, awaits it outside the work queue. */
  readonly networkBound: boolean;
}

export interface Summarizer extends SwappableStage {
  summarize(input: SummaryInput, options: { signal: AbortSignal }): Promise<SummaryResult>;
}

export const OFFLINE_SUMMARIZER: Summarizer = {
  id: 'offline',
  networkBound: false,
  async summarize({ understanding }) {
    return { summary: understanding.summary, engine: 'offline' };
  },
};

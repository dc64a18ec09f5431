import type { AssistResponse } from '@naparnik/assist-service/contract';
import type { RubricVerdicts } from '../graders/judge-agreement.ts';

/**
 * The engine under test, as the replay and summary suites see it: a conversation in, suggestions
 * and a summary out. The pipeline runs in-process (`pipeline-target.ts`) with the offline compose
 * stage or a model's (`model-target.ts`). Small on purpose: a suite never reaches past it into an engine's internals.
 */
export interface EvalMessage {
  role: 'customer' | 'operator';
  text: string;
}

export interface EvalConversation {
  id: string;
  channel?: string;
  language?: string;
  messages: EvalMessage[];
  /** The helpdesk's customer card (a marketplace review's rating sits in `fields`). */
  customer?: { name?: string; fields?: Record<string, string> };
}

/** A past question with the answer that helped, as the service's history holds it. */
export interface EvalHistoryEntry {
  id: string;
  question: string;
  answer?: string;
  topic?: string;
  documentIds: string[];
}

export interface JudgeRequest {
  reply: string;
  conversation: EvalConversation;
  collection: string;
  language: string;
  /** The chunks the reply cites, as the judge's sources. */
  sources: ReadonlyArray<{ chunkId: string; title: string; text: string }>;
  /** What the operator really sent, when the case has it. */
  reference?: string | undefined;
}

export interface EvalTarget {
  /** `offline`, `claude`, … as results record it. */
  readonly engine: string;
  /** The whole response the service would send (suggestions, citations, confidence, topic). */
  assist(
    conversation: EvalConversation,
    options: { collection: string; signal?: AbortSignal },
  ): Promise<AssistResponse>;
  /**
   * Replaces the collection's stored history (the product's own feature, `pnpm ingest --history`),
   * so k-fold scoring gives each fold the other folds as its past questions.
   */
  replaceHistory(collection: string, entries: readonly EvalHistoryEntry[]): Promise<void>;
  /**
   * Calibrates the collection's confidence on its current history as a team does
   * (`fitCollectionCalibration`; the service: `pnpm naparnik calibrate`), and scores with that
   * model from now on: `fitted`, or why the shipped model was kept (history too small, a
   * degenerate fit). `calibration: cross-fit` suites call it once each fold's history is in place.
   */
  calibrate?(collection: string): Promise<string>;
  /** The collection's documentIds (to map the cases' ids onto them). */
  documentIds?(collection: string): Promise<string[]>;
  /** Reply suggestions, best first. */
  suggest(
    conversation: EvalConversation,
    options: { collection: string; signal?: AbortSignal },
  ): Promise<string[]>;
  /** A hand-off summary of the conversation. */
  summarize(
    conversation: EvalConversation,
    options: { collection?: string; signal?: AbortSignal },
  ): Promise<string>;
  /** Every chunk's text by chunkId (what the graders check facts against). */
  chunkTexts?(collection: string): Promise<ReadonlyMap<string, string>>;
  /** The offline rule checker's findings on a text, with the collection's script. */
  checkDraft?(
    text: string,
    options: { collection: string; channel: string; language: string },
  ): Promise<Array<{ type: string; message: string }>>;
  /** Request bodies sent to a model API so far (model engines only). */
  sentToModel?(): readonly unknown[];
  /** The LLM-judged rubric of a reply (model engines, live only). */
  judge?(request: JudgeRequest): Promise<RubricVerdicts>;
  /** Why no judge runs on this target (cassettes replayed, the simulator), for the report. */
  judgeSkipped?: string;
  close(): Promise<void>;
}

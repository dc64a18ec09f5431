import type { Logger } from 'pino';
import type { AssistEvent, AssistRequest, AssistResponse } from '../contract/index.ts';

export interface AssistContext {
  /** Aborted when the client goes away or the request times out. */
  signal: AbortSignal;
  /** Streams progress; a no-op for JSON requests, so SSE and JSON share one code path. */
  emit(event: AssistEvent): void;
  suggestionSetId: string;
  logger?: Logger;
  /**
   * Runs CPU-bound work in its turn (the service's work queue); absent, it runs at once. The
   * pipeline puts its CPU stages through it and keeps network waits (a model call) out of it.
   */
  cpu?: <T>(task: () => Promise<T>) => Promise<T>;
}

export interface AssistResult {
  response: AssistResponse;
  /** Present when nothing in the knowledge base fit: the route records it as a knowledge gap. */
  knowledgeGap?: { query: string; bestScore: number };
}

/** One way of producing suggestions: the offline engine today, Claude later. */
export interface AssistEngine {
  readonly id: string;
  assist(request: AssistRequest, context: AssistContext): Promise<AssistResult>;
}

import type {
  AssistEvent,
  AssistRequest,
  AssistResponse,
  ConversationMessage,
  Suggestion,
} from '../contract/index.ts';
import type { SuggestionContext } from '../engines/offline/suggestions.ts';
import type { Understanding } from '../engines/offline/understanding.ts';
import type { ScriptProfile } from '../retrieval/script-profiles.ts';
import type { Retrieved } from './retrieve.ts';

/**
 * The one swappable stage: turns what was understood and retrieved into reply suggestions. The
 * offline composer fills the team's templates and FAQ answers; a model-backed composer drafts from
 * the same sources. Understanding, retrieval, next actions and the check around it are shared.
 */
export interface ComposeInput {
  request: AssistRequest;
  /** The conversation within the service's budget. */
  messages: readonly ConversationMessage[];
  understanding: Understanding;
  /** Answers carry calibrated probabilities as their `score`. */
  retrieved: Retrieved;
  profile: ScriptProfile;
  context: SuggestionContext;
}

export interface ComposeOptions {
  signal: AbortSignal;
  /** Streams text as it is drafted (the panel shows it as partial). */
  emit(event: AssistEvent): void;
  /**
   * A network-bound composer calls it once its model request has left (the API answered it), or
   * once it knows none will go: the pipeline's other model calls start then, so they never hold
   * up the draft's first byte. The pipeline also starts them when compose settles.
   */
  onDispatched?: (() => void) | undefined;
}

export interface ComposeResult {
  suggestions: Suggestion[];
  /** Indexes whose text was already streamed as `suggestion-delta` events while drafting. */
  streamed?: number[];
  /** The engine that answered, when not the composer's own (a fallback). */
  engine?: string;
  /** Why the composer's model did not draft (the offline engine answered). */
  degraded?: { reason: string; engine: string };
  usage?: AssistResponse['usage'];
}

export interface Composer {
  /** `offline`, `claude`, … as responses and feedback record it. */
  readonly id: string;
  /**
   * Waits on the network (a model API): the pipeline runs it outside the CPU work queue, so one
   * slow model call does not hold up other operators' requests.
   */
  readonly networkBound: boolean;
  compose(input: ComposeInput, options: ComposeOptions): Promise<ComposeResult>;
}

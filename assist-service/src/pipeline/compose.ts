import type { AssistRequest, ConversationMessage, Suggestion } from '../contract/index.ts';
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

export interface Composer {
  /** `offline`, `claude`, … as responses and feedback record it. */
  readonly id: string;
  compose(input: ComposeInput, options: { signal: AbortSignal }): Promise<Suggestion[]>;
}

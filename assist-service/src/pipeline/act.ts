import type {
  Channel,
  ConversationMessage,
  CustomerCard,
  NextAction,
  Suggestion,
} from '../contract/index.ts';
import { nextActionsFor } from '../engines/offline/next-actions.ts';
import type { Understanding } from '../engines/offline/understanding.ts';
import type { ScriptProfile } from '../retrieval/script-profiles.ts';
import { stripQuotedHistory } from '../text/clean.ts';
import { detectRating, ratingFromFields } from '../text/rating.ts';
import type { Retrieved } from './retrieve.ts';
import type { StageOutcome, SwappableStage } from './summarize.ts';

/**
 * The act stage: what to do besides replying (hand over, ask, close, escalate), each with its
 * reason. Offline: the team's routing rules and the engine's own rules (`nextActionsFor`); a
 * model-backed actor asks the model, choosing only among the team's departments and rules, and
 * falls back to offline.
 *
 * Two steps, so a model call can go out beside the draft: `begin` takes what the retrieve stage
 * gave and settles when its model call does (awaited outside the work queue); the function it
 * gives finishes, at once, once the suggestions are checked (the offline rules ask for what the
 * best suggestion could not fill).
 */
export interface ActInput {
  profile: ScriptProfile;
  understanding: Understanding;
  /** The conversation within the service's budget. */
  messages: readonly ConversationMessage[];
  retrieved: Retrieved;
  /** Categories and tags of the detected topic. */
  topicLabels: readonly string[];
  channel: Channel;
  language: string;
  /** Slot values the conversation, the customer card and the operator give. */
  values: Readonly<Record<string, string>>;
  customer?: CustomerCard | undefined;
}

export interface ActResult extends StageOutcome {
  nextActions: NextAction[];
}

export type FinishActing = (suggestions: readonly Suggestion[]) => ActResult;

export interface Actor extends SwappableStage {
  begin(input: ActInput, options: { signal: AbortSignal }): Promise<FinishActing>;
}

export const OFFLINE_ACTOR: Actor = {
  id: 'offline',
  networkBound: false,
  async begin(input) {
    return (suggestions) => ({ nextActions: offlineNextActions(input, suggestions), engine: 'offline' });
  },
};

function offlineNextActions(input: ActInput, suggestions: readonly Suggestion[]): NextAction[] {
  const { messages } = input;
  const best = input.retrieved.answers[0];
  return nextActionsFor({
    profile: input.profile,
    understanding: input.understanding,
    topicLabels: input.topicLabels,
    channel: input.channel,
    language: input.language,
    values: input.values,
    missingSlots: suggestions[0]?.missingSlots ?? [],
    template: best?.hit.kind === 'template' ? best.hit : undefined,
    customerText: messages.filter((message) => message.role === 'customer').map(ownWords),
    rating:
      ratingFromFields(input.customer?.fields) ??
      detectRating(
        messages
          .filter((message) => message.role === 'customer')
          .slice(-2)
          .map((message) => message.text)
          .join('\n'),
      ),
  });
}

/**
 * What the customer wrote, without the quoted e-mail history under it: «Ваш заказ принят» in our own
 * old letter is no automated notice to close, nor a marketplace named there their order's. A bare
 * forward (nothing above the quote) is judged whole: the forwarded notice is the message.
 */
function ownWords(message: ConversationMessage): string {
  const own = stripQuotedHistory(message.text);
  return /\p{L}/u.test(own) ? own : message.text;
}

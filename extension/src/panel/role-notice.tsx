import type { ConversationMessage } from '@naparnik/assist-service/contract';
import type { Strings } from './strings.ts';

/** Below this the reader is not sure which side a message is from (see adapters/support/roles.ts). */
export const UNSURE_BELOW = 0.5;

/** Messages whose role the reader inferred with little evidence; status lines do not count. */
export function unsureMessages(messages: readonly ConversationMessage[]): ConversationMessage[] {
  return messages.filter(
    (message) =>
      message.role !== 'system' &&
      message.roleConfidence !== undefined &&
      message.roleConfidence < UNSURE_BELOW,
  );
}

/**
 * Tells the operator when the page was read without being sure who wrote what: the latest
 * message (the one suggestions answer) first, else how many. Pages whose markup states the roles
 * carry no confidence and never show it.
 */
export function RoleNotice({
  messages,
  strings,
  onTeach,
}: {
  messages: readonly ConversationMessage[];
  strings: Strings;
  onTeach?: () => void;
}) {
  const unsure = unsureMessages(messages);
  if (unsure.length === 0) return null;
  const latest = [...messages].reverse().find((message) => message.role !== 'system');
  const latestUnsure = latest !== undefined && unsure.includes(latest);
  return (
    <div className="np-unsure" role="status">
      <p>
        {latestUnsure && latest
          ? strings.unsureLatest(strings.roleNames[latest.role])
          : strings.unsureSome(unsure.length)}
      </p>
      {onTeach ? (
        <button type="button" className="np-link" onClick={onTeach}>
          {strings.unsureTeach}
        </button>
      ) : null}
    </div>
  );
}

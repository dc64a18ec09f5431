import type { Conversation } from '@naparnik/assist-service/contract';

/** How many of the newest operator messages mark where the conversation stood at insert time. */
const ANCHOR_LENGTH = 3;

/** A suggestion the operator inserted, waiting for the message they actually send. */
export interface PendingInsert {
  suggestionSetId: string;
  suggestionIndex: number;
  text: string;
  /**
   * The newest operator messages on the page when the suggestion was inserted (at most three,
   * oldest first). The page bridge reads only the newest messages of a long conversation, so a
   * count of operator messages would drift as the window slides; this anchor does not.
   */
  operatorAnchor: string[];
}

function operatorTexts(conversation: Conversation | null | undefined): string[] {
  return (conversation?.messages ?? [])
    .filter((message) => message.role === 'operator')
    .map((message) => message.text);
}

/** The anchor to remember when a suggestion is inserted into this conversation. */
export function operatorAnchor(conversation: Conversation | null | undefined): string[] {
  return operatorTexts(conversation).slice(-ANCHOR_LENGTH);
}

/**
 * The operator's message sent after an insert, if the page shows one now: the first operator
 * message after the anchor (found from the end, so a sliding window or an earlier identical
 * reply does not confuse it). Its text is what `suggestion-edited` reports (equal to the
 * suggestion when it went out as is). Undefined while nothing was sent, or when so much was
 * written since that the anchor left the page's window: better no report than a wrong one.
 */
export function sentAfterInsert(
  pending: PendingInsert,
  conversation: Conversation | null | undefined,
): string | undefined {
  if (!conversation) return undefined;
  const operator = operatorTexts(conversation);
  const anchor = pending.operatorAnchor;
  if (anchor.length === 0) return operator[0];
  for (let end = operator.length; end >= anchor.length; end--) {
    const start = end - anchor.length;
    if (anchor.every((text, offset) => operator[start + offset] === text)) return operator[end];
  }
  return undefined;
}

/** Whitespace aside, did the suggestion go out unchanged? */
export function sentAsIs(pending: PendingInsert, finalText: string): boolean {
  const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();
  return normalize(pending.text) === normalize(finalText);
}

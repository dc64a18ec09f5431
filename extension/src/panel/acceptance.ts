import type { Conversation } from '@naparnik/assist-service/contract';

/** A suggestion the operator inserted, waiting for the message they actually send. */
export interface PendingInsert {
  suggestionSetId: string;
  suggestionIndex: number;
  text: string;
  /** Operator messages on the page when the suggestion was inserted. */
  operatorMessagesBefore: number;
}

export function operatorMessages(conversation: Conversation | null | undefined): number {
  return conversation?.messages.filter((message) => message.role === 'operator').length ?? 0;
}

/**
 * The operator's message sent after an insert, if the page shows one now: the first operator
 * message beyond those there were at insert time. Its text is what `suggestion-edited` reports
 * (equal to the suggestion when it went out as is).
 */
export function sentAfterInsert(
  pending: PendingInsert,
  conversation: Conversation | null | undefined,
): string | undefined {
  if (!conversation) return undefined;
  const operator = conversation.messages.filter((message) => message.role === 'operator');
  if (operator.length <= pending.operatorMessagesBefore) return undefined;
  return operator[pending.operatorMessagesBefore]?.text;
}

/** Whitespace aside, did the suggestion go out unchanged? */
export function sentAsIs(pending: PendingInsert, finalText: string): boolean {
  const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();
  return normalize(pending.text) === normalize(finalText);
}

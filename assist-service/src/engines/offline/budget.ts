import type { ConversationMessage } from '../../contract/index.ts';

export interface BudgetedConversation {
  messages: ConversationMessage[];
  truncated: boolean;
  /** Characters of message text left out. */
  droppedCharacters: number;
}

/** What the engine reads instead of the part that did not fit. */
export function cutMarker(droppedCharacters: number): string {
  return `[… ${droppedCharacters} earlier characters cut …]`;
}

/**
 * Keeps the newest messages that fit in `budget` characters and puts a system marker where older
 * text was cut. A single newest message longer than the budget keeps its end: in a long e-mail
 * the question is usually at the bottom, above the quoted history that cleaning removes anyway.
 */
export function fitToBudget(messages: readonly ConversationMessage[], budget: number): BudgetedConversation {
  const total = messages.reduce((sum, message) => sum + message.text.length, 0);
  if (total <= budget) return { messages: [...messages], truncated: false, droppedCharacters: 0 };

  const kept: ConversationMessage[] = [];
  let used = 0;
  let index = messages.length - 1;
  for (; index >= 0; index--) {
    const message = messages[index]!;
    if (used + message.text.length > budget) break;
    kept.unshift(message);
    used += message.text.length;
  }
  if (index >= 0 && kept.length === 0) {
    const newest = messages[index]!;
    const tail = sliceFromEnd(newest.text, budget);
    kept.unshift({ ...newest, text: tail });
    used = tail.length;
  }
  const droppedCharacters = total - used;
  kept.unshift({ role: 'system', text: cutMarker(droppedCharacters) });
  return { messages: kept, truncated: true, droppedCharacters };
}

/** The last `length` UTF-16 units of `text`, never starting inside a surrogate pair. */
function sliceFromEnd(text: string, length: number): string {
  let start = Math.max(0, text.length - length);
  const code = text.charCodeAt(start);
  if (code >= 0xdc00 && code <= 0xdfff) start++;
  return text.slice(start);
}

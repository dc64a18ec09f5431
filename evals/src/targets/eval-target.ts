/**
 * The engine under test, as the replay and summary suites see it: a conversation in, suggestions
 * and a summary out. The offline engine runs in-process (`offline-target.ts`); Claude will plug in
 * the same way. Small on purpose: a suite never reaches past it into an engine's internals.
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

export interface EvalTarget {
  /** `offline`, `claude`, … as results record it. */
  readonly engine: string;
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
  close(): Promise<void>;
}

/**
 * The one interface every language-model provider sits behind (vercel/ai keeps a provider to
 * doGenerate/doStream; so do we).
 *
 * ```ts
 * interface ChatModel {
 *   id; provider; model;
 *   generate(request, { signal }): Promise<ChatResult>;
 *   stream(request, { signal }): AsyncIterable<ChatStreamEvent>;  // text…, then one `done` with usage
 * }
 * ```
 *
 * Providers (`anthropic-model.ts`, `openai-compatible-model.ts`) make one attempt and throw a
 * typed `ModelError`; `resilient-model.ts` adds timeouts, retries and the circuit breaker on top.
 */

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  /** The stable prefix (instructions, the team's rules): cached where the provider can. */
  system: string;
  messages: readonly ChatMessage[];
  maxTokens: number;
  temperature?: number;
  /**
   * Structured output — the only way to ask for it (decision 0043): the model must call this one
   * tool (Anthropic `tools` + `tool_choice: {type: 'tool'}`, OpenAI `tools` + `tool_choice:
   * {type: 'function'}`), and the call's arguments — a JSON object — arrive as the answer's text;
   * prose beside the call is dropped, and no call at all leaves the text empty. The caller
   * validates the arguments (`runStructuredTask`).
   */
  tool?: ChatTool;
}

export interface ChatTool {
  name: string;
  description: string;
  /** JSON schema of the tool's input (an object). */
  inputSchema: Record<string, unknown>;
}

/** Token counts of one call. `inputTokens` are the uncached ones; cached reads and writes are apart. */
export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export type ChatStreamEvent =
  | { type: 'text'; text: string }
  /**
   * Only from the resilient wrapper: the attempt that sent the text so far failed and a new one
   * starts; whatever text was received must be discarded (the panel clears its partial reply).
   */
  | { type: 'restart'; reason: string }
  | { type: 'done'; usage: ChatUsage; model: string; stopReason: string | null };

export interface ChatResult {
  text: string;
  usage: ChatUsage;
  model: string;
  stopReason: string | null;
}

export interface ChatCallOptions {
  signal?: AbortSignal | undefined;
  /**
   * Called when the API has answered the request (its status and headers, any status): the
   * request has left. Work that must not hold up the request's first byte — the offline answers,
   * other stages' model calls — waits for it. Called once per attempt; not at all when no answer
   * comes (a refused connection, an open circuit): the caller's own settling covers that.
   */
  onResponse?: (() => void) | undefined;
}

export type ChatProvider = 'anthropic' | 'openai-compatible';

export interface ChatModel {
  /** `provider:model`, e.g. `anthropic:claude-haiku-5-5`. */
  readonly id: string;
  readonly provider: ChatProvider;
  readonly model: string;
  generate(request: ChatRequest, options?: ChatCallOptions): Promise<ChatResult>;
  stream(request: ChatRequest, options?: ChatCallOptions): AsyncIterable<ChatStreamEvent>;
}

export function emptyUsage(): ChatUsage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

export function addUsage(a: ChatUsage, b: ChatUsage): ChatUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
}

/** Reads a whole stream into a result; `restart` drops the text received before it. */
export async function collectStream(events: AsyncIterable<ChatStreamEvent>): Promise<ChatResult> {
  let text = '';
  for await (const event of events) {
    if (event.type === 'text') text += event.text;
    else if (event.type === 'restart') text = '';
    else return { text, usage: event.usage, model: event.model, stopReason: event.stopReason };
  }
  throw new Error('The stream ended without its final event.');
}

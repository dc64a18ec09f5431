/**
 * The compose stage with a language model: a grounded, cited, streamed reply.
 *
 * ```ts
 * const result = await composeWithModel(input, { model: models.fast, prompt: prompts.reply, prices, signal, onDelta });
 * // result: { text, annotatedText, citations, unknownCitations, ungroundedFacts, grounded, tooLong,
 * //           truncated, promptId: 'reply@v1', model, usage, costUsd, stopReason }
 * ```
 *
 * Input is plain data (no engine types): the conversation (redacted again with the
 * conversation's map unless `messagesRedacted`; sources, titles included, always are — nothing
 * personal reaches the model),
 * numbered sources, the team's script rules, language, channel, hurry, maxLength.
 * `onDelta` receives text ready to show (markers removed, personal values restored) and
 * `{type: 'restart'}` when a retried stream starts over. A failed call throws `ModelError`;
 * the caller answers offline with `degraded: degradedReason(error)`.
 */
import type { RedactionMap } from '@naparnik/ingest';
import { formatConversation, formatSources } from '@naparnik/prompts';
import type { ChatUsage } from './chat-model.ts';
import { createDeltaCleaner, extractCitations } from './citations.ts';
import { checkFacts, type Fact } from './fact-check.ts';
import {
  type ComposeMessage,
  type ComposeSource,
  formatScriptRules,
  type ModelTaskDependencies,
  redactContext,
  restoreWith,
  runModelTask,
  type ScriptRulesInput,
} from './model-task.ts';

export type { ComposeMessage, ComposeSource };

export interface ComposeInput {
  messages: readonly ComposeMessage[];
  /** Numbered in this order: the first is [1]. */
  sources: readonly ComposeSource[];
  scriptRules?: ScriptRulesInput | undefined;
  language: string;
  channel: string;
  hurry: boolean;
  maxLength: number;
  /** The conversation's placeholders so far (from redactPersonalData); values are restored from it. */
  redaction?: RedactionMap | undefined;
  /**
   * The messages went through redactPersonalData with `redaction` already: skip redacting them
   * again (sources are redacted regardless), so a long conversation is not redacted twice before
   * the first byte reaches the model. Without this flag compose redacts them.
   */
  messagesRedacted?: boolean | undefined;
  /** For relative dates in the fact check; now by default. */
  now?: Date | undefined;
}

export type ComposeDelta = { type: 'text'; text: string } | { type: 'restart'; reason: string };

export interface ComposeDependencies extends ModelTaskDependencies {
  onDelta?: ((delta: ComposeDelta) => void) | undefined;
}

export interface ComposeCitation {
  /** The [n] the model cited. */
  number: number;
  chunkId: string;
  documentId: string | undefined;
  title: string;
  /** The start of the source, shortened. */
  quote: string;
}

export interface ComposeResult {
  /** The reply to insert: markers removed, personal values restored. */
  text: string;
  /** The reply with its valid [n] markers, placeholders kept (for review and evals). */
  annotatedText: string;
  citations: ComposeCitation[];
  /** Markers naming a source that was not given; dropped from the text. */
  unknownCitations: number;
  /** Numbers, dates, amounts, ids and links found in no source and not in the conversation. */
  ungroundedFacts: Fact[];
  /** Cites at least one source and has no ungrounded fact. */
  grounded: boolean;
  /** Longer than maxLength (the check stage decides what to do). */
  tooLong: boolean;
  /** The model hit its output limit: the reply stops mid-thought and must not be sent as is. */
  truncated: boolean;
  promptId: string;
  model: string;
  usage: ChatUsage;
  costUsd: number | null;
  stopReason: string | null;
}

const QUOTE_LENGTH = 200;

/** Anthropic's and OpenAI's stop reasons for "ran out of output tokens". */
const TRUNCATED_STOP_REASONS = new Set(['max_tokens', 'length']);

function quoteOf(text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  return flat.length <= QUOTE_LENGTH ? flat : `${flat.slice(0, QUOTE_LENGTH - 1)}…`;
}

export function languageForChecks(language: string): 'ru' | 'en' {
  return language.toLowerCase().startsWith('en') ? 'en' : 'ru';
}

export async function composeWithModel(
  input: ComposeInput,
  dependencies: ComposeDependencies,
): Promise<ComposeResult> {
  const context = redactContext(input);
  const restore = restoreWith(context.map);

  const cleaner = createDeltaCleaner(restore);
  const onDelta = dependencies.onDelta;
  const run = await runModelTask(
    {
      script_rules: formatScriptRules(input.scriptRules),
      language: input.language,
      channel: input.channel,
      hurry: input.hurry ? 'да' : 'нет',
      max_length: input.maxLength,
      sources: formatSources(context.sources),
      conversation: formatConversation(context.messages),
    },
    dependencies,
    {
      temperature: 0.2,
      onEvent: (event) => {
        if (!onDelta) return;
        if (event.type === 'restart') {
          cleaner.reset();
          onDelta(event);
          return;
        }
        const ready = cleaner.push(event.text);
        if (ready) onDelta({ type: 'text', text: ready });
      },
    },
  );
  const tail = cleaner.flush();
  if (onDelta && tail) onDelta({ type: 'text', text: tail });

  const extracted = extractCitations(run.text, input.sources.length);
  const grounding = [
    ...context.sources.map((source) => source.text),
    ...context.messages.map((message) => message.text),
  ];
  const facts = checkFacts(extracted.text, grounding, {
    now: input.now ?? new Date(),
    language: languageForChecks(input.language),
  });
  const text = restore(extracted.text);
  const citations = extracted.cited.map((number) => {
    const source = input.sources[number - 1]!;
    return {
      number,
      chunkId: source.chunkId,
      documentId: source.documentId,
      title: source.title,
      quote: quoteOf(context.sources[number - 1]!.text),
    };
  });
  return {
    text,
    annotatedText: extracted.annotatedText,
    citations,
    unknownCitations: extracted.unknownCitations,
    ungroundedFacts: facts.ungrounded,
    grounded: citations.length > 0 && facts.ungrounded.length === 0,
    tooLong: text.length > input.maxLength,
    truncated: TRUNCATED_STOP_REASONS.has(run.stopReason ?? ''),
    promptId: run.promptId,
    model: run.model,
    usage: run.usage,
    costUsd: run.costUsd,
    stopReason: run.stopReason,
  };
}

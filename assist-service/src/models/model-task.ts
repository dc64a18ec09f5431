/**
 * What every model-backed task shares (reply, rewrite, check-draft): keep personal data out of
 * the prompt, render a pinned template, stream the model's text, price the usage.
 * The tasks themselves stay small and independent of the offline engine.
 */
import { type RedactionMap, redactPersonalData, restorePersonalData } from '@naparnik/ingest';
import type { PromptMessage, PromptSource, PromptTemplate, PromptValue } from '@naparnik/prompts';
import { stringify } from 'yaml';
import type { z } from 'zod';
import type { ChatModel, ChatTool, ChatUsage } from './chat-model.ts';
import { ModelError } from './model-error.ts';
import { costFor, type PriceTable } from './pricing.ts';

/** The parts of the team's script a prompt is steered by; the compose stage fills it from the collection. */
export interface ScriptRulesInput {
  greeting?: readonly string[] | undefined;
  introduction?: readonly string[] | undefined;
  thanks?: readonly string[] | undefined;
  closing?: readonly string[] | undefined;
  /** How the customer is addressed. */
  address?: 'вы' | 'ты' | undefined;
  banned?:
    | readonly {
        phrase?: string | undefined;
        pattern?: string | undefined;
        reason?: string | undefined;
        id?: string | undefined;
      }[]
    | undefined;
  required?: readonly { phrase?: string | undefined; reason?: string | undefined }[] | undefined;
  /** Longest reply in characters, per channel. */
  length?: Readonly<Partial<Record<string, number>>> | undefined;
}

/** The rules as the YAML block the templates explain; empty parts are left out. */
export function formatScriptRules(rules: ScriptRulesInput | undefined): string {
  const present = Object.fromEntries(
    Object.entries(rules ?? {}).filter(([, value]) =>
      Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null,
    ),
  );
  return Object.keys(present).length === 0 ? '{}' : stringify(present, { lineWidth: 0 }).trim();
}

/**
 * Redacts texts one after another with one growing map, so a value keeps its placeholder across
 * messages and sources. Text already redacted by the caller passes unchanged; anything the caller
 * missed (a phone in the customer card, an e-mail in a history match) is caught here.
 */
export function redactAll(
  texts: readonly string[],
  known: RedactionMap | undefined,
): { texts: string[]; map: RedactionMap } {
  let map: RedactionMap = known ?? { entries: [] };
  const redacted = texts.map((text) => {
    const result = redactPersonalData(text, { known: map });
    map = result.map;
    return result.text;
  });
  return { texts: redacted, map };
}

export interface ComposeMessage {
  role: 'customer' | 'operator' | 'bot' | 'note' | 'system';
  text: string;
  at?: string | undefined;
}

export interface ComposeSource {
  chunkId: string;
  documentId?: string | undefined;
  title: string;
  text: string;
  /** `faq`, `template`, `article`, `history`, `customer-card`… */
  kind: string;
}

export interface RedactedContext {
  messages: PromptMessage[];
  /** Numbered from 1 in the given order, text and title redacted. */
  sources: PromptSource[];
  /** The other texts (a draft…), redacted, in the order given. */
  extra: string[];
  map: RedactionMap;
}

/**
 * Everything untrusted a task puts in its prompt, redacted with one map: messages (unless the
 * caller already did it with that map), source texts and titles (a history match is titled with
 * a past customer's question) and any other text such as a draft.
 */
export function redactContext(input: {
  messages?: readonly ComposeMessage[] | undefined;
  sources?: readonly ComposeSource[] | undefined;
  extra?: readonly string[] | undefined;
  redaction?: RedactionMap | undefined;
  messagesRedacted?: boolean | undefined;
}): RedactedContext {
  const messages = input.messages ?? [];
  const sources = input.sources ?? [];
  const extra = input.extra ?? [];
  const ownMessages = input.messagesRedacted ? [] : messages.map((message) => message.text);
  const redacted = redactAll(
    [
      ...extra,
      ...ownMessages,
      ...sources.map((source) => source.text),
      ...sources.map((source) => source.title),
    ],
    input.redaction,
  );
  let next = 0;
  const take = (count: number) => {
    const taken = redacted.texts.slice(next, next + count);
    next += count;
    return taken;
  };
  const extraTexts = take(extra.length);
  const messageTexts = take(ownMessages.length);
  const sourceTexts = take(sources.length);
  const sourceTitles = take(sources.length);
  return {
    messages: messages.map((message, index) => ({
      role: message.role,
      text: input.messagesRedacted ? message.text : messageTexts[index]!,
      at: message.at,
    })),
    sources: sources.map((source, index) => ({
      number: index + 1,
      kind: source.kind,
      title: sourceTitles[index]!,
      text: sourceTexts[index]!,
    })),
    extra: extraTexts,
    map: redacted.map,
  };
}

export function restoreWith(map: RedactionMap): (text: string) => string {
  return map.entries.length === 0 ? (text) => text : (text) => restorePersonalData(text, map);
}

export type ModelTaskEvent = { type: 'text'; text: string } | { type: 'restart'; reason: string };

export interface ModelTaskDependencies {
  model: ChatModel;
  /** The pinned template of the task (`loadPinnedPrompts(config.prompts)[task]`). */
  prompt: PromptTemplate;
  prices: PriceTable;
  maxOutputTokens?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** What a structured task reports besides its answer: the prompt, the model, what it cost. */
export interface ModelTaskCost {
  promptId: string;
  model: string;
  usage: ChatUsage;
  /** US dollars; null when the price table has no entry for the model. */
  costUsd: number | null;
}

export interface ModelTaskRun {
  text: string;
  usage: ChatUsage;
  model: string;
  stopReason: string | null;
  promptId: string;
  /** US dollars; null when the price table has no entry for the model. */
  costUsd: number | null;
}

/** Renders the template and streams the model's answer; `onEvent` sees raw text and restarts. */
export async function runModelTask(
  values: Readonly<Record<string, PromptValue>>,
  dependencies: ModelTaskDependencies,
  options: {
    temperature?: number;
    jsonSchema?: { name: string; schema: Record<string, unknown> };
    tool?: ChatTool;
    onEvent?: (event: ModelTaskEvent) => void;
  } = {},
): Promise<ModelTaskRun> {
  const rendered = dependencies.prompt.render(values);
  let text = '';
  for await (const event of dependencies.model.stream(
    {
      system: rendered.system,
      messages: [{ role: 'user', content: rendered.user }],
      maxTokens: dependencies.maxOutputTokens ?? 1024,
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
      ...(options.jsonSchema ? { jsonSchema: options.jsonSchema } : {}),
      ...(options.tool ? { tool: options.tool } : {}),
    },
    { signal: dependencies.signal },
  )) {
    if (event.type === 'text') {
      text += event.text;
      options.onEvent?.(event);
    } else if (event.type === 'restart') {
      text = '';
      options.onEvent?.(event);
    } else {
      if (text.trim() === '')
        throw new ModelError('invalid-response', `${dependencies.model.id} answered with no text.`);
      return {
        text,
        usage: event.usage,
        model: event.model,
        stopReason: event.stopReason,
        promptId: rendered.promptId,
        costUsd:
          costFor(event.model, event.usage, dependencies.prices) ??
          costFor(dependencies.model.model, event.usage, dependencies.prices),
      };
    }
  }
  throw new ModelError('stream-interrupted', 'The model stream ended without its final event.');
}

/** The JSON object in a model's answer, allowing a ```json fence around it. */
export function parseJsonAnswer<T>(text: string, schema: z.ZodType<T>): T {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n```$/u.exec(trimmed);
  let json: unknown;
  try {
    json = JSON.parse(fenced ? fenced[1]! : trimmed);
  } catch (error) {
    throw new ModelError('invalid-response', 'The model did not answer with JSON.', { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ModelError('invalid-response', 'The model’s JSON does not fit the schema.', {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/**
 * What every model-backed task shares (reply, rewrite, check-draft…): keep personal data out of
 * the prompt, render a pinned template, stream the model's text, price the usage; and for the
 * structured tasks (summary, next actions, check-draft, FAQ drafting, the judge) force one tool
 * call and validate its input with zod (`runStructuredTask`) — never JSON read out of prose.
 * The tasks themselves stay small and independent of the offline engine.
 */
import { type RedactionMap, redactPersonalData, restorePersonalData } from '@naparnik/ingest';
import type { PromptMessage, PromptSource, PromptTemplate, PromptValue } from '@naparnik/prompts';
import { stringify } from 'yaml';
import { z } from 'zod';
import { extractCustomerName } from '../text/names.ts';
import { addUsage, type ChatModel, type ChatTool, type ChatUsage, emptyUsage } from './chat-model.ts';
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
  names: readonly string[] = [],
): { texts: string[]; map: RedactionMap } {
  let map: RedactionMap = known ?? { entries: [] };
  const redacted = texts.map((text) => {
    const result = redactPersonalData(text, { known: map, names });
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
  // A name closing a customer's message alone («…так и не приехал. Ольга») has no cue the redaction
  // knows; the conversation reader finds it, and it is masked wherever it appears.
  const names = messages.flatMap((message) => {
    const name = message.role === 'customer' ? extractCustomerName(message.text)?.value : undefined;
    return name ? [name] : [];
  });
  const redacted = redactAll(
    [
      ...extra,
      ...ownMessages,
      ...sources.map((source) => source.text),
      ...sources.map((source) => source.title),
    ],
    input.redaction,
    names,
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
  /** The API has answered the request (see `ChatCallOptions.onResponse`). */
  onResponse?: (() => void) | undefined;
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
  options: { temperature?: number; onEvent?: (event: ModelTaskEvent) => void } = {},
): Promise<ModelTaskRun> {
  const run = await streamTask(values, dependencies, options);
  if (run.text.trim() === '')
    throw new ModelError('invalid-response', `${dependencies.model.id} answered with no text.`);
  return run;
}

async function streamTask(
  values: Readonly<Record<string, PromptValue>>,
  dependencies: ModelTaskDependencies,
  options: { temperature?: number; tool?: ChatTool; onEvent?: (event: ModelTaskEvent) => void },
): Promise<ModelTaskRun> {
  const rendered = dependencies.prompt.render(values);
  let text = '';
  for await (const event of dependencies.model.stream(
    {
      system: rendered.system,
      messages: [{ role: 'user', content: rendered.user }],
      maxTokens: dependencies.maxOutputTokens ?? 1024,
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
      ...(options.tool ? { tool: options.tool } : {}),
    },
    { signal: dependencies.signal, onResponse: dependencies.onResponse },
  )) {
    if (event.type === 'text') {
      text += event.text;
      options.onEvent?.(event);
    } else if (event.type === 'restart') {
      text = '';
      options.onEvent?.(event);
    } else {
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

/**
 * A tool whose input is a task's answer: `inputSchema` (from the zod schema) goes to the provider,
 * `input` validates what comes back. Build it with `structuredTool`.
 */
export interface StructuredTool<T> extends ChatTool {
  input: z.ZodType<T>;
}

export function structuredTool<T>(tool: {
  name: string;
  description: string;
  input: z.ZodType<T>;
}): StructuredTool<T> {
  return { ...tool, inputSchema: z.toJSONSchema(tool.input) as Record<string, unknown> };
}

/**
 * Attempts after the first when the model's tool call is missing or malformed. A forced call
 * rarely fails twice; a third request would only spend the operator's wait and the team's tokens.
 */
export const STRUCTURED_RETRIES = 1;

export interface StructuredTaskRun<T> extends ModelTaskRun {
  answer: T;
}

/**
 * A structured task: the model must call `tool` (forced tool use on every provider), and the
 * call's input is validated with zod. A missing call, arguments that are not JSON or input outside
 * the schema are the model's fault: tried again up to `retries` times (unless the caller gave up),
 * then `ModelError('invalid-response')` with `attempts`, which the caller turns into the offline
 * fallback. Transient API faults are the resilient wrapper's and are not retried again here.
 * Usage and cost cover every attempt: the failed ones were paid for too.
 */
export async function runStructuredTask<T>(
  values: Readonly<Record<string, PromptValue>>,
  dependencies: ModelTaskDependencies,
  options: { tool: StructuredTool<T>; temperature?: number; retries?: number },
): Promise<StructuredTaskRun<T>> {
  const retries = options.retries ?? STRUCTURED_RETRIES;
  let usage = emptyUsage();
  let costUsd: number | null = 0;
  for (let attempt = 1; ; attempt++) {
    const run = await streamTask(values, dependencies, {
      tool: options.tool,
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    });
    usage = addUsage(usage, run.usage);
    costUsd = costUsd === null || run.costUsd === null ? null : costUsd + run.costUsd;
    try {
      return {
        ...run,
        usage,
        costUsd,
        answer: parseToolInput(run.text, options.tool, dependencies.model.id),
      };
    } catch (error) {
      const failure = error as ModelError;
      failure.attempts = attempt;
      if (attempt > retries || dependencies.signal?.aborted) throw failure;
    }
  }
}

/** The tool call's input, validated; a ModelError (`invalid-response`) saying what was wrong. */
export function parseToolInput<T>(text: string, tool: StructuredTool<T>, modelId = 'The model'): T {
  if (text.trim() === '')
    throw new ModelError('invalid-response', `${modelId} did not call the tool ${tool.name}.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelError(
      'invalid-response',
      `${modelId} called ${tool.name} with arguments that are not JSON.`,
      {
        cause: error,
      },
    );
  }
  const parsed = tool.input.safeParse(json);
  if (!parsed.success) {
    throw new ModelError(
      'invalid-response',
      `${modelId} called ${tool.name} with input outside its schema.`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

/**
 * Untrusted text (customer messages, page text, knowledge documents) goes into a prompt inside
 * delimited, labelled blocks. The delimiters are our own tags; text that tries to close or open
 * one of them («</data> Ignore the rules…») has its `<` turned into `‹`, so nothing inside a block
 * can end it early or fake a new source.
 */

/** Tag names this package uses to delimit data; none of them may appear as a tag inside data. */
const RESERVED_TAGS = /<(\/?)\s*(data|source|message|sources|conversation|answer|pair|draft)\b/giu;

export function neutralizeMarkup(text: string): string {
  return text.replace(RESERVED_TAGS, (_match, slash: string, name: string) => `‹${slash}${name}`);
}

function attribute(value: string): string {
  return neutralizeMarkup(value)
    .replace(/["\n\r]/gu, ' ')
    .slice(0, 300);
}

export interface PromptSource {
  /** The number the model cites as [n]; 1-based. */
  number: number;
  kind: string;
  title: string;
  text: string;
}

/**
 * Text already laid out in our own blocks by one of the formatters below, each piece of untrusted
 * text inside it neutralized. Rendering keeps its tags; a plain string is neutralized whole.
 */
export interface FormattedBlocks {
  readonly kind: 'formatted-blocks';
  readonly markup: string;
}

function blocks(markup: string): FormattedBlocks {
  return { kind: 'formatted-blocks', markup };
}

export function isFormattedBlocks(value: unknown): value is FormattedBlocks {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'formatted-blocks'
  );
}

/** Numbered sources as `<source n="1" kind="faq" title="…">…</source>` blocks. */
export function formatSources(sources: readonly PromptSource[]): FormattedBlocks {
  if (sources.length === 0) return blocks('(источников нет)');
  const markup = sources
    .map(
      (source) =>
        `<source n="${source.number}" kind="${attribute(source.kind)}" title="${attribute(source.title)}">\n${neutralizeMarkup(source.text.trim())}\n</source>`,
    )
    .join('\n\n');
  return blocks(markup);
}

export interface PromptMessage {
  role: string;
  text: string;
  at?: string | undefined;
}

/** The conversation as `<message role="customer">…</message>` blocks, oldest first. */
export function formatConversation(messages: readonly PromptMessage[]): FormattedBlocks {
  if (messages.length === 0) return blocks('(переписки нет)');
  const markup = messages
    .map((message) => {
      const at = message.at ? ` at="${attribute(message.at)}"` : '';
      return `<message role="${attribute(message.role)}"${at}>\n${neutralizeMarkup(message.text.trim())}\n</message>`;
    })
    .join('\n');
  return blocks(markup);
}

export interface PromptAnswerPair {
  number: number;
  question: string;
  answer: string;
}

/** Operators' sent answers with the question each answered, numbered for `basedOn`. */
export function formatAnswerPairs(pairs: readonly PromptAnswerPair[]): FormattedBlocks {
  if (pairs.length === 0) return blocks('(ответов нет)');
  return blocks(
    pairs
      .map(
        (pair) =>
          `<pair n="${pair.number}">\n<message role="customer">\n${neutralizeMarkup(pair.question.trim())}\n</message>\n<answer>\n${neutralizeMarkup(pair.answer.trim())}\n</answer>\n</pair>`,
      )
      .join('\n\n'),
  );
}

const DATA_TAG = /<(\/?)\s*(data)\b/giu;

/**
 * The block an untrusted input is wrapped in when a template is rendered: formatted blocks keep
 * their own tags (their text was neutralized piece by piece), a plain string is neutralized whole.
 */
export function wrapUntrusted(name: string, value: string | FormattedBlocks): string {
  const body = isFormattedBlocks(value)
    ? value.markup.replace(DATA_TAG, (_match, slash: string, tag: string) => `‹${slash}${tag}`)
    : neutralizeMarkup(value);
  return `<data name="${attribute(name)}" trust="untrusted">\n${body}\n</data>`;
}

import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { IngestError } from '../errors.ts';
import { knowledgeKindSchema, type Loader, type LoaderInput, type SourceDocument } from '../model.ts';
import { buildProseDocument, type ProseBlock, type ProseDocumentOptions } from './prose-sections.ts';
import { renderTable } from './prose-table.ts';
import { assertHasBytes, decodeText } from './prose-text.ts';

const scalar = z.union([z.string(), z.number()]).transform(String);
const frontMatterSchema = z.object({
  id: scalar.optional(),
  title: scalar.optional(),
  kind: knowledgeKindSchema.optional(),
  tags: z
    .union([z.string(), z.array(scalar)])
    .transform((tags) => (typeof tags === 'string' ? tags.split(',') : tags).map((tag) => tag.trim()))
    .transform((tags) => tags.filter((tag) => tag !== ''))
    .optional(),
  category: scalar.optional(),
  language: z
    .string()
    .transform((language) => language.trim().toLowerCase())
    .pipe(z.string().regex(/^[a-z]{2}$/u, 'an ISO 639-1 code such as ru'))
    .optional(),
});

/**
 * A Markdown article: optional YAML front matter, sections by ATX and setext headings. Files
 * whose front matter says `naparnik:` are templates; their loader is asked first.
 */
export const markdownLoader: Loader = {
  id: 'markdown',
  extensions: ['.md', '.markdown'],
  async load(input: LoaderInput): Promise<SourceDocument[]> {
    assertHasBytes(input.bytes);
    const { frontMatter, body } = splitFrontMatter(decodeText(input.bytes).replace(/\r\n?/gu, '\n'));
    const options: ProseDocumentOptions = {};
    if (frontMatter.id !== undefined) options.documentId = frontMatter.id;
    if (frontMatter.title !== undefined) options.title = frontMatter.title;
    if (frontMatter.kind !== undefined) options.kind = frontMatter.kind;
    if (frontMatter.tags !== undefined) options.tags = frontMatter.tags;
    if (frontMatter.category !== undefined) options.category = frontMatter.category;
    if (frontMatter.language !== undefined) options.language = frontMatter.language;
    return [buildProseDocument(input, parseMarkdown(body), options)];
  },
};

type FrontMatter = z.infer<typeof frontMatterSchema>;

function splitFrontMatter(text: string): { frontMatter: FrontMatter; body: string } {
  const match = /^---[ \t]*\n([\s\S]*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)/u.exec(text);
  if (!match) return { frontMatter: {}, body: text };
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? '');
  } catch (error) {
    const reason =
      error instanceof Error ? (error.message.split('\n')[0] ?? '').replace(/:$/u, '') : String(error);
    throw new IngestError('invalid', `front matter is not valid YAML: ${reason}`, { cause: error });
  }
  // `---` lines around something that is not a mapping are thematic breaks, not front matter.
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return { frontMatter: {}, body: text };
  const present = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== null));
  const parsed = frontMatterSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new IngestError(
      'invalid',
      `front matter ${field ? `field "${field}" ` : ''}is invalid: ${issue?.message}`,
    );
  }
  return { frontMatter: parsed.data, body: text.slice(match[0].length) };
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/u;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/u;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/u;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/u;
const LIST_ITEM = /^[ \t]*([-*+]|\d{1,9}[.)])[ \t]+(.*)$/u;
const TABLE_SEPARATOR = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/u;
const BLOCKQUOTE = /^ {0,3}>[ \t]?/u;
// html2text-style exports wrap long headings at ~78 columns; the rest lands on the next line.
const WRAPPED_HEADING_MIN_LENGTH = 60;

/** Markdown body → headings and readable text blocks (lists as `- item`, tables as rows). */
export function parseMarkdown(body: string): ProseBlock[] {
  const lines = stripHtmlComments(body.split('\n'));
  const blocks: ProseBlock[] = [];
  let paragraph: string[] = [];
  let list: string[][] = [];

  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ type: 'text', text: renderInline(paragraph) });
    if (list.length > 0) blocks.push({ type: 'text', text: list.map(renderInline).join('\n') });
    paragraph = [];
    list = [];
  };

  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index] ?? '';
    const fence = FENCE.exec(raw);
    if (fence) {
      flush();
      const marker = fence[1] ?? '```';
      const code: string[] = [];
      index += 1;
      while (index < lines.length && !isFenceClose(lines[index] ?? '', marker)) {
        code.push(lines[index] ?? '');
        index += 1;
      }
      if (code.some((line) => line.trim())) blocks.push({ type: 'text', text: code.join('\n') });
      continue;
    }

    const line = stripBlockquote(raw);
    if (!line.trim()) {
      flush();
      continue;
    }

    const heading = ATX_HEADING.exec(line);
    if (heading) {
      flush();
      let text = heading[2] ?? '';
      const next = lines[index + 1] ?? '';
      const afterNext = lines[index + 2] ?? '';
      if (
        line.trim().length >= WRAPPED_HEADING_MIN_LENGTH &&
        !/[.!?:]$/u.test(text.trim()) &&
        isPlainLine(next) &&
        next.trim().length < 80 &&
        !afterNext.trim()
      ) {
        text = `${text} ${next.trim()}`;
        index += 1;
      }
      blocks.push({ type: 'heading', level: heading[1]?.length ?? 1, text: renderInline([text]) });
      continue;
    }

    const underline = SETEXT_UNDERLINE.exec(line);
    if (underline && list.length === 0 && (paragraph.length > 0 || line.trim().startsWith('-'))) {
      const [only] = paragraph;
      // Only a one-line paragraph makes a setext heading; after more, `---` is a rule.
      if (only !== undefined && paragraph.length === 1 && only.trim().length <= 120) {
        blocks.push({ type: 'heading', level: line.includes('=') ? 1 : 2, text: renderInline([only]) });
        paragraph = [];
      } else {
        flush();
      }
      continue;
    }
    if (THEMATIC_BREAK.test(line)) {
      flush();
      continue;
    }

    const separator = lines[index + 1] ?? '';
    if (
      line.includes('|') &&
      separator.includes('|') &&
      TABLE_SEPARATOR.test(separator) &&
      list.length === 0
    ) {
      flush();
      const header = tableCells(line);
      const rows: string[][] = [];
      index += 2;
      while (index < lines.length && (lines[index] ?? '').includes('|') && (lines[index] ?? '').trim()) {
        rows.push(tableCells(lines[index] ?? ''));
        index += 1;
      }
      index -= 1;
      blocks.push({ type: 'text', text: renderTable(header, rows) });
      continue;
    }

    const item = LIST_ITEM.exec(line);
    if (item) {
      if (paragraph.length > 0) flush();
      const marker = /^\d/u.test(item[1] ?? '') ? `${Number.parseInt(item[1] ?? '', 10)}.` : '-';
      list.push([`${marker} ${item[2] ?? ''}`]);
      continue;
    }
    const openItem = list.at(-1);
    if (openItem) openItem.push(line);
    else paragraph.push(line);
  }
  flush();
  return blocks;
}

function isFenceClose(line: string, marker: string): boolean {
  const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`, 'u');
  return close.test(line);
}

function stripBlockquote(line: string): string {
  let rest = line;
  while (BLOCKQUOTE.test(rest)) rest = rest.replace(BLOCKQUOTE, '');
  return rest;
}

/** A line that would be paragraph text, not the start of some other block. */
function isPlainLine(line: string): boolean {
  return (
    line.trim() !== '' &&
    !FENCE.test(line) &&
    !ATX_HEADING.test(line) &&
    !SETEXT_UNDERLINE.test(line) &&
    !THEMATIC_BREAK.test(line) &&
    !LIST_ITEM.test(line) &&
    !BLOCKQUOTE.test(line) &&
    !line.includes('|')
  );
}

/** Drops `<!-- … -->` outside fenced code, across lines too; lines that were only comment go. */
function stripHtmlComments(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let inComment = false;
  let fence: string | undefined;
  for (const line of lines) {
    if (fence !== undefined) {
      if (isFenceClose(line, fence)) fence = undefined;
      kept.push(line);
      continue;
    }
    if (!inComment) {
      const opening = FENCE.exec(line);
      if (opening) {
        fence = opening[1];
        kept.push(line);
        continue;
      }
    }
    let rest = line;
    if (inComment) {
      const end = rest.indexOf('-->');
      if (end === -1) continue;
      rest = rest.slice(end + 3);
      inComment = false;
    }
    rest = rest.replace(/<!--[\s\S]*?-->/gu, '');
    const start = rest.indexOf('<!--');
    if (start !== -1) {
      rest = rest.slice(0, start);
      inComment = true;
    }
    if (rest.trim() || !line.trim()) kept.push(rest);
  }
  return kept;
}

function tableCells(line: string): string[] {
  const trimmed = line
    .trim()
    .replace(/^\|/u, '')
    .replace(/(?<!\\)\|$/u, '');
  return trimmed.split(/(?<!\\)\|/u).map((cell) => renderInline([cell.replaceAll('\\|', '|')]));
}

const FORMATTING_TAG =
  /<\/?(?:b|i|em|strong|u|s|del|ins|sup|sub|span|font|mark|small|big|kbd|abbr)(?:\s[^>]*)?>/giu;

/** Paragraph lines → plain text: soft breaks become spaces, Markdown markup goes, links keep URLs. */
function renderInline(lines: readonly string[]): string {
  const joined = lines
    .map((line, index) => {
      if (index === lines.length - 1) return line.trim();
      return / {2,}$|\\$/u.test(line) ? `${line.trim().replace(/\\$/u, '')}\n` : `${line.trim()} `;
    })
    .join('');
  // Code spans are taken literally: split them out before touching emphasis and escapes.
  return joined
    .split(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/u)
    .map((part, index) => {
      const role = index % 3;
      if (role === 1) return '';
      if (role === 2) return part.trim();
      return renderMarkup(part);
    })
    .join('');
}

function renderMarkup(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/gu, '$1')
    .replace(
      /\[([^\]]+)\]\(\s*<?([^)\s>]*)>?(?:\s+["'][^)]*["'])?\s*\)/gu,
      (_, label: string, url: string) =>
        /^(?:https?:|mailto:)/iu.test(url) && label.trim() !== url ? `${label} (${url})` : label,
    )
    .replace(/\[([^\]]+)\]\[[^\]]*\]/gu, '$1')
    .replace(/<((?:https?:\/\/|mailto:)[^>\s]+)>/giu, '$1')
    .replace(/<([^@>\s]+@[^>\s]+)>/gu, '$1')
    .replace(/<br\s*\/?>/giu, '\n')
    .replace(FORMATTING_TAG, '')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/gu, '$2')
    .replace(/(?<![\p{L}\p{N}*\\])\*(?=\S)([^*]*?\S)\*(?![\p{L}\p{N}*])/gu, '$1')
    .replace(/(?<![\p{L}\p{N}_\\])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}_])/gu, '$1')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/gu, '$1')
    .replace(/\\([!-/:-@[-`{-~])/gu, '$1');
}

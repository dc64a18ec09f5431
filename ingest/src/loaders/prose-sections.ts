import { IngestError } from '../errors.ts';
import type { KnowledgeKind, LoaderInput, Section, SourceDocument } from '../model.ts';
import { normaliseInline, normaliseText, titleFromPath } from './prose-text.ts';

/**
 * What every prose parser reduces a file to: headings and the text between them, in reading
 * order. Sections are built from this in one place, so all formats agree on heading paths.
 */
export type ProseBlock =
  | { type: 'heading'; level: number; text: string }
  | { type: 'text'; text: string; page?: number };

export interface ProseDocumentOptions {
  /** A title the file states outright (front matter); otherwise the first heading is used. */
  title?: string;
  documentId?: string;
  kind?: KnowledgeKind;
  language?: string;
  tags?: string[];
  category?: string;
  metadata?: Record<string, unknown>;
}

/**
 * One `article` per file: sections follow the headings (each carries its heading path), text
 * before the first heading sits under the title. Throws `empty` when there is no body text.
 */
export function buildProseDocument(
  input: LoaderInput,
  blocks: readonly ProseBlock[],
  options: ProseDocumentOptions = {},
): SourceDocument {
  const headings = blocks.filter((block) => block.type === 'heading');
  const statedTitle = options.title === undefined ? '' : normaliseInline(options.title);
  const headingTitle = (headings.find((heading) => heading.level === 1) ?? headings[0])?.text ?? '';
  const contentTitle = statedTitle || normaliseInline(headingTitle);
  const title = contentTitle || titleFromPath(input.relativePath);

  const sections = sectionsFromBlocks(blocks, contentTitle ? [contentTitle] : []);
  if (sections.length === 0) throw new IngestError('empty', 'no text found in the file');

  const document: SourceDocument = {
    documentId: options.documentId ?? input.relativePath,
    kind: options.kind ?? 'article',
    title,
    tags: options.tags ?? [],
    sections,
  };
  if (options.language !== undefined) document.language = options.language;
  if (options.category !== undefined) document.category = options.category;
  if (options.metadata !== undefined) document.metadata = options.metadata;
  return document;
}

/** Sections with a heading path each; headings without body text of their own are only path. */
export function sectionsFromBlocks(blocks: readonly ProseBlock[], preamblePath: string[]): Section[] {
  const sections: Section[] = [];
  const path: { level: number; text: string }[] = [];
  let texts: string[] = [];
  let page: number | undefined;

  const flush = (): void => {
    const text = normaliseText(texts.join('\n\n'));
    const titlePath = path.length > 0 ? path.map((heading) => heading.text) : [...preamblePath];
    const previous = sections.at(-1);
    // Text above the title heading and under it share the path [title]: one section, not two.
    if (text && previous && previous.titlePath.join('\u0000') === titlePath.join('\u0000')) {
      previous.text = `${previous.text}\n\n${text}`;
    } else if (text) {
      const section: Section = { titlePath, text };
      if (page !== undefined) section.metadata = { page };
      sections.push(section);
    }
    texts = [];
    page = undefined;
  };

  for (const block of blocks) {
    if (block.type === 'heading') {
      const text = normaliseInline(block.text);
      if (!text) continue;
      flush();
      while (path.length > 0 && (path.at(-1)?.level ?? 0) >= block.level) path.pop();
      path.push({ level: block.level, text });
    } else if (block.text.trim()) {
      texts.push(block.text);
      page ??= block.page;
    }
  }
  flush();
  return sections;
}

import type { ProseBlock } from './prose-sections.ts';
import { renderTable } from './prose-table.ts';
import { normaliseInline } from './prose-text.ts';

/** The part of a domhandler node (what cheerio parses into) the walker reads. */
export interface DomNode {
  type: string;
  name?: string;
  data?: string;
  children?: DomNode[];
  attribs?: Record<string, string>;
}

export interface HtmlBlockOptions {
  /**
   * Drop every `<header>`. Right when the walk starts at `<body>` (the site's header); inside
   * `<main>` or `<article>` a header holding a heading is the article's own title block.
   */
  dropAllHeaders?: boolean;
  /**
   * Treat short all-caps or all-bold paragraphs as headings. For Word files whose authors made
   * headings by hand instead of with heading styles (most of them); only used when the document
   * has no real heading at all.
   */
  pseudoHeadings?: boolean;
  /**
   * Number ordered-list items (`1. item`); otherwise every item is `- item`. Off for DOCX:
   * mammoth restarts each list at 1 where Word continues the numbering, so its numbers lie.
   */
  numberOrderedLists?: boolean;
}

const DROPPED_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'footer',
  'aside',
  'form',
  'iframe',
  'object',
  'embed',
  'svg',
  'canvas',
  'button',
  'select',
  'input',
  'textarea',
  'dialog',
  'head',
]);
const DROPPED_ROLES = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'search',
  'dialog',
  'alertdialog',
]);
// Matched against each class and the id: help-centre templates name their chrome this way.
const BOILERPLATE_NAME =
  /cookie|consent|gdpr|breadcrumb|navbar|sidebar|newsletter|subscribe|advert|popup|modal|skip-link|share|social|(?:^|[-_])(?:menu|nav|toc|ads?|related|feedback|rating|votes?|pagination|author|byline|meta|footer)(?:$|[-_])/iu;
const HEADING = /^h([1-6])$/u;
const BLOCK_TAGS = new Set([
  'address',
  'article',
  'blockquote',
  'body',
  'center',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'header',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'p',
  'section',
  'summary',
]);

/** Reading-order headings and paragraphs of an HTML subtree; boilerplate left out. */
export function htmlToBlocks(root: DomNode, options: HtmlBlockOptions = {}): ProseBlock[] {
  const pseudoHeadings = options.pseudoHeadings === true && !containsHeading(root);
  const blocks: ProseBlock[] = [];
  let paragraph = '';

  const flush = (): void => {
    if (paragraph.trim()) blocks.push({ type: 'text', text: paragraph });
    paragraph = '';
  };

  const walk = (node: DomNode): void => {
    if (node.type === 'text') {
      paragraph += collapseWhitespace(node.data ?? '');
      return;
    }
    if (node.type !== 'tag' || isDropped(node, options)) return;
    const name = node.name ?? '';
    const heading = HEADING.exec(name);
    if (heading) {
      flush();
      blocks.push({ type: 'heading', level: Number(heading[1]), text: inlineText(node, options) });
      return;
    }
    if (name === 'br') {
      paragraph += '\n';
      return;
    }
    if (name === 'table' || name === 'ul' || name === 'ol' || name === 'pre') {
      flush();
      const text =
        name === 'table'
          ? renderTableElement(node, options)
          : name === 'pre'
            ? rawText(node)
            : renderList(node, options).join('\n');
      if (text.trim()) blocks.push({ type: 'text', text });
      return;
    }
    if (name === 'p' && pseudoHeadings) {
      const level = pseudoHeadingLevel(node, options);
      if (level !== undefined) {
        flush();
        blocks.push({ type: 'heading', level, text: inlineText(node, options).replace(/[.:]$/u, '') });
        return;
      }
    }
    if (BLOCK_TAGS.has(name)) {
      flush();
      node.children?.forEach(walk);
      flush();
      return;
    }
    node.children?.forEach(walk);
  };

  // The root is the chosen content element: never dropped, even when its class says "sidebar".
  root.children?.forEach(walk);
  flush();
  return blocks;
}

function isDropped(node: DomNode, options: HtmlBlockOptions): boolean {
  const name = node.name ?? '';
  if (DROPPED_TAGS.has(name)) return true;
  if (name === 'header' && (options.dropAllHeaders === true || !containsHeading(node))) return true;
  const attributes = node.attribs ?? {};
  if ('hidden' in attributes || attributes['aria-hidden'] === 'true') return true;
  if (/display\s*:\s*none/iu.test(attributes.style ?? '')) return true;
  if (DROPPED_ROLES.has(attributes.role ?? '')) return true;
  const names = [...(attributes.class ?? '').split(/\s+/u), attributes.id ?? ''];
  return names.some((value) => value !== '' && BOILERPLATE_NAME.test(value));
}

function containsHeading(node: DomNode): boolean {
  return (node.children ?? []).some(
    (child) => (child.type === 'tag' && HEADING.test(child.name ?? '')) || containsHeading(child),
  );
}

function collapseWhitespace(text: string): string {
  return text.replace(/[ \t\n\r\f]+/gu, ' ');
}

/** Text of a subtree on one line (headings, cells, list items); dropped parts left out. */
function inlineText(node: DomNode, options: HtmlBlockOptions): string {
  const parts: string[] = [];
  const visit = (current: DomNode): void => {
    if (current.type === 'text') parts.push(collapseWhitespace(current.data ?? ''));
    else if (current.type === 'tag' && !isDropped(current, options)) {
      const block = BLOCK_TAGS.has(current.name ?? '') || current.name === 'br';
      if (block) parts.push(' ');
      current.children?.forEach(visit);
      if (block) parts.push(' ');
    }
  };
  node.children?.forEach(visit);
  return normaliseInline(parts.join(''));
}

function rawText(node: DomNode): string {
  if (node.type === 'text') return node.data ?? '';
  if (node.name === 'br') return '\n';
  return (node.children ?? []).map(rawText).join('');
}

function childElements(node: DomNode, ...names: string[]): DomNode[] {
  return (node.children ?? []).filter((child) => child.type === 'tag' && names.includes(child.name ?? ''));
}

/** `- item` lines (`1. item` in an ordered list); nested lists follow their item. */
function renderList(list: DomNode, options: HtmlBlockOptions): string[] {
  const ordered = list.name === 'ol' && options.numberOrderedLists !== false;
  let number = Number.parseInt(list.attribs?.start ?? '1', 10) || 1;
  const lines: string[] = [];
  for (const item of childElements(list, 'li')) {
    if (isDropped(item, options)) continue;
    const nested = childElements(item, 'ul', 'ol');
    const own: DomNode = {
      ...item,
      children: (item.children ?? []).filter((child) => !nested.includes(child)),
    };
    const text = inlineText(own, options);
    if (text) lines.push(`${ordered ? `${number}.` : '-'} ${text}`);
    number += 1;
    for (const sublist of nested) lines.push(...renderList(sublist, options));
  }
  return lines;
}

function renderTableElement(table: DomNode, options: HtmlBlockOptions): string {
  const caption = childElements(table, 'caption')[0];
  const head = childElements(table, 'thead')[0];
  const rowsOf = (parent: DomNode): DomNode[] => childElements(parent, 'tr');
  const bodyRows = [
    ...rowsOf(table),
    ...childElements(table, 'tbody').flatMap(rowsOf),
    ...childElements(table, 'tfoot').flatMap(rowsOf),
  ];
  const cellsOf = (row: DomNode): DomNode[] => childElements(row, 'th', 'td');

  let headerRow = head ? rowsOf(head)[0] : undefined;
  if (!headerRow) {
    const first = bodyRows[0];
    const cells = first ? cellsOf(first) : [];
    if (first && cells.length > 1 && cells.every((cell) => cell.name === 'th')) {
      headerRow = first;
      bodyRows.shift();
    }
  }

  const expand = (row: DomNode, repeat: boolean): string[] =>
    cellsOf(row).flatMap((cell) => {
      const text = inlineText(cell, options);
      const span = Math.max(1, Math.min(Number.parseInt(cell.attribs?.colspan ?? '1', 10) || 1, 50));
      return [text, ...Array.from({ length: span - 1 }, () => (repeat ? text : ''))];
    });

  const header = headerRow ? expand(headerRow, true) : undefined;
  const body = renderTable(
    header,
    bodyRows.map((row) => expand(row, false)),
  );
  const title = caption ? inlineText(caption, options) : '';
  return [title, body].filter((part) => part !== '').join('\n');
}

const LETTER = /\p{L}/gu;
const UPPER = /\p{Lu}/gu;
const NUMBERING = /^(\d+(?:\.\d+)*)\.?\s/u;

/**
 * Heading level of a hand-made heading paragraph, or undefined for ordinary text. `1. ОБЩИЕ
 * УСЛОВИЯ` is level 2 under an unnumbered all-caps document title (level 1); `1.2. …` level 3.
 */
function pseudoHeadingLevel(paragraph: DomNode, options: HtmlBlockOptions): number | undefined {
  const text = inlineText(paragraph, options);
  if (text.length < 3 || text.length > 120 || /[,;]$/u.test(text)) return undefined;
  const letters = text.match(LETTER)?.length ?? 0;
  if (letters < 4) return undefined;
  const upper = text.match(UPPER)?.length ?? 0;
  const allCaps = upper / letters >= 0.9;
  const allBold = isAllBold(paragraph) && text.split(' ').length <= 12 && !/[:.!?]$/u.test(text);
  if (!allCaps && !allBold) return undefined;
  const numbering = NUMBERING.exec(text)?.[1];
  return numbering === undefined ? 1 : Math.min(6, 1 + numbering.split('.').length);
}

function isAllBold(node: DomNode): boolean {
  const texts = (current: DomNode, bold: boolean): boolean[] => {
    if (current.type === 'text') return (current.data ?? '').trim() ? [bold] : [];
    const isBold = bold || current.name === 'strong' || current.name === 'b';
    return (current.children ?? []).flatMap((child) => texts(child, isBold));
  };
  const flags = texts(node, false);
  return flags.length > 0 && flags.every(Boolean);
}

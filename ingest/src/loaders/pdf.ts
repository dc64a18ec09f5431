import { getDocumentProxy } from 'unpdf';
import { IngestError } from '../errors.ts';
import type { Loader, LoaderInput, SourceDocument } from '../model.ts';
import { buildProseDocument, type ProseBlock } from './prose-sections.ts';
import { assertHasBytes, normaliseInline } from './prose-text.ts';

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/** One reconstructed line of a page. `y` is the baseline, from the page's bottom. */
interface PdfLine {
  page: number;
  y: number;
  size: number;
  text: string;
  /** Within the top or bottom margin band, where running headers, footers and page numbers live. */
  inMargin: boolean;
}

/** A line counts as a heading when its type is this much larger than the body's. */
const HEADING_SIZE_RATIO = 1.15;
const MAX_HEADING_LENGTH = 150;
/** Share of the page height at the top and bottom treated as the running header/footer band. */
const MARGIN_BAND = 0.08;
const PAGE_NUMBER = /^(?:стр\.?|страница|page|-)?\s*\d{1,4}\s*(?:(?:из|of|\/)\s*\d{1,4})?\s*-?$/iu;

/**
 * A PDF with a text layer: lines rebuilt from pdf.js text items, headings from the outline
 * (bookmarks) when it names lines of the text, else from type notably larger than the body's.
 * Running headers, footers and page numbers are dropped; each section records its first page.
 */
export const pdfLoader: Loader = {
  id: 'pdf',
  extensions: ['.pdf'],
  async load(input: LoaderInput): Promise<SourceDocument[]> {
    assertHasBytes(input.bytes);
    const pdf = await openPdf(input.bytes);
    try {
      const { lines, outline, metadataTitle } = await readPdf(pdf);
      if (lines.length === 0)
        throw new IngestError('empty', 'no extractable text (scanned PDF? OCR it first)');
      const blocks = toBlocks(removeRunningLines(lines, pdf.numPages), outline);
      const hasHeading = blocks.some((block) => block.type === 'heading');
      const title = !hasHeading && metadataTitle ? { title: metadataTitle } : {};
      return [buildProseDocument(input, blocks, { ...title, metadata: { pages: pdf.numPages } })];
    } catch (error) {
      if (error instanceof IngestError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new IngestError('corrupt', `the PDF could not be read: ${reason}`, { cause: error });
    } finally {
      await pdf.loadingTask.destroy();
    }
  },
};

async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  try {
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    return await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') {
      throw new IngestError('encrypted', 'the PDF is password-protected: remove the password and try again', {
        cause: error,
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new IngestError('corrupt', `not a readable PDF file: ${reason}`, { cause: error });
  }
}

async function readPdf(
  pdf: PdfDocument,
): Promise<{ lines: PdfLine[]; outline: Map<string, number>; metadataTitle: string | undefined }> {
  const lines: PdfLine[] = [];
  for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber += 1) {
    const page = await pdf.getPage(pageNumber);
    const [, bottom = 0, , top = 0] = page.view;
    const content = await page.getTextContent();
    const items = content.items.flatMap((item) =>
      'str' in item && item.str.trim()
        ? [
            {
              text: item.str,
              x: item.transform[4] ?? 0,
              y: item.transform[5] ?? 0,
              width: item.width,
              size: Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0) || item.height,
            },
          ]
        : [],
    );
    const band = (top - bottom) * MARGIN_BAND;
    for (const line of groupLines(items)) {
      const text = normaliseInline(line.text);
      if (!text) continue;
      const inMargin = line.y < bottom + band || line.y > top - band;
      lines.push({ page: pageNumber, y: line.y, size: line.size, text, inMargin });
    }
    page.cleanup();
  }
  return { lines, outline: await readOutline(pdf), metadataTitle: await readMetadataTitle(pdf) };
}

interface TextPiece {
  text: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

/**
 * Items sharing a baseline form a line, read left to right; a visible gap becomes a space. A
 * wide gap (columns, a footer with its page number at the far edge) splits the line in two.
 */
function groupLines(items: readonly TextPiece[]): { y: number; size: number; text: string }[] {
  const rows: TextPiece[][] = [];
  for (const item of items) {
    const current = rows.at(-1);
    const anchor = current?.[0];
    if (
      current &&
      anchor &&
      Math.abs(anchor.y - item.y) <= Math.max(1, Math.min(anchor.size, item.size) * 0.4)
    ) {
      current.push(item);
    } else {
      rows.push([item]);
    }
  }
  const segments: TextPiece[][] = [];
  for (const row of rows) {
    let segment: TextPiece[] = [];
    let end: number | undefined;
    for (const piece of [...row].sort((left, right) => left.x - right.x)) {
      if (end !== undefined && piece.x - end > piece.size * 3) {
        segments.push(segment);
        segment = [];
      }
      segment.push(piece);
      end = piece.x + piece.width;
    }
    segments.push(segment);
  }
  return segments.map((pieces) => {
    let text = '';
    let end: number | undefined;
    for (const piece of pieces) {
      const gap = end === undefined ? 0 : piece.x - end;
      const needsSpace =
        end !== undefined && gap > piece.size * 0.15 && !/\s$/u.test(text) && !/^\s/u.test(piece.text);
      text += (needsSpace ? ' ' : '') + piece.text;
      end = piece.x + piece.width;
    }
    // The size most of the line is set in: a bold first word does not make a heading.
    const size = weightedMode(pieces.map((piece) => [piece.size, piece.text.length]));
    return { y: pieces[0]?.y ?? 0, size, text };
  });
}

function weightedMode(values: readonly (readonly [number, number])[]): number {
  const weights = new Map<number, number>();
  for (const [value, weight] of values) {
    const key = Math.round(value * 2) / 2;
    weights.set(key, (weights.get(key) ?? 0) + weight);
  }
  let best = 0;
  let bestWeight = -1;
  for (const [value, weight] of weights) {
    if (weight > bestWeight) {
      best = value;
      bestWeight = weight;
    }
  }
  return best;
}

/** Page numbers and the lines repeated in the margin band of most pages (running header/footer). */
function removeRunningLines(lines: readonly PdfLine[], pageCount: number): PdfLine[] {
  const pagesByText = new Map<string, Set<number>>();
  for (const line of lines) {
    if (!line.inMargin) continue;
    const key = line.text.replace(/\d+/gu, '#');
    const pages = pagesByText.get(key) ?? new Set<number>();
    pages.add(line.page);
    pagesByText.set(key, pages);
  }
  return lines.filter((line) => {
    if (!line.inMargin) return true;
    if (PAGE_NUMBER.test(line.text)) return false;
    const pages = pagesByText.get(line.text.replace(/\d+/gu, '#'))?.size ?? 0;
    return !(pageCount >= 2 && pages >= 2 && pages >= pageCount / 2);
  });
}

/** Outline titles (normalised, lower case) → heading level. */
async function readOutline(pdf: PdfDocument): Promise<Map<string, number>> {
  const levels = new Map<string, number>();
  type OutlineItem = { title: string; items: OutlineItem[] };
  const visit = (items: readonly OutlineItem[], depth: number): void => {
    for (const item of items) {
      const key = outlineKey(item.title);
      if (key && !levels.has(key)) levels.set(key, Math.min(depth, 6));
      visit(item.items, depth + 1);
    }
  };
  try {
    visit(((await pdf.getOutline()) ?? []) as OutlineItem[], 1);
  } catch {
    // A broken outline is no reason to lose the text: fall back to type sizes.
  }
  return levels;
}

function outlineKey(text: string): string {
  return normaliseInline(text).toLowerCase().replace(/[.:]$/u, '');
}

async function readMetadataTitle(pdf: PdfDocument): Promise<string | undefined> {
  try {
    const { info } = await pdf.getMetadata();
    const title = normaliseInline(String((info as Record<string, unknown>).Title ?? ''));
    // Word and friends fill the title with the file name they exported from: not a title.
    if (!title || /^microsoft (word|powerpoint|excel) - /iu.test(title) || /\.\w{2,4}$/u.test(title))
      return undefined;
    return title;
  } catch {
    return undefined;
  }
}

/** Headings by outline when it names lines of the text, else by type size; the rest as paragraphs. */
function toBlocks(lines: readonly PdfLine[], outline: ReadonlyMap<string, number>): ProseBlock[] {
  const outlineMatches = lines.filter((line) => outline.has(outlineKey(line.text))).length;
  const levelOf =
    outlineMatches > 0 ? (line: PdfLine) => outline.get(outlineKey(line.text)) : sizeLevels(lines);

  const blocks: ProseBlock[] = [];
  let paragraph: PdfLine[] = [];
  const flush = (): void => {
    const first = paragraph[0];
    if (first)
      blocks.push({ type: 'text', text: joinLines(paragraph.map((line) => line.text)), page: first.page });
    paragraph = [];
  };

  let previous: PdfLine | undefined;
  let previousHeading: { line: PdfLine; level: number } | undefined;
  for (const line of lines) {
    const level = line.text.length <= MAX_HEADING_LENGTH ? levelOf(line) : undefined;
    if (level !== undefined) {
      flush();
      const last = blocks.at(-1);
      // A heading wrapped onto a second line: same level, same page, right below.
      if (
        last?.type === 'heading' &&
        previousHeading &&
        previous === previousHeading.line &&
        previousHeading.level === level &&
        line.page === previousHeading.line.page &&
        previousHeading.line.y - line.y <= line.size * 1.6
      ) {
        last.text = `${last.text} ${line.text}`;
      } else {
        blocks.push({ type: 'heading', level, text: line.text });
      }
      previousHeading = { line, level };
    } else {
      const gap = previous && previous.page === line.page ? previous.y - line.y : Number.POSITIVE_INFINITY;
      // Ordinary leading is ~1.2–1.4 × the type size; more than that is a paragraph break.
      if (gap > Math.max(line.size, previous?.size ?? 0) * 1.6) flush();
      paragraph.push(line);
    }
    previous = line;
  }
  flush();
  return blocks;
}

/** Heading levels by type size: each size notably above the body's median is one level, largest first. */
function sizeLevels(lines: readonly PdfLine[]): (line: PdfLine) => number | undefined {
  const bodySize = weightedMedian(lines.map((line) => [line.size, line.text.length]));
  const headingSizes = [
    ...new Set(
      lines
        .filter((line) => line.size >= bodySize * HEADING_SIZE_RATIO && /\p{L}/u.test(line.text))
        .map((line) => Math.round(line.size * 2) / 2),
    ),
  ].sort((left, right) => right - left);
  return (line) => {
    if (line.size < bodySize * HEADING_SIZE_RATIO || !/\p{L}/u.test(line.text)) return undefined;
    const index = headingSizes.indexOf(Math.round(line.size * 2) / 2);
    return index === -1 ? undefined : Math.min(index + 1, 6);
  };
}

function weightedMedian(values: readonly (readonly [number, number])[]): number {
  const sorted = [...values].sort((left, right) => left[0] - right[0]);
  const total = sorted.reduce((sum, [, weight]) => sum + weight, 0);
  let seen = 0;
  for (const [value, weight] of sorted) {
    seen += weight;
    if (seen >= total / 2) return value;
  }
  return sorted.at(-1)?.[0] ?? 0;
}

// Dashes are left out: in Russian a wrapped line often starts with one mid-sentence.
const LIST_MARKER = /^(?:[•●▪‣◦∙·]\s*|[*-]\s+|\d{1,3}[.)]\s)/u;

/**
 * Lines of one paragraph as running text. A list item keeps its own line (bullets become `- `);
 * a word broken at a line-end hyphen is rejoined, which is right far more often than not in
 * justified Russian text.
 */
function joinLines(lines: readonly string[]): string {
  let text = '';
  for (const raw of lines) {
    const line = raw.replace(/^[•●▪‣◦∙·]\s*/u, '- ');
    if (!text) text = line;
    else if (LIST_MARKER.test(raw)) text = `${text}\n${line}`;
    else if (/\p{Ll}-$/u.test(text) && /^\p{Ll}/u.test(line)) text = `${text.slice(0, -1)}${line}`;
    else text = `${text} ${line}`;
  }
  return text;
}

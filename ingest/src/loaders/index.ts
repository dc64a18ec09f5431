import path from 'node:path';
import type { Loader, LoaderInput } from '../model.ts';
import { csvLoader } from './csv.ts';
import { docxLoader } from './docx.ts';
import { htmlLoader } from './html.ts';
import { markdownLoader } from './markdown.ts';
import { naparnikMarkdownTemplateLoader, naparnikStructuredLoader } from './naparnik.ts';
import { pdfLoader } from './pdf.ts';
import { recordsLoader } from './records.ts';
import { textLoader } from './text.ts';
import { xlsxLoader } from './xlsx.ts';

/**
 * Every loader, in the order they are asked: the Naparnik formats first, because they share
 * extensions with the generic ones and claim a file only when it carries their marker.
 */
export const LOADERS: readonly Loader[] = [
  naparnikStructuredLoader,
  naparnikMarkdownTemplateLoader,
  markdownLoader,
  textLoader,
  htmlLoader,
  pdfLoader,
  docxLoader,
  csvLoader,
  xlsxLoader,
  recordsLoader,
];

export const SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set(
  LOADERS.flatMap((loader) => loader.extensions),
);

/** The loader for a file, or undefined when no loader takes it. */
export function findLoader(input: LoaderInput, loaders: readonly Loader[] = LOADERS): Loader | undefined {
  const extension = path.extname(input.path).toLowerCase();
  return loaders.find((loader) => loader.extensions.includes(extension) && (loader.accepts?.(input) ?? true));
}

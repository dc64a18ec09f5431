import path from 'node:path';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { IngestError } from '../errors.ts';
import type { Loader } from '../model.ts';
import { type FaqTable, faqDocumentsFromTables, findHeader, HEADER_SEARCH_ROWS } from './faq-table.ts';

const SEPARATORS = [';', ',', '\t'] as const;

/**
 * Text of a CSV file. Excel on Russian Windows saves "CSV" as Windows-1251 and "CSV UTF-8" with a
 * BOM, "Unicode text" as UTF-16 with a BOM; anything that is valid UTF-8 is taken as UTF-8.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'win1251'), encoding: 'windows-1251' };
  }
}

/** Rows of cell strings; an unclosed quote fails with its row. Also read by the history import. */
export function parseRows(text: string, delimiter: string, preview = 0): string[][] {
  // Empty lines are kept so that row numbers stay those a spreadsheet shows.
  const result = Papa.parse<string[]>(text, { delimiter, preview, skipEmptyLines: false });
  const unclosed = result.errors.find((error) => error.code === 'MissingQuotes');
  if (unclosed && preview === 0) {
    throw new IngestError('corrupt', `row ${(unclosed.row ?? 0) + 1}: a quoted cell is never closed`);
  }
  return result.data;
}

/**
 * The separator under which the header row has the most columns; a `.tsv` file is always
 * tab-separated. Undefined when no separator gives a header.
 */
export function detectSeparator(text: string, extension: string): string | undefined {
  if (extension === '.tsv') return '\t';
  let best: { separator: string; width: number } | undefined;
  for (const separator of SEPARATORS) {
    const rows = parseRows(text, separator, HEADER_SEARCH_ROWS);
    const header = findHeader(rows);
    const width = header ? (rows[header.rowIndex]?.length ?? 0) : 0;
    if (header && (best === undefined || width > best.width)) best = { separator, width };
  }
  return best?.separator;
}

/** For the "no header" message: the separator that splits the first line the most. */
function likelySeparator(text: string): string {
  const firstLine = text.split('\n', 1)[0] ?? '';
  let best: string = SEPARATORS[0];
  for (const separator of SEPARATORS) {
    if (firstLine.split(separator).length > firstLine.split(best).length) best = separator;
  }
  return best;
}

/** FAQ tables as CSV or TSV: one `faq` document per row (see FORMATS.md). */
export const csvLoader: Loader = {
  id: 'csv',
  extensions: ['.csv', '.tsv'],
  async load(input) {
    const { text } = decodeCsv(input.bytes);
    if (text.trim() === '') throw new IngestError('empty', 'the file is empty');
    const extension = path.extname(input.path).toLowerCase();
    const separator = detectSeparator(text, extension) ?? likelySeparator(text);
    const table: FaqTable = { rows: parseRows(text, separator) };
    return faqDocumentsFromTables([table], input.relativePath);
  },
};

import path from 'node:path';
import { IngestError } from '../errors.ts';
import { decodeCsv, parseRows } from '../loaders/csv.ts';
import { decodeUtf8, parseJson } from '../loaders/records.ts';
import { readWorkbook, worksheetRows } from '../loaders/xlsx.ts';
import {
  detectHistoryColumns,
  HISTORY_FIELDS,
  type HistoryColumns,
  type HistoryField,
} from './history-columns.ts';

/** One row or record of an export, by column name, and where it is (`row 5`, `line 7`). */
export interface RawHistoryRecord {
  place: string;
  values: Readonly<Record<string, unknown>>;
}

/** A table of an export (a CSV file, a worksheet, a JSON file) with the columns found in it. */
export interface HistoryTable {
  columns: HistoryColumns;
  header: readonly string[];
  records: RawHistoryRecord[];
}

export const HISTORY_EXTENSIONS = ['.csv', '.tsv', '.xlsx', '.json', '.jsonl', '.ndjson'] as const;

/** How far down a table's header row may sit (a title row, a note). */
const HEADER_SEARCH_ROWS = 10;
const SEPARATORS = [';', ',', '\t'] as const;

/**
 * Reads a helpdesk export: CSV/TSV (any encoding Excel writes), XLSX (every sheet with a header),
 * a JSON array of objects, or JSON Lines. Fails with `IngestError` naming the row or line.
 */
export async function readHistoryFile(
  filePath: string,
  bytes: Uint8Array,
  overrides: HistoryColumns = {},
): Promise<HistoryTable[]> {
  const extension = path.extname(filePath).toLowerCase();
  if (bytes.length === 0) throw new IngestError('empty', 'the file is empty');
  let tables: HistoryTable[];
  if (extension === '.csv' || extension === '.tsv') {
    const { text } = decodeCsv(bytes);
    const rows = parseRows(text, extension === '.tsv' ? '\t' : likelySeparator(text));
    tables = [tableOfRows(rows, '', overrides)].filter((table) => table !== undefined);
  } else if (extension === '.xlsx') {
    const workbook = await readWorkbook(bytes);
    tables = workbook.worksheets
      .map((sheet, index) =>
        tableOfRows(worksheetRows(sheet), index === 0 ? '' : `${sheet.name}!`, overrides),
      )
      .filter((table) => table !== undefined);
  } else if (extension === '.json' || extension === '.jsonl' || extension === '.ndjson') {
    tables = [tableOfRecords(jsonRecords(decodeUtf8(bytes), extension), overrides)];
  } else {
    throw new IngestError(
      'unsupported',
      `unsupported history file type "${extension || '(none)'}" (supported: ${HISTORY_EXTENSIONS.join(' ')})`,
    );
  }
  if (tables.length === 0) {
    throw new IngestError(
      'invalid',
      'no header row with a question column in the first 10 rows (name it with --map question=<column>)',
    );
  }
  for (const table of tables) checkOverrides(table, overrides);
  return tables;
}

/**
 * The separator that splits some line of the first ten into the most cells: the header's, even
 * under a title line that has no separator at all.
 */
function likelySeparator(text: string): string {
  const lines = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, HEADER_SEARCH_ROWS);
  let best: string = SEPARATORS[0];
  let bestWidth = 0;
  for (const separator of SEPARATORS) {
    const width = Math.max(0, ...lines.map((line) => line.split(separator).length));
    if (width > bestWidth) {
      best = separator;
      bestWidth = width;
    }
  }
  return best;
}

function tableOfRows(
  rows: readonly (readonly string[])[],
  prefix: string,
  overrides: HistoryColumns,
): HistoryTable | undefined {
  for (let headerIndex = 0; headerIndex < Math.min(rows.length, HEADER_SEARCH_ROWS); headerIndex++) {
    const header = (rows[headerIndex] ?? []).map((cell) => (cell ?? '').trim());
    const columns = detectHistoryColumns(header, overrides);
    if (columns.question === undefined) continue;
    const records: RawHistoryRecord[] = [];
    for (let index = headerIndex + 1; index < rows.length; index++) {
      const row = rows[index] ?? [];
      if (row.every((cell) => (cell ?? '').trim() === '')) continue;
      const values: Record<string, unknown> = {};
      header.forEach((name, column) => {
        if (name !== '') values[name] = row[column] ?? '';
      });
      // Row numbers as the spreadsheet shows them (the first row is 1).
      records.push({ place: `row ${prefix}${index + 1}`, values });
    }
    return { columns, header, records };
  }
  return undefined;
}

function jsonRecords(text: string, extension: string): RawHistoryRecord[] {
  if (text.trim() === '') throw new IngestError('empty', 'the file is empty');
  const records: RawHistoryRecord[] = [];
  const add = (value: unknown, place: string) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new IngestError('invalid', `${place}: a record must be a JSON object`);
    records.push({ place, values: value as Record<string, unknown> });
  };
  if (extension === '.json') {
    const value = parseJson(text);
    const list = Array.isArray(value) ? value : arrayInside(value);
    list.forEach((item, index) => {
      add(item, `record ${index + 1}`);
    });
  } else {
    text.split('\n').forEach((line, index) => {
      if (line.trim() !== '') add(parseJson(line, index + 1), `line ${index + 1}`);
    });
  }
  return records;
}

/** `{"tickets": [...]}`: the one array an export object holds. */
function arrayInside(value: unknown): unknown[] {
  if (typeof value === 'object' && value !== null) {
    const arrays = Object.values(value).filter(Array.isArray);
    if (arrays.length === 1) return arrays[0]!;
  }
  throw new IngestError('invalid', 'expected an array of records, or an object holding one array of them');
}

function tableOfRecords(records: RawHistoryRecord[], overrides: HistoryColumns): HistoryTable {
  const header: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const key of Object.keys(record.values)) {
      if (!seen.has(key)) {
        seen.add(key);
        header.push(key);
      }
    }
  }
  const columns = detectHistoryColumns(header, overrides);
  if (columns.question === undefined && records.length > 0) {
    throw new IngestError(
      'invalid',
      `no question field among ${header.slice(0, 12).join(', ') || 'none'} (name it with --map question=<field>)`,
    );
  }
  return { columns, header, records };
}

function checkOverrides(table: HistoryTable, overrides: HistoryColumns): void {
  for (const field of Object.keys(overrides) as HistoryField[]) {
    if (!HISTORY_FIELDS.includes(field)) continue;
    if (table.columns[field] === undefined) {
      throw new IngestError(
        'invalid',
        `--map ${field}=${overrides[field]}: no such column (columns: ${table.header.filter(Boolean).slice(0, 12).join(', ')})`,
      );
    }
  }
}

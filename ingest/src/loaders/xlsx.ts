import ExcelJS from 'exceljs';
import { IngestError } from '../errors.ts';
import type { Loader } from '../model.ts';
import { type FaqTable, faqDocumentsFromTables } from './faq-table.ts';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** OLE compound file: how a password-protected XLSX (and an old binary .xls) starts. */
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** The stream an encrypted OOXML package keeps its content in, as a UTF-16LE directory name. */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** Excel dates carry no time zone; exceljs gives them as UTC. */
function formatDate(date: Date): string {
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const hasTime = date.getUTCHours() + date.getUTCMinutes() + date.getUTCSeconds() > 0;
  return hasTime ? `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}` : day;
}

/**
 * The plain text of a cell value: rich text joined, a formula's cached result, a hyperlink's
 * text, a date as ISO. Error values (`#N/A`) count as empty.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return value.richText.map((run: { text?: unknown }) => cellText(run.text)).join('');
    }
    if ('formula' in value || 'sharedFormula' in value) {
      return 'result' in value ? cellText(value.result) : '';
    }
    if ('hyperlink' in value) {
      const text = 'text' in value ? cellText(value.text) : '';
      return text || cellText(value.hyperlink);
    }
    if ('error' in value) return '';
    if ('text' in value) return cellText(value.text);
  }
  return '';
}

/** A worksheet's cells as text; `rows[0]` is spreadsheet row 1. Also read by the history import. */
export function worksheetRows(worksheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, columnNumber) => {
      // A merged cell reads as its master's value: a category merged down several rows fills each.
      cells[columnNumber - 1] = cellText(cell.value);
    });
    rows[rowNumber - 1] = Array.from(cells, (text) => text ?? '');
  });
  return Array.from(rows, (row) => row ?? []);
}

export async function readWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  if (startsWith(bytes, CFB_MAGIC)) {
    if (Buffer.from(bytes).includes(ENCRYPTED_PACKAGE)) {
      throw new IngestError(
        'encrypted',
        'the workbook is password-protected; save a copy without a password',
      );
    }
    throw new IngestError(
      'unsupported',
      'this is an old binary Excel workbook (.xls) named .xlsx; save it as an Excel Workbook (.xlsx)',
    );
  }
  if (!startsWith(bytes, ZIP_MAGIC))
    throw new IngestError('corrupt', 'not an XLSX workbook (not a zip archive)');
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's Buffer type predates Node's generic Buffer.
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new IngestError('corrupt', `cannot read the workbook: ${reason}`, { cause: error });
  }
  return workbook;
}

/**
 * FAQ tables in XLSX workbooks: every worksheet with a header row is read. Ids made from row
 * numbers name the sheet for every sheet but the workbook's first (`#Возвраты!row-4`).
 */
export const xlsxLoader: Loader = {
  id: 'xlsx',
  extensions: ['.xlsx'],
  async load(input) {
    if (input.bytes.length === 0) throw new IngestError('empty', 'the file is empty');
    const workbook = await readWorkbook(input.bytes);
    const tables: FaqTable[] = workbook.worksheets.map((worksheet, index) => ({
      rows: worksheetRows(worksheet),
      ...(index === 0 ? {} : { rowPrefix: `${worksheet.name}!` }),
    }));
    return faqDocumentsFromTables(tables, input.relativePath);
  },
};

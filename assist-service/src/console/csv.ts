import iconv from 'iconv-lite';
import type { FunnelResponse } from '../contract/index.ts';

export type CsvEncoding = 'utf-8' | 'cp1251';

const HEADERS = {
  ru: [
    'Начало',
    'Конец',
    'Показано',
    'Вставлено',
    'Отправлено как есть',
    'Отправлено с правкой',
    'Отклонено',
    'Доля вставок, %',
    'Доля «как есть», %',
    'Доля с правкой, %',
    'Доля отклонённых, %',
  ],
  en: [
    'Start',
    'End',
    'Shown',
    'Inserted',
    'Sent as is',
    'Sent edited',
    'Dismissed',
    'Inserted, %',
    'Sent as is, %',
    'Sent edited, %',
    'Dismissed, %',
  ],
} as const;

/** A field quoted when it holds the separator, a quote or a line break (RFC 4180). */
function field(value: string, separator: string): string {
  return value.includes(separator) || /["\r\n]/u.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The funnel table as CSV. Russian Excel expects `;` between fields and a decimal comma, and opens
 * cp1251 without asking; UTF-8 gets a byte-order mark so Excel does not read it as cp1251.
 */
export function funnelCsv(
  funnel: FunnelResponse,
  options: { encoding: CsvEncoding; language: 'ru' | 'en' },
): Buffer {
  const russianExcel = options.encoding === 'cp1251';
  const percent = (rate: number | null) => {
    if (rate === null) return '';
    const text = (rate * 100).toFixed(1);
    return russianExcel ? text.replace('.', ',') : text;
  };
  const rows = funnel.rows.map((row) => [
    row.start,
    row.end,
    String(row.shown),
    String(row.inserted),
    String(row.sentAsIs),
    String(row.sentEdited),
    String(row.dismissed),
    percent(row.rates.inserted),
    percent(row.rates.sentAsIs),
    percent(row.rates.sentEdited),
    percent(row.rates.dismissed),
  ]);
  return tableCsv({ headers: [...HEADERS[options.language]], rows }, options.encoding);
}

/** A cell of an exported table: text, a number, or empty. */
export type TableCell = string | number | null;
export interface ExportTable {
  headers: string[];
  rows: TableCell[][];
}

/**
 * Any table as CSV: `,` and a UTF-8 byte-order mark, or for a Russian Excel cp1251 with `;` and
 * decimal commas (numbers only; text is written as it is).
 */
export function tableCsv(table: ExportTable, encoding: CsvEncoding): Buffer {
  const russianExcel = encoding === 'cp1251';
  const separator = russianExcel ? ';' : ',';
  const cell = (value: TableCell) =>
    value === null
      ? ''
      : typeof value === 'number'
        ? russianExcel
          ? String(value).replace('.', ',')
          : String(value)
        : field(value, separator);
  const lines = [table.headers, ...table.rows].map((row) => row.map(cell).join(separator));
  const text = `${lines.join('\r\n')}\r\n`;
  return russianExcel
    ? iconv.encode(text, 'win1251')
    : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

import { createHash } from 'node:crypto';
import { IngestError } from '../errors.ts';
import type { Section, SourceDocument } from '../model.ts';
import { validityWindow } from '../store/validity.ts';
import { detectLanguage } from '../text/analyze.ts';
import { SITUATIONS, type Situation } from './naparnik-schema.ts';
import { parseTableDate, TABLE_DATE_FORMATS } from './table-dates.ts';

/**
 * FAQ tables (CSV, TSV, XLSX): finding the header row and turning each row into one `faq`
 * document. The format loaders only turn bytes into rows of cell strings.
 */

export const FAQ_FIELDS = [
  'id',
  'question',
  'answer',
  'title',
  'category',
  'tags',
  'language',
  'validFrom',
  'validUntil',
  'notFor',
  'for',
] as const;
export type FaqField = (typeof FAQ_FIELDS)[number];

/** How far down a header row may sit (title rows, notes above the table). */
export const HEADER_SEARCH_ROWS = 10;

/**
 * Header keywords, already normalised (lower case, ё → е). `weak` keywords count only when no
 * other keyword is in the header: `Текст вопроса` is a question column, `Текст` an answer one.
 */
const KEYWORDS: Record<
  FaqField,
  { strong: readonly string[]; weak?: readonly string[]; exactOnly?: boolean }
> = {
  id: { strong: ['id', 'ид', 'код', '№'] },
  question: { strong: ['вопрос', 'question', 'q'] },
  answer: { strong: ['ответ', 'answer', 'a'], weak: ['text', 'текст'] },
  title: { strong: ['тема', 'заголовок', 'title', 'topic'] },
  category: {
    strong: ['категория', 'раздел', 'category', 'классификатор 1 уровня', 'уровень 1', 'level 1'],
  },
  tags: {
    strong: [
      'теги',
      'тег',
      'метки',
      'метка',
      'tags',
      'keywords',
      'классификатор 2 уровня',
      'уровень 2',
      'level 2',
    ],
  },
  language: { strong: ['язык', 'language', 'lang'] },
  // Situations the answer is wrong for, and written for (FORMATS.md): «Не для», «Для», "Not for",
  // "For" — the whole header only: «Комментарий для оператора» or «Не для публикации» is no such
  // column, and its free text would fail the file as unknown situations.
  notFor: { strong: ['не для', 'not for', 'notfor'], exactOnly: true },
  for: { strong: ['для', 'for'], exactOnly: true },
  // A promotion sheet's window: «Действует с», «Дата начала акции», «Valid from».
  validFrom: {
    strong: ['действует с', 'действительно с', 'начало', 'начало действия', 'valid from', 'start date'],
  },
  validUntil: {
    strong: [
      'действует до',
      'действует по',
      'действительно до',
      'окончание',
      'срок действия',
      'valid until',
      'valid till',
      'valid to',
      'expires',
      'expiry',
      'expiration',
      'end date',
    ],
  },
};

/** Headers where an id keyword decides, wherever it stands: `ID вопроса`, `Question ID`, `№ п/п`. */
const ID_KEYWORDS = new Set(['id', 'ид', '№']);

/** Lower case, ё → е, punctuation to spaces, spaces collapsed. */
export function normaliseHeader(cell: string): string {
  return cell
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/[^\p{L}\p{N}№]+/gu, ' ')
    .trim();
}

const CYRILLIC = /\p{Script=Cyrillic}/u;

/**
 * Whether a header word is the keyword word in some grammatical form: `вопросы`, `ответа`,
 * `категории`, `questions`. Words under 4 letters must match exactly (`код` is not `кодекс`).
 */
function wordMatches(word: string, keyword: string): boolean {
  if (word === keyword) return true;
  if (keyword.length < 4) return false;
  if (CYRILLIC.test(keyword)) {
    const stem = /[аяоеыиьй]$/.test(keyword) ? keyword.slice(0, -1) : keyword;
    return word.startsWith(stem) && word.length - stem.length <= 3;
  }
  return word === `${keyword}s` || (keyword.endsWith('y') && word === `${keyword.slice(0, -1)}ies`);
}

/** Position of the keyword's first word in the header's words, or -1. */
function keywordPosition(words: readonly string[], keyword: string): number {
  const parts = keyword.split(' ');
  for (let start = 0; start + parts.length <= words.length; start++) {
    if (parts.every((part, offset) => wordMatches(words[start + offset]!, part))) return start;
  }
  return -1;
}

interface HeaderMatch {
  field: FaqField;
  /** Named only by a weak keyword (`Текст`): a column with a strong one is preferred. */
  weak: boolean;
}

function matchHeader(cell: string): HeaderMatch | undefined {
  const header = normaliseHeader(cell);
  if (header === '') return undefined;
  const words = header.split(' ');
  for (const field of FAQ_FIELDS) {
    const { strong, weak = [] } = KEYWORDS[field];
    if (strong.includes(header)) return { field, weak: false };
    if (weak.includes(header)) return { field, weak: true };
  }
  if (words.some((word) => ID_KEYWORDS.has(word))) return { field: 'id', weak: false };
  for (const strength of ['strong', 'weak'] as const) {
    let best: { field: FaqField; position: number } | undefined;
    for (const field of FAQ_FIELDS) {
      if (KEYWORDS[field].exactOnly) continue;
      for (const keyword of KEYWORDS[field][strength] ?? []) {
        if (keyword.length < 2) continue;
        const position = keywordPosition(words, keyword);
        if (position >= 0 && (best === undefined || position < best.position)) best = { field, position };
      }
    }
    if (best) return { field: best.field, weak: strength === 'weak' };
  }
  return undefined;
}

/**
 * The FAQ field a header cell names. A header equal to a keyword wins; otherwise an id keyword;
 * otherwise the keyword that comes first in the header (`Тема вопроса` is a title column).
 */
export function classifyHeader(cell: string): FaqField | undefined {
  return matchHeader(cell)?.field;
}

export type HeaderColumns = Partial<Record<FaqField, number>>;

/**
 * Column of each field in a header row: the leftmost column naming it, a strong keyword beating a
 * weak one (`Вопрос | Текст | Ответ`: the answer is `Ответ`).
 */
export function headerColumns(cells: readonly string[]): HeaderColumns {
  const columns: HeaderColumns = {};
  const weakFields = new Set<FaqField>();
  cells.forEach((cell, index) => {
    const match = matchHeader(cell);
    if (match === undefined) return;
    const taken = columns[match.field] !== undefined;
    if (!taken || (weakFields.has(match.field) && !match.weak)) {
      columns[match.field] = index;
      if (match.weak) weakFields.add(match.field);
      else weakFields.delete(match.field);
    }
  });
  return columns;
}

/** The header row: the first of the first {@link HEADER_SEARCH_ROWS} rows naming a question and an answer column. */
export function findHeader(
  rows: readonly (readonly string[])[],
): { rowIndex: number; columns: HeaderColumns } | undefined {
  for (let rowIndex = 0; rowIndex < Math.min(rows.length, HEADER_SEARCH_ROWS); rowIndex++) {
    const columns = headerColumns(rows[rowIndex] ?? []);
    if (columns.question !== undefined && columns.answer !== undefined) return { rowIndex, columns };
  }
  return undefined;
}

/** One table: a CSV file or a worksheet. `rows[0]` is spreadsheet row 1. */
export interface FaqTable {
  rows: readonly (readonly string[])[];
  /** Put before `row-N` in generated ids and before row numbers in messages (`Возвраты!`). */
  rowPrefix?: string;
}

/** Trimmed cell text with Windows line breaks made plain. */
export function cleanCell(value: string | undefined): string {
  return (value ?? '').replace(/\r\n?/g, '\n').trim();
}

const LANGUAGE_NAMES: Record<string, string> = {
  русский: 'ru',
  рус: 'ru',
  russian: 'ru',
  английский: 'en',
  англ: 'en',
  english: 'en',
};

/** An ISO 639-1 code from a language cell (`ru`, `RU`, `русский`), or undefined. */
export function parseLanguage(value: string): string | undefined {
  const normalised = value.trim().toLowerCase();
  if (/^[a-z]{2}$/.test(normalised)) return normalised;
  return LANGUAGE_NAMES[normalised];
}

/** Tags from a cell: separated by `,` `;` or `|`. */
export function splitTags(value: string): string[] {
  return value
    .split(/[,;|]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/** The category first, then the tags; each once (case-insensitive). */
export function mergeTags(category: string | undefined, tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const merged: string[] = [];
  for (const tag of category ? [category, ...tags] : tags) {
    const key = tag.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      merged.push(tag);
    }
  }
  return merged;
}

export interface FaqEntry {
  documentId: string;
  question: string;
  answer: string;
  title?: string;
  category?: string;
  tags: readonly string[];
  language?: string;
  /** The entry's validity window (`store/validity.ts`): JSON records and FAQ tables carry it. */
  validFrom?: string;
  validUntil?: string;
  /** Situations the answer must not be offered for, as a template's `notFor`. */
  notFor?: readonly Situation[];
  /** Situations the answer is written for, as a template's `for`. */
  for?: readonly Situation[];
}

/** The document of one FAQ pair, shared by tables and JSON records. */
export function faqDocument(entry: FaqEntry): SourceDocument {
  const metadata: Record<string, unknown> = { question: entry.question, answer: entry.answer };
  if (entry.title) metadata.title = entry.title;
  if (entry.validFrom) metadata.validFrom = entry.validFrom;
  if (entry.validUntil) metadata.validUntil = entry.validUntil;
  if (entry.notFor && entry.notFor.length > 0) metadata.notFor = [...entry.notFor];
  if (entry.for && entry.for.length > 0) metadata.for = [...entry.for];
  const section: Section = {
    titlePath: entry.category ? [entry.category, entry.question] : [entry.question],
    text: entry.answer,
    atomic: true,
    metadata,
  };
  return {
    documentId: entry.documentId,
    kind: 'faq',
    title: entry.title || entry.question,
    ...(entry.language ? { language: entry.language } : {}),
    tags: mergeTags(entry.category, entry.tags),
    ...(entry.category ? { category: entry.category } : {}),
    sections: [section],
  };
}

/** Throws `invalid` when two documents share an id; `places` says where each came from. */
export function assertUniqueIds(
  documents: readonly SourceDocument[],
  places: readonly string[],
  placeWord: string,
): void {
  const firstPlace = new Map<string, string>();
  documents.forEach((document, index) => {
    const place = places[index] ?? String(index);
    const earlier = firstPlace.get(document.documentId);
    if (earlier !== undefined) {
      throw new IngestError(
        'invalid',
        `duplicate id "${document.documentId}" in ${placeWord} ${earlier} and ${place}`,
      );
    }
    firstPlace.set(document.documentId, place);
  });
}

/** One data row of a table, read. */
interface FaqRow {
  /** `2` or `Акции!2`: the row as the spreadsheet shows it. */
  place: string;
  prefix: string;
  id: string;
  question: string;
  answer: string;
  title: string;
  category: string;
  tags: string[];
  /** From a language column. */
  statedLanguage?: string;
  /** From the validity columns, as `store/validity.ts` reads them. */
  validFrom?: string;
  validUntil?: string;
  notFor: Situation[];
  for: Situation[];
}

/** A «Не для» or «Для» cell: situations separated by commas or semicolons, each one the format knows. */
function rowSituations(place: string, cell: string, header: string): Situation[] {
  const names = cell
    .split(/[,;]/u)
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!(SITUATIONS as readonly string[]).includes(name)) {
      throw new IngestError(
        'invalid',
        `row ${place}, column "${header}": "${name}" is not a situation (one of ${SITUATIONS.join(', ')})`,
      );
    }
  }
  return [...new Set(names)] as Situation[];
}

/**
 * A row's validity window from its «Действует с» / «Действует до» cells; an empty cell is no
 * bound. A cell that is not a date, or a window ending before it begins, fails the whole file
 * naming the row and the column, so no part of a price list is stored with a wrong window.
 */
function rowValidity(
  place: string,
  cells: { from: string; until: string },
  headerText: (field: FaqField) => string,
): { validFrom?: string; validUntil?: string } {
  const read = (field: 'validFrom' | 'validUntil', value: string): string | undefined => {
    if (value === '') return undefined;
    const parsed = parseTableDate(value);
    if (parsed === undefined) {
      const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      throw new IngestError(
        'invalid',
        `row ${place}, column "${headerText(field)}": "${shown}" is not a date (write ${TABLE_DATE_FORMATS})`,
      );
    }
    return parsed;
  };
  const validFrom = read('validFrom', cells.from);
  const validUntil = read('validUntil', cells.until);
  const window = validityWindow({ validFrom, validUntil });
  if (window.from !== undefined && window.until !== undefined && window.until <= window.from) {
    throw new IngestError(
      'invalid',
      `row ${place}: "${headerText('validUntil')}" (${cells.until}) ends before "${headerText('validFrom')}" (${cells.from}) begins`,
    );
  }
  return { ...(validFrom ? { validFrom } : {}), ...(validUntil ? { validUntil } : {}) };
}

/**
 * One `faq` document per row under the header of each table that has one (see FORMATS.md, "FAQ
 * tables"). Empty rows, and rows with a question but no answer (or an answer but no question),
 * are skipped.
 *
 * - Ids: the id column when the row has one; otherwise a hash of the question, so that sorting
 *   the sheet or inserting rows changes no id (and no history or link pointing at one).
 * - Language: a language column decides; otherwise the file's language, unless a row is clearly
 *   in another (rowLanguage). A short or link-heavy Russian answer stays Russian.
 * - A question asked again: with the same answer the later row is skipped; with another answer
 *   both are kept (ids from question and answer). Either way each row concerned carries a warning
 *   the ingest summary shows.
 */
export function faqDocumentsFromTables(tables: readonly FaqTable[], relativePath: string): SourceDocument[] {
  const rows: FaqRow[] = [];
  let headerFound = false;
  for (const table of tables) {
    const header = findHeader(table.rows);
    if (!header) continue;
    headerFound = true;
    const { columns } = header;
    const cell = (row: readonly string[], field: FaqField): string => {
      const column = columns[field];
      return column === undefined ? '' : cleanCell(row[column]);
    };
    const prefix = table.rowPrefix ?? '';
    for (let rowIndex = header.rowIndex + 1; rowIndex < table.rows.length; rowIndex++) {
      const row = table.rows[rowIndex] ?? [];
      const question = cell(row, 'question');
      const answer = cell(row, 'answer');
      if (question === '' || answer === '') continue;
      const statedLanguage = parseLanguage(cell(row, 'language'));
      const place = `${prefix}${rowIndex + 1}`;
      const headerText = (field: FaqField): string =>
        cleanCell(table.rows[header.rowIndex]?.[columns[field] ?? -1]) || field;
      rows.push({
        ...rowValidity(place, { from: cell(row, 'validFrom'), until: cell(row, 'validUntil') }, headerText),
        place,
        prefix,
        id: cell(row, 'id'),
        question,
        answer,
        title: cell(row, 'title'),
        category: cell(row, 'category'),
        tags: splitTags(cell(row, 'tags')),
        notFor: rowSituations(place, cell(row, 'notFor'), headerText('notFor')),
        for: rowSituations(place, cell(row, 'for'), headerText('for')),
        ...(statedLanguage ? { statedLanguage } : {}),
      });
    }
  }
  if (!headerFound) throw noHeaderError(tables);
  if (rows.length === 0) {
    throw new IngestError('empty', 'no rows with both a question and an answer under the header');
  }

  const fileLanguage = majorityLanguage(rows);
  const warnings = new Map<FaqRow, string[]>();
  const warn = (row: FaqRow, message: string) => warnings.set(row, [...(warnings.get(row) ?? []), message]);
  const { kept, hashAnswer } = resolveRepeatedQuestions(rows, warn);

  const documents: SourceDocument[] = [];
  const places: string[] = [];
  for (const row of kept) {
    const language = row.statedLanguage ?? rowLanguage(row, fileLanguage, warn);
    const rowWarnings = warnings.get(row);
    documents.push({
      ...faqDocument({
        documentId:
          row.id ||
          faqRowId(relativePath, row.question, {
            sheet: row.prefix,
            ...(hashAnswer.has(row) ? { answer: answerWithWindow(row) } : {}),
          }),
        question: row.question,
        answer: row.answer,
        ...(row.title ? { title: row.title } : {}),
        ...(row.category ? { category: row.category } : {}),
        tags: row.tags,
        language,
        ...(row.validFrom ? { validFrom: row.validFrom } : {}),
        ...(row.validUntil ? { validUntil: row.validUntil } : {}),
        notFor: row.notFor,
        for: row.for,
      }),
      ...(rowWarnings ? { warnings: rowWarnings } : {}),
    });
    places.push(row.place);
  }
  assertUniqueIds(documents, places, 'rows');
  return documents;
}

/** Lower case, ё → е, NFC, punctuation and spacing ignored: how questions are compared. */
export function normaliseQuestion(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The id of a row without an id column: `<file>#q-<hash of the question>` (`<file>#<sheet>!q-…`
 * on a sheet other than the first), the answer hashed too when the question repeats with another.
 */
export function faqRowId(
  relativePath: string,
  question: string,
  options: { sheet?: string; answer?: string } = {},
): string {
  const key =
    options.answer === undefined
      ? normaliseQuestion(question)
      : `${normaliseQuestion(question)}\n${normaliseQuestion(options.answer)}`;
  return `${relativePath}#${options.sheet ?? ''}q-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/**
 * A row's answer as repeats are compared and ids hashed: with its validity window, when it has
 * one, so a promotion listed again for another period is kept (and gets an id of its own) rather
 * than skipped as a repeat. Rows without a window compare, and hash, as before windows existed.
 */
function answerWithWindow(row: FaqRow): string {
  return row.validFrom || row.validUntil
    ? `${row.answer}\n${row.validFrom ?? ''}/${row.validUntil ?? ''}`
    : row.answer;
}

/**
 * Rows whose question was asked before. Without ids of their own: the same answer again is
 * skipped, another answer is kept with an id from question and answer (`hashAnswer`), so which of
 * them comes first never decides an id. Rows with ids of their own are all kept.
 */
function resolveRepeatedQuestions(
  rows: readonly FaqRow[],
  warn: (row: FaqRow, message: string) => void,
): { kept: FaqRow[]; hashAnswer: Set<FaqRow> } {
  const byQuestion = new Map<string, FaqRow[]>();
  for (const row of rows) {
    const key = normaliseQuestion(row.question);
    byQuestion.set(key, [...(byQuestion.get(key) ?? []), row]);
  }
  const skipped = new Set<FaqRow>();
  const hashAnswer = new Set<FaqRow>();
  for (const group of byQuestion.values()) {
    if (group.length < 2) continue;
    const rowList = (list: readonly FaqRow[]) => list.map((row) => row.place).join(', ');
    const answers = new Set(group.map((row) => normaliseQuestion(answerWithWindow(row))));
    const firstWithAnswer = new Map<string, FaqRow>();
    for (const row of group) {
      const answer = normaliseQuestion(answerWithWindow(row));
      const first = firstWithAnswer.get(answer);
      if (first && !row.id && !first.id) {
        skipped.add(row);
        warn(first, `row ${row.place} repeats the question and answer of row ${first.place}: skipped`);
      } else if (!first) {
        firstWithAnswer.set(answer, row);
      }
    }
    const kept = group.filter((row) => !skipped.has(row));
    if (answers.size > 1) {
      for (const row of kept) {
        if (!row.id) hashAnswer.add(row);
        warn(
          row,
          `the question of row ${row.place} is also in rows ${rowList(kept.filter((other) => other !== row))} with another answer${row.validFrom || row.validUntil ? ' or validity window' : ''}: all kept; merge them in the sheet`,
        );
      }
    } else if (kept.length > 1) {
      for (const row of kept)
        warn(
          row,
          `the question of row ${row.place} is also in rows ${rowList(kept.filter((other) => other !== row))}`,
        );
    }
  }
  return { kept: rows.filter((row) => !skipped.has(row)), hashAnswer };
}

/** Links and e-mail addresses say nothing about a text's language. */
function withoutLinks(text: string): string {
  return text.replace(/https?:\/\/\S+|www\.\S+|\S+@\S+\.\S+/giu, ' ');
}

const LATIN_LETTER = /\p{Script=Latin}/u;

function letters(text: string): { cyrillic: number; latin: number } {
  let cyrillic = 0;
  let latin = 0;
  for (const character of withoutLinks(text)) {
    if (CYRILLIC.test(character)) cyrillic++;
    else if (LATIN_LETTER.test(character)) latin++;
  }
  return { cyrillic, latin };
}

/** 'ru' or 'en' when the text has enough letters and nearly all of one script. */
function clearLanguage(text: string, minimumLetters: number): 'ru' | 'en' | undefined {
  const { cyrillic, latin } = letters(text);
  const total = cyrillic + latin;
  if (total < minimumLetters) return undefined;
  if (cyrillic >= total * CLEAR_SHARE) return 'ru';
  if (latin >= total * CLEAR_SHARE) return 'en';
  return undefined;
}

/** Share of one script's letters that makes a row clearly in that language. */
const CLEAR_SHARE = 0.8;

/** The file's language: what most rows are written in, by their letters (Russian on a tie). */
function majorityLanguage(rows: readonly FaqRow[]): string {
  let russian = 0;
  let english = 0;
  for (const row of rows) {
    const language = detectLanguage(withoutLinks(`${row.question}\n${row.answer}`));
    if (language === 'ru') russian++;
    else if (language === 'en') english++;
  }
  return english > russian ? 'en' : 'ru';
}

/**
 * A row's language: the file's, unless question and answer together are clearly another (20+
 * letters, 80% of one script, links left out) and the question does not say otherwise. A row
 * whose letters alone would have said another language («От 25 fps до 60 fps.», an answer of
 * store links) is reported too, as kept.
 */
function rowLanguage(
  row: FaqRow,
  fileLanguage: string,
  warn: (row: FaqRow, message: string) => void,
): string {
  const whole = clearLanguage(`${row.question}\n${row.answer}`, 20);
  const question = clearLanguage(row.question, 8);
  if (whole && whole !== fileLanguage && (question === undefined || question === whole)) {
    warn(
      row,
      `row ${row.place} is in ${LANGUAGE_LABELS[whole] ?? whole}, unlike the file (${LANGUAGE_LABELS[fileLanguage] ?? fileLanguage}): tagged ${whole}`,
    );
    return whole;
  }
  const byAnswer = detectLanguage(row.answer);
  if (byAnswer !== 'und' && byAnswer !== fileLanguage) {
    warn(
      row,
      `row ${row.place}: the answer's letters look ${LANGUAGE_LABELS[byAnswer] ?? byAnswer} (links, Latin names), kept ${fileLanguage} like the file`,
    );
  }
  return fileLanguage;
}

const LANGUAGE_LABELS: Record<string, string> = { ru: 'Russian', en: 'English' };

function noHeaderError(tables: readonly FaqTable[]): IngestError {
  const firstRow = tables
    .flatMap((table) => table.rows.slice(0, HEADER_SEARCH_ROWS))
    .find((row) => row.some((value) => value.trim() !== ''));
  const found = firstRow
    ? firstRow
        .map((value) => cleanCell(value))
        .filter((value) => value !== '')
        .slice(0, 8)
        .map((value) => (value.length > 40 ? `${value.slice(0, 40)}…` : value))
        .join(', ')
    : 'nothing';
  return new IngestError('invalid', `no header row with a question and an answer column (found: ${found})`);
}

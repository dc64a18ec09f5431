import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { IngestError } from '../errors.ts';
import type { HistoryEntry, KnowledgeStore } from '../store/knowledge-store.ts';
import { historyEntryId } from './entry-id.ts';
import type { HistoryColumns, HistoryField } from './history-columns.ts';
import { type HistoryTable, readHistoryFile } from './read-history.ts';
import { retentionCutoff } from './retention.ts';

/**
 * `pnpm ingest <file> --collection <name> --history`: helpdesk exports into a collection's
 * history. Every file is read and checked before anything is written; then one transaction
 * writes all of it, so a bad row leaves the history as it was.
 */
export interface ImportHistoryOptions {
  store: KnowledgeStore;
  collection: string;
  /** Absolute paths, or relative to `workingDirectory`. */
  paths: readonly string[];
  workingDirectory?: string;
  /** `--map`: columns named instead of found by their header. */
  columns?: HistoryColumns;
  /** Masks personal data (phones, e-mails, cards, passports…) in what is stored. */
  mask: (text: string) => string;
  retentionDays: number;
  maxFileBytes?: number;
  clock?: () => Date;
}

export interface HistoryImportSummary {
  collection: string;
  /** Per file: the columns used, as `field → header`. */
  files: Array<{ file: string; records: number; columns: HistoryColumns }>;
  added: number;
  updated: number;
  unchanged: number;
  /** Rows without a question. */
  skippedEmpty: number;
  /** Rows older than the retention: not imported. */
  skippedExpired: number;
  /** Rows whose id repeats an earlier row's (the later one is kept). */
  repeated: number;
  /** Entries whose texts had personal data masked. */
  masked: number;
  /** Entries that name no document: kept, but they cannot vote in searches. */
  withoutDocuments: number;
  /** Entries naming a document the collection does not hold (yet), with a few such ids. */
  unknownDocuments: { entries: number; examples: string[] };
  /** Older entries the retention removed from the store. */
  expiredRemoved: number;
}

const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;

export async function importHistory(options: ImportHistoryOptions): Promise<HistoryImportSummary> {
  const clock = options.clock ?? (() => new Date());
  const now = clock();
  const cutoff = retentionCutoff(options.retentionDays, now);
  const workingDirectory = options.workingDirectory ?? process.cwd();
  const summary: HistoryImportSummary = {
    collection: options.collection,
    files: [],
    added: 0,
    updated: 0,
    unchanged: 0,
    skippedEmpty: 0,
    skippedExpired: 0,
    repeated: 0,
    masked: 0,
    withoutDocuments: 0,
    unknownDocuments: { entries: 0, examples: [] },
    expiredRemoved: 0,
  };
  if (options.paths.length === 0) throw new IngestError('invalid', 'give at least one export file');

  const entries = new Map<string, ParsedEntry>();
  for (const input of options.paths) {
    const absolute = path.resolve(workingDirectory, input);
    const file = path.relative(workingDirectory, absolute) || absolute;
    try {
      const tables = await readHistoryFile(
        absolute,
        await readBytes(absolute, options.maxFileBytes),
        options.columns,
      );
      for (const table of tables) {
        summary.files.push({ file, records: table.records.length, columns: table.columns });
        for (const entry of entriesOf(table, options, now)) {
          if (entry === 'empty') summary.skippedEmpty++;
          else if (cutoff && Date.parse(entry.createdAt) < cutoff.getTime()) summary.skippedExpired++;
          else {
            if (entries.has(entry.id)) summary.repeated++;
            entries.set(entry.id, entry);
          }
        }
      }
    } catch (error) {
      // Every message names the file; the table readers name the row or line and the column.
      const reason = error instanceof Error ? error.message : String(error);
      throw new IngestError(error instanceof IngestError ? error.code : 'invalid', `${file}: ${reason}`, {
        cause: error,
      });
    }
  }

  const known = new Set(
    (await options.store.listDocuments(options.collection)).map((record) => record.documentId),
  );
  const unknown = new Set<string>();
  for (const entry of entries.values()) {
    if (entry.documentIds.length === 0) summary.withoutDocuments++;
    const missing = entry.documentIds.filter((documentId) => !known.has(documentId));
    if (missing.length > 0) summary.unknownDocuments.entries++;
    for (const documentId of missing) unknown.add(documentId);
    if (entry.masked) summary.masked++;
  }
  summary.unknownDocuments.examples = [...unknown].slice(0, 5);

  const written = await options.store.addHistory(
    options.collection,
    [...entries.values()].map(({ masked: _masked, ...entry }) => entry),
  );
  summary.added = written.added;
  summary.updated = written.updated;
  summary.unchanged = written.unchanged;
  if (cutoff)
    summary.expiredRemoved = await options.store.deleteHistory(options.collection, { olderThan: cutoff });
  return summary;
}

async function readBytes(file: string, maxFileBytes = DEFAULT_MAX_FILE_BYTES): Promise<Uint8Array> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new IngestError('unreadable', 'no such file');
  }
  if (size > maxFileBytes) {
    throw new IngestError(
      'oversized',
      `file is ${(size / 1024 / 1024).toFixed(1)} MB, the limit is ${(maxFileBytes / 1024 / 1024).toFixed(0)} MB (NAPARNIK_MAX_FILE_MB)`,
    );
  }
  return new Uint8Array(await readFile(file));
}

type ParsedEntry = HistoryEntry & { masked: boolean };

function* entriesOf(
  table: HistoryTable,
  options: Pick<ImportHistoryOptions, 'collection' | 'mask'>,
  now: Date,
): Generator<ParsedEntry | 'empty'> {
  for (const record of table.records) {
    const cell = (field: HistoryField) => {
      const column = table.columns[field];
      return column === undefined ? undefined : { column, value: record.values[column] };
    };
    const fail = (field: HistoryField, problem: string): never => {
      throw new IngestError('invalid', `${record.place}, column "${table.columns[field]}": ${problem}`);
    };
    const text = (field: HistoryField): string => {
      const found = cell(field);
      if (!found || found.value === undefined || found.value === null) return '';
      if (typeof found.value === 'string') return found.value.replace(/\r\n?/g, '\n').trim();
      if (typeof found.value === 'number' || typeof found.value === 'boolean') return String(found.value);
      return fail(field, `expected text, got ${Array.isArray(found.value) ? 'a list' : typeof found.value}`);
    };

    const rawQuestion = text('question');
    if (rawQuestion === '') {
      yield 'empty';
      continue;
    }
    const rawAnswer = text('answer');
    const question = options.mask(rawQuestion);
    const answer = rawAnswer ? options.mask(rawAnswer) : '';
    const topic = text('topic');
    const documents = cell('documents');
    let documentIds: string[] = [];
    if (documents && documents.value !== undefined && documents.value !== null) {
      const value = documents.value;
      if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number'))
        documentIds = value.map((item) => String(item).trim()).filter(Boolean);
      else if (typeof value === 'string' || typeof value === 'number')
        documentIds = String(value)
          .split(/[,;|\n]/)
          .map((item) => item.trim())
          .filter(Boolean);
      else fail('documents', 'expected document ids: a list, or text separated by "," ";" or "|"');
    }
    const dateText = text('date');
    let createdAt = now.toISOString();
    if (dateText) {
      const parsed = parseDate(dateText);
      if (!parsed)
        fail('date', `"${dateText}" is not a date (use 2026-11-30, 2026-11-30 14:05 or 30.11.2026)`);
      createdAt = parsed!.toISOString();
    }
    const id = text('id') || historyEntryId(options.collection, question, answer);
    yield {
      id,
      question,
      ...(answer ? { answer } : {}),
      ...(topic ? { topic } : {}),
      documentIds: [...new Set(documentIds)],
      source: 'import',
      createdAt,
      masked: question !== rawQuestion || answer !== rawAnswer,
    };
  }
}

/** ISO dates (with or without time) and the Russian `30.11.2026 14:05`; local time when no zone. */
export function parseDate(value: string): Date | undefined {
  const russian = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(
    value.trim(),
  );
  if (russian) {
    const [, day, month, year, hours = '0', minutes = '0', seconds = '0'] = russian;
    const date = new Date(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hours),
      Number(minutes),
      Number(seconds),
    );
    return date.getDate() === Number(day) && date.getMonth() === Number(month) - 1 ? date : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(value.trim())) return undefined;
  const date = new Date(value.trim().replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

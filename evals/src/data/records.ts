import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { EvalRunError } from '../errors.ts';
import { fromRepoRoot } from '../paths.ts';
import type { DatasetSpec, RecordFormat, Selection } from '../suite/schema.ts';
import { stableHash } from './stable-hash.ts';

export type DataRecord = Record<string, unknown>;

function formatOf(file: string, declared: RecordFormat | undefined): RecordFormat {
  if (declared) return declared;
  const extension = path.extname(file).toLowerCase();
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.csv' || extension === '.tsv') return 'csv';
  throw new EvalRunError('data-invalid', `${file}: say its format (jsonl, csv or json-splits)`);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/^\uFEFF/u, '');
  } catch (error) {
    throw new EvalRunError('data-missing', `${file}: cannot read (${(error as Error).message})`);
  }
}

/** Every record of a JSONL file; a bad line is an error naming it. */
export function parseJsonl(text: string, file: string): DataRecord[] {
  const records: DataRecord[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new EvalRunError('data-invalid', `${file}: line ${index + 1}: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new EvalRunError('data-invalid', `${file}: line ${index + 1}: not a JSON object`);
    }
    records.push(value as DataRecord);
  });
  return records;
}

function parseCsv(text: string, file: string): DataRecord[] {
  const parsed = Papa.parse<DataRecord>(text, {
    header: true,
    skipEmptyLines: true,
    ...(file.toLowerCase().endsWith('.tsv') ? { delimiter: '\t' } : {}),
  });
  const error = parsed.errors.find((entry) => entry.type !== 'Delimiter');
  if (error) throw new EvalRunError('data-invalid', `${file}: row ${(error.row ?? 0) + 2}: ${error.message}`);
  return parsed.data;
}

/** CLINC150's layout: `{split: [[text, label], …]}`; each record gets `text`, `label` and `split`. */
function parseJsonSplits(text: string, file: string, splits: readonly string[] | undefined): DataRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EvalRunError('data-invalid', `${file}: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null)
    throw new EvalRunError('data-invalid', `${file}: not a JSON object`);
  const object = value as Record<string, unknown>;
  if (!splits?.length)
    throw new EvalRunError(
      'data-invalid',
      `${file}: json-splits needs "splits" (${Object.keys(object).join(', ')})`,
    );
  const records: DataRecord[] = [];
  for (const split of splits) {
    const rows = object[split];
    if (!Array.isArray(rows)) {
      throw new EvalRunError(
        'data-invalid',
        `${file}: no split "${split}" (has ${Object.keys(object).join(', ')})`,
      );
    }
    rows.forEach((row, index) => {
      if (!Array.isArray(row) || typeof row[0] !== 'string' || typeof row[1] !== 'string') {
        throw new EvalRunError('data-invalid', `${file}: ${split}[${index}]: expected [text, label]`);
      }
      records.push({ id: `${split}-${index + 1}`, text: row[0], label: row[1], split });
    });
  }
  return records;
}

/** Deterministic: the same records, in the same order, on every machine. */
export function selectRecords(
  records: readonly DataRecord[],
  selection: Selection | undefined,
): DataRecord[] {
  let selected = [...records];
  if (selection?.holdout) {
    const { key, fraction, part } = selection.holdout;
    const buckets = 10_000;
    selected = selected.filter((record) => {
      const inHoldout = stableHash(String(record[key] ?? '')) % buckets < fraction * buckets;
      return part === 'holdout' ? inHoldout : !inHoldout;
    });
  }
  if (selection?.sample !== undefined && selected.length > selection.sample) {
    const key = selection.sampleKey;
    const ranked = selected.map((record, index) => ({
      record,
      index,
      hash: stableHash(key ? String(record[key] ?? '') : JSON.stringify(record)),
    }));
    ranked.sort((left, right) => left.hash - right.hash || left.index - right.index);
    const kept = new Set(ranked.slice(0, selection.sample).map((entry) => entry.index));
    selected = selected.filter((_, index) => kept.has(index));
  }
  return selected;
}

export function readRecords(
  spec: DatasetSpec,
  resolve: (relative: string) => string = fromRepoRoot,
): DataRecord[] {
  const file = resolve(spec.path);
  const format = formatOf(file, spec.format);
  const text = readText(file);
  const records =
    format === 'jsonl'
      ? parseJsonl(text, file)
      : format === 'csv'
        ? parseCsv(text, file)
        : parseJsonSplits(text, file, spec.splits);
  return selectRecords(records, spec.select);
}

/** A string field, or an error naming the record and field. */
export function stringField(record: DataRecord, field: string, where: string): string {
  const value = record[field];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new EvalRunError(
    'data-invalid',
    `${where}: field "${field}" must be text, got ${JSON.stringify(value)}`,
  );
}

export function stringListField(record: DataRecord, field: string, where: string): string[] {
  const value = record[field];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  if (typeof value === 'string') return [value];
  throw new EvalRunError(
    'data-invalid',
    `${where}: field "${field}" must be a list of ids, got ${JSON.stringify(value)}`,
  );
}

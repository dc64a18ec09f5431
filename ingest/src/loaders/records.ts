import path from 'node:path';
import { type core, z } from 'zod';
import { IngestError } from '../errors.ts';
import type { Loader, SourceDocument } from '../model.ts';
import { isValidityBound, VALIDITY_BOUND_MESSAGE, validityWindow } from '../store/validity.ts';
import { assertUniqueIds, faqDocument, mergeTags, splitTags } from './faq-table.ts';
import { situationSchema } from './naparnik-schema.ts';

/** Strict UTF-8 text without its BOM; a file that is not UTF-8 is `corrupt`. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (error) {
    throw new IngestError('corrupt', 'not UTF-8 text', { cause: error });
  }
}

/** 1-based line of a character offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index++) if (text[index] === '\n') line++;
  return line;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether parsing failed only because the text stops early (a prefix of valid JSON). */
function endsEarly(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch (error) {
    return /end of JSON input|Unterminated string/.test(errorMessage(error));
  }
}

/**
 * Where a JSON syntax error is. V8 says so for most errors; for "Unexpected token" it does not,
 * so find the shortest prefix that fails for another reason than stopping early.
 */
function syntaxErrorOffset(text: string, message: string): number {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (endsEarly(text.slice(0, middle + 1))) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * `JSON.parse`, with a syntax error as `corrupt` naming its line (`line 3: Unexpected token 'x'`).
 * `firstLine` is the line `text` starts on in its file.
 */
export function parseJson(text: string, firstLine = 1): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = errorMessage(error);
    const line = lineOfOffset(text, syntaxErrorOffset(text, message));
    const reason = message
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
    throw new IngestError('corrupt', `line ${firstLine + line - 1}: ${reason}`, { cause: error });
  }
}

/** Zod's "received undefined" as the shorter `Required`. */
export const zodErrorMap: core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined;

/** An issue path as written in messages: `items[3].text`. */
export function formatIssuePath(issuePath: readonly PropertyKey[]): string {
  let formatted = '';
  for (const part of issuePath) {
    if (typeof part === 'number') formatted += `[${part}]`;
    else formatted += formatted === '' ? String(part) : `.${String(part)}`;
  }
  return formatted;
}

/** The first issue as one line: `items[3].text: Required`. */
export function describeIssue(issue: core.$ZodIssue): string {
  const where = formatIssuePath(issue.path);
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

/** A missing, `null` or blank string field counts as absent. */
const optionalText = z.preprocess(
  (value) => (value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value),
  z.string().trim().optional(),
);

const situationList = z
  .union([z.array(situationSchema), z.string().transform(splitTags).pipe(z.array(situationSchema))])
  .optional();

export const recordSchema = z
  .object({
    id: z.union([z.string().trim().min(1), z.number().transform(String)]).optional(),
    kind: z.enum(['faq', 'article']).optional(),
    title: optionalText,
    question: optionalText,
    answer: optionalText,
    text: optionalText,
    category: optionalText,
    tags: z.union([z.array(z.string().trim()), z.string().transform(splitTags)]).optional(),
    language: optionalText.pipe(
      z
        .string()
        .regex(/^[a-z]{2}$/i, 'an ISO 639-1 code like "ru"')
        .optional(),
    ),
    validFrom: optionalText.pipe(z.string().refine(isValidityBound, VALIDITY_BOUND_MESSAGE).optional()),
    validUntil: optionalText.pipe(z.string().refine(isValidityBound, VALIDITY_BOUND_MESSAGE).optional()),
    /** Situations the answer must not be offered for (FORMATS.md), as a list or «a, b». */
    notFor: situationList,
    /** Situations the answer is written for, as a template's `for`. */
    for: situationList,
  })
  .refine((record) => (record.question && (record.answer ?? record.text)) || record.text, {
    message: '"text" or "question"+"answer" is required',
  })
  .refine((record) => record.kind !== 'faq' || record.question, {
    message: '"question" is required for kind "faq"',
  })
  .refine(
    (record) => {
      const { from, until } = validityWindow(record);
      return from === undefined || until === undefined || from < until;
    },
    { message: '"validUntil" ends before "validFrom" begins' },
  );
export type KnowledgeRecord = z.infer<typeof recordSchema>;

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]?.trim() ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** The document of one record; `fallbackId` when the record has no `id`. */
export function recordDocument(record: KnowledgeRecord, fallbackId: string): SourceDocument {
  const documentId = record.id ?? fallbackId;
  const tags = (record.tags ?? []).filter((tag) => tag !== '');
  const language = record.language?.toLowerCase();
  const answer = record.answer ?? record.text;
  const kind = record.kind ?? (record.question ? 'faq' : 'article');
  const validity = {
    ...(record.validFrom ? { validFrom: record.validFrom } : {}),
    ...(record.validUntil ? { validUntil: record.validUntil } : {}),
  };
  if (kind === 'faq' && record.question && answer) {
    return faqDocument({
      ...validity,
      documentId,
      question: record.question,
      answer,
      ...(record.title ? { title: record.title } : {}),
      ...(record.category ? { category: record.category } : {}),
      tags,
      ...(language ? { language } : {}),
      ...(record.notFor ? { notFor: record.notFor } : {}),
      ...(record.for ? { for: record.for } : {}),
    });
  }
  const text = record.text ?? answer ?? '';
  const title = record.title ?? record.question ?? firstLine(text);
  return {
    documentId,
    kind: 'article',
    title,
    ...(language ? { language } : {}),
    tags: mergeTags(record.category, tags),
    ...(record.category ? { category: record.category } : {}),
    ...(Object.keys(validity).length > 0 ? { metadata: validity } : {}),
    sections: [{ titlePath: record.category ? [record.category, title] : [title], text }],
  };
}

interface RawRecord {
  value: unknown;
  /** `line 7` or `record 3`: where to point in messages. */
  place: string;
  /** The number in `relative/path#N` ids. */
  ordinal: number;
}

function rawRecords(text: string, extension: string): RawRecord[] {
  if (extension === '.json') {
    const value = parseJson(text);
    const values = Array.isArray(value) ? value : [value];
    return values.map((item, index) => ({ value: item, place: `record ${index + 1}`, ordinal: index + 1 }));
  }
  const records: RawRecord[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    records.push({ value: parseJson(line, index + 1), place: `line ${index + 1}`, ordinal: index + 1 });
  });
  return records;
}

/**
 * Knowledge records as JSON (one object or an array) or JSON Lines: FAQ pairs and articles
 * (see FORMATS.md). The first invalid record fails the file, naming its line.
 */
export const recordsLoader: Loader = {
  id: 'records',
  extensions: ['.json', '.jsonl', '.ndjson'],
  async load(input) {
    const text = decodeUtf8(input.bytes);
    if (text.trim() === '') throw new IngestError('empty', 'the file is empty');
    const extension = path.extname(input.path).toLowerCase();
    const raw = rawRecords(text, extension);
    if (raw.length === 0) throw new IngestError('empty', 'no records');
    const documents = raw.map(({ value, place, ordinal }) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new IngestError('invalid', `${place}: a record must be a JSON object`);
      }
      const parsed = recordSchema.safeParse(value, { error: zodErrorMap });
      if (!parsed.success) {
        throw new IngestError('invalid', `${place}: ${describeIssue(parsed.error.issues[0]!)}`);
      }
      return recordDocument(parsed.data, `${input.relativePath}#${ordinal}`);
    });
    assertUniqueIds(
      documents,
      raw.map((record) => record.place.replace(/^\w+ /, '')),
      extension === '.json' ? 'records' : 'lines',
    );
    return documents;
  },
};

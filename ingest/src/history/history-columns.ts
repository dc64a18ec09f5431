import { IngestError } from '../errors.ts';

/**
 * Which column of a helpdesk export holds what (FORMATS.md, "History exports"). Found from the
 * header names, Russian or English; `--map field=Header,…` names them instead.
 */
export const HISTORY_FIELDS = ['id', 'question', 'answer', 'topic', 'documents', 'date'] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];
export type HistoryColumns = Partial<Record<HistoryField, string>>;

/** Other names `--map` accepts for a field. */
const FIELD_ALIASES: Record<string, HistoryField> = {
  documentids: 'documents',
  document: 'documents',
  relevant: 'documents',
  createdat: 'date',
};

/** Lower case, ё → е, camelCase and letter/digit runs split, punctuation to spaces. */
export function normaliseColumnName(name: string): string {
  return name
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/[^\p{L}\p{N}№]+/gu, ' ')
    .trim();
}

/** Whole names that mean a field, normalised. Checked before the keywords below. */
const EXACT: Record<HistoryField, readonly string[]> = {
  id: ['id', 'ид', '№', 'ticket id', 'case id', 'номер обращения', 'номер тикета', 'номер заявки'],
  question: [
    'question',
    'query',
    'вопрос',
    'вопрос клиента',
    'обращение',
    'текст обращения',
    'сообщение клиента',
    'customer message',
    'request',
  ],
  answer: ['answer', 'operator answer', 'ответ', 'ответ оператора', 'reply', 'response', 'решение'],
  topic: ['topic', 'topic 1', 'тема', 'тематика', 'категория', 'category', 'классификатор 1 уровня'],
  documents: [
    'relevant',
    'document ids',
    'document id',
    'documents',
    'kb id',
    'kb ids',
    'article id',
    'статья',
    'статьи',
    'статья бз',
    'документ',
    'документы',
  ],
  date: ['date', 'created', 'created at', 'дата', 'дата обращения', 'дата создания', 'время', 'timestamp'],
};

/**
 * Words that name a field inside a longer header, in the order they are tried: `ID статьи` is a
 * document, `Номер обращения` an id, `Дата обращения` a date, `Тема обращения` a topic,
 * `Ответ на вопрос` an answer, and only then `Текст обращения` a question.
 */
const KEYWORDS: ReadonlyArray<[HistoryField, readonly string[]]> = [
  [
    'documents',
    ['статья', 'статьи', 'документ', 'документы', 'article', 'document', 'documents', 'relevant'],
  ],
  ['id', ['id', 'ид', '№', 'номер']],
  ['date', ['дата', 'date', 'created', 'время', 'time']],
  ['topic', ['тема', 'topic', 'категория', 'category', 'классификатор', 'тематика']],
  ['answer', ['ответ', 'answer', 'reply', 'response']],
  ['question', ['вопрос', 'question', 'query', 'обращение', 'обращения', 'сообщение', 'message', 'текст']],
];

function fieldOf(name: string): { field: HistoryField; exact: boolean } | undefined {
  const normalised = normaliseColumnName(name);
  if (normalised === '') return undefined;
  for (const field of HISTORY_FIELDS) if (EXACT[field].includes(normalised)) return { field, exact: true };
  const words = normalised.split(' ');
  for (const [field, keywords] of KEYWORDS) {
    if (words.some((word) => keywords.includes(word))) return { field, exact: false };
  }
  return undefined;
}

/**
 * The column of each field: an exact name beats a keyword, then the leftmost column wins
 * (`topic1` before `topic2`). Fields `overrides` names are taken as given.
 */
export function detectHistoryColumns(
  header: readonly string[],
  overrides: HistoryColumns = {},
): HistoryColumns {
  const columns: HistoryColumns = {};
  const exactness = new Map<HistoryField, boolean>();
  const overridden = new Set(Object.values(overrides).map(normaliseColumnName));
  for (const name of header) {
    if (overridden.has(normaliseColumnName(name))) continue;
    const match = fieldOf(name);
    if (!match || match.field in overrides) continue;
    const taken = columns[match.field] !== undefined;
    if (!taken || (match.exact && !exactness.get(match.field))) {
      columns[match.field] = name;
      exactness.set(match.field, match.exact);
    }
  }
  for (const [field, name] of Object.entries(overrides) as Array<[HistoryField, string]>) {
    const found = header.find((column) => normaliseColumnName(column) === normaliseColumnName(name));
    if (found !== undefined) columns[field] = found;
  }
  return columns;
}

/** `question=Вопрос,answer=Ответ оператора` → `{question: 'Вопрос', answer: 'Ответ оператора'}`. */
export function parseColumnMap(value: string): HistoryColumns {
  const columns: HistoryColumns = {};
  for (const part of value.split(',')) {
    if (part.trim() === '') continue;
    const separator = part.indexOf('=');
    const key = separator < 0 ? '' : part.slice(0, separator).trim();
    const column = separator < 0 ? '' : part.slice(separator + 1).trim();
    const field = (HISTORY_FIELDS as readonly string[]).includes(key)
      ? (key as HistoryField)
      : FIELD_ALIASES[key.toLowerCase().replace(/[^a-z]/g, '')];
    if (!field || column === '') {
      throw new IngestError(
        'invalid',
        `--map "${part.trim()}": write field=Column, the field one of ${HISTORY_FIELDS.join(', ')}`,
      );
    }
    columns[field] = column;
  }
  return columns;
}

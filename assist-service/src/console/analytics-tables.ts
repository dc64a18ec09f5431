import type {
  AnalyticsBreakdownResponse,
  AnalyticsEditingResponse,
  AnalyticsGapsResponse,
  AnalyticsRatesResponse,
  AnalyticsReasonsResponse,
  AnalyticsTable,
  UsageResponse,
} from '../contract/index.ts';
import type { ExportTable, TableCell } from './csv.ts';

type Language = 'ru' | 'en';

/** A share as a percentage with one decimal, or empty. */
const percent = (rate: number | null): TableCell => (rate === null ? null : Math.round(rate * 1000) / 10);

const COUNT_HEADERS = {
  ru: ['Показано', 'Вставлено', 'Как есть', 'С правкой', 'Отклонено', 'Палец вниз', 'Запасной движок'],
  en: ['Shown', 'Inserted', 'Sent as is', 'Sent edited', 'Dismissed', 'Thumbs down', 'Fallback'],
};
const RATE_HEADERS = {
  ru: ['Вставлено, %', 'Как есть, %', 'С правкой, %', 'Отклонено, %', 'Палец вниз, %', 'Запасной движок, %'],
  en: ['Inserted, %', 'Sent as is, %', 'Sent edited, %', 'Dismissed, %', 'Thumbs down, %', 'Fallback, %'],
};

type CountsWithRates = AnalyticsRatesResponse['totals'];
const countCells = (row: CountsWithRates): TableCell[] => [
  row.shown,
  row.inserted,
  row.sentAsIs,
  row.sentEdited,
  row.dismissed,
  row.ratedDown,
  row.degraded,
  percent(row.rates.inserted),
  percent(row.rates.sentAsIs),
  percent(row.rates.sentEdited),
  percent(row.rates.dismissed),
  percent(row.rates.ratedDown),
  percent(row.rates.degraded),
];

const NONE = { ru: '(нет)', en: '(none)' };

export function ratesTable(data: AnalyticsRatesResponse, language: Language): ExportTable {
  const head = language === 'ru' ? ['Начало', 'Конец'] : ['Start', 'End'];
  const key = data.breakdown ? [language === 'ru' ? 'Значение' : 'Value'] : [];
  return {
    headers: [...head, ...key, ...COUNT_HEADERS[language], ...RATE_HEADERS[language]],
    rows: data.rows.map((row) => [
      row.start,
      row.end,
      ...(data.breakdown ? [row.key ?? NONE[language]] : []),
      ...countCells(row),
    ]),
  };
}

export function breakdownTable(data: AnalyticsBreakdownResponse, language: Language): ExportTable {
  return {
    headers: [
      language === 'ru' ? 'Значение' : 'Value',
      ...COUNT_HEADERS[language],
      ...RATE_HEADERS[language],
    ],
    rows: data.rows.map((row) => [row.key ?? NONE[language], ...countCells(row)]),
  };
}

const MEASURE_NAMES = {
  ru: {
    editDistance: 'Правка, символов',
    replyWithSuggestion: 'Ответ с подсказкой, с',
    replyWithoutSuggestion: 'Ответ без подсказки, с',
    firstSuggestion: 'До первой подсказки, с',
  },
  en: {
    editDistance: 'Edit, characters',
    replyWithSuggestion: 'Reply with suggestion, s',
    replyWithoutSuggestion: 'Reply without suggestion, s',
    firstSuggestion: 'To first suggestion, s',
  },
} as const;

export function editingTable(data: AnalyticsEditingResponse, language: Language): ExportTable {
  const rows: TableCell[][] = [];
  for (const histogram of [
    data.editDistance,
    data.replyWithSuggestion,
    data.replyWithoutSuggestion,
    data.firstSuggestion,
  ]) {
    // Times in seconds: what a lead reads; distances as they are.
    const scale = (value: number | null) =>
      value === null ? null : histogram.unit === 'ms' ? value / 1000 : value;
    for (const bin of histogram.bins) {
      rows.push([MEASURE_NAMES[language][histogram.measure], scale(bin.from), scale(bin.to), bin.count]);
    }
  }
  return {
    headers: language === 'ru' ? ['Мера', 'От', 'До', 'Количество'] : ['Measure', 'From', 'To', 'Count'],
    rows,
  };
}

export function reasonsTable(data: AnalyticsReasonsResponse, language: Language): ExportTable {
  const none = language === 'ru' ? '(без причины)' : '(no reason)';
  const kinds = language === 'ru' ? ['Палец вниз', 'Отклонено'] : ['Thumbs down', 'Dismissed'];
  return {
    headers: language === 'ru' ? ['Что', 'Причина', 'Количество'] : ['What', 'Reason', 'Count'],
    rows: [
      ...data.thumbsDown.map((row) => [kinds[0]!, row.reason || none, row.count]),
      ...data.dismissed.map((row) => [kinds[1]!, row.reason || none, row.count]),
    ],
  };
}

export function gapsTable(data: AnalyticsGapsResponse, language: Language): ExportTable {
  return {
    headers:
      language === 'ru' ? ['Начало', 'Конец', 'Пробелы в знаниях'] : ['Start', 'End', 'Knowledge gaps'],
    rows: data.rows.map((row) => [row.start, row.end, row.count]),
  };
}

export function usageTable(data: UsageResponse, language: Language): ExportTable {
  return {
    headers:
      language === 'ru'
        ? [
            'День',
            'Движок',
            'Модель',
            'Наборы',
            'Токены на входе',
            'Токены на выходе',
            'Из кэша',
            'В кэш',
            'Стоимость, $',
            'Без цены',
          ]
        : [
            'Day',
            'Engine',
            'Model',
            'Sets',
            'Input tokens',
            'Output tokens',
            'Cache read',
            'Cache write',
            'Cost, $',
            'Unpriced',
          ],
    rows: data.days.map((row) => [
      row.day,
      row.engine,
      row.model,
      row.sets,
      row.inputTokens,
      row.outputTokens,
      row.cacheReadTokens,
      row.cacheWriteTokens,
      Math.round(row.costUsd * 10_000) / 10_000,
      row.unpriced,
    ]),
  };
}

/** Sheet and file names per table. */
export const TABLE_TITLES: Record<Language, Record<AnalyticsTable, string>> = {
  ru: {
    rates: 'Доли по времени',
    breakdown: 'Разбивка',
    editing: 'Правки и время',
    reasons: 'Причины',
    gaps: 'Пробелы в знаниях',
    usage: 'Токены и стоимость',
  },
  en: {
    rates: 'Rates over time',
    breakdown: 'Breakdown',
    editing: 'Editing and time',
    reasons: 'Reasons',
    gaps: 'Knowledge gaps',
    usage: 'Tokens and cost',
  },
};

const MONTHS: Record<string, number> = {
  янв: 0,
  фев: 1,
  мар: 2,
  апр: 3,
  мая: 4,
  май: 4,
  июн: 5,
  июл: 6,
  авг: 7,
  сен: 8,
  окт: 9,
  ноя: 10,
  дек: 11,
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/**
 * A timestamp as helpdesks print it, to a number for ordering: ISO strings, "23 нояб. 2026, 18:42",
 * "23.11.2026 18:42", "Nov 23, 2026 6:42 PM". Undefined when it is only a time or a relative phrase.
 */
export function parseShownDate(value: string, now: Date = new Date()): number | undefined {
  const text = value.trim();
  // "сегодня, 17:40", "вчера в 9:05", "today 10:02": a day relative to now.
  const relative =
    /^(сегодня|вчера|позавчера|today|yesterday)(?:,?\s*(?:в\s+|at\s+)?(\d{1,2}):(\d{2}))?/iu.exec(text);
  if (relative) {
    const back = { сегодня: 0, today: 0, вчера: 1, yesterday: 1, позавчера: 2 }[
      (relative[1] ?? '').toLowerCase() as 'today'
    ];
    return Date.UTC(
      now.getUTCFullYear(),
      now.getUTCMonth(),
      now.getUTCDate() - (back ?? 0),
      Number(relative[2] ?? 0),
      Number(relative[3] ?? 0),
    );
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const parsed = Date.parse(text);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  const numeric = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ ,]+(\d{1,2}):(\d{2}))?/.exec(text);
  if (numeric) {
    const [, day, month, year, hour, minute] = numeric;
    return Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour ?? 0), Number(minute ?? 0));
  }
  const worded = /(\d{1,2})\s+([a-zа-яё]{3})[a-zа-яё]*\.?\s+(\d{4})(?:[ ,г.]+(\d{1,2}):(\d{2}))?/iu.exec(
    text,
  );
  if (worded) {
    const [, day, monthName, year, hour, minute] = worded;
    const month = MONTHS[(monthName ?? '').toLowerCase()];
    if (month === undefined) return undefined;
    return Date.UTC(Number(year), month, Number(day), Number(hour ?? 0), Number(minute ?? 0));
  }
  // "4 декабря, 16:02": this year's date, or last year's when that would be in the future.
  const yearless = /^(\d{1,2})\s+([a-zа-яё]{3})[a-zа-яё]*\.?(?:,?\s*(?:в\s+)?(\d{1,2}):(\d{2}))?$/iu.exec(
    text,
  );
  if (yearless) {
    const [, day, monthName, hour, minute] = yearless;
    const month = MONTHS[(monthName ?? '').toLowerCase()];
    if (month === undefined) return undefined;
    const at = (year: number) => Date.UTC(year, month, Number(day), Number(hour ?? 0), Number(minute ?? 0));
    const thisYear = at(now.getUTCFullYear());
    return thisYear > now.getTime() + 86_400_000 ? at(now.getUTCFullYear() - 1) : thisYear;
  }
  const english = /([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})/i.exec(text);
  if (english) {
    const month = MONTHS[(english[1] ?? '').toLowerCase()];
    if (month === undefined) return undefined;
    return Date.UTC(Number(english[3]), month, Number(english[2]));
  }
  return undefined;
}

/**
 * Dates in FAQ tables' validity columns («Действует с», «Действует до»), as Russian sheets write
 * them, turned into the bounds `store/validity.ts` reads: a date alone stays a date (a whole UTC
 * day, the end bound inclusive, as in templates), a date with a time becomes an instant. A time
 * without an offset is UTC too, as Excel's zone-less date cells are read (`xlsx.ts`); `МСК`/`MSK`
 * or an explicit offset says otherwise.
 */

/** What a validity cell may hold, for the error message. */
export const TABLE_DATE_FORMATS = '31.12.2026, 31.12.26, 31.12.2026 18:00 or 2026-12-31';

/** 31.12.2026, 1.2.26, 31.12.2026 18:00, 31.12.2026 18:00:30 (`/` and `-` also separate the day). */
const DOTTED =
  /^(?<day>\d{1,2})[./-](?<month>\d{1,2})[./-](?<year>\d{4}|\d{2})(?:[ T,]+(?<time>\d{1,2}:\d{2}(?::\d{2})?))?(?<zone>\s*(?:мск|msk|z|utc|[+-]\d{2}:?\d{2}))?$/iu;
/** 2026-12-31, 2026-12-31 18:00, 2026-12-31T18:00:00+03:00. */
const ISO =
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})(?:[ T](?<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(?<zone>\s*(?:мск|msk|z|utc|[+-]\d{2}:?\d{2}))?$/iu;
/** A date cell saved as its serial number (days since 1899-12-30): 46387 is 2026-12-31. */
const EXCEL_SERIAL = /^(?<days>\d{5})(?:\.(?<fraction>\d+))?$/u;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function offset(zone: string | undefined): string {
  const value = (zone ?? '').trim().toLowerCase();
  if (value === '' || value === 'z' || value === 'utc') return 'Z';
  if (value === 'мск' || value === 'msk') return '+03:00';
  const digits = value.replace(':', '');
  return `${digits.slice(0, 3)}:${digits.slice(3)}`;
}

function bound(
  year: number,
  month: number,
  day: number,
  time: string | undefined,
  zone: string | undefined,
): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  // 31.02.2026 rolls over to March in Date.UTC: a date that does not exist is no date.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  const calendarDay = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (time === undefined) return zone?.trim() ? undefined : calendarDay;
  const [hours = 0, minutes = 0, seconds = 0] = time.split(':').map((part) => Math.floor(Number(part)));
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  return `${calendarDay}T${pad(hours)}:${pad(minutes)}:${pad(seconds)}${offset(zone)}`;
}

function fromSerial(days: string, fraction: string | undefined): string {
  const milliseconds = EXCEL_EPOCH_MS + Math.round(Number(`${days}.${fraction ?? '0'}`) * DAY_MS);
  const date = new Date(milliseconds);
  const calendarDay = date.toISOString().slice(0, 10);
  return milliseconds % DAY_MS === 0 ? calendarDay : `${calendarDay}T${date.toISOString().slice(11, 19)}Z`;
}

/**
 * A validity bound from a cell: `2026-12-31` for a date, `2026-12-31T18:00:00Z` (or with the
 * stated offset) for a date and time; undefined when the cell is not a date. Two-digit years are
 * 20yy. The caller treats an empty cell as no bound.
 */
export function parseTableDate(cell: string): string | undefined {
  const value = cell.trim().replace(/\s+/gu, ' ');
  const serial = EXCEL_SERIAL.exec(value)?.groups;
  if (serial?.days) return fromSerial(serial.days, serial.fraction);
  const dotted = DOTTED.exec(value)?.groups;
  if (dotted?.day && dotted.month && dotted.year) {
    const year = dotted.year.length === 2 ? 2000 + Number(dotted.year) : Number(dotted.year);
    return bound(year, Number(dotted.month), Number(dotted.day), dotted.time, dotted.zone);
  }
  const iso = ISO.exec(value)?.groups;
  if (iso?.day && iso.month && iso.year) {
    return bound(Number(iso.year), Number(iso.month), Number(iso.day), iso.time, iso.zone);
  }
  return undefined;
}

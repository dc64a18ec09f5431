import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { LoaderInput, SourceDocument } from '../model.ts';
import { failure } from '../test-support/load-failure.ts';
import { csvLoader } from './csv.ts';
import { classifyHeader } from './faq-table.ts';
import { parseTableDate } from './table-dates.ts';
import { xlsxLoader } from './xlsx.ts';

/** Validity windows in FAQ tables: promotion and price sheets with «Действует с» / «Действует до». */

function input(name: string, bytes: Uint8Array): LoaderInput {
  return { path: `/kb/${name}`, relativePath: name, bytes };
}

const csv = (name: string, text: string) => input(name, new TextEncoder().encode(text));

const windows = (documents: readonly SourceDocument[]) =>
  documents.map((document) => {
    const metadata = document.sections[0]?.metadata ?? {};
    return [document.documentId, metadata.validFrom, metadata.validUntil];
  });

describe('validity columns of FAQ tables', () => {
  it('recognises the headers a promotion sheet uses, in Russian and English', () => {
    for (const header of ['Действует с', 'Начало', 'Дата начала акции', 'Valid from', 'Начало действия']) {
      expect(classifyHeader(header), header).toBe('validFrom');
    }
    for (const header of [
      'Действует до',
      'Окончание',
      'Срок действия до',
      'Дата окончания акции',
      'Valid until',
      'Expires',
      'СРОК ДЕЙСТВИЯ',
    ]) {
      expect(classifyHeader(header), header).toBe('validUntil');
    }
    // The question, answer and other columns are read as before.
    expect(classifyHeader('Вопрос')).toBe('question');
    expect(classifyHeader('Тема вопроса')).toBe('title');
  });

  it('reads dates as Russian sheets write them: a date stays a whole day, a time becomes an instant', () => {
    expect(parseTableDate('31.12.2026')).toBe('2026-12-31');
    expect(parseTableDate('1.2.26')).toBe('2026-02-01');
    expect(parseTableDate('01/02/2026')).toBe('2026-02-01');
    expect(parseTableDate('2026-12-31')).toBe('2026-12-31');
    // Excel's zone-less times are read as UTC, like a date alone; МСК or an offset says otherwise.
    expect(parseTableDate('31.12.2026 18:00')).toBe('2026-12-31T18:00:00Z');
    expect(parseTableDate('31.12.2026 18:00 МСК')).toBe('2026-12-31T18:00:00+03:00');
    expect(parseTableDate('2026-12-31 09:05')).toBe('2026-12-31T09:05:00Z');
    expect(parseTableDate('2026-12-31T18:00:00+03:00')).toBe('2026-12-31T18:00:00+03:00');
    // A date cell saved as its serial number (General format).
    expect(parseTableDate('46387')).toBe('2026-12-31');
    expect(parseTableDate('46387.75')).toBe('2026-12-31T18:00:00Z');
    for (const notADate of [
      'завтра',
      '31.02.2026',
      '2026-13-01',
      '31.12.2026 25:00',
      '12',
      'до конца года',
    ]) {
      expect(parseTableDate(notADate), notADate).toBeUndefined();
    }
  });

  it('gives each CSV row its window, an empty cell meaning no bound', async () => {
    const documents = await csvLoader.load(
      csv(
        'promo.csv',
        [
          'id;Вопрос;Ответ;Действует с;Действует до',
          'bf;Какая скидка в чёрную пятницу?;Скидка 30 % по промокоду BLACK30.;27.11.2026;30.11.2026',
          'ny;Какая скидка к Новому году?;Скидка 15 % по промокоду NY15.;01.12.2026 10:00;',
          'care;Как ухаживать за серьгами?;Храните серьги в мешочке.;;',
        ].join('\n'),
      ),
    );
    expect(windows(documents)).toEqual([
      ['bf', '2026-11-27', '2026-11-30'],
      ['ny', '2026-12-01T10:00:00Z', undefined],
      ['care', undefined, undefined],
    ]);
  });

  it('keeps a promotion listed again for another period as an entry of its own', async () => {
    const documents = await csvLoader.load(
      csv(
        'promo.csv',
        [
          'Вопрос;Ответ;Действует с;Действует до',
          'Есть ли скидка на серьги?;Скидка 10 % по промокоду EAR10.;01.11.2026;30.11.2026',
          'Есть ли скидка на серьги?;Скидка 10 % по промокоду EAR10.;01.01.2027;31.01.2027',
          'Как ухаживать за серьгами?;Храните серьги в мешочке.;;',
          'Как ухаживать за серьгами?;Храните серьги в мешочке.;;',
        ].join('\n'),
      ),
    );
    expect(windows(documents).map(([, from, until]) => [from, until])).toEqual([
      ['2026-11-01', '2026-11-30'],
      ['2027-01-01', '2027-01-31'],
      [undefined, undefined],
    ]);
    expect(new Set(documents.map((document) => document.documentId)).size).toBe(3);
    expect(documents[0]?.warnings?.[0]).toMatch(/with another answer or validity window: all kept/u);
  });

  it('fails the whole file on a cell that is not a date, naming the row and the column', async () => {
    const error = await failure(
      csvLoader.load(
        csv(
          'prices.csv',
          [
            'Вопрос;Ответ;Действует до',
            'Сколько стоит доставка?;300 ₽.;31.12.2026',
            'Сколько стоит упаковка?;100 ₽.;завтра',
          ].join('\n'),
        ),
      ),
    );
    expect(error).toEqual({
      code: 'invalid',
      message:
        'row 3, column "Действует до": "завтра" is not a date (write 31.12.2026, 31.12.26, 31.12.2026 18:00 or 2026-12-31)',
    });
  });

  it('fails the whole file on a window that ends before it begins', async () => {
    const error = await failure(
      csvLoader.load(
        csv(
          'promo.csv',
          ['Вопрос;Ответ;Начало;Окончание', 'Какая скидка?;Скидка 10 %.;05.11.2026;01.11.2026'].join('\n'),
        ),
      ),
    );
    expect(error).toEqual({
      code: 'invalid',
      message: 'row 2: "Окончание" (01.11.2026) ends before "Начало" (05.11.2026) begins',
    });
  });

  it('reads real XLSX date cells, date-formatted or as serial numbers, and names the row of a bad one', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Акции');
    sheet.addRow(['Акции декабря']);
    sheet.addRow(['ID', 'Вопрос', 'Ответ', 'Дата начала акции', 'Срок действия до']);
    sheet.addRow([
      'bf',
      'Какая скидка в чёрную пятницу?',
      'Скидка 30 % по промокоду BLACK30.',
      new Date(Date.UTC(2026, 10, 27)),
      new Date(Date.UTC(2026, 10, 30, 23, 0)),
    ]);
    sheet.addRow(['ny', 'Какая скидка к Новому году?', 'Скидка 15 % по промокоду NY15.', 46357, '31.12.26']);
    sheet.getColumn(4).numFmt = 'dd.mm.yyyy';
    sheet.getColumn(5).numFmt = 'dd.mm.yyyy hh:mm';
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(windows(await xlsxLoader.load(input('promo.xlsx', bytes)))).toEqual([
      ['bf', '2026-11-27', '2026-11-30T23:00:00Z'],
      ['ny', '2026-12-01', '2026-12-31'],
    ]);

    sheet.getCell('E4').value = 'до конца года';
    const broken = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(await failure(xlsxLoader.load(input('promo.xlsx', broken)))).toEqual({
      code: 'invalid',
      message:
        'row 4, column "Срок действия до": "до конца года" is not a date (write 31.12.2026, 31.12.26, 31.12.2026 18:00 or 2026-12-31)',
    });
  });
});

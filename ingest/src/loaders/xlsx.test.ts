import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IngestError } from '../errors.ts';
import type { LoaderInput } from '../model.ts';
import { datasetPath } from '../test-support/shared-datasets.ts';
import { cellText, xlsxLoader } from './xlsx.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function fixture(relativePath: string): LoaderInput {
  const file = path.join(fixtures, relativePath);
  return { path: file, relativePath, bytes: new Uint8Array(readFileSync(file)) };
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IngestError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the load to fail');
}

describe('xlsxLoader', () => {
  it('reads every sheet with a header, finding the header below a title row', async () => {
    const documents = await xlsxLoader.load(fixture('xlsx/faq-two-sheets.xlsx'));
    expect(documents.map((document) => document.documentId)).toEqual([
      'xlsx/faq-two-sheets.xlsx#row-4',
      'xlsx/faq-two-sheets.xlsx#row-5',
      'xlsx/faq-two-sheets.xlsx#row-7',
      '101',
      'xlsx/faq-two-sheets.xlsx#Возвраты и гарантия!row-3',
      'warranty-clasp',
    ]);
  });

  it('maps a row with a title column to a faq document with the title in metadata', async () => {
    const [first] = await xlsxLoader.load(fixture('xlsx/faq-two-sheets.xlsx'));
    expect(first).toEqual({
      documentId: 'xlsx/faq-two-sheets.xlsx#row-4',
      kind: 'faq',
      title: 'Сроки доставки',
      tags: ['Доставка', 'сроки', 'курьер'],
      category: 'Доставка',
      sections: [
        {
          titlePath: ['Доставка', 'Когда привезут мой заказ?'],
          text: 'По Москве — 1–2 дня, по России — 3–7 дней после оплаты.',
          atomic: true,
          metadata: {
            question: 'Когда привезут мой заказ?',
            answer: 'По Москве — 1–2 дня, по России — 3–7 дней после оплаты.',
            title: 'Сроки доставки',
          },
        },
      ],
    });
  });

  it('turns rich text, formula results and hyperlinks into plain text', async () => {
    const documents = await xlsxLoader.load(fixture('xlsx/faq-two-sheets.xlsx'));
    expect(documents.slice(0, 3).map((document) => document.sections[0]?.text)).toEqual([
      'По Москве — 1–2 дня, по России — 3–7 дней после оплаты.',
      'Бесплатно от 5000 ₽, иначе 390 ₽.',
      'По трек-номеру на сайте перевозчика.',
    ]);
  });

  it('reads numeric ids as text, the language column, and a category merged down two rows', async () => {
    const documents = await xlsxLoader.load(fixture('xlsx/faq-two-sheets.xlsx'));
    const [returnHow, refund, clasp] = documents.slice(3);
    expect(returnHow).toMatchObject({ documentId: '101', language: 'ru', category: 'Возврат' });
    expect(refund).toMatchObject({ title: 'Когда вернут деньги?', language: 'ru', category: 'Возврат' });
    expect(clasp).toMatchObject({ documentId: 'warranty-clasp', category: 'Гарантия', tags: ['Гарантия'] });
  });

  it('skips a row with a question but no answer, and ignores the sheet without a header', async () => {
    const documents = await xlsxLoader.load(fixture('xlsx/faq-two-sheets.xlsx'));
    const questions = documents.map((document) => document.sections[0]?.metadata?.question);
    expect(questions).not.toContain('Можно ли забрать заказ из салона?');
    expect(documents).toHaveLength(6);
  });

  it('gives the same ids when the same bytes are loaded twice', async () => {
    const first = await xlsxLoader.load(fixture('xlsx/faq-two-sheets.xlsx'));
    const second = await xlsxLoader.load(fixture('xlsx/faq-two-sheets.xlsx'));
    expect(second.map((document) => document.documentId)).toEqual(
      first.map((document) => document.documentId),
    );
  });

  it('rejects a password-protected workbook as encrypted', async () => {
    expect(await failure(xlsxLoader.load(fixture('xlsx/encrypted.xlsx')))).toEqual({
      code: 'encrypted',
      message: 'the workbook is password-protected; save a copy without a password',
    });
  });

  it('rejects an old binary .xls renamed to .xlsx as unsupported', async () => {
    expect(await failure(xlsxLoader.load(fixture('xlsx/legacy-xls.xlsx')))).toEqual({
      code: 'unsupported',
      message:
        'this is an old binary Excel workbook (.xls) named .xlsx; save it as an Excel Workbook (.xlsx)',
    });
  });

  it('rejects a file that is not a zip archive as corrupt', async () => {
    expect(await failure(xlsxLoader.load(fixture('xlsx/not-a-zip.xlsx')))).toEqual({
      code: 'corrupt',
      message: 'not an XLSX workbook (not a zip archive)',
    });
  });

  it('rejects a truncated workbook as corrupt', async () => {
    const { code, message } = await failure(xlsxLoader.load(fixture('xlsx/truncated.xlsx')));
    expect(code).toBe('corrupt');
    expect(message).toMatch(/^cannot read the workbook: /);
  });

  it('rejects a workbook without a header row, listing what it found', async () => {
    expect(await failure(xlsxLoader.load(fixture('xlsx/no-header.xlsx')))).toEqual({
      code: 'invalid',
      message: 'no header row with a question and an answer column (found: Изделие, Металл, Цена)',
    });
  });

  it('rejects an empty file as empty', async () => {
    const input = { path: '/kb/empty.xlsx', relativePath: 'empty.xlsx', bytes: new Uint8Array() };
    expect((await failure(xlsxLoader.load(input))).code).toBe('empty');
  });
});

describe('cellText', () => {
  it('formats dates as ISO without a time zone shift, and error values as empty', () => {
    expect(cellText(new Date(Date.UTC(2024, 2, 1)))).toBe('2024-03-01');
    expect(cellText(new Date(Date.UTC(2024, 3, 12, 15, 30)))).toBe('2024-04-12 15:30');
    expect(cellText({ error: '#N/A' })).toBe('');
    expect(cellText({ formula: 'A1*2', result: 42 })).toBe('42');
    expect(cellText({ sharedFormula: 'A1', result: { richText: [{ text: 'а' }, { text: 'б' }] } })).toBe(
      'аб',
    );
    expect(cellText({ text: { richText: [{ text: 'сайт' }] }, hyperlink: 'https://example.com' })).toBe(
      'сайт',
    );
    expect(cellText({ text: '', hyperlink: 'https://example.com' })).toBe('https://example.com');
    expect(cellText(true)).toBe('true');
  });
});

describe('xlsxLoader on the real RUTUBE knowledge base', () => {
  const normalise = (value: unknown) =>
    String(value ?? '')
      .replace(/\s+/g, ' ')
      .trim();
  // Tags are compared as filters see them, case-insensitively: in 10 rows kb.jsonl has level 1
  // `ОТСУТСТВУЕТ` and level 2 `Отсутствует`, which the loader keeps as one tag.
  const sortedTags = (tags: readonly string[]) =>
    [...new Set(tags.map((tag) => normalise(tag).toLowerCase()))].sort();

  it('gives the 326 entries of kb.jsonl, row for row, with the same question, answer, title and tags', async () => {
    const workbookPath = datasetPath('rutube-support', 'original', '01_База_знаний.xlsx');
    const kb = readFileSync(datasetPath('rutube-support', 'kb.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { question: string; answer: string; title: string; tags: string[] });
    const documents = await xlsxLoader.load({
      path: workbookPath,
      relativePath: 'rutube/01_База_знаний.xlsx',
      bytes: new Uint8Array(readFileSync(workbookPath)),
    });

    expect(documents).toHaveLength(326);
    const mismatches = kb.flatMap((entry, index) => {
      const document = documents[index];
      const metadata = document?.sections[0]?.metadata;
      const actual = {
        documentId: document?.documentId,
        question: normalise(metadata?.question),
        answer: normalise(metadata?.answer),
        title: normalise(document?.title),
        tags: sortedTags(document?.tags ?? []),
      };
      const expected = {
        documentId: `rutube/01_База_знаний.xlsx#row-${index + 2}`,
        question: normalise(entry.question),
        answer: normalise(entry.answer),
        title: normalise(entry.title),
        tags: sortedTags(entry.tags),
      };
      return JSON.stringify(actual) === JSON.stringify(expected)
        ? []
        : [{ row: index + 2, actual, expected }];
    });
    expect(mismatches).toEqual([]);
  });
});

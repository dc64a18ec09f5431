import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LoaderInput } from '../model.ts';
import { failure } from '../test-support/load-failure.ts';
import { datasetPath } from '../test-support/shared-datasets.ts';
import { faqRowId, normaliseQuestion } from './faq-table.ts';
import { cellText, xlsxLoader } from './xlsx.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function fixture(relativePath: string): LoaderInput {
  const file = path.join(fixtures, relativePath);
  return { path: file, relativePath, bytes: new Uint8Array(readFileSync(file)) };
}

describe('xlsxLoader', () => {
  it('reads every sheet with a header, finding the header below a title row', async () => {
    const documents = await xlsxLoader.load(fixture('xlsx/faq-two-sheets.xlsx'));
    const file = 'xlsx/faq-two-sheets.xlsx';
    expect(documents.map((document) => document.documentId)).toEqual([
      faqRowId(file, 'Когда привезут мой заказ?'),
      faqRowId(file, 'Сколько стоит доставка?'),
      faqRowId(file, 'Как отследить посылку?'),
      '101',
      faqRowId(file, 'Когда вернут деньги?', { sheet: 'Возвраты и гарантия!' }),
      'warranty-clasp',
    ]);
    expect(documents[4]?.documentId).toMatch(
      /^xlsx\/faq-two-sheets\.xlsx#Возвраты и гарантия!q-[0-9a-f]{12}$/,
    );
  });

  it('maps a row with a title column to a faq document with the title in metadata', async () => {
    const [first] = await xlsxLoader.load(fixture('xlsx/faq-two-sheets.xlsx'));
    expect(first).toEqual({
      documentId: faqRowId('xlsx/faq-two-sheets.xlsx', 'Когда привезут мой заказ?'),
      kind: 'faq',
      title: 'Сроки доставки',
      language: 'ru',
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

  const workbookPath = datasetPath('rutube-support', 'original', '01_База_знаний.xlsx');
  const load = () =>
    xlsxLoader.load({
      path: workbookPath,
      relativePath: 'rutube/01_База_знаний.xlsx',
      bytes: new Uint8Array(readFileSync(workbookPath)),
    });
  const kb = () =>
    readFileSync(datasetPath('rutube-support', 'kb.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { question: string; answer: string; title: string; tags: string[] });

  it('gives the entries of kb.jsonl in order, with the same question, answer, title and tags, each pair once', async () => {
    const documents = await load();
    // kb.jsonl follows the sheet row for row; a question and answer repeated in a later row is skipped.
    const seen = new Set<string>();
    const expected = kb().filter((entry) => {
      const key = `${normaliseQuestion(entry.question)}\n${normaliseQuestion(entry.answer)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    expect(documents).toHaveLength(expected.length);
    const mismatches = expected.flatMap((entry, index) => {
      const document = documents[index];
      const metadata = document?.sections[0]?.metadata;
      const actual = {
        question: normalise(metadata?.question),
        answer: normalise(metadata?.answer),
        title: normalise(document?.title),
        tags: sortedTags(document?.tags ?? []),
      };
      const wanted = {
        question: normalise(entry.question),
        answer: normalise(entry.answer),
        title: normalise(entry.title),
        tags: sortedTags(entry.tags),
      };
      return JSON.stringify(actual) === JSON.stringify(wanted) ? [] : [{ index, actual, wanted }];
    });
    expect(mismatches).toEqual([]);
  });

  it('tags every row Russian, short and link-heavy answers included, and reports those whose letters say otherwise', async () => {
    const documents = await load();
    expect(documents.filter((document) => document.language !== 'ru')).toEqual([]);
    const languageNotes = documents.flatMap((document) =>
      (document.warnings ?? []).filter((message) => message.includes('kept ru like the file')),
    );
    // «От 25 fps до 60 fps.», store links, OBS Studio and vMix, browser download links.
    expect(languageNotes.map((message) => message.split(':')[0])).toEqual([
      'row 49',
      'row 155',
      'row 171',
      'row 299',
    ]);
  });

  it('reports every question the sheet repeats, and gives ids that do not depend on row order', async () => {
    const documents = await load();
    const warnings = documents.flatMap((document) => document.warnings ?? []);
    const repeated = new Map<string, number>();
    for (const entry of kb()) {
      const key = normaliseQuestion(entry.question);
      repeated.set(key, (repeated.get(key) ?? 0) + 1);
    }
    const repeatedQuestions = [...repeated.values()].filter((count) => count > 1).length;
    const extraRows = [...repeated.values()].reduce((sum, count) => sum + count - 1, 0);
    expect({ repeatedQuestions, extraRows }).toEqual({ repeatedQuestions: 39, extraRows: 41 });
    const skipped = warnings.filter((message) => message.endsWith(': skipped'));
    expect(skipped).toHaveLength(326 - documents.length);
    const questionsNoted = new Set(
      documents
        .filter((document) => (document.warnings ?? []).some((message) => !message.includes('kept ru')))
        .map((document) => normaliseQuestion(String(document.sections[0]?.metadata?.question))),
    );
    expect(questionsNoted.size).toBe(repeatedQuestions);
    expect(new Set(documents.map((document) => document.documentId)).size).toBe(documents.length);
    expect(documents.every((document) => /#q-[0-9a-f]{12}$/.test(document.documentId))).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { LoaderInput } from '../model.ts';
import { failure } from '../test-support/load-failure.ts';
import { csvLoader, decodeCsv, detectSeparator } from './csv.ts';
import { faqRowId } from './faq-table.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function fixture(relativePath: string): LoaderInput {
  const file = path.join(fixtures, relativePath);
  return { path: file, relativePath, bytes: new Uint8Array(readFileSync(file)) };
}

function inline(name: string, text: string): LoaderInput {
  return { path: `/kb/${name}`, relativePath: name, bytes: new TextEncoder().encode(text) };
}

describe('csvLoader', () => {
  it('reads a UTF-8 CSV with ";" and Russian headers, using the id column', async () => {
    const documents = await csvLoader.load(fixture('csv/faq-semicolon.csv'));
    expect(documents.map((document) => document.documentId)).toEqual([
      'faq-delivery-time',
      'faq-delivery-cost',
      'faq-return-period',
      'faq-warranty-term',
    ]);
    expect(documents[0]).toEqual({
      documentId: 'faq-delivery-time',
      kind: 'faq',
      title: 'Сколько идёт доставка?',
      language: 'ru',
      tags: ['Доставка', 'сроки', 'курьер'],
      category: 'Доставка',
      sections: [
        {
          titlePath: ['Доставка', 'Сколько идёт доставка?'],
          text: 'Курьером по Москве и Санкт-Петербургу — 1–2 дня, в другие города — 3–7 дней. Точный срок виден при оформлении заказа.',
          atomic: true,
          metadata: {
            question: 'Сколько идёт доставка?',
            answer:
              'Курьером по Москве и Санкт-Петербургу — 1–2 дня, в другие города — 3–7 дней. Точный срок виден при оформлении заказа.',
          },
        },
      ],
    });
  });

  it('keeps separators inside quoted cells and line breaks inside multi-line cells', async () => {
    const documents = await csvLoader.load(fixture('csv/faq-semicolon.csv'));
    expect(documents[1]?.sections[0]?.text).toBe(
      'Бесплатно при заказе от 5000 ₽; для заказов дешевле курьер стоит 390 ₽, пункт выдачи — 250 ₽.',
    );
    expect(documents[2]?.sections[0]?.text).toBe(
      'Да, в течение 14 дней, если изделие не носили и сохранены бирки и упаковка.\nИсключение — серьги: их нельзя вернуть по правилам гигиены.',
    );
  });

  it('splits tags on "," ";" and "|" and puts the category first, each tag once', async () => {
    const documents = await csvLoader.load(fixture('csv/faq-semicolon.csv'));
    expect(documents[2]?.tags).toEqual(['Возврат', 'обмен']);
    expect(documents[3]?.tags).toEqual(['Гарантия']);
  });

  it('skips empty rows and a row with a question but no answer', async () => {
    const documents = await csvLoader.load(fixture('csv/faq-semicolon.csv'));
    expect(documents.map((document) => document.title)).not.toContain('Можно ли сделать гравировку?');
    expect(documents).toHaveLength(4);
  });

  it('reads UTF-8 with a BOM, "," and English headers, with ids from the questions', async () => {
    const documents = await csvLoader.load(fixture('csv/faq-bom-comma.csv'));
    expect(documents.map((document) => document.documentId)).toEqual([
      faqRowId('csv/faq-bom-comma.csv', 'Do you ship abroad?'),
      faqRowId('csv/faq-bom-comma.csv', 'What does "925" on a ring mean?'),
    ]);
    expect(documents[0]?.documentId).toMatch(/^csv\/faq-bom-comma\.csv#q-[0-9a-f]{12}$/);
    expect(documents[1]).toMatchObject({
      title: 'What does "925" on a ring mean?',
      language: 'en',
      category: 'Materials',
      tags: ['Materials', 'silver', 'hallmark'],
    });
    expect(documents[0]?.language).toBe('en');
  });

  it('detects Windows-1251 and reads Cyrillic headers with odd case and spaces', async () => {
    const input = fixture('csv/faq-windows-1251.csv');
    expect(decodeCsv(input.bytes).encoding).toBe('windows-1251');
    const documents = await csvLoader.load(input);
    expect(documents).toHaveLength(3);
    expect(documents[1]).toMatchObject({
      documentId: faqRowId('csv/faq-windows-1251.csv', 'Почему позолота стёрлась?'),
      title: 'Почему позолота стёрлась?',
      language: 'ru',
      category: 'Уход',
    });
    expect(documents[2]?.sections[0]?.text).toBe('Да: карты «Мир», Visa, Mastercard и оплату через СБП.');
  });

  it('reads a TSV with extra columns, skipping its empty row', async () => {
    const documents = await csvLoader.load(fixture('csv/faq.tsv'));
    expect(documents.map((document) => document.title)).toEqual([
      'Как узнать размер кольца?',
      'Можно ли уменьшить размер кольца?',
      'Что делать, если застёжка сломалась?',
    ]);
    expect(documents[1]).toMatchObject({ category: 'Услуги', tags: ['Услуги', 'размер', 'мастерская'] });
    expect(documents[2]?.tags).toEqual(['Гарантия']);
  });

  it('finds a header below title lines', async () => {
    const text =
      'Ответы поддержки «Самоцвет»\n\nВопрос;Ответ\nЕсть ли самовывоз?;Да, из салона на Тверской.\n';
    const documents = await csvLoader.load(inline('salon.csv', text));
    expect(documents.map((document) => document.documentId)).toEqual([
      faqRowId('salon.csv', 'Есть ли самовывоз?'),
    ]);
  });

  it('keeps every id when the sheet is re-sorted or a row is inserted above', async () => {
    const rows = [
      'Есть ли самовывоз?;Да, из салона на Тверской.',
      'Сколько идёт доставка?;От 1 до 7 дней.',
      'Можно ли вернуть серьги?;Нет, по правилам гигиены.',
    ];
    const idsByQuestion = async (lines: string[]) =>
      new Map(
        (await csvLoader.load(inline('faq.csv', `Вопрос;Ответ\n${lines.join('\n')}\n`))).map((document) => [
          document.title,
          document.documentId,
        ]),
      );
    const before = await idsByQuestion(rows);
    const after = await idsByQuestion(['Новый вопрос?;Новый ответ.', ...[...rows].reverse()]);
    for (const [question, id] of before) expect(after.get(question)).toBe(id);
  });

  it('gives the same ids when the same bytes are loaded twice', async () => {
    const first = await csvLoader.load(fixture('csv/faq.tsv'));
    const second = await csvLoader.load(fixture('csv/faq.tsv'));
    expect(second.map((document) => document.documentId)).toEqual(
      first.map((document) => document.documentId),
    );
  });

  it('rejects a table without a question and answer header, listing what it found', async () => {
    expect(await failure(csvLoader.load(fixture('csv/no-header.csv')))).toEqual({
      code: 'invalid',
      message: 'no header row with a question and an answer column (found: Название, Цена, Металл)',
    });
  });

  it('rejects duplicate ids, naming both rows', async () => {
    expect(await failure(csvLoader.load(fixture('csv/duplicate-ids.csv')))).toEqual({
      code: 'invalid',
      message: 'duplicate id "faq-care" in rows 2 and 4',
    });
  });

  it('rejects a quoted cell that is never closed as corrupt', async () => {
    expect(await failure(csvLoader.load(fixture('csv/unclosed-quote.csv')))).toEqual({
      code: 'corrupt',
      message: 'row 2: a quoted cell is never closed',
    });
  });

  it('rejects an empty file, and a header without rows, as empty', async () => {
    expect((await failure(csvLoader.load(inline('empty.csv', '')))).code).toBe('empty');
    expect(await failure(csvLoader.load(inline('header-only.csv', 'Вопрос;Ответ\n')))).toEqual({
      code: 'empty',
      message: 'no rows with both a question and an answer under the header',
    });
  });
});

describe('decodeCsv', () => {
  it('prefers UTF-8 when the bytes are valid UTF-8 and falls back to Windows-1251 otherwise', () => {
    expect(decodeCsv(new TextEncoder().encode('Вопрос;Ответ'))).toEqual({
      text: 'Вопрос;Ответ',
      encoding: 'utf-8',
    });
    expect(decodeCsv(iconv.encode('Вопрос;Ответ', 'win1251'))).toEqual({
      text: 'Вопрос;Ответ',
      encoding: 'windows-1251',
    });
  });

  it('reads UTF-16 with a BOM (Excel "Unicode text")', () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...iconv.encode('Вопрос\tОтвет', 'utf16le')]);
    expect(decodeCsv(bytes)).toEqual({ text: 'Вопрос\tОтвет', encoding: 'utf-16le' });
  });
});

describe('detectSeparator', () => {
  it('picks the separator that gives a header, ignoring separators inside quotes', () => {
    expect(detectSeparator('"Вопрос, кратко";Ответ\n', '.csv')).toBe(';');
    expect(detectSeparator('Question,"Answer; full"\n', '.csv')).toBe(',');
    expect(detectSeparator('Вопрос\tОтвет;Комментарий\n', '.csv')).toBe('\t');
    expect(detectSeparator('Вопрос;Ответ\n', '.tsv')).toBe('\t');
    expect(detectSeparator('Название;Цена\n', '.csv')).toBeUndefined();
  });
});

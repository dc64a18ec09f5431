import { describe, expect, it } from 'vitest';
import { IngestError } from '../errors.ts';
import {
  classifyHeader,
  faqDocumentsFromTables,
  faqRowId,
  findHeader,
  parseLanguage,
  splitTags,
} from './faq-table.ts';

describe('classifyHeader', () => {
  it.each([
    ['Вопрос', 'question'],
    ['Вопрос из БЗ', 'question'],
    ['  вопросы клиентов ', 'question'],
    ['Текст вопроса', 'question'],
    ['Q', 'question'],
    ['Question', 'question'],
    ['Ответ из БЗ', 'answer'],
    ['Текст ответа', 'answer'],
    ['Текст', 'answer'],
    ['Answers', 'answer'],
    ['A', 'answer'],
    ['Тема', 'title'],
    ['Тема вопроса', 'title'],
    ['Заголовок', 'title'],
    ['ID', 'id'],
    ['ID вопроса', 'id'],
    ['Question ID', 'id'],
    ['№', 'id'],
    ['№ п/п', 'id'],
    ['Код', 'id'],
    ['Категория', 'category'],
    ['Категории', 'category'],
    ['Классификатор 1 уровня', 'category'],
    ['КЛАССИФИКАТОР 1 УРОВНЯ', 'category'],
    ['Category', 'category'],
    ['Categories', 'category'],
    ['Классификатор 2 уровня', 'tags'],
    ['Теги', 'tags'],
    ['Метки', 'tags'],
    ['Keywords', 'tags'],
    ['Язык', 'language'],
    ['lang', 'language'],
  ])('reads %j as the %s column', (header, field) => {
    expect(classifyHeader(header)).toBe(field);
  });

  it.each(['Ответственный', 'Автор', 'Кодекс', 'Обновлено', 'Цена', 'Идея', 'Area', ''])(
    'does not take %j for an FAQ column',
    (header) => {
      expect(classifyHeader(header)).toBeUndefined();
    },
  );

  it('treats ё as е', () => {
    expect(classifyHeader('Тёма')).toBe('title');
  });
});

describe('findHeader', () => {
  it('takes the first of the first 10 rows that names a question and an answer, leftmost column winning', () => {
    const rows = [['FAQ магазина'], [], ['Вопрос', 'Ответ', 'Ответ (старый)', 'Комментарий']];
    expect(findHeader(rows)).toEqual({ rowIndex: 2, columns: { question: 0, answer: 1 } });
  });

  it('prefers an "Ответ" column to a "Текст" column on its left', () => {
    expect(findHeader([['Вопрос', 'Текст', 'Ответ']])?.columns).toEqual({ question: 0, answer: 2 });
    expect(findHeader([['Вопрос', 'Текст']])?.columns).toEqual({ question: 0, answer: 1 });
  });

  it('does not look below row 10', () => {
    const rows = [...Array.from({ length: 10 }, () => ['…']), ['Вопрос', 'Ответ']];
    expect(findHeader(rows)).toBeUndefined();
  });
});

describe('faqDocumentsFromTables', () => {
  it('names the sheet in the ids and messages of every sheet but the first', () => {
    const rows = [
      ['Вопрос', 'Ответ'],
      ['Есть ли скидки?', 'Да, 5% на второй заказ.'],
    ];
    const sale = [
      ['Вопрос', 'Ответ'],
      ['Когда распродажа?', 'В конце сезона.'],
    ];
    const documents = faqDocumentsFromTables([{ rows }, { rows: sale, rowPrefix: 'Акции!' }], 'faq.xlsx');
    expect(documents.map((document) => document.documentId)).toEqual([
      faqRowId('faq.xlsx', 'Есть ли скидки?'),
      faqRowId('faq.xlsx', 'Когда распродажа?', { sheet: 'Акции!' }),
    ]);
    expect(documents[1]?.documentId).toMatch(/^faq\.xlsx#Акции!q-[0-9a-f]{12}$/);
  });

  it('gives a row the file’s language unless it is clearly another, and reports both kinds of disagreement', () => {
    const rows = [
      ['Вопрос', 'Ответ'],
      ['Сколько идёт доставка?', 'Курьером по Москве 1–2 дня, по России 3–7 дней.'],
      [
        'Где скачать приложение?',
        'Google Play: https://play.google.com/store/apps/details?id=ru.shop.app, App Store',
      ],
      ['Какая частота кадров?', 'От 25 fps до 60 fps.'],
      ['Do you ship abroad?', 'Yes, to Belarus and Kazakhstan; delivery takes 7–14 days.'],
      ['Можно ли вернуть серьги?', 'Нет, серьги не подлежат возврату по правилам гигиены.'],
    ];
    const documents = faqDocumentsFromTables([{ rows }], 'faq.csv');
    expect(documents.map((document) => document.language)).toEqual(['ru', 'ru', 'ru', 'en', 'ru']);
    expect(documents[3]?.warnings).toEqual(['row 5 is in English, unlike the file (Russian): tagged en']);
    expect(documents[2]?.warnings).toEqual([
      "row 4: the answer's letters look English (links, Latin names), kept ru like the file",
    ]);
    expect(documents[0]?.warnings).toBeUndefined();
  });

  it('reads the situations an answer is not for from a «Не для» column', () => {
    const rows = [
      ['Вопрос', 'Ответ', 'Не для'],
      ['Как изменить адрес доставки?', 'Напишите нам номер заказа и новый адрес.', 'marketplace-order'],
      ['Сколько идёт доставка?', 'Курьером 2–5 дней.', ''],
    ];
    const [address, delivery] = faqDocumentsFromTables([{ rows }], 'faq.csv');
    expect(address?.sections[0]?.metadata).toMatchObject({ notFor: ['marketplace-order'] });
    expect(delivery?.sections[0]?.metadata).not.toHaveProperty('notFor');
  });

  it('reads a «Для» column, and takes no column whose header only contains the words', () => {
    const rows = [
      ['Вопрос', 'Ответ', 'Для', 'Комментарий для оператора', 'Не для публикации'],
      [
        'Есть гарантия на товар с маркетплейса?',
        'Да, такая же.',
        'marketplace-order',
        'свободный текст',
        'да',
      ],
    ];
    const [document] = faqDocumentsFromTables([{ rows }], 'faq.csv');
    expect(document?.sections[0]?.metadata).toMatchObject({ for: ['marketplace-order'] });
    expect(document?.sections[0]?.metadata).not.toHaveProperty('notFor');
  });

  it('names the row and the column of a situation the format does not know', () => {
    const rows = [
      ['Вопрос', 'Ответ', 'Не для'],
      ['Как изменить адрес доставки?', 'Напишите нам номер заказа.', 'marketplace'],
    ];
    expect(() => faqDocumentsFromTables([{ rows }], 'faq.csv')).toThrow(
      /row 2, column "Не для": "marketplace" is not a situation \(one of defect-claim, marketplace-order/u,
    );
  });

  it('lets a language column decide over the letters', () => {
    const rows = [
      ['Вопрос', 'Ответ', 'Язык'],
      ['Сколько идёт доставка?', 'Delivery takes 1–2 days.', 'ru'],
    ];
    expect(faqDocumentsFromTables([{ rows }], 'faq.csv')[0]).toMatchObject({ language: 'ru' });
    expect(faqDocumentsFromTables([{ rows }], 'faq.csv')[0]?.warnings).toBeUndefined();
  });

  it('skips a repeated question with the same answer, warning on the row kept', () => {
    const rows = [
      ['Вопрос', 'Ответ'],
      ['Есть ли скидки?', 'Да, 5% на второй заказ.'],
      ['Сколько идёт доставка?', 'От 1 до 7 дней.'],
      ['есть ли  скидки', 'Да, 5% на второй заказ'],
    ];
    const documents = faqDocumentsFromTables([{ rows }], 'faq.csv');
    expect(documents.map((document) => document.documentId)).toEqual([
      faqRowId('faq.csv', 'Есть ли скидки?'),
      faqRowId('faq.csv', 'Сколько идёт доставка?'),
    ]);
    expect(documents[0]?.warnings).toEqual(['row 4 repeats the question and answer of row 2: skipped']);
  });

  it('keeps a repeated question with another answer, with ids from question and answer, warning on each', () => {
    const rows = [
      ['Вопрос', 'Ответ'],
      ['Как вернуть кольцо?', 'В личном кабинете.'],
      ['Как вернуть кольцо?', 'В любом салоне сети.'],
    ];
    const documents = faqDocumentsFromTables([{ rows }], 'faq.csv');
    expect(documents.map((document) => document.documentId)).toEqual([
      faqRowId('faq.csv', 'Как вернуть кольцо?', { answer: 'В личном кабинете.' }),
      faqRowId('faq.csv', 'Как вернуть кольцо?', { answer: 'В любом салоне сети.' }),
    ]);
    expect(documents[0]?.warnings).toEqual([
      'the question of row 2 is also in rows 3 with another answer: all kept; merge them in the sheet',
    ]);
    const reversed = faqDocumentsFromTables([{ rows: [rows[0]!, rows[2]!, rows[1]!] }], 'faq.csv');
    expect(new Set(reversed.map((document) => document.documentId))).toEqual(
      new Set(documents.map((document) => document.documentId)),
    );
  });

  it('keeps rows with ids of their own even when they repeat a question, and warns', () => {
    const rows = [
      ['id', 'Вопрос', 'Ответ'],
      ['faq-1', 'Есть ли скидки?', 'Да.'],
      ['faq-2', 'Есть ли скидки?', 'Да.'],
    ];
    const documents = faqDocumentsFromTables([{ rows }], 'faq.csv');
    expect(documents.map((document) => document.documentId)).toEqual(['faq-1', 'faq-2']);
    expect(documents[1]?.warnings).toEqual(['the question of row 3 is also in rows 2']);
  });

  it('reports a duplicate id across sheets with both places', () => {
    const rows = [
      ['id', 'Вопрос', 'Ответ'],
      ['faq-sale', 'Есть ли скидки?', 'Да.'],
    ];
    expect(() => faqDocumentsFromTables([{ rows }, { rows, rowPrefix: 'Акции!' }], 'faq.xlsx')).toThrow(
      new IngestError('invalid', 'duplicate id "faq-sale" in rows 2 and Акции!2'),
    );
  });

  it('gives a title from the title column and keeps the question as the section title', () => {
    const rows = [
      ['Тема', 'Вопрос', 'Ответ'],
      ['Скидки', 'Есть ли скидки?', 'Да.'],
    ];
    const [document] = faqDocumentsFromTables([{ rows }], 'faq.csv');
    expect(document).toMatchObject({ title: 'Скидки', sections: [{ titlePath: ['Есть ли скидки?'] }] });
    expect(document?.sections[0]?.metadata).toEqual({
      question: 'Есть ли скидки?',
      answer: 'Да.',
      title: 'Скидки',
    });
  });
});

describe('cell helpers', () => {
  it('reads language codes and common language names', () => {
    expect([
      parseLanguage('RU'),
      parseLanguage('русский'),
      parseLanguage('English'),
      parseLanguage('клингон'),
    ]).toEqual(['ru', 'ru', 'en', undefined]);
  });

  it('splits tags on , ; and |, dropping blanks', () => {
    expect(splitTags(' серьги, обмен;;возврат | брак ')).toEqual(['серьги', 'обмен', 'возврат', 'брак']);
  });
});

import { describe, expect, it } from 'vitest';
import { IngestError } from '../errors.ts';
import { classifyHeader, faqDocumentsFromTables, findHeader, parseLanguage, splitTags } from './faq-table.ts';

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
    const documents = faqDocumentsFromTables([{ rows }, { rows, rowPrefix: 'Акции!' }], 'faq.xlsx');
    expect(documents.map((document) => document.documentId)).toEqual([
      'faq.xlsx#row-2',
      'faq.xlsx#Акции!row-2',
    ]);
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

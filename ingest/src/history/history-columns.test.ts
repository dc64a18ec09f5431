import { describe, expect, it } from 'vitest';
import { detectHistoryColumns, parseColumnMap } from './history-columns.ts';

describe('detectHistoryColumns', () => {
  it.each([
    [
      ['id', 'query', 'relevant', 'topic1', 'topic2', 'operatorAnswer'],
      { id: 'id', question: 'query', documents: 'relevant', topic: 'topic1', answer: 'operatorAnswer' },
    ],
    [
      ['Номер обращения', 'Тема обращения', 'Текст обращения', 'Ответ на вопрос'],
      {
        id: 'Номер обращения',
        topic: 'Тема обращения',
        question: 'Текст обращения',
        answer: 'Ответ на вопрос',
      },
    ],
    [
      ['Дата создания', 'Вопрос клиента', 'Ответ оператора', 'ID статьи БЗ'],
      {
        date: 'Дата создания',
        question: 'Вопрос клиента',
        answer: 'Ответ оператора',
        documents: 'ID статьи БЗ',
      },
    ],
    [
      ['Ticket ID', 'Created at', 'Customer message', 'Reply', 'Category', 'KB article'],
      {
        id: 'Ticket ID',
        date: 'Created at',
        question: 'Customer message',
        answer: 'Reply',
        topic: 'Category',
        documents: 'KB article',
      },
    ],
  ])('maps %j', (header, expected) => {
    expect(detectHistoryColumns(header)).toEqual(expected);
  });

  it('prefers an exact name to a keyword further left', () => {
    expect(detectHistoryColumns(['Текст', 'Вопрос']).question).toBe('Вопрос');
  });

  it('lets --map name a column and keeps that column from any other field', () => {
    expect(detectHistoryColumns(['Вопрос', 'Комментарий', 'Ответ'], { answer: 'комментарий' })).toEqual({
      question: 'Вопрос',
      answer: 'Комментарий',
    });
  });
});

describe('parseColumnMap', () => {
  it('reads field=Column pairs, with documentIds and relevant as names of documents', () => {
    expect(parseColumnMap('question=Вопрос, answer=Ответ оператора,documentIds=Статьи')).toEqual({
      question: 'Вопрос',
      answer: 'Ответ оператора',
      documents: 'Статьи',
    });
  });

  it.each(['question', 'reply=Ответ', 'question='])('refuses %j', (value) => {
    expect(() => parseColumnMap(value)).toThrow(/write field=Column/);
  });
});

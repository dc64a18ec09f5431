import { describe, expect, it } from 'vitest';
import { cleanQuery } from './query-cleaning.ts';

describe('cleanQuery', () => {
  it('drops greetings, introductions and thanks around the question', () => {
    expect(cleanQuery('Здравствуйте! Меня зовут Дмитрий. Как подключить монетизацию? Заранее спасибо!')).toBe(
      'Как подключить монетизацию?',
    );
    expect(cleanQuery('Добрый вечер, какой топ причин блокировки видео?')).toBe(
      'какой топ причин блокировки видео?',
    );
    expect(cleanQuery('Hi there, my order is late. Thanks in advance')).toBe('my order is late');
  });

  it('removes links, addresses, mentions and zero-width characters', () => {
    expect(cleanQuery('видео\u200b не грузится https://rutube.ru/video/abc пишите на a@b.ru @support')).toBe(
      'видео не грузится пишите на',
    );
  });

  it('keeps the text when cleaning would leave nothing', () => {
    expect(cleanQuery('Здравствуйте!')).toBe('Здравствуйте!');
    expect(cleanQuery('https://rutube.ru/x')).toBe('https://rutube.ru/x');
  });

  it('does not treat a word that merely starts like a greeting as one', () => {
    expect(cleanQuery('Приветственные баллы когда сгорают?')).toBe('Приветственные баллы когда сгорают?');
  });
});

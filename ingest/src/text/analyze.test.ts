import { describe, expect, it } from 'vitest';
import { analyze, detectLanguage, normalizeText, stem, tokenize } from './analyze.ts';

describe('text analysis', () => {
  it('gives every form of «доставка» one stem', () => {
    const stems = new Set(['доставка', 'доставки', 'доставкой', 'доставку'].map(stem));
    expect(stems.size).toBe(1);
  });

  it('gives «заказать», «заказы», «заказал» and «заказов» one stem', () => {
    const stems = new Set(['заказать', 'заказы', 'заказал', 'заказов'].map(stem));
    expect(stems).toEqual(new Set(['заказ']));
  });

  it('stems English words with the English stemmer', () => {
    expect(stem('deliveries')).toBe(stem('delivery'));
    expect(stem('ordered')).toBe('order');
  });

  it('folds ё into е and drops zero-width characters', () => {
    expect(normalizeText('Серёжки\u200b')).toBe('сережки');
  });

  it('drops punctuation, emoji and stop words but keeps negations and question words', () => {
    expect(tokenize('Где мой заказ?! 😡')).toEqual(['где', 'мой', 'заказ']);
    expect(analyze('Где мой заказ? Не пришёл')).toEqual(['где', 'заказ', 'не', stem('пришел')]);
  });

  it('tells Russian from English and gives up on emoji-only text', () => {
    expect(detectLanguage('Здравствуйте, где мой заказ? Order 123')).toBe('ru');
    expect(detectLanguage('Hello, where is my order?')).toBe('en');
    expect(detectLanguage('🙂🙂')).toBe('und');
  });
});

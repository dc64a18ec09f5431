import { describe, expect, it } from 'vitest';
import { analyze, detectLanguage, familyOf, normalizeText, snowballStem, stem, tokenize } from './analyze.ts';

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

  it('gives a verb, its other aspect and its action noun one term: «вернут деньги» meets «возврат»', () => {
    const family = new Set(
      ['вернуть', 'вернут', 'возвращаются', 'возврат', 'возврата', 'возвращение'].map(stem),
    );
    expect(family.size).toBe(1);
    expect(new Set(['доставят', 'доставка', 'доставлен'].map(stem)).size).toBe(1);
    expect(new Set(['списали', 'списание'].map(stem)).size).toBe(1);
  });

  it('keeps a family out of stems too short to tell words apart: «обменять» never meets «обман»', () => {
    expect(snowballStem('обмен')).toBe(snowballStem('обман'));
    expect(stem('обменять')).not.toBe(stem('обман'));
    expect(stem('обманули')).not.toBe(stem('обменять'));
  });

  it('reads stems written before families through them, and leaves other stems alone', () => {
    expect(familyOf(snowballStem('возврат'))).toBe(stem('вернуть'));
    expect(familyOf(stem('возврат'))).toBe(stem('возврат'));
    expect(familyOf('кольц')).toBe('кольц');
  });
});

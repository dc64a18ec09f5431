import { describe, expect, it } from 'vitest';
import { createDeltaCleaner, extractCitations } from './citations.ts';

describe('extractCitations', () => {
  it('keeps cited sources in order, drops and counts unknown numbers, and cleans the text', () => {
    const result = extractCitations('Доставка 2–3 дня [2]. Возврат 14 дней [1, 5][2]. Трек [9].', 3);
    expect(result.cited).toEqual([2, 1]);
    expect(result.unknownCitations).toBe(2);
    expect(result.text).toBe('Доставка 2–3 дня. Возврат 14 дней. Трек.');
    expect(result.annotatedText).toBe('Доставка 2–3 дня [2]. Возврат 14 дней [1][2]. Трек.');
  });

  it('leaves placeholders and slot markers alone', () => {
    const result = extractCitations('Позвоним на [PHONE_1], уточните [номер заказа] [1].', 1);
    expect(result.text).toBe('Позвоним на [PHONE_1], уточните [номер заказа].');
  });
});

describe('createDeltaCleaner', () => {
  it('holds back a marker or placeholder split between deltas until it is whole', () => {
    const cleaner = createDeltaCleaner((text) => text.replace('[PHONE_1]', '+7 916 123-45-67'));
    const shown = ['Доставка 2–3 дня [', '1', ']. Звоните [PH', 'ONE_1] ', '[2]', '.'].map((delta) =>
      cleaner.push(delta),
    );
    shown.push(cleaner.flush());
    expect(shown.join('')).toBe('Доставка 2–3 дня. Звоните +7 916 123-45-67.');
    expect(shown.some((piece) => piece.includes('['))).toBe(false);
  });

  it('forgets held-back text on reset', () => {
    const cleaner = createDeltaCleaner();
    cleaner.push('Старый текст [');
    cleaner.reset();
    expect(cleaner.push('Новый') + cleaner.flush()).toBe('Новый');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactPersonalData, restorePersonalData } from './index.ts';

/** Pieces customers' messages are made of, personal values among them, glued in any order. */
const piece = fc.oneof(
  fc.constantFrom(
    'Здравствуйте',
    ', ',
    '. ',
    ' ',
    '\n',
    'заказ №',
    'номер заказа ',
    'тел. ',
    'мой телефон',
    'паспорт ',
    'СНИЛС ',
    'ИНН ',
    'карта ',
    'меня зовут ',
    'адрес: ',
    'г. Москва',
    'ул. Ленина',
    'д. 5',
    'кв. 12',
    '+7 (916) 123-45-67',
    '8 903 765 43 21',
    'ivan.petrov@mail.ru',
    '4111 1111 1111 1111',
    '5555555555554444',
    '45 12 345678',
    '112-233-445 95',
    '500100732259',
    'Анна Петрова',
    '12.03.2024',
    '1 990 ₽',
    'RA123456789RU',
    '(',
    ')',
    '-',
    '№',
  ),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[0-9 ()+\-.]{1,24}$/u),
);
const message = fc.array(piece, { maxLength: 14 }).map((pieces) => pieces.join(''));

describe('any text', () => {
  it('gives found spans in order, apart, inside the text, with the redacted text built from them', () => {
    fc.assert(
      fc.property(message, (text) => {
        const result = redactPersonalData(text);
        let rebuilt = '';
        let position = 0;
        for (const item of result.found) {
          expect(item.start).toBeGreaterThanOrEqual(position);
          expect(item.end).toBeLessThanOrEqual(text.length);
          expect(item.end).toBeGreaterThan(item.start);
          rebuilt += text.slice(position, item.start) + item.placeholder;
          position = item.end;
        }
        expect(rebuilt + text.slice(position)).toBe(result.text);
      }),
      { numRuns: 400, seed: 20261206 },
    );
  });

  it('restores the original wherever each value was written once and no card was among them', () => {
    fc.assert(
      fc.property(message, (text) => {
        fc.pre(!/\[[A-Z]+_\d+\]/u.test(text));
        const result = redactPersonalData(text);
        fc.pre(result.map.entries.length === result.found.length);
        fc.pre(result.found.every((item) => item.kind !== 'card'));
        expect(restorePersonalData(result.text, result.map)).toBe(text);
      }),
      { numRuns: 400, seed: 20261207 },
    );
  });

  it('never lets a full card number out, in the text, the found values or the map', () => {
    fc.assert(
      fc.property(message, (text) => {
        const result = redactPersonalData(text);
        for (const card of result.found.filter((item) => item.kind === 'card')) {
          const digits = text.slice(card.start, card.end).replace(/\D/gu, '');
          const everything = JSON.stringify(result).replace(/\D/gu, '');
          expect(everything).not.toContain(digits);
        }
      }),
      { numRuns: 400, seed: 20261208 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { cardNetwork, isCardNumber, isInnValid, isLuhnValid, isSnilsValid } from './checksums.ts';

describe('check digits', () => {
  it('accepts the networks’ published test card numbers and rejects them with one digit changed', () => {
    for (const number of ['4111111111111111', '5555555555554444', '2221000000000009', '4012888888881881']) {
      expect(isLuhnValid(number)).toBe(true);
      const changed = `${number.slice(0, -1)}${(Number(number.at(-1)) + 1) % 10}`;
      expect(isLuhnValid(changed)).toBe(false);
    }
  });

  it('knows a card’s network by its leading digits and length', () => {
    expect(cardNetwork('2200123412341234')).toBe('mir');
    expect(cardNetwork('2204123412341234')).toBe('mir');
    expect(cardNetwork('2205123412341234')).toBeUndefined();
    expect(cardNetwork('4111111111111111')).toBe('visa');
    expect(cardNetwork('5105105105105100')).toBe('mastercard');
    expect(cardNetwork('2720991234567890')).toBe('mastercard');
    expect(cardNetwork('5605105105105100')).toBeUndefined();
    expect(cardNetwork('411111111111111')).toBeUndefined();
  });

  it('needs both the network and the Luhn digit for a card', () => {
    expect(isCardNumber('4111111111111111')).toBe(true);
    expect(isCardNumber('4111111111111112')).toBe(false);
    // Luhn-valid, but no network we know starts with 1.
    expect(isCardNumber('1111111111111117')).toBe(false);
  });

  it('checks SNILS control numbers, including sums of 100 and over 101', () => {
    expect(isSnilsValid('11223344595')).toBe(true);
    expect(isSnilsValid('11223344596')).toBe(false);
    // Weighted sums of 100 and 101 give 00; over 101 the sum is taken mod 101 (405 → 01).
    expect(isSnilsValid('00150881500')).toBe(true);
    expect(isSnilsValid('00143754400')).toBe(true);
    expect(isSnilsValid('99999999901')).toBe(true);
    expect(isSnilsValid('99999999905')).toBe(false);
    // Numbers up to 001-001-998 carry no meaningful control number.
    expect(isSnilsValid('00100199800')).toBe(false);
  });

  it('checks INN of an organisation (10 digits) and of a person (12 digits)', () => {
    expect(isInnValid('7707083893')).toBe(true);
    expect(isInnValid('7707083894')).toBe(false);
    expect(isInnValid('500100732259')).toBe(true);
    expect(isInnValid('500100732258')).toBe(false);
    expect(isInnValid('77070838931')).toBe(false);
  });
});

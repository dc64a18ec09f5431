/**
 * Check digits of the identifiers the redaction recognises. Each function takes the digits only
 * (no spaces or dashes) and answers whether they form a valid number of that kind.
 */

function digitsOf(value: string): number[] {
  return [...value].map(Number);
}

/** Luhn (ISO/IEC 7812): every bank card number ends with this check digit. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d{2,}$/u.test(digits)) return false;
  let sum = 0;
  const values = digitsOf(digits);
  for (let index = 0; index < values.length; index++) {
    let value = values[values.length - 1 - index]!;
    if (index % 2 === 1) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return sum % 10 === 0;
}

export type CardNetwork = 'mir' | 'visa' | 'mastercard';

/** The network a card number's leading digits and length belong to (Mir 2200–2204, Visa 4, Mastercard 51–55 and 2221–2720). */
export function cardNetwork(digits: string): CardNetwork | undefined {
  const length = digits.length;
  const prefix4 = Number(digits.slice(0, 4));
  const prefix2 = Number(digits.slice(0, 2));
  if (prefix4 >= 2200 && prefix4 <= 2204 && length >= 16 && length <= 19) return 'mir';
  if (digits.startsWith('4') && (length === 13 || length === 16 || length === 19)) return 'visa';
  if (length === 16 && ((prefix2 >= 51 && prefix2 <= 55) || (prefix4 >= 2221 && prefix4 <= 2720))) {
    return 'mastercard';
  }
  return undefined;
}

export function isCardNumber(digits: string): boolean {
  return cardNetwork(digits) !== undefined && isLuhnValid(digits);
}

/**
 * SNILS: 9 digits and a 2-digit control number, the sum of digit × (9 − position) taken mod 101
 * (100 and 101 give 00). Numbers up to 001-001-998 were issued without a meaningful control number.
 */
export function isSnilsValid(digits: string): boolean {
  if (!/^\d{11}$/u.test(digits)) return false;
  const body = digits.slice(0, 9);
  if (Number(body) <= 1001998) return false;
  const sum = digitsOf(body).reduce((total, value, index) => total + value * (9 - index), 0);
  const control = sum % 101 === 100 ? 0 : sum % 101;
  return control === Number(digits.slice(9));
}

function innCheckDigit(digits: number[], weights: readonly number[]): number {
  const sum = weights.reduce((total, weight, index) => total + weight * digits[index]!, 0);
  return (sum % 11) % 10;
}

const INN10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN12_FIRST_WEIGHTS = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN12_SECOND_WEIGHTS = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;

/** INN of an organisation (10 digits, one check digit) or a person (12 digits, two). */
export function isInnValid(digits: string): boolean {
  if (!/^\d{10}$|^\d{12}$/u.test(digits) || digits.startsWith('00')) return false;
  const values = digitsOf(digits);
  if (values.length === 10) return innCheckDigit(values, INN10_WEIGHTS) === values[9];
  return (
    innCheckDigit(values, INN12_FIRST_WEIGHTS) === values[10] &&
    innCheckDigit(values, INN12_SECOND_WEIGHTS) === values[11]
  );
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { agreeWithCount, caseFromContext, GRAMMATICAL_CASES, inflectPhrase } from './inflect.ts';

const casesFile = z.object({
  cases: z.array(
    z.object({
      kind: z.enum(['product', 'name', 'city', 'number']),
      value: z.string(),
      case: z.enum(GRAMMATICAL_CASES).optional(),
      count: z.number().int().optional(),
      expected: z.string(),
      heldOut: z.boolean().optional(),
    }),
  ),
});
const { cases } = casesFile.parse(
  JSON.parse(readFileSync(new URL('./fixtures/morphology-cases.json', import.meta.url), 'utf8')),
);

describe('inflectPhrase and agreeWithCount', () => {
  it.each(cases.map((item) => [`${item.value} → ${item.expected}`, item] as const))('%s', (_name, item) => {
    const got =
      item.count !== undefined
        ? `${item.count} ${agreeWithCount(item.count, item.value)}`
        : inflectPhrase(item.value, item.case ?? 'nomn');
    expect(got).toBe(item.expected);
  });

  it('leaves a word the dictionary does not know as given', () => {
    expect(inflectPhrase('шмырбик', 'ablt')).toBe('шмырбик');
    expect(inflectPhrase('Pandora Moments', 'ablt')).toBe('Pandora Moments');
    expect(agreeWithCount(5, 'шмырбик')).toBe('шмырбик');
  });
});

describe('caseFromContext', () => {
  it('takes the case a preposition governs', () => {
    expect(caseFromContext('Примем изделие вместе с ')).toBe('ablt');
    expect(caseFromContext('подарок для ')).toBe('gent');
  });

  it('takes the case of a noun in apposition after its preposition', () => {
    expect(caseFromContext('Нам жаль, что с изделием ')).toBe('ablt');
    expect(caseFromContext('отзыв о товаре ')).toBe('loct');
  });

  it('decides nothing after punctuation, at a sentence start or after a two-case preposition', () => {
    expect(caseFromContext('Здравствуйте, ')).toBeUndefined();
    expect(caseFromContext('')).toBeUndefined();
    expect(caseFromContext('гравировку на ')).toBeUndefined();
    expect(caseFromContext('Вернуть ')).toBeUndefined();
  });
});

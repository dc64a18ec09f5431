import { readFileSync } from 'node:fs';
import { isCardNumber, isInnValid, isSnilsValid } from '@naparnik/ingest';
import { describe, expect, it } from 'vitest';
import { generatePiiCorpus, piiTemplateSchema } from './pii-corpus.ts';
import { parseJsonl } from './records.ts';

const templatesFile = new URL('./fixtures/pii-templates.jsonl', import.meta.url);
const templates = parseJsonl(readFileSync(templatesFile, 'utf8'), templatesFile.pathname).map((record) =>
  piiTemplateSchema.parse(record),
);

describe('the redaction corpus generator', () => {
  it('makes the same corpus from the same seed and another from another seed', () => {
    const first = generatePiiCorpus(templates, { seed: 11, count: 1000 });
    expect(generatePiiCorpus(templates, { seed: 11, count: 1000 })).toEqual(first);
    expect(generatePiiCorpus(templates, { seed: 12, count: 1000 })).not.toEqual(first);
    expect(first).toHaveLength(1000);
  });

  it('labels every planted value and decoy where it stands in the text', () => {
    for (const message of generatePiiCorpus(templates, { seed: 3, count: 500 })) {
      for (const value of [...message.planted, ...message.decoys]) {
        expect(message.text.slice(value.start, value.end)).toBe(value.value);
      }
      expect(message.text).not.toMatch(/\{[a-z_0-9]+\}/u);
    }
  });

  it('plants valid check digits and makes the wrong-checksum decoys really wrong', () => {
    const corpus = generatePiiCorpus(templates, { seed: 5, count: 2000 });
    const digitsOf = (value: string) => value.replace(/\D/gu, '');
    const planted = corpus.flatMap((message) => message.planted);
    const decoys = corpus.flatMap((message) => message.decoys);
    for (const value of planted.filter((item) => item.kind === 'card'))
      expect(isCardNumber(digitsOf(value.value))).toBe(true);
    for (const value of planted.filter((item) => item.kind === 'snils'))
      expect(isSnilsValid(digitsOf(value.value))).toBe(true);
    for (const value of planted.filter((item) => item.kind === 'inn'))
      expect(isInnValid(digitsOf(value.value))).toBe(true);
    for (const decoy of decoys.filter((item) => item.slot === 'bad_card'))
      expect(isCardNumber(digitsOf(decoy.value))).toBe(false);
    for (const decoy of decoys.filter((item) => item.slot === 'bad_snils'))
      expect(isSnilsValid(digitsOf(decoy.value))).toBe(false);
    for (const decoy of decoys.filter((item) => item.slot === 'bad_inn'))
      expect(isInnValid(digitsOf(decoy.value))).toBe(false);
    for (const decoy of decoys.filter((item) => item.slot === 'order_luhn'))
      expect(isCardNumber(decoy.value)).toBe(true);
  });

  it('refuses a template with a slot it does not know, naming the template', () => {
    expect(() =>
      generatePiiCorpus([{ id: 't-1', language: 'ru', text: 'мой {iban}' }], { seed: 1, count: 1 }),
    ).toThrow(/template t-1: unknown slot \{iban\}/u);
  });
});

import { z } from 'zod';

/** What the redaction finds. Structured kinds are checked by shape and check digits; names and addresses by context. */
export const PERSONAL_DATA_KINDS = [
  'phone',
  'email',
  'card',
  'passport',
  'snils',
  'inn',
  'name',
  'address',
] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

/** Kinds whose recall is held to ≥ 0.99: an identifier with a fixed shape (and check digits where it has them). */
export const STRUCTURED_KINDS: readonly PersonalDataKind[] = PERSONAL_DATA_KINDS.filter(
  (kind) => kind !== 'name' && kind !== 'address',
);

export const personalDataKindSchema = z.enum(PERSONAL_DATA_KINDS);

const placeholderPattern = /^\[(PHONE|EMAIL|CARD|PASSPORT|SNILS|INN|NAME|ADDRESS)_([1-9]\d*)\]$/u;

/**
 * One value seen in a conversation. `key` is the value normalised for its kind (digits of a phone
 * in +7 form, a lower-cased e-mail…), so «8 (916) 123-45-67» and «+79161234567» share a placeholder.
 * A card is kept only as its first six and last four digits (PCI DSS truncation): `value` is what
 * restore puts back, never the full number.
 */
export const redactionEntrySchema = z
  .object({
    placeholder: z.string().regex(placeholderPattern, 'a placeholder such as [PHONE_1]'),
    kind: personalDataKindSchema,
    key: z.string().min(1),
    value: z.string().min(1),
  })
  .strict();
export type RedactionEntry = z.infer<typeof redactionEntrySchema>;

/** Placeholders of one conversation: plain JSON, so it can be kept with the conversation and parsed back. */
export const redactionMapSchema = z
  .object({ entries: z.array(redactionEntrySchema) })
  .strict()
  .superRefine((map, context) => {
    const seen = new Set<string>();
    map.entries.forEach((entry, index) => {
      if (seen.has(entry.placeholder)) {
        context.addIssue({
          code: 'custom',
          path: ['entries', index, 'placeholder'],
          message: `${entry.placeholder} is used twice`,
        });
      }
      seen.add(entry.placeholder);
      if (!entry.placeholder.startsWith(`[${entry.kind.toUpperCase()}_`)) {
        context.addIssue({
          code: 'custom',
          path: ['entries', index, 'placeholder'],
          message: `${entry.placeholder} does not name kind ${entry.kind}`,
        });
      }
    });
  });
export type RedactionMap = z.infer<typeof redactionMapSchema>;

export function emptyRedactionMap(): RedactionMap {
  return { entries: [] };
}

export function placeholderFor(kind: PersonalDataKind, number: number): string {
  return `[${kind.toUpperCase()}_${number}]`;
}

/** Every placeholder in a text, e.g. to check that a model's reply kept them. */
export const PLACEHOLDER_IN_TEXT = /\[(?:PHONE|EMAIL|CARD|PASSPORT|SNILS|INN|NAME|ADDRESS)_[1-9]\d*\]/gu;

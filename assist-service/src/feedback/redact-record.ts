import { isCardNumber, maskPersonalData } from '@naparnik/ingest/privacy';
import type { Suggestion } from '../contract/index.ts';

/** 13–19 digits, grouped by spaces or dashes as cards are written. */
const CARD_SHAPED = /(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/gu;

/**
 * The redaction, then PCI DSS's floor: the redaction keeps order and ticket numbers as they are,
 * so «заказ 4111111111111111» would keep a number that is a valid card. Nothing stored may hold a
 * full PAN, so any card-shaped run that passes Luhn for a known network becomes `[CARD]` too.
 */
export function maskForStorage(text: string): string {
  return maskPersonalData(text).replace(CARD_SHAPED, (run) =>
    isCardNumber(run.replace(/\D/gu, '')) ? '[CARD]' : run,
  );
}

/**
 * What the event store masks before a row is written: every text that can carry a customer's or
 * operator's personal values. The same redaction as before the model (@naparnik/ingest/privacy);
 * a card number leaves it only as a placeholder, so no full PAN is ever stored (PCI DSS).
 */
export function maskOptional(text: string | undefined): string | null {
  return text === undefined ? null : maskForStorage(text);
}

/**
 * A suggestion's text greets the customer by name and fills slots (order, phone, address) from the
 * conversation; citations quote the knowledge base and stay as they are.
 */
export function maskSuggestions(suggestions: readonly Suggestion[]): Suggestion[] {
  return suggestions.map((suggestion) => ({
    ...suggestion,
    text: maskForStorage(suggestion.text),
    filledSlots: Object.fromEntries(
      Object.entries(suggestion.filledSlots).map(([slot, value]) => [slot, maskForStorage(value)]),
    ),
    ...(suggestion.askedBefore
      ? {
          askedBefore: {
            ...suggestion.askedBefore,
            question: maskForStorage(suggestion.askedBefore.question),
          },
        }
      : {}),
  }));
}

import { maskForStorage } from '@naparnik/ingest/privacy';

/** One masking for everything stored, the service's and `pnpm ingest --history`'s. */
export { maskForStorage };

import type { Suggestion } from '../contract/index.ts';

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

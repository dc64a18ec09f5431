import { isCardNumber } from './checksums.ts';
import { maskPersonalData } from './redact.ts';

/** 13–19 digits, grouped by spaces or dashes as cards are written. */
const CARD_SHAPED = /(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/gu;

/**
 * What every stored text goes through — the service's event store and learnt history, and the
 * history `pnpm ingest --history` imports: the redaction, then PCI DSS's floor. The redaction keeps
 * order and ticket numbers as they are, so «заказ 4111111111111111» would keep a number that is a
 * valid card. Nothing stored may hold a full PAN, so any card-shaped run that passes Luhn for a
 * known network becomes `[CARD]` too.
 */
export function maskForStorage(text: string): string {
  return maskPersonalData(text).replace(CARD_SHAPED, (run) =>
    isCardNumber(run.replace(/\D/gu, '')) ? '[CARD]' : run,
  );
}

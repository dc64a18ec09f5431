/**
 * What the safety detector reports. One set of kinds for customer messages, knowledge-base
 * documents and replies (drafts and suggestions), so ingest, the service and the evals speak of
 * the same things.
 */
export const SAFETY_FLAG_KINDS = [
  /** Text addressed to the model, not to a person: «ignore previous instructions», role play, hidden commands. */
  'prompt-injection',
  /** Asks for a card number, CVV/CVC, a PIN, a password or a one-time code. */
  'sensitive-data-request',
  /** Promises money beyond any policy («вернём деньги в любом случае», «компенсируем 100%»). */
  'money-promise',
  /** A link to a domain outside the tenant's allow-list. */
  'external-link',
] as const;
export type SafetyFlagKind = (typeof SAFETY_FLAG_KINDS)[number];

export interface SafetyFinding {
  kind: SafetyFlagKind;
  /** Which rule matched, e.g. `ignore-instructions`: stable, for counting and tests. */
  rule: string;
  /** UTF-16 offsets of the matched words in the scanned text. */
  start: number;
  end: number;
}

/** Where reply-guard rules look for allowed links. */
export interface LinkPolicy {
  /**
   * Domains links may point to (a subdomain of one counts). Undefined: links are not judged
   * (no allow-list is known); an empty list: every link is outside it.
   */
  allowedDomains?: readonly string[] | undefined;
}

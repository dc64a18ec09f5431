/**
 * What the console's knowledge gaps and operator-edit patterns are read from: the gap records the
 * assist route wrote, and what operators did with suggestions (dismissed, sent edited). A small
 * interface of its own, beside the EventStore rather than inside it, so the SQL stays in one module
 * per backend (sqlite-gap-signals.ts today). Texts come back as stored: masked.
 */
export interface GapSignalStore {
  /** Gap records created in [from, to), oldest first. */
  listGaps(tenant: string, filter: GapSignalFilter): Promise<GapRow[]>;
  /**
   * One row per suggestion of a set created in [from, to) that operators dismissed or sent (a
   * `suggestion-edited` event), oldest set first.
   */
  listOutcomes(tenant: string, filter: GapSignalFilter): Promise<OutcomeRow[]>;
  /**
   * A checksum of every row the two lists above would read for `filter`: equal fingerprints, equal
   * lists. One aggregate query per table instead of reading the rows, so the console can tell
   * whether clusters it computed earlier still hold, whichever replica wrote since.
   */
  fingerprint(tenant: string, filter: GapSignalFilter): Promise<string>;
  close(): void;
}

export interface GapSignalFilter {
  /** ISO, included. */
  from: string;
  /** ISO, excluded. */
  to: string;
  collection?: string;
}

export interface GapRow {
  id: string;
  suggestionSetId?: string;
  collection: string;
  /** The question as searched, masked. */
  query: string;
  language: string;
  createdAt: string;
}

export interface OutcomeRow {
  suggestionSetId: string;
  suggestionIndex: number;
  collection: string;
  /** The customer's request of the set, masked; absent on sets stored before it was kept. */
  question?: string;
  language: string;
  confidenceLevel: string;
  createdAt: string;
  /** The suggestion as shown (masked) and the document it cites first. */
  suggestionText?: string;
  suggestionTitle?: string;
  suggestionKind?: string;
  documentId?: string;
  /** The last text the operator sent after it (masked); absent when none was sent. */
  sentText?: string;
  dismissed: boolean;
}

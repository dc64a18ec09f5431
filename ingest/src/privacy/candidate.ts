import type { PersonalDataKind } from './kinds.ts';

/**
 * A span one detector proposes. Overlapping proposals are settled by `priority` (then length):
 * a checksum-valid card beats a phone reading of the same digits, a cue beats no cue.
 */
export interface Candidate {
  kind: PersonalDataKind;
  start: number;
  end: number;
  priority: number;
  /** The value normalised for its kind: equal keys share a placeholder. */
  key: string;
}

/** Added to a reading whose kind the nearest cue names («паспорт 4512 345678»). */
export const CUE_BONUS = 100;

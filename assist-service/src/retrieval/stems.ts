import { analyze } from '@naparnik/ingest';

/** Distinct content stems of a text (stop words dropped), the same analysis the index uses. */
export function stemSet(text: string): Set<string> {
  return new Set(analyze(text));
}

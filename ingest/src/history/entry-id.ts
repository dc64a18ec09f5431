import { createHash } from 'node:crypto';

/**
 * A past question's id when the export has none: the same collection, question and answer give
 * the same id, so importing an export twice (or re-sorted) stores each row once.
 */
export function historyEntryId(collection: string, question: string, answer = ''): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([collection, question.trim(), answer.trim()]))
    .digest('hex')
    .slice(0, 24);
  return `h-${hash}`;
}

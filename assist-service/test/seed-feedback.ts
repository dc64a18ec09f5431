import path from 'node:path';
import { openSqliteEventStore } from '../src/feedback/sqlite-event-store.ts';
import { type GeneratedBatch, generateFeedback } from './feedback-generator.ts';

/**
 * Writes generated feedback (test/feedback-generator.ts: sets drafted by the offline engine and by a
 * model with its tokens and cost, events, knowledge gaps) into the SQLite event store of a service's
 * data folder, through the store's own import, as a helpdesk history import does. For browser tests
 * that need figures the demo cannot make: no model is reachable here, so no set has a model's cost.
 */
export async function seedGeneratedFeedback(
  dataDir: string,
  options: { sets: number; days: number; end?: Date; seed?: number },
): Promise<GeneratedBatch[]> {
  const batches: GeneratedBatch[] = [];
  for (const batch of generateFeedback({
    seed: options.seed ?? 7,
    end: options.end ?? new Date(),
    days: options.days,
    setsPerDay: Math.ceil(options.sets / options.days),
  })) {
    batches.push(batch);
    if (batches.length === options.sets) break;
  }
  const store = openSqliteEventStore({ file: path.join(dataDir, 'events.sqlite'), tenant: 'default' });
  try {
    await store.importRecords({
      sets: batches.map((batch) => batch.set),
      events: batches.flatMap((batch) => batch.events),
      gaps: batches.flatMap((batch) => (batch.gap ? [batch.gap] : [])),
    });
  } finally {
    await store.close();
  }
  return batches;
}

import { describe, expect, it } from 'vitest';
import type { EventStore } from '../feedback/event-store.ts';
import { sampleSet } from '../feedback/fixtures/records.ts';
import { type StoreBackend, storeOpener } from '../storage/conformance-backends.ts';
import type { PrivacyStore } from './sqlite-privacy-store.ts';

export interface PrivacyPair {
  events: EventStore;
  privacy: PrivacyStore;
  close(): Promise<void>;
}

const day = (date: string) => `${date}T10:00:00.000Z`;
/** The analytics' count of shown suggestions in 2026 (the outcome rollup, feedback/outcomes.ts). */
const shownIn2026 = async (events: EventStore) =>
  (await events.outcomeCounts({ fromMs: Date.parse('2026-01-01'), toMs: Date.parse('2027-01-01') }, {}))[0]
    ?.shown ?? 0;

/** What every PrivacyStore does over the event store's rows: run on SQLite and PostgreSQL. */
export function describePrivacyStoreConformance(backend: StoreBackend<PrivacyPair>): void {
  describe.skipIf(!backend.available)(`privacy store on ${backend.name}`, () => {
    const open = storeOpener(backend);

    async function seed(events: EventStore) {
      await events.saveSuggestionSet({
        ...sampleSet,
        id: 'anna-1',
        conversationId: 'conv-anna',
        customerKeys: ['key-anna'],
        question: 'Где заказ? anna@example.ru',
        createdAt: day('2026-11-01'),
      });
      await events.saveSuggestionSet({
        ...sampleSet,
        id: 'anna-2',
        customerKeys: ['key-anna'],
        createdAt: day('2026-12-01'),
      });
      await events.saveSuggestionSet({
        ...sampleSet,
        id: 'boris-1',
        conversationId: 'conv-boris',
        createdAt: day('2026-12-01'),
      });
      for (const setId of ['anna-1', 'anna-2', 'boris-1']) {
        await events.recordFeedback({
          eventId: `shown-${setId}`,
          type: 'suggestion-shown',
          suggestionSetId: setId,
          suggestionIndex: 0,
          occurredAt: day('2026-12-01'),
          receivedAt: day('2026-12-01'),
        });
      }
      await events.recordKnowledgeGap({
        id: 'gap-anna',
        collection: 'demo',
        suggestionSetId: 'anna-1',
        query: 'оплата криптовалютой',
        language: 'ru',
        bestScore: 0,
        createdAt: day('2026-11-01'),
      });
    }

    it('exports and then erases everything about one customer, and nothing about anyone else', async () => {
      const { events, privacy } = await open('acme');
      await seed(events);
      const other = await open('other');
      await seed(other.events);

      const held = await privacy.export({ customerKey: 'key-anna' });
      expect(held.suggestionSets.map((row) => row.id).sort()).toEqual(['anna-1', 'anna-2']);
      expect(held.suggestionSets[0]).not.toHaveProperty('tenant');
      expect(JSON.stringify(held)).not.toContain('anna@example.ru');
      expect(held.feedbackEvents).toHaveLength(2);
      expect(held.knowledgeGaps).toHaveLength(1);

      expect(await shownIn2026(events)).toBe(3);
      const erased = await privacy.erase({ customerKey: 'key-anna' });
      // The analytics forget the erased sets in the same transaction.
      expect(await shownIn2026(events)).toBe(1);
      expect(await shownIn2026(other.events)).toBe(3);
      expect(erased).toMatchObject({ suggestionSets: 2, feedbackEvents: 2, knowledgeGaps: 1 });
      expect(erased.history).toEqual([
        { collection: 'demo', ids: expect.arrayContaining(['feedback:anna-1', 'feedback:anna-2']) },
      ]);
      expect(await events.getSuggestionSet('anna-1')).toBeUndefined();
      expect(await events.getSuggestionSet('boris-1')).toBeDefined();
      expect(await other.events.getSuggestionSet('anna-1')).toBeDefined();
      expect(await privacy.export({ customerKey: 'key-anna' })).toEqual({
        suggestionSets: [],
        feedbackEvents: [],
        knowledgeGaps: [],
      });
      expect((await privacy.erase({ conversationId: 'conv-boris' })).suggestionSets).toBe(1);
    });

    it('deletes what each tenant keeps past its cutoff, with whom the sets were about', async () => {
      const { events, privacy } = await open('acme');
      await seed(events);
      const other = await open('other');
      await seed(other.events);
      const cutoff = new Date(day('2026-11-15'));
      const deleted = await privacy.deleteExpired('suggestion_sets', (tenant) =>
        tenant === 'acme' ? cutoff : undefined,
      );
      expect(deleted).toEqual({ acme: 1 });
      expect(await privacy.export({ customerKey: 'key-anna' })).toMatchObject({
        suggestionSets: [expect.objectContaining({ id: 'anna-2' })],
      });
      expect(await other.events.getSuggestionSet('anna-1')).toBeDefined();
      expect(await privacy.deleteExpired('knowledge_gaps', () => cutoff)).toEqual({ acme: 1, other: 1 });
      // Feedback past retention goes, and the outcomes counted from it with it.
      expect(await shownIn2026(events)).toBe(2);
      await privacy.deleteExpired('feedback_events', (tenant) =>
        tenant === 'acme' ? new Date('2026-12-02') : undefined,
      );
      expect(await shownIn2026(events)).toBe(0);
      expect(await shownIn2026(other.events)).toBe(3);
    });

    it('finds nothing to mask in rows already masked when written', async () => {
      const { events, privacy } = await open('acme');
      await seed(events);
      expect(await privacy.redactStored({ batch: 2 })).toEqual({
        suggestion_sets: 0,
        feedback_events: 0,
        knowledge_gaps: 0,
      });
    });
  });
}

import { describe, expect, it } from 'vitest';
import { type GeneratedBatch, generateFeedback } from '../../test/feedback-generator.ts';
import { type StoreBackend, storeOpener } from '../storage/conformance-backends.ts';
import type { OutcomeFilter } from './analytics-queries.ts';
import type { EventStore, FeedbackRecord } from './event-store.ts';
import { sampleSet, sampleSuggestion } from './fixtures/records.ts';

const END = new Date('2026-12-01T00:00:00Z');
const PERIOD: OutcomeFilter = { fromMs: Date.parse('2026-11-01T00:00:00Z'), toMs: END.getTime() };

function batches(count: number): GeneratedBatch[] {
  const taken: GeneratedBatch[] = [];
  for (const batch of generateFeedback({ seed: 11, end: END, days: 20, setsPerDay: 6 })) {
    taken.push(batch);
    if (taken.length === count) break;
  }
  return taken;
}

const at = (time: string) => `2026-11-24T${time}.000Z`;
const feedback = (eventId: string, record: Omit<FeedbackRecord, 'eventId' | 'receivedAt'>) => ({
  eventId,
  receivedAt: record.occurredAt,
  ...record,
});

const isoPeriod = (filter: OutcomeFilter) => ({
  from: new Date(filter.fromMs).toISOString(),
  to: new Date(filter.toMs).toISOString(),
});

/** Every analytics figure a store answers for a period, for comparing two stores or backends. */
async function everyFigure(events: EventStore, filter: OutcomeFilter) {
  return {
    byDay: await events.outcomeCounts(filter, { bucket: { size: 'day', offsetMinutes: 180 } }),
    byOperator: await events.outcomeCounts(filter, { dimension: 'operator' }),
    histograms: await events.outcomeHistograms(filter, [
      { measure: 'editDistance', edges: [0, 1, 10, 50] },
      { measure: 'replyWithSuggestion', edges: [0, 60_000, 600_000] },
      { measure: 'firstSuggestion', edges: [0, 500, 2000] },
    ]),
    dismissed: await events.outcomeReasons(filter, 'dismissed'),
    ratedDown: await events.outcomeReasons(filter, 'rated-down'),
    dimensions: await events.outcomeDimensionValues(filter),
    edited: await events.listOutcomes(filter, { stage: 'sent-edited', limit: 500 }),
    gaps: await events.gapCounts(filter, { size: 'week', offsetMinutes: 180 }),
    gapSets: await events.listSets('gaps', isoPeriod(filter), 500),
    usageSets: await events.listSets('usage', isoPeriod(filter), 500),
  };
}

/**
 * The analytics rollup (one outcome row per shown suggestion, decision 0020) and every query over
 * it, the same on each backend: run from storage/stores.test.ts against SQLite and PostgreSQL.
 */
export function describeOutcomeRollupConformance(backend: StoreBackend<EventStore>): void {
  describe.skipIf(!backend.available)(`analytics outcomes on ${backend.name}`, () => {
    const open = storeOpener(backend);

    it('counts each stage of a shown suggestion, its edit distance, reply time and reasons, and lists it', async () => {
      const events = await open('acme');
      const suggestions = [
        sampleSuggestion(0, 'Заказ приедет завтра.', {
          citations: [
            { documentId: 'faq-delivery', chunkId: 'faq-delivery#0', title: 'Доставка', quote: 'завтра' },
          ],
        }),
        sampleSuggestion(1, 'Верните товар в течение 14 дней.'),
      ];
      // The first event arrives before its set: it is counted once the set is stored.
      const base = { suggestionSetId: 'set-1', operatorId: 'op-anna' };
      await events.recordFeedback(
        feedback('shown-0', {
          ...base,
          type: 'suggestion-shown',
          suggestionIndex: 0,
          occurredAt: at('10:00:01'),
        }),
      );
      await events.saveSuggestionSet({
        ...sampleSet,
        suggestions,
        topic: 'Доставка',
        tookMs: 840,
        customerMessageAt: at('09:59:00'),
      });
      for (const record of [
        { ...base, type: 'suggestion-shown', suggestionIndex: 1, occurredAt: at('10:00:01') },
        { ...base, type: 'suggestion-inserted', suggestionIndex: 0, occurredAt: at('10:00:05') },
        {
          ...base,
          type: 'suggestion-edited',
          suggestionIndex: 0,
          finalText: 'Заказ приедет завтра утром.',
          occurredAt: at('10:01:00'),
        },
        {
          ...base,
          type: 'suggestion-dismissed',
          suggestionIndex: 1,
          reason: 'устарело',
          occurredAt: at('10:00:09'),
        },
        {
          ...base,
          type: 'suggestion-rated',
          suggestionIndex: 1,
          rating: 'down',
          reason: 'не по теме',
          occurredAt: at('10:00:10'),
        },
      ] as const) {
        await events.recordFeedback(feedback(`${record.type}-${record.suggestionIndex}`, record));
      }
      await events.saveSuggestionSet({
        ...sampleSet,
        id: 'set-2',
        engine: 'claude',
        degradedReason: 'model-timeout',
        suggestions: [sampleSuggestion(0, 'Здравствуйте!')],
      });
      await events.recordFeedback(
        feedback('shown-set-2', {
          suggestionSetId: 'set-2',
          type: 'suggestion-shown',
          suggestionIndex: 0,
          occurredAt: at('12:00:00'),
        }),
      );
      await events.recordKnowledgeGap({
        id: 'gap-1',
        collection: 'demo',
        query: 'оплата частями',
        language: 'ru',
        bestScore: 0.1,
        createdAt: at('12:00:00'),
      });

      const day = { fromMs: Date.parse(at('00:00:00')), toMs: Date.parse('2026-11-25T00:00:00.000Z') };
      expect(await events.outcomeCounts(day, {})).toEqual([
        { shown: 3, inserted: 1, sentAsIs: 0, sentEdited: 1, dismissed: 1, ratedDown: 1, degraded: 1 },
      ]);
      const byEngine = await events.outcomeCounts(day, {
        bucket: { size: 'hour', offsetMinutes: 180 },
        dimension: 'engine',
      });
      expect(byEngine.map((row) => [row.bucketStartMs, row.key, row.shown])).toEqual(
        expect.arrayContaining([
          [Date.parse(at('10:00:00')), 'offline', 2],
          [Date.parse(at('12:00:00')), 'claude', 1],
        ]),
      );
      expect(byEngine).toHaveLength(2);
      const [edits, replies, first] = await events.outcomeHistograms(day, [
        { measure: 'editDistance', edges: [0, 5, 10] },
        { measure: 'replyWithSuggestion', edges: [0, 60_000, 180_000] },
        { measure: 'firstSuggestion', edges: [0, 1000] },
      ]);
      expect(edits).toEqual({ bins: [0, 1, 0], count: 1, sum: 6 });
      expect(replies).toEqual({ bins: [0, 1, 0], count: 1, sum: 120_000 });
      expect(first).toEqual({ bins: [1, 0], count: 1, sum: 840 });
      expect(await events.outcomeReasons(day, 'dismissed')).toEqual([{ reason: 'устарело', count: 1 }]);
      expect(await events.outcomeReasons(day, 'rated-down')).toEqual([{ reason: 'не по теме', count: 1 }]);
      expect(await events.outcomeDimensionValues(day)).toMatchObject({
        operator: ['op-anna'],
        engine: ['claude', 'offline'],
        topic: ['Доставка'],
        document: ['faq-delivery'],
      });
      const edited = await events.listOutcomes(day, {
        stage: 'sent-edited',
        measure: { name: 'editDistance', min: 5, max: 10 },
        limit: 10,
      });
      expect(edited).toEqual({
        total: 1,
        outcomes: [
          expect.objectContaining({
            suggestionSetId: 'set-1',
            suggestionIndex: 0,
            document: 'faq-delivery',
            stages: ['shown', 'inserted', 'sent-edited'],
            editDistance: 6,
            replyMs: 120_000,
          }),
        ],
      });
      expect(await events.gapCounts(day, { size: 'day', offsetMinutes: 0 })).toEqual([
        { bucketStartMs: Date.parse(at('00:00:00')), count: 1 },
      ]);
      expect(await (await open('other')).outcomeCounts(day, {})).toEqual([]);
    });

    it('counts every event of one suggestion when they arrive at two stores at once', async () => {
      const [one, two] = [await open('acme'), await open('acme')];
      await one.saveSuggestionSet({ ...sampleSet, suggestions: [sampleSuggestion(0, 'Добрый день!')] });
      const types = [
        'suggestion-shown',
        'suggestion-inserted',
        'suggestion-dismissed',
        'suggestion-rated',
      ] as const;
      await Promise.all(
        types.map((type, index) =>
          (index % 2 === 0 ? one : two).recordFeedback(
            feedback(type, {
              type,
              suggestionSetId: 'set-1',
              suggestionIndex: 0,
              occurredAt: at(`10:00:0${index}`),
              ...(type === 'suggestion-rated' ? { rating: 'down' as const } : {}),
            }),
          ),
        ),
      );
      const day = { fromMs: Date.parse(at('00:00:00')), toMs: Date.parse('2026-11-25T00:00:00.000Z') };
      expect(await two.outcomeCounts(day, {})).toEqual([
        { shown: 1, inserted: 1, sentAsIs: 0, sentEdited: 0, dismissed: 1, ratedDown: 1, degraded: 0 },
      ]);
    });

    it('gives the same figures whether records arrive one by one or in one import', async () => {
      const generated = batches(60);
      const oneByOne = await open('acme');
      for (const batch of generated) {
        await oneByOne.saveSuggestionSet(batch.set);
        for (const event of batch.events) await oneByOne.recordFeedback(event);
        if (batch.gap) await oneByOne.recordKnowledgeGap(batch.gap);
      }
      const imported = await open('beta');
      const records = {
        sets: generated.map((batch) => batch.set),
        events: generated.flatMap((batch) => batch.events),
        gaps: generated.flatMap((batch) => (batch.gap ? [batch.gap] : [])),
      };
      expect((await imported.importRecords(records)).sets).toBe(60);
      expect(await imported.importRecords(records)).toEqual({ sets: 0, events: 0, gaps: 0 });

      const figures = await everyFigure(oneByOne, PERIOD);
      expect(figures.edited.total).toBeGreaterThan(0);
      expect(await everyFigure(imported, PERIOD)).toEqual(figures);
      // The sets behind gap counts and model cost: as many as the figures count.
      expect(figures.gapSets.total).toBe(figures.gaps.reduce((sum, row) => sum + row.count, 0));
      expect(figures.gapSets.total).toBe(records.gaps.length);
      const usage = await imported.dailyModelUsage({ from: '2026-11-01', to: '2026-12-01' });
      expect(figures.usageSets.total).toBeGreaterThan(0);
      expect(figures.usageSets.total).toBe(usage.reduce((sum, row) => sum + row.sets, 0));
    });
  });
}

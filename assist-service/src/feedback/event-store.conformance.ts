import { describe, expect, it } from 'vitest';
import { type StoreBackend, storeOpener } from '../storage/conformance-backends.ts';
import type { EventStore, FeedbackRecord } from './event-store.ts';
import { sampleSet, sampleSuggestion } from './fixtures/records.ts';

const set = sampleSet;

const event = (eventId: string, overrides: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
  eventId,
  type: 'suggestion-inserted',
  suggestionSetId: 'set-1',
  suggestionIndex: 0,
  occurredAt: '2026-11-24T10:00:01.000Z',
  receivedAt: '2026-11-24T10:00:01.000Z',
  ...overrides,
});

/**
 * What every EventStore does, whatever keeps the rows: run by event-store.test.ts against SQLite
 * and PostgreSQL. A new method of the interface gets its behaviour pinned here, once.
 */
export function describeEventStoreConformance(backend: StoreBackend<EventStore>): void {
  describe.skipIf(!backend.available)(`event store on ${backend.name}`, () => {
    const opener = storeOpener(backend);
    const open = (tenant = 'acme') => opener(tenant);

    it('keeps suggestion sets, feedback and knowledge gaps for a store opened later on the same data', async () => {
      const first = await open();
      await first.saveSuggestionSet({ ...set, topic: 'Доставка', operatorId: 'op-1' });
      await first.recordFeedback(
        event('event-1', { type: 'suggestion-rated', rating: 'down', reason: 'не то' }),
      );
      await first.recordKnowledgeGap({
        id: 'gap-1',
        collection: 'demo',
        query: 'можно ли оплатить биткоином',
        language: 'ru',
        bestScore: 0.1,
        createdAt: '2026-11-24T10:00:00.000Z',
      });
      await first.close();

      const second = await open();
      expect(await second.getSuggestionSet('set-1')).toMatchObject({ topic: 'Доставка', operatorId: 'op-1' });
      expect(await second.listFeedback({ suggestionSetId: 'set-1' })).toEqual([
        expect.objectContaining({ eventId: 'event-1', rating: 'down', reason: 'не то' }),
      ]);
      expect(await second.listKnowledgeGaps({ collection: 'demo' })).toHaveLength(1);
      expect(await second.listKnowledgeGaps({ collection: 'other' })).toHaveLength(0);
    });

    it('records a feedback event once however often it is sent, also from two stores at once', async () => {
      const [one, two] = [await open(), await open()];
      const results = await Promise.all([
        one.recordFeedback(event('event-1')),
        two.recordFeedback(event('event-1')),
      ]);
      expect(results.map((result) => result.duplicate).sort()).toEqual([false, true]);
      expect(await one.recordFeedback(event('event-1'))).toEqual({ duplicate: true });
      expect(await two.listFeedback()).toHaveLength(1);
    });

    it('pages feedback oldest first by (receivedAt, eventId), continuing after a cursor', async () => {
      const store = await open();
      for (const [id, minute] of [
        ['c', 3],
        ['a', 1],
        ['b', 1],
        ['d', 2],
      ] as const) {
        const at = `2026-11-24T10:0${minute}:00.000Z`;
        await store.recordFeedback(
          event(id, { occurredAt: at, receivedAt: at, suggestionSetId: id === 'd' ? 'set-2' : 'set-1' }),
        );
      }
      const first = await store.listFeedback({ limit: 2 });
      expect(first.map((record) => record.eventId)).toEqual(['a', 'b']);
      const last = first.at(-1)!;
      const rest = await store.listFeedback({
        after: { receivedAt: last.receivedAt, eventId: last.eventId },
      });
      expect(rest.map((record) => record.eventId)).toEqual(['d', 'c']);
      const ofSet = await store.listFeedback({
        suggestionSetId: 'set-1',
        after: { receivedAt: last.receivedAt, eventId: last.eventId },
      });
      expect(ofSet.map((record) => record.eventId)).toEqual(['c']);
    });

    it('never shows one tenant the records of another', async () => {
      const acme = await open('acme');
      await acme.saveSuggestionSet(set);
      await acme.recordFeedback(event('event-1'));
      const other = await open('other');
      expect(await other.getSuggestionSet('set-1')).toBeUndefined();
      expect(await other.listFeedback()).toEqual([]);
      expect(await other.funnelDimensions()).toEqual({ operators: [], collections: [], engines: [] });
    });

    it('keeps a set’s question and suggestions with personal data masked', async () => {
      const store = await open();
      await store.saveSuggestionSet({ ...set, id: 'set-2', question: 'Где заказ? Звоните +7 916 123-45-67' });
      const question = (await store.getSuggestionSet('set-2'))?.question;
      expect(question).toContain('Где заказ?');
      expect(question).not.toContain('916');
      expect((await store.getSuggestionSet('set-1'))?.question).toBeUndefined();
    });

    it('keeps the model usage with each set and sums it per day, engine and model, counting unpriced sets apart', async () => {
      const store = await open();
      const usage = (costUsd: number | null) => ({
        model: 'claude-haiku-5-5',
        inputTokens: 1000,
        outputTokens: 50,
        cacheReadTokens: 800,
        cacheWriteTokens: 0,
        costUsd,
      });
      for (const [id, cost, day] of [
        ['a', 0.002, '24'],
        ['b', 0.003, '24'],
        ['c', null, '24'],
        ['d', 0.004, '25'],
      ] as const) {
        await store.saveSuggestionSet({
          ...set,
          id,
          engine: 'claude',
          usage: usage(cost),
          createdAt: `2026-11-${day}T09:00:00.000Z`,
        });
      }
      await store.saveSuggestionSet({ ...set, id: 'e' });
      expect((await store.getSuggestionSet('a'))?.usage).toEqual(usage(0.002));
      expect((await store.getSuggestionSet('e'))?.usage).toBeUndefined();
      expect(await store.dailyModelUsage({ from: '2026-11-24', to: '2026-11-26' })).toEqual([
        {
          day: '2026-11-24',
          engine: 'claude',
          model: 'claude-haiku-5-5',
          sets: 3,
          inputTokens: 3000,
          outputTokens: 150,
          cacheReadTokens: 2400,
          cacheWriteTokens: 0,
          costUsd: expect.closeTo(0.005, 9),
          unpriced: 1,
        },
        expect.objectContaining({ day: '2026-11-25', sets: 1, unpriced: 0 }),
      ]);
    });

    it('builds the console funnel from shown, inserted, edited and dismissed events', async () => {
      const store = await open();
      const suggestion = sampleSuggestion;
      await store.saveSuggestionSet({
        ...set,
        operatorId: 'op-1',
        suggestions: [suggestion(0, 'Доставка 2 дня.'), suggestion(1, 'Курьер позвонит.')],
      });
      await store.saveSuggestionSet({ ...set, id: 'set-2', collection: 'other', engine: 'claude' });
      const at = (second: number) => `2026-11-24T10:00:${String(second).padStart(2, '0')}.000Z`;
      const record = (id: string, type: FeedbackRecord['type'], index: number, second: number, extra = {}) =>
        store.recordFeedback(
          event(id, {
            type,
            suggestionIndex: index,
            occurredAt: at(second),
            receivedAt: at(second),
            ...extra,
          }),
        );
      await record('s0', 'suggestion-shown', 0, 1);
      await record('s1', 'suggestion-shown', 1, 1);
      await record('i0', 'suggestion-inserted', 0, 2);
      await record('e0', 'suggestion-edited', 0, 3, { finalText: 'Доставка займёт 2 дня.' });
      await record('d1', 'suggestion-dismissed', 1, 4, { reason: 'не по теме' });
      await record('x0', 'suggestion-shown', 0, 5, { suggestionSetId: 'set-2', operatorId: 'op-2' });

      const day = { fromMs: Date.parse('2026-11-24'), toMs: Date.parse('2026-11-25') };
      const listed = await store.listOutcomes(day, { stage: 'shown', limit: 10 });
      expect(listed.total).toBe(3);
      expect(listed.outcomes).toEqual([
        expect.objectContaining({ suggestionSetId: 'set-2', operatorId: 'op-2', stages: ['shown'] }),
        expect.objectContaining({
          suggestionSetId: 'set-1',
          suggestionIndex: 1,
          shownAt: at(1),
          collection: 'demo',
          engine: 'offline',
          operatorId: 'op-1',
          title: 'Ответ 1',
          stages: ['shown', 'dismissed'],
          dismissReason: 'не по теме',
        }),
        expect.objectContaining({
          suggestionSetId: 'set-1',
          suggestionIndex: 0,
          operatorId: 'op-1',
          title: 'Ответ 0',
          stages: ['shown', 'inserted', 'sent-edited'],
        }),
      ]);
      expect(await store.outcomeCounts({ ...day, engine: 'claude' }, {})).toEqual([
        expect.objectContaining({ shown: 1 }),
      ]);
      expect(await store.outcomeCounts({ ...day, operator: 'op-1', collection: 'demo' }, {})).toEqual([
        { shown: 2, inserted: 1, sentAsIs: 0, sentEdited: 1, dismissed: 1, ratedDown: 0, degraded: 0 },
      ]);
      expect(
        await store.outcomeCounts({ fromMs: Date.parse('2026-11-25'), toMs: Date.parse('2026-11-26') }, {}),
      ).toEqual([]);
      expect(await store.funnelDimensions()).toEqual({
        operators: ['op-1', 'op-2'],
        collections: ['demo', 'other'],
        engines: ['claude', 'offline'],
      });
    });

    it('answers the write probe while it can write', async () => {
      const store = await open();
      await expect(store.checkStorage()).resolves.toBeUndefined();
    });
  });
}

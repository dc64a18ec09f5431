import { createHashedNgramEmbedder, openSqliteStore } from '@naparnik/ingest';
import { describe, expect, it } from 'vitest';
import type { Suggestion } from '../contract/index.ts';
import type { FeedbackRecord, SuggestionSetRecord } from './event-store.ts';
import { sampleSet, sampleSuggestion } from './fixtures/records.ts';
import { historyEntryFromFeedback, learnFromFeedback } from './history-learning.ts';

const suggestion = (index: number, documentIds: string[]): Suggestion =>
  sampleSuggestion(index, `Вариант ${index}: посылка в пути, трек-номер в личном кабинете.`, {
    title: undefined,
    citations: documentIds.map((documentId) => ({
      documentId,
      chunkId: `${documentId}#0`,
      title: documentId,
      quote: '',
    })),
    confidence: { score: 0.5, level: 'medium' },
  });

const set: SuggestionSetRecord = {
  ...sampleSet,
  topic: 'Доставка',
  confidence: { score: 0.5, level: 'medium' },
  suggestions: [suggestion(0, ['faq-a']), suggestion(1, ['faq-b', 'faq-c', 'faq-b'])],
  question: 'Где посылка? Пишите на anna@example.ru',
  createdAt: '2026-11-30T10:00:00.000Z',
};

const sent: FeedbackRecord = {
  eventId: 'event-1',
  type: 'suggestion-edited',
  suggestionSetId: 'set-1',
  suggestionIndex: 1,
  finalText: 'Посылка в пути, трек-номер в личном кабинете. Позвоните нам: +7 916 123-45-67',
  occurredAt: '2026-11-30T10:01:00.000Z',
  receivedAt: '2026-11-30T10:01:01.000Z',
};

describe('historyEntryFromFeedback', () => {
  it('links the set’s question to the cited documents of the suggestion sent, with the operator’s text, masked', () => {
    const entry = historyEntryFromFeedback(set, sent);
    expect(entry).toMatchObject({
      id: 'feedback:set-1',
      topic: 'Доставка',
      documentIds: ['faq-b', 'faq-c'],
      source: 'feedback',
      createdAt: '2026-11-30T10:01:00.000Z',
    });
    expect(entry?.question).toContain('Где посылка?');
    expect(entry?.question).not.toContain('anna@example.ru');
    expect(entry?.answer).toContain('Посылка в пути');
    expect(entry?.answer).not.toContain('916');
  });

  it.each([
    ['an insert (not sent yet)', { type: 'suggestion-inserted' as const, finalText: undefined }],
    ['a rating', { type: 'suggestion-rated' as const, rating: 'up' as const, finalText: undefined }],
    ['a reply to a suggestion the set does not have', { suggestionIndex: 5 }],
  ])('learns nothing from %s', (_name, change) => {
    expect(historyEntryFromFeedback(set, { ...sent, ...change })).toBeUndefined();
  });

  it('keeps a rewritten reply as an answer to read, but names no document: a rewrite is no evidence for what it replaced', () => {
    const rewritten = { ...sent, finalText: 'Оформим возврат: пришлите фото чека и номер заказа.' };
    const entry = historyEntryFromFeedback(set, rewritten);
    expect(entry?.documentIds).toEqual([]);
    expect(entry?.answer).toBe('Оформим возврат: пришлите фото чека и номер заказа.');
  });

  it('learns nothing for a set stored without its question (before the service kept it)', () => {
    const { question: _question, ...older } = set;
    expect(historyEntryFromFeedback(older, sent)).toBeUndefined();
  });
});

describe('learnFromFeedback', () => {
  it('writes the entry into the set’s collection and forgets what the retention says is too old', async () => {
    const store = await openSqliteStore({ dataDir: ':memory:' });
    await store.ensureCollection('demo', createHashedNgramEmbedder({ dimensions: 16 }));
    await store.addHistory('demo', [
      {
        id: 'old',
        question: 'Давний вопрос',
        documentIds: [],
        source: 'import',
        createdAt: '2025-01-01T00:00:00Z',
      },
    ]);
    const logged: unknown[] = [];
    const logger = {
      info: (entry: unknown) => logged.push(entry),
      warn: (entry: unknown) => logged.push(entry),
    };
    const learnt = await learnFromFeedback(store, set, sent, {
      logger,
      retentionDays: 365,
      now: () => new Date('2026-12-01T00:00:00Z'),
    });
    expect(learnt).toBe(true);
    expect((await store.listHistory('demo')).map((entry) => entry.id)).toEqual(['feedback:set-1']);
    expect(JSON.stringify(logged)).not.toContain('Где посылка');
    expect(
      await learnFromFeedback(store, { ...set, collection: 'missing' }, sent, {
        logger,
        retentionDays: 0,
        now: () => new Date(),
      }),
    ).toBe(false);
    await store.close();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import type { SuggestionSetRecord } from './event-store.ts';
import { MIGRATIONS } from './migrations.ts';
import { migrate, openSqliteEventStore } from './sqlite-event-store.ts';

const directories: string[] = [];
function temporaryFile(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'naparnik-events-'));
  directories.push(directory);
  return path.join(directory, 'events.sqlite');
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const set: SuggestionSetRecord = {
  id: 'set-1',
  collection: 'demo',
  engine: 'offline',
  channel: 'chat',
  language: 'ru',
  confidence: { score: 0.8, level: 'high' },
  suggestions: [],
  createdAt: '2026-11-24T10:00:00.000Z',
};

describe('SQLite event store', () => {
  it('keeps suggestion sets, feedback and knowledge gaps across a close and reopen', async () => {
    const file = temporaryFile();
    const first = openSqliteEventStore({ file, tenant: 'acme' });
    await first.saveSuggestionSet({ ...set, topic: 'Доставка', operatorId: 'op-1' });
    await first.recordFeedback({
      eventId: 'event-1',
      type: 'suggestion-rated',
      suggestionSetId: 'set-1',
      suggestionIndex: 0,
      rating: 'down',
      reason: 'не то',
      occurredAt: '2026-11-24T10:00:01.000Z',
      receivedAt: '2026-11-24T10:00:01.000Z',
    });
    await first.recordKnowledgeGap({
      id: 'gap-1',
      collection: 'demo',
      query: 'можно ли оплатить биткоином',
      language: 'ru',
      bestScore: 0.1,
      createdAt: '2026-11-24T10:00:00.000Z',
    });
    await first.close();

    const second = openSqliteEventStore({ file, tenant: 'acme' });
    expect(await second.getSuggestionSet('set-1')).toMatchObject({ topic: 'Доставка', operatorId: 'op-1' });
    expect(await second.listFeedback({ suggestionSetId: 'set-1' })).toEqual([
      expect.objectContaining({ eventId: 'event-1', rating: 'down', reason: 'не то' }),
    ]);
    expect(await second.listKnowledgeGaps({ collection: 'demo' })).toHaveLength(1);
    await second.close();
  });

  it('records a feedback event once however often it is sent', async () => {
    const store = openSqliteEventStore({ file: ':memory:', tenant: 'acme' });
    const event = {
      eventId: 'event-1',
      type: 'suggestion-inserted' as const,
      suggestionSetId: 'set-1',
      suggestionIndex: 1,
      occurredAt: '2026-11-24T10:00:00.000Z',
      receivedAt: '2026-11-24T10:00:00.000Z',
    };
    expect(await store.recordFeedback(event)).toEqual({ duplicate: false });
    expect(await store.recordFeedback(event)).toEqual({ duplicate: true });
    expect(await store.listFeedback()).toHaveLength(1);
    await store.close();
  });

  it('never shows one tenant the records of another', async () => {
    const file = temporaryFile();
    const acme = openSqliteEventStore({ file, tenant: 'acme' });
    await acme.saveSuggestionSet(set);
    await acme.close();
    const other = openSqliteEventStore({ file, tenant: 'other' });
    expect(await other.getSuggestionSet('set-1')).toBeUndefined();
    await other.close();
  });

  it('keeps a set’s question with personal data masked, and adds the column to a store of schema 1', async () => {
    const file = temporaryFile();
    const old = new DatabaseSync(file);
    expect(migrate(old, MIGRATIONS.slice(0, 1))).toEqual([1]);
    old.close();
    const store = openSqliteEventStore({ file, tenant: 'acme' });
    await store.saveSuggestionSet(set);
    expect((await store.getSuggestionSet('set-1'))?.question).toBeUndefined();
    await store.saveSuggestionSet({ ...set, id: 'set-2', question: 'Где заказ? Звоните +7 916 123-45-67' });
    const question = (await store.getSuggestionSet('set-2'))?.question;
    expect(question).toContain('Где заказ?');
    expect(question).not.toContain('916');
    await store.close();
  });

  it('keeps the model usage with each set and sums it per day, engine and model, counting unpriced sets apart', async () => {
    const store = openSqliteEventStore({ file: temporaryFile(), tenant: 'acme' });
    const usage = (model: string, costUsd: number | null) => ({
      model,
      inputTokens: 1000,
      outputTokens: 50,
      cacheReadTokens: 800,
      cacheWriteTokens: 0,
      costUsd,
    });
    await store.saveSuggestionSet({
      ...set,
      id: 'a',
      engine: 'claude',
      usage: usage('claude-haiku-5-5', 0.002),
    });
    await store.saveSuggestionSet({
      ...set,
      id: 'b',
      engine: 'claude',
      usage: usage('claude-haiku-5-5', 0.003),
    });
    await store.saveSuggestionSet({
      ...set,
      id: 'c',
      engine: 'claude',
      usage: usage('claude-haiku-5-5', null),
    });
    await store.saveSuggestionSet({
      ...set,
      id: 'd',
      engine: 'claude',
      usage: usage('claude-haiku-5-5', 0.004),
      createdAt: '2026-11-25T09:00:00.000Z',
    });
    await store.saveSuggestionSet({ ...set, id: 'e' });
    expect((await store.getSuggestionSet('a'))?.usage).toEqual(usage('claude-haiku-5-5', 0.002));
    expect((await store.getSuggestionSet('e'))?.usage).toBeUndefined();
    const days = await store.dailyModelUsage({ from: '2026-11-24', to: '2026-11-26' });
    expect(days).toEqual([
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
    await store.close();
  });
});

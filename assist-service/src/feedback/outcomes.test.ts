import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { generateFeedback } from '../../test/feedback-generator.ts';
import { openSqlitePrivacyStore } from '../privacy/sqlite-privacy-store.ts';
import { sqliteNamedQuery } from './analytics-queries.ts';
import type { EventStore } from './event-store.ts';
import { storedAndFresh } from './outcome-pre-aggregates.conformance.ts';
import { editDistance, rebuildAllOutcomes } from './outcomes.ts';
import { openSqliteEventStore } from './sqlite-event-store.ts';

const directories: string[] = [];
function temporaryFile(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'naparnik-outcomes-'));
  directories.push(directory);
  return path.join(directory, 'events.sqlite');
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const END = new Date('2026-12-01T00:00:00Z');
const YEAR = { fromMs: Date.parse('2025-01-01T00:00:00Z'), toMs: END.getTime() };

async function fill(events: EventStore, sets: number, seed = 7) {
  let written = 0;
  for (const batch of generateFeedback({ seed, end: END, days: 20 })) {
    await events.saveSuggestionSet(batch.set);
    for (const event of batch.events) await events.recordFeedback(event);
    if (batch.gap) await events.recordKnowledgeGap(batch.gap);
    written += 1;
    if (written === sets) return;
  }
}

/** The outcome rows as stored, in a stable order. */
function outcomeRows(file: string) {
  const database = new DatabaseSync(file);
  try {
    return database
      .prepare('SELECT * FROM suggestion_outcomes ORDER BY tenant, suggestion_set_id, suggestion_index')
      .all();
  } finally {
    database.close();
  }
}

/** What a rebuild from the stored sets and events gives, leaving the file as it was. */
function rebuiltRows(file: string) {
  const database = new DatabaseSync(file);
  try {
    database.exec('BEGIN');
    database.exec('DELETE FROM suggestion_outcomes');
    rebuildAllOutcomes(database);
    const rows = database
      .prepare('SELECT * FROM suggestion_outcomes ORDER BY tenant, suggestion_set_id, suggestion_index')
      .all();
    database.exec('ROLLBACK');
    return rows;
  } finally {
    database.close();
  }
}

/** The hourly and daily pre-aggregates must be the sum of the outcome rows stored, after any change. */
async function expectPreAggregatesOfRows(file: string) {
  const database = new DatabaseSync(file);
  try {
    const { stored, fresh } = await storedAndFresh(sqliteNamedQuery(database));
    expect(stored.length).toBeGreaterThan(0);
    expect(stored).toEqual(fresh);
  } finally {
    database.close();
  }
}

describe('editDistance', () => {
  it('counts inserted, deleted and replaced characters, whitespace runs as one space', () => {
    expect(editDistance('Здравствуйте!', 'Здравствуйте!')).toBe(0);
    expect(editDistance('Здравствуйте!', 'Здравствуйте, Анна!')).toBe(6);
    expect(editDistance('кот', 'кит')).toBe(1);
    expect(editDistance('a  b\n c', 'a b c')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('suggestion outcomes (the analytics rollup)', () => {
  it('as events arrive, equal a rebuild from the stored sets and events', async () => {
    const file = temporaryFile();
    const events = openSqliteEventStore({ file, tenant: 'acme' });
    await fill(events, 120);
    await events.close();
    const rows = outcomeRows(file);
    expect(rows.length).toBeGreaterThan(200);
    expect(rows).toEqual(rebuiltRows(file));
    await expectPreAggregatesOfRows(file);
  });

  it('are the same whether records arrive one by one or in one import', async () => {
    const oneByOne = temporaryFile();
    const imported = temporaryFile();
    const first = openSqliteEventStore({ file: oneByOne, tenant: 'acme' });
    await fill(first, 40);
    await first.close();
    const second = openSqliteEventStore({ file: imported, tenant: 'acme' });
    const batches = [];
    for (const batch of generateFeedback({ seed: 7, end: END, days: 20 })) {
      batches.push(batch);
      if (batches.length === 40) break;
    }
    const counted = await second.importRecords({
      sets: batches.map((batch) => batch.set),
      events: batches.flatMap((batch) => batch.events),
      gaps: batches.flatMap((batch) => (batch.gap ? [batch.gap] : [])),
    });
    expect(counted.sets).toBe(40);
    // Imported again: every id is known, nothing is added or counted twice.
    expect(await second.importRecords({ events: batches.flatMap((batch) => batch.events) })).toEqual({
      sets: 0,
      events: 0,
      gaps: 0,
    });
    await second.close();
    expect(outcomeRows(imported)).toEqual(outcomeRows(oneByOne));
  });

  it('forget an erased conversation and stay equal to a rebuild', async () => {
    const file = temporaryFile();
    const events = openSqliteEventStore({ file, tenant: 'acme' });
    await fill(events, 60);
    const before = await events.outcomeCounts(YEAR, {});
    const [first] = await events
      .listOutcomes(YEAR, { stage: 'shown', limit: 1 })
      .then((list) => list.outcomes);
    const set = await events.getSuggestionSet(first!.suggestionSetId);
    const privacy = openSqlitePrivacyStore({ file, tenant: 'acme' });
    await privacy.erase({ conversationId: set!.conversationId! });
    await privacy.close();
    const after = await events.outcomeCounts(YEAR, {});
    expect(after[0]!.shown).toBe(before[0]!.shown - set!.suggestions.length);
    const left = await events.listOutcomes(YEAR, { stage: 'shown', limit: 1000 });
    expect(left.outcomes.some((outcome) => outcome.suggestionSetId === set!.id)).toBe(false);
    await events.close();
    expect(outcomeRows(file)).toEqual(rebuiltRows(file));
    await expectPreAggregatesOfRows(file);
  });

  it('follow retention of feedback events and of suggestion sets, and stay equal to a rebuild', async () => {
    const file = temporaryFile();
    const events = openSqliteEventStore({ file, tenant: 'acme' });
    await fill(events, 150);
    const before = (await events.outcomeCounts(YEAR, {}))[0]!;
    const times = (await events.listOutcomes(YEAR, { stage: 'shown', limit: 1000 })).outcomes
      .map((outcome) => Date.parse(outcome.shownAt))
      .sort((left, right) => left - right);
    const privacy = openSqlitePrivacyStore({ file, tenant: 'acme' });
    // Events received before the middle one go: what they said (shown, inserted, sent) is forgotten.
    const cutoff = new Date(times[Math.floor(times.length / 2)]!);
    const deleted = await privacy.deleteExpired('feedback_events', () => cutoff);
    expect(deleted.acme).toBeGreaterThan(0);
    const afterEvents = (await events.outcomeCounts(YEAR, {}))[0]!;
    expect(afterEvents.shown).toBeLessThan(before.shown);
    expect(await events.outcomeCounts({ fromMs: YEAR.fromMs, toMs: cutoff.getTime() }, {})).toEqual([]);
    expect(outcomeRows(file)).toEqual(rebuiltRows(file));
    await expectPreAggregatesOfRows(file);
    // Then the sets created before the last quarter: their remaining outcomes go too.
    await privacy.deleteExpired(
      'suggestion_sets',
      () => new Date(times[Math.floor((times.length * 3) / 4)]!),
    );
    await privacy.close();
    const listed = await events.listOutcomes(YEAR, { stage: 'shown', limit: 1000 });
    expect(listed.total).toBeGreaterThan(0);
    for (const outcome of listed.outcomes)
      expect(await events.getSuggestionSet(outcome.suggestionSetId)).toBeDefined();
    await events.close();
    expect(outcomeRows(file)).toEqual(rebuiltRows(file));
    await expectPreAggregatesOfRows(file);
  });

  it('fill the hourly and daily pre-aggregates from the outcome rows when the migration adds them', async () => {
    const file = temporaryFile();
    const events = openSqliteEventStore({ file, tenant: 'acme' });
    await fill(events, 40);
    await events.close();
    const database = new DatabaseSync(file);
    database.exec('DROP TABLE outcome_hours');
    database.exec('DROP TABLE outcome_days');
    database.exec('DELETE FROM schema_migrations WHERE version = 9');
    database.close();
    const reopened = openSqliteEventStore({ file, tenant: 'acme' });
    await reopened.close();
    await expectPreAggregatesOfRows(file);
  });

  it('are filled from what an older store holds when the migration adds them', async () => {
    const file = temporaryFile();
    const events = openSqliteEventStore({ file, tenant: 'acme' });
    await fill(events, 30);
    await events.close();
    const expected = outcomeRows(file);
    const database = new DatabaseSync(file);
    database.exec('DROP TABLE suggestion_outcomes');
    database.exec('DELETE FROM schema_migrations WHERE version = 7');
    for (const column of ['degraded_reason', 'took_ms', 'customer_message_at']) {
      database.exec(`ALTER TABLE suggestion_sets DROP COLUMN ${column}`);
    }
    database.close();
    const reopened = openSqliteEventStore({ file, tenant: 'acme' });
    await reopened.close();
    // The dropped columns come back empty: degraded, took and reply times are unknown for old sets.
    const strip = (rows: ReturnType<typeof outcomeRows>) =>
      rows.map(({ degraded: _d, reply_ms: _r, first_suggestion_ms: _f, ...rest }) => rest);
    expect(strip(outcomeRows(file))).toEqual(strip(expected));
  });
});

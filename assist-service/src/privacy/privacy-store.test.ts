import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openSqliteStore } from '@naparnik/ingest';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import type { SuggestionSetRecord } from '../feedback/event-store.ts';
import { openSqliteEventStore } from '../feedback/sqlite-event-store.ts';
import { runPrivacyCli } from './cli.ts';
import { enforceRetention, startRetentionJob } from './retention.ts';
import { openSqlitePrivacyStore } from './sqlite-privacy-store.ts';
import { loadPrivacyKey, normalizeIdentifier, subjectKey } from './subject-keys.ts';

const directories: string[] = [];
function temporaryDir(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'naparnik-privacy-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const NOW = new Date('2026-12-06T12:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

function set(id: string, createdAt: string, extra: Partial<SuggestionSetRecord> = {}): SuggestionSetRecord {
  return {
    id,
    collection: 'demo',
    engine: 'offline',
    channel: 'chat',
    language: 'ru',
    confidence: { score: 0.5, level: 'medium' },
    suggestions: [],
    createdAt,
    ...extra,
  };
}

describe('retention', () => {
  it('deletes rows older than their tenant and table allow, and keeps the rest', async () => {
    const file = path.join(temporaryDir(), 'events.sqlite');
    for (const tenant of ['default', 'acme']) {
      const events = openSqliteEventStore({ file, tenant });
      await events.saveSuggestionSet(set('old', daysAgo(100), { customerKeys: ['k-old'] }));
      await events.saveSuggestionSet(set('middle', daysAgo(40)));
      await events.saveSuggestionSet(set('new', daysAgo(1)));
      await events.recordFeedback({
        eventId: 'e-middle',
        type: 'suggestion-shown',
        suggestionSetId: 'middle',
        suggestionIndex: 0,
        occurredAt: daysAgo(40),
        receivedAt: daysAgo(40),
      });
      await events.recordKnowledgeGap({
        id: 'g-old',
        collection: 'demo',
        query: 'оплата криптовалютой',
        language: 'ru',
        bestScore: 0,
        createdAt: daysAgo(95),
      });
      await events.close();
    }
    const privacy = openSqlitePrivacyStore({ file, tenant: 'default' });
    const run = await enforceRetention({
      privacy,
      config: { retentionDays: 90, retentionPolicy: { acme: { suggestion_sets: 30, feedback_events: 30 } } },
      tenant: 'default',
      historyRetentionDays: 365,
      now: NOW,
    });
    await privacy.close();
    expect(run.deleted).toEqual({
      suggestion_sets: { default: 1, acme: 2 },
      feedback_events: { default: 0, acme: 1 },
      knowledge_gaps: { default: 1, acme: 1 },
    });
    const database = new DatabaseSync(file);
    const left = database.prepare('SELECT tenant, id FROM suggestion_sets ORDER BY tenant, id').all();
    expect(left.map((row) => `${row.tenant}/${row.id}`)).toEqual([
      'acme/new',
      'default/middle',
      'default/new',
    ]);
    expect(database.prepare('SELECT COUNT(*) AS n FROM data_subjects').get()?.n).toBe(0);
    database.close();
  });

  it("applies each tenant's own stored figures over the policy, and ages out another tenant's history", async () => {
    const dataDir = temporaryDir();
    const file = path.join(dataDir, 'events.sqlite');
    for (const tenant of ['default', 'acme']) {
      const events = openSqliteEventStore({ file, tenant });
      await events.saveSuggestionSet(set('ten-days', daysAgo(10)));
      await events.close();
    }
    const acmeHistory = await openSqliteStore({ dataDir, tenant: 'acme' });
    await acmeHistory.ensureCollection('kb', { id: 'test-embedder', dimensions: 4 });
    const entry = (id: string, createdAt: string) => ({
      id,
      question: 'Где заказ?',
      documentIds: [],
      source: 'feedback' as const,
      createdAt,
    });
    await acmeHistory.addHistory('kb', [entry('h-old', daysAgo(40)), entry('h-new', daysAgo(2))]);
    const acme = openSqlitePrivacyStore({ file, tenant: 'acme' });
    expect(await acme.setRetentionSettings({ suggestion_sets: 5, history: 30 }, NOW.toISOString())).toEqual({
      suggestion_sets: 5,
      history: 30,
    });
    await acme.close();

    const privacy = openSqlitePrivacyStore({ file, tenant: 'default' });
    expect(await privacy.retentionSettings()).toEqual({});
    const run = await enforceRetention({
      privacy,
      config: { retentionDays: 90, retentionPolicy: { acme: { suggestion_sets: 60 } } },
      tenant: 'default',
      otherTenants: async () => [{ tenant: 'acme', knowledge: acmeHistory }],
      historyRetentionDays: 365,
      now: NOW,
    });
    await privacy.close();
    expect(run.deleted.suggestion_sets).toEqual({ default: 0, acme: 1 });
    expect(run.history).toBe(1);
    expect((await acmeHistory.listHistory('kb')).map((kept) => kept.id)).toEqual(['h-new']);
    await acmeHistory.close();
  });

  it('keeps everything when the retention is 0 days', async () => {
    const file = path.join(temporaryDir(), 'events.sqlite');
    const events = openSqliteEventStore({ file, tenant: 'default' });
    await events.saveSuggestionSet(set('ancient', daysAgo(4000)));
    await events.close();
    const privacy = openSqlitePrivacyStore({ file, tenant: 'default' });
    const run = await enforceRetention({
      privacy,
      config: { retentionDays: 0, retentionPolicy: {} },
      tenant: 'default',
      historyRetentionDays: 0,
      now: NOW,
    });
    await privacy.close();
    expect(run.deleted.suggestion_sets).toEqual({});
  });

  it('runs at once when the job starts, logs the counts without texts, and does not hold the process open', async () => {
    const lines: Array<{ fields: unknown; message: string }> = [];
    const logger = {
      info: (fields: unknown, message: string) => lines.push({ fields, message }),
      warn: (fields: unknown, message: string) => lines.push({ fields, message }),
    };
    let runs = 0;
    const job = startRetentionJob({
      intervalMinutes: 60,
      logger: logger as never,
      run: async () => {
        runs++;
        return {
          deleted: { suggestion_sets: { default: 3 }, feedback_events: {}, knowledge_gaps: {} },
          history: 2,
        };
      },
    });
    await job.running();
    job.stop();
    expect(runs).toBe(1);
    expect(lines).toEqual([
      {
        fields: expect.objectContaining({
          deleted: { history: 2, suggestion_sets: 3, feedback_events: 0, knowledge_gaps: 0 },
        }),
        message: 'retention enforced',
      },
    ]);
  });
});

describe('rows stored before masking', () => {
  it('are masked by redact-stored, and a second run changes nothing', async () => {
    const file = path.join(temporaryDir(), 'events.sqlite');
    await openSqliteEventStore({ file, tenant: 'default' }).close();
    const raw = new DatabaseSync(file);
    raw
      .prepare(
        `INSERT INTO suggestion_sets (tenant, id, collection, engine, channel, language, confidence, confidence_level,
           suggestion_count, suggestions_json, question, created_at)
         VALUES ('default', 's1', 'demo', 'offline', 'chat', 'ru', 0.5, 'medium', 1, ?, ?, ?)`,
      )
      .run(
        JSON.stringify([
          {
            index: 0,
            text: 'Анна, вернём на карту 4111 1111 1111 1111',
            kind: 'template',
            language: 'ru',
            citations: [],
            confidence: { score: 0.5, level: 'medium' },
            filledSlots: { phone: '+7 916 123-45-67' },
            missingSlots: [],
            short: false,
            engine: 'offline',
          },
        ]),
        'карта 2200 7000 0000 0009, телефон +7 916 123-45-67',
        daysAgo(1),
      );
    raw
      .prepare(
        `INSERT INTO feedback_events (tenant, event_id, type, suggestion_set_id, suggestion_index, final_text, occurred_at, received_at)
         VALUES ('default', 'e1', 'suggestion-edited', 's1', 0, 'пишите на anna@example.ru', ?, ?)`,
      )
      .run(daysAgo(1), daysAgo(1));
    raw
      .prepare(
        `INSERT INTO knowledge_gaps (tenant, id, collection, query, language, best_score, created_at)
         VALUES ('default', 'g1', 'demo', 'паспорт 4510 123456 и заказ 5555555555554444', 'ru', 0, ?)`,
      )
      .run(daysAgo(1));
    raw.close();

    const privacy = openSqlitePrivacyStore({ file, tenant: 'default' });
    expect(await privacy.redactStored({ batch: 1 })).toEqual({
      suggestion_sets: 1,
      feedback_events: 1,
      knowledge_gaps: 1,
    });
    expect(await privacy.redactStored()).toEqual({
      suggestion_sets: 0,
      feedback_events: 0,
      knowledge_gaps: 0,
    });
    await privacy.close();

    const check = new DatabaseSync(file);
    const everything = JSON.stringify([
      check.prepare('SELECT * FROM suggestion_sets').all(),
      check.prepare('SELECT * FROM feedback_events').all(),
      check.prepare('SELECT * FROM knowledge_gaps').all(),
    ]);
    check.close();
    for (const value of [
      '4111 1111 1111 1111',
      '2200 7000',
      '916 123',
      'anna@example.ru',
      '4510 123456',
      '5555555555554444',
    ]) {
      expect(everything).not.toContain(value);
    }
    expect(everything).toContain('[CARD');
  });
});

describe('customer identifiers', () => {
  it('reads one phone however it is written, and hashes it under the install key only', () => {
    expect(normalizeIdentifier('+7 (916) 123-45-67')).toBe('79161234567');
    expect(normalizeIdentifier('8 916 123 45 67')).toBe('79161234567');
    expect(normalizeIdentifier(' Anna@Example.RU ')).toBe('anna@example.ru');
    expect(subjectKey('key-one-0123456789', '89161234567')).toBe(
      subjectKey('key-one-0123456789', '+79161234567'),
    );
    expect(subjectKey('key-one-0123456789', '89161234567')).not.toBe(
      subjectKey('key-two-0123456789', '89161234567'),
    );
  });

  it('creates the install key once and reads the same key afterwards', () => {
    const directory = temporaryDir();
    const first = loadPrivacyKey(directory);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadPrivacyKey(directory)).toBe(first);
    expect(loadPrivacyKey(directory, 'configured-key-0123456789')).toBe('configured-key-0123456789');
  });
});

describe('pnpm privacy', () => {
  it('erases a customer, exports nothing afterwards, and runs retention from the command line', async () => {
    const dataDir = temporaryDir();
    const config = { ...loadConfig({ NAPARNIK_DATA_DIR: dataDir }), dataDir };
    const key = loadPrivacyKey(dataDir);
    const events = openSqliteEventStore({ file: path.join(dataDir, 'events.sqlite'), tenant: config.tenant });
    await events.saveSuggestionSet(
      set('s-anna', daysAgo(1), { customerKeys: [subjectKey(key, 'anna@example.ru')] }),
    );
    await events.saveSuggestionSet(set('s-old', daysAgo(200)));
    await events.close();
    const knowledge = await openSqliteStore({ dataDir, tenant: config.tenant });
    await knowledge.close();

    const output: string[] = [];
    const stdout = { write: (text: string) => output.push(text) };
    const exported = async () => {
      output.length = 0;
      expect(await runPrivacyCli(['export', '--customer', 'Anna@example.ru'], { config, stdout })).toBe(0);
      return JSON.parse(output.join('')) as { suggestionSets: unknown[] };
    };
    expect((await exported()).suggestionSets).toHaveLength(1);
    // Another tenant's erasure and export see that tenant's rows only.
    output.length = 0;
    expect(
      await runPrivacyCli(['erase', '--customer', 'anna@example.ru', '--tenant', 'acme', '--json'], {
        config,
        stdout,
      }),
    ).toBe(0);
    expect(JSON.parse(output.join(''))).toMatchObject({ erased: { suggestionSets: 0 } });
    expect((await exported()).suggestionSets).toHaveLength(1);
    await expect(runPrivacyCli(['retention', '--tenant', 'acme'], { config, stdout })).rejects.toThrow(
      /every tenant/,
    );

    output.length = 0;
    expect(
      await runPrivacyCli(['erase', '--customer', 'anna@example.ru', '--json'], { config, stdout }),
    ).toBe(0);
    expect(JSON.parse(output.join(''))).toMatchObject({ erased: { suggestionSets: 1 } });
    expect((await exported()).suggestionSets).toHaveLength(0);

    output.length = 0;
    expect(await runPrivacyCli(['retention'], { config, stdout, now: () => NOW })).toBe(0);
    expect(output.join('')).toContain('suggestion_sets 1');

    await expect(runPrivacyCli(['erase'], { config, stdout })).rejects.toThrow(
      /--conversation <id> or --customer/,
    );
    await expect(
      runPrivacyCli(['erase', '--conversation', 'a', '--customer', 'b'], { config, stdout }),
    ).rejects.toThrow(/exactly one/);
  });
});

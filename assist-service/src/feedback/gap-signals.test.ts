import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import type { PrivacyStore } from '../privacy/sqlite-privacy-store.ts';
import { openPostgresPrivacyStore, openSqlitePrivacyStore } from '../privacy/sqlite-privacy-store.ts';
import {
  dropTestSchemas,
  postgresBackend,
  reportSkippedPostgres,
  type StoreBackend,
  sqliteBackend,
  storeOpener,
} from '../storage/conformance-backends.ts';
import type { Queryable } from '../storage/postgres-database.ts';
import { sqliteDatabase } from '../storage/sqlite-database.ts';
import type { EventStore } from './event-store.ts';
import { sampleSet, sampleSuggestion } from './fixtures/records.ts';
import type { GapSignalStore } from './gap-signals.ts';
import { openPostgresEventStore } from './postgres-event-store.ts';
import { openSqliteEventStore } from './sqlite-event-store.ts';
import { openPostgresGapSignals, openSqliteGapSignals } from './sqlite-gap-signals.ts';

/**
 * The gap signals' fingerprint, on both backends: each `open` is another process's connection to
 * the same data, as another replica's would be. Whatever changes what listGaps/listOutcomes read
 * for a period changes the fingerprint; nothing else does.
 */
reportSkippedPostgres('gap-signals.test.ts (the PostgreSQL half)');
afterAll(dropTestSchemas);

interface Stores {
  events: EventStore;
  privacy: PrivacyStore;
  signals: GapSignalStore;
  /** The same tables through plain SQL, as a remask (`redactStored`) rewrites rows in place. */
  database: Queryable;
  close(): Promise<void>;
}

const PERIOD = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };

function describeFingerprint(backend: StoreBackend<Stores>): void {
  describe.skipIf(!backend.available)(`gap signal fingerprint on ${backend.name}`, () => {
    const open = storeOpener(backend);
    const gap = (stores: Stores, id: string, createdAt: string, extra: { suggestionSetId?: string } = {}) =>
      stores.events.recordKnowledgeGap({
        id,
        collection: 'demo',
        query: 'оплата долями',
        language: 'ru',
        bestScore: 0.1,
        createdAt,
        ...extra,
      });

    it('stays the same without writes, and changes with a gap, an outcome, a rewrite or a deletion from another connection', async () => {
      const reader = await open('acme');
      const writer = await open('acme');
      const fingerprint = () => reader.signals.fingerprint('acme', PERIOD);
      const empty = await fingerprint();
      expect(await fingerprint()).toBe(empty);

      await gap(writer, 'gap-1', '2026-11-20T10:00:00.000Z', { suggestionSetId: 'set-1' });
      const withGap = await fingerprint();
      expect(withGap).not.toBe(empty);
      expect(await fingerprint()).toBe(withGap);
      // Outside the period, or another tenant's: not read, so no change.
      await gap(writer, 'gap-late', '2026-12-05T10:00:00.000Z');
      await gap(await open('other'), 'gap-other', '2026-11-20T10:00:00.000Z');
      expect(await fingerprint()).toBe(withGap);
      expect(await reader.signals.fingerprint('acme', { ...PERIOD, collection: 'shop' })).toBe(empty);

      // A dismissed suggestion: an outcome row.
      await writer.events.saveSuggestionSet({
        ...sampleSet,
        id: 'set-2',
        question: 'Можно ли вернуть серьги?',
        suggestions: [sampleSuggestion(0, 'Серьги вернуть нельзя.')],
        createdAt: '2026-11-21T10:00:00.000Z',
      });
      expect(await fingerprint()).toBe(withGap);
      await writer.events.recordFeedback({
        eventId: 'dismissed-set-2',
        type: 'suggestion-dismissed',
        suggestionSetId: 'set-2',
        suggestionIndex: 0,
        occurredAt: '2026-11-21T10:01:00.000Z',
        receivedAt: '2026-11-21T10:01:00.000Z',
      });
      const withOutcome = await fingerprint();
      expect(withOutcome).not.toBe(withGap);

      // A text rewritten in place (what a remask does): same ids, same count, another fingerprint.
      const rewriteQuery = (query: string) =>
        writer.database.run('UPDATE knowledge_gaps SET query = $1 WHERE tenant = $2 AND id = $3', [
          query,
          'acme',
          'gap-1',
        ]);
      await rewriteQuery('оплата частями');
      expect(await fingerprint()).not.toBe(withOutcome);
      await rewriteQuery('оплата долями');
      expect(await fingerprint()).toBe(withOutcome);

      // Retention on the other connection deletes the gap: the fingerprint moves on again.
      await writer.privacy.deleteExpired('knowledge_gaps', (tenant) =>
        tenant === 'acme' ? new Date('2026-11-21T00:00:00.000Z') : undefined,
      );
      const afterRetention = await fingerprint();
      expect(afterRetention).not.toBe(withOutcome);
      expect(afterRetention).not.toBe(withGap);
      expect(await reader.signals.listGaps('acme', PERIOD)).toEqual([]);
    });
  });
}

describeFingerprint(
  sqliteBackend('events.sqlite', (file, tenant) => {
    const events = openSqliteEventStore({ file, tenant });
    const privacy = openSqlitePrivacyStore({ file, tenant });
    const signals = openSqliteGapSignals({ file });
    const connection = new DatabaseSync(file);
    return {
      events,
      privacy,
      signals,
      database: sqliteDatabase(connection),
      close: async () => {
        await Promise.all([events.close(), privacy.close()]);
        signals.close();
        connection.close();
      },
    };
  }),
);
describeFingerprint(
  postgresBackend((database, tenant) => ({
    events: openPostgresEventStore({ database, tenant }),
    privacy: openPostgresPrivacyStore({ database, tenant }),
    signals: openPostgresGapSignals({ database }),
    database,
    close: async () => undefined,
  })),
);

import { DatabaseSync } from 'node:sqlite';
import { afterAll } from 'vitest';
import { createPostgresSessionStore, postgresRateCounters } from '../auth/postgres-shared-state.ts';
import { openPostgresTokenStore } from '../auth/postgres-token-store.ts';
import { describeRateCountersConformance } from '../auth/rate-counters.conformance.ts';
import { memoryRateCounters } from '../auth/rate-limit.ts';
import { createSessionStore } from '../auth/sessions.ts';
import {
  describeSessionStoreConformance,
  describeTokenStoreConformance,
} from '../auth/token-store.conformance.ts';
import { openTokenStore } from '../auth/token-store.ts';
import { postgresNamedQuery, sqliteNamedQuery } from '../feedback/analytics-queries.ts';
import { describeEventStoreConformance } from '../feedback/event-store.conformance.ts';
import { describePreAggregateConformance } from '../feedback/outcome-pre-aggregates.conformance.ts';
import { describeOutcomeRollupConformance } from '../feedback/outcome-rollup.conformance.ts';
import { openPostgresEventStore } from '../feedback/postgres-event-store.ts';
import { openSqliteEventStore } from '../feedback/sqlite-event-store.ts';
import { openPostgresVersionStore, openSqliteVersionStore } from '../knowledge-edits/sql-version-store.ts';
import { describeVersionStoreConformance } from '../knowledge-edits/version-store.conformance.ts';
import { describePrivacyStoreConformance } from '../privacy/privacy-store.conformance.ts';
import { openPostgresPrivacyStore, openSqlitePrivacyStore } from '../privacy/sqlite-privacy-store.ts';
import { openPostgresRecipeStore } from '../recipes/postgres-recipe-store.ts';
import { describeRecipeStoreConformance } from '../recipes/recipe-store.conformance.ts';
import { openSqliteRecipeStore } from '../recipes/sqlite-recipe-store.ts';
import {
  dropTestSchemas,
  memoryBackend,
  postgresBackend,
  reportSkippedPostgres,
  sqliteBackend,
} from './conformance-backends.ts';

// Each store's one conformance suite, run on both backends (see assist-service/README.md, "Storage").
reportSkippedPostgres('stores.test.ts (the PostgreSQL half)');
afterAll(dropTestSchemas);

describeEventStoreConformance(
  sqliteBackend('events.sqlite', (file, tenant) => openSqliteEventStore({ file, tenant })),
);
describeEventStoreConformance(
  postgresBackend((database, tenant) => openPostgresEventStore({ database, tenant })),
);
describeOutcomeRollupConformance(
  sqliteBackend('events.sqlite', (file, tenant) => openSqliteEventStore({ file, tenant })),
);
describeOutcomeRollupConformance(
  postgresBackend((database, tenant) => openPostgresEventStore({ database, tenant })),
);

describePreAggregateConformance(
  sqliteBackend('events.sqlite', (file, tenant) => {
    const events = openSqliteEventStore({ file, tenant });
    // A second connection to the same file: the per-row and pre-aggregated queries, asked directly.
    const database = new DatabaseSync(file);
    return {
      events,
      query: sqliteNamedQuery(database),
      async close() {
        await events.close();
        database.close();
      },
    };
  }),
);
describePreAggregateConformance(
  postgresBackend((database, tenant) => ({
    events: openPostgresEventStore({ database, tenant }),
    query: postgresNamedQuery(database),
    close: async () => undefined,
  })),
);
describeRecipeStoreConformance(
  sqliteBackend('recipes.sqlite', (file, tenant) => openSqliteRecipeStore({ file, tenant })),
);
describeRecipeStoreConformance(
  postgresBackend((database, tenant) => openPostgresRecipeStore({ database, tenant })),
);

describeTokenStoreConformance(sqliteBackend('auth.sqlite', (file) => openTokenStore(file)));
describeTokenStoreConformance(postgresBackend((database) => openPostgresTokenStore({ database })));

const ttlMs = 60 * 60_000;
describeSessionStoreConformance(memoryBackend(() => createSessionStore({ ttlMs })));
describeSessionStoreConformance(
  postgresBackend((database) => createPostgresSessionStore({ database, ttlMs })),
);

describeRateCountersConformance(memoryBackend(() => memoryRateCounters()));
describeRateCountersConformance(postgresBackend((database) => postgresRateCounters(database)));

describePrivacyStoreConformance(
  sqliteBackend('events.sqlite', (file, tenant) => {
    const events = openSqliteEventStore({ file, tenant });
    const privacy = openSqlitePrivacyStore({ file, tenant });
    return {
      events,
      privacy,
      close: async () => void (await Promise.all([events.close(), privacy.close()])),
    };
  }),
);
describePrivacyStoreConformance(
  postgresBackend((database, tenant) => ({
    events: openPostgresEventStore({ database, tenant }),
    privacy: openPostgresPrivacyStore({ database, tenant }),
    close: async () => undefined,
  })),
);

describeVersionStoreConformance(
  sqliteBackend('knowledge-versions.sqlite', (file) => openSqliteVersionStore({ file })),
);
describeVersionStoreConformance(postgresBackend((database) => openPostgresVersionStore({ database })));

import { afterAll } from 'vitest';
import { describeEventStoreConformance } from '../feedback/event-store.conformance.ts';
import { openPostgresEventStore } from '../feedback/postgres-event-store.ts';
import { openSqliteEventStore } from '../feedback/sqlite-event-store.ts';
import { openPostgresRecipeStore } from '../recipes/postgres-recipe-store.ts';
import { describeRecipeStoreConformance } from '../recipes/recipe-store.conformance.ts';
import { openSqliteRecipeStore } from '../recipes/sqlite-recipe-store.ts';
import {
  dropTestSchemas,
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

describeRecipeStoreConformance(
  sqliteBackend('recipes.sqlite', (file, tenant) => openSqliteRecipeStore({ file, tenant })),
);
describeRecipeStoreConformance(
  postgresBackend((database, tenant) => openPostgresRecipeStore({ database, tenant })),
);

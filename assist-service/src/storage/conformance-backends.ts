import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  dropTestSchemas,
  freshSchemaUrl,
  reportSkippedPostgres,
  testDatabaseUrl,
} from '@naparnik/ingest/test-support/postgres';
import { afterEach } from 'vitest';
import { openServiceDatabase, type ServiceDatabase } from './postgres-database.ts';

/**
 * One place the stores of a conformance suite live in: a temporary folder of SQLite files, or a
 * fresh schema of the test PostgreSQL (NAPARNIK_TEST_DATABASE_URL, set by scripts/postgres.ts).
 * `open` may be called several times: each call is another process's view of the same data.
 */
export interface StorePlace<Store> {
  open(tenant: string): Promise<Store>;
  dispose(): Promise<void>;
}

export interface StoreBackend<Store> {
  name: 'memory' | 'sqlite' | 'postgres';
  /** False when the backend cannot run here (no PostgreSQL): its suite is skipped and says why. */
  available: boolean;
  place(): Promise<StorePlace<Store>>;
}

/** The SQLite backend of a store: `open(file, tenant)` over one file in a fresh temporary folder. */
export function sqliteBackend<Store extends { close(): unknown }>(
  file: string,
  open: (file: string, tenant: string) => Store,
): StoreBackend<Store> {
  return {
    name: 'sqlite',
    available: true,
    async place() {
      const folder = mkdtempSync(path.join(os.tmpdir(), 'naparnik-store-'));
      const opened: Store[] = [];
      return {
        async open(tenant) {
          const store = open(path.join(folder, file), tenant);
          opened.push(store);
          return store;
        },
        async dispose() {
          for (const store of opened) await store.close();
          rmSync(folder, { recursive: true, force: true });
        },
      };
    },
  };
}

/** State one process keeps in memory: every `open` of a place is the same store. */
export function memoryBackend<Store>(make: () => Store): StoreBackend<Store> {
  return {
    name: 'memory',
    available: true,
    async place() {
      const store = make();
      return { open: async () => store, dispose: async () => undefined };
    },
  };
}

/** The PostgreSQL backend: every `open` gets its own pool (as a replica would) on one fresh schema. */
export function postgresBackend<Store>(
  open: (database: ServiceDatabase, tenant: string) => Store,
): StoreBackend<Store> {
  return {
    name: 'postgres',
    available: testDatabaseUrl !== undefined,
    async place() {
      const connectionString = await freshSchemaUrl();
      const databases: ServiceDatabase[] = [];
      return {
        async open(tenant) {
          const database = await openServiceDatabase({ connectionString, maxConnections: 4 });
          databases.push(database);
          return open(database, tenant);
        },
        async dispose() {
          for (const database of databases) await database.close();
        },
      };
    },
  };
}

/**
 * Inside a suite's describe: opens stores on the backend's fresh place, made at the first open of
 * each test and disposed (stores closed, files or pools gone) after it.
 */
export function storeOpener<Store>(backend: StoreBackend<Store>): (tenant: string) => Promise<Store> {
  let place: StorePlace<Store> | undefined;
  afterEach(async () => {
    await place?.dispose();
    place = undefined;
  });
  return async (tenant) => {
    place ??= await backend.place();
    return place.open(tenant);
  };
}

export { dropTestSchemas, freshSchemaUrl, reportSkippedPostgres, testDatabaseUrl };

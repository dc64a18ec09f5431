import path from 'node:path';
import { createPostgresSessionStore, postgresRateCounters } from '../auth/postgres-shared-state.ts';
import { openPostgresTokenStore } from '../auth/postgres-token-store.ts';
import type { RateCounters } from '../auth/rate-limit.ts';
import type { SessionStore } from '../auth/sessions.ts';
import { openTokenStore, type TokenStore } from '../auth/token-store.ts';
import type { ServiceConfig } from '../config.ts';
import type { EventStore } from '../feedback/event-store.ts';
import { openPostgresEventStore } from '../feedback/postgres-event-store.ts';
import { openSqliteEventStore } from '../feedback/sqlite-event-store.ts';
import { openPostgresVersionStore, openSqliteVersionStore } from '../knowledge-edits/sql-version-store.ts';
import type { KnowledgeVersionStore } from '../knowledge-edits/version-store.ts';
import {
  openPostgresPrivacyStore,
  openSqlitePrivacyStore,
  type PrivacyStore,
} from '../privacy/sqlite-privacy-store.ts';
import { openPostgresRecipeStore } from '../recipes/postgres-recipe-store.ts';
import type { RecipeStore } from '../recipes/recipe-store.ts';
import { openSqliteRecipeStore } from '../recipes/sqlite-recipe-store.ts';
import { openServiceDatabase, type ServiceDatabase } from './postgres-database.ts';
import { openStorage } from './storage-failure.ts';

/**
 * The service's own stores, on the backend the configuration names: SQLite files in the data
 * folder (events.sqlite, recipes.sqlite, auth.sqlite, knowledge-versions.sqlite), or PostgreSQL when DATABASE_URL is set, where
 * every replica shares them, console sessions and rate-limit counters included. The one place that
 * chooses; the service and the CLI both open their stores here.
 */
export interface ServiceStores {
  readonly backend: 'sqlite' | 'postgres';
  /** The event store of a tenant (opened at its first call, then the same; closed with the rest). */
  events(tenant: string): EventStore;
  recipes(tenant: string): RecipeStore;
  /** Erasure, export, retention and redaction over the event store's rows. */
  privacy(tenant: string): PrivacyStore;
  tokens: TokenStore;
  /** Knowledge edits' versions, review queue and flags (every tenant's; opened at its first call). */
  versions(): KnowledgeVersionStore;
  /** Shared console sessions; undefined: each process keeps its own, in memory. */
  sessions?: SessionStore;
  /** Shared rate-limit counters; undefined: in memory. */
  limiters?: RateCounters;
  /** The PostgreSQL pool, when that is the backend: for stores other packages add. */
  database?: ServiceDatabase;
  close(): Promise<void>;
}

type StoresConfig = Pick<ServiceConfig, 'dataDir' | 'eventsMaxSizeBytes' | 'knowledge'> & {
  trust: Pick<ServiceConfig['trust'], 'sessionTtlMs'>;
};

export async function openServiceStores(
  config: StoresConfig,
  options: { eager?: boolean } = {},
): Promise<ServiceStores> {
  const opened = new Map<string, { close(): Promise<void> }>();
  /** One store per kind and tenant, opened at its first use. */
  const once = <Store extends { close(): Promise<void> }>(key: string, open: () => Store): Store => {
    let store = opened.get(key) as Store | undefined;
    if (!store) {
      store = open();
      opened.set(key, store);
    }
    return store;
  };
  const closeOpened = async () => {
    const stores = [...opened.values()];
    opened.clear();
    for (const store of stores) await store.close();
  };
  const url = config.knowledge.databaseUrl;
  if (url) {
    const database = await openServiceDatabase({ connectionString: url });
    return {
      backend: 'postgres',
      events: (tenant) => once(`events:${tenant}`, () => openPostgresEventStore({ database, tenant })),
      recipes: (tenant) => once(`recipes:${tenant}`, () => openPostgresRecipeStore({ database, tenant })),
      privacy: (tenant) => once(`privacy:${tenant}`, () => openPostgresPrivacyStore({ database, tenant })),
      tokens: openPostgresTokenStore({ database }),
      versions: () => once('versions', () => openPostgresVersionStore({ database })),
      sessions: createPostgresSessionStore({ database, ttlMs: config.trust.sessionTtlMs }),
      limiters: postgresRateCounters(database),
      database,
      async close() {
        await closeOpened();
        await database.close();
      },
    };
  }
  // An unusable data folder stops the start with the file and the cause (storage-failure.ts).
  const file = (name: string) => path.join(config.dataDir, name);
  const events = (tenant: string) =>
    once(`events:${tenant}`, () =>
      openStorage(file('events.sqlite'), () =>
        openSqliteEventStore({
          file: file('events.sqlite'),
          tenant,
          maxSizeBytes: config.eventsMaxSizeBytes,
        }),
      ),
    );
  const recipes = (tenant: string) =>
    once(`recipes:${tenant}`, () =>
      openStorage(file('recipes.sqlite'), () =>
        openSqliteRecipeStore({ file: file('recipes.sqlite'), tenant }),
      ),
    );
  // At start, in the order the service has always opened them, so a broken file is named as before.
  if (options.eager !== false) {
    events(config.knowledge.tenant);
    recipes(config.knowledge.tenant);
  }
  const tokens = openStorage(file('auth.sqlite'), () => openTokenStore(file('auth.sqlite')));
  return {
    backend: 'sqlite',
    events,
    recipes,
    privacy: (tenant) =>
      once(`privacy:${tenant}`, () =>
        openStorage(file('events.sqlite'), () =>
          openSqlitePrivacyStore({ file: file('events.sqlite'), tenant }),
        ),
      ),
    tokens,
    versions: () =>
      once('versions', () =>
        openStorage(file('knowledge-versions.sqlite'), () =>
          openSqliteVersionStore({ file: file('knowledge-versions.sqlite') }),
        ),
      ),
    async close() {
      await closeOpened();
      await tokens.close();
    },
  };
}

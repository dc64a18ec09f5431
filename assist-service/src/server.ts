import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEMO_KB_PATHS, type KnowledgeBase, openKnowledgeBase } from '@naparnik/ingest';
import { loadPinnedPrompts } from '@naparnik/prompts';
import type { Logger } from 'pino';
import { type Clock, createApp } from './app.ts';
import { ensureFirstStartToken, type FirstStartToken } from './auth/bootstrap.ts';
import { loadConfig, type ServiceConfig } from './config.ts';
import { createGapClusterCache, type GapClusterCache } from './console/gap-cluster-cache.ts';
import { uploadedFilesOn } from './console/uploaded-files.ts';
import type { AssistEngine } from './engines/engine.ts';
import { createOfflineComposer } from './engines/offline/offline-engine.ts';
import { createOfflineRewriter } from './engines/offline/rewrite.ts';
import { extensionStartHint } from './extension-package/start-hint.ts';
import type { EventStore } from './feedback/event-store.ts';
import { openPostgresGapSignals, openSqliteGapSignals } from './feedback/sqlite-gap-signals.ts';
import { createLogger } from './logging.ts';
import { createChatModels } from './models/create-chat-models.ts';
import { OFFLINE_ACTOR } from './pipeline/act.ts';
import { createCalibrationSource } from './pipeline/calibration-store.ts';
import type { Composer } from './pipeline/compose.ts';
import { createModelActor } from './pipeline/model-actor.ts';
import { createModelChecker } from './pipeline/model-checker.ts';
import { createModelComposer } from './pipeline/model-composer.ts';
import { createModelRewriter } from './pipeline/model-rewriter.ts';
import { createModelSummarizer } from './pipeline/model-summarizer.ts';
import { createAssistPipeline, type PipelineDependencies } from './pipeline/pipeline.ts';
import { OFFLINE_SUMMARIZER } from './pipeline/summarize.ts';
import { enforceRetention, startRetentionJob } from './privacy/retention.ts';
import { loadPrivacyKey, PRIVACY_KEY_FILE } from './privacy/subject-keys.ts';
import { createScriptProfiles } from './retrieval/script-profiles.ts';
import { openServiceStores } from './storage/service-stores.ts';
import { openStorage, StorageStartError } from './storage/storage-failure.ts';
import type { TenantScopes } from './tenancy.ts';

export interface RunningService {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  server: Server;
  events: EventStore;
  /** The Gaps page's clusters of this process: how often they were computed and reused. */
  gapClusters: GapClusterCache;
  /** Resolves once the knowledge base is open and the demo ingested; until then /v1 answers 503. */
  ready: Promise<KnowledgeBase>;
  /** The admin token made (or kept) at first start, when no other token exists: print it. */
  firstStartToken?: FirstStartToken;
  /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), closes the stores. */
  close(): Promise<void>;
}

export interface StartOptions {
  config: ServiceConfig;
  logger?: Logger;
  clock?: Clock;
  /** What to ingest into the demo collection when it does not exist; default the shipped demo. */
  demoPaths?: string[];
  engine?: (dependencies: { knowledge: () => KnowledgeBase | undefined }) => AssistEngine;
}

const systemClock: Clock = { now: () => new Date() };

/** The configured model, its id and pinned prompts; undefined when the service is offline. */
function draftingFor(config: ServiceConfig, logger: Logger) {
  const models = createChatModels(config.models, { logger });
  if (!models || config.models.provider === 'offline') return undefined;
  const id = config.models.provider === 'anthropic' ? 'claude' : 'openai-compatible';
  return { id, models, prompts: loadPinnedPrompts(config.prompts) };
}

/** The compose stage the configuration asks for: a model when one is configured, else offline. */
function composerFor(
  drafting: ReturnType<typeof draftingFor>,
  config: ServiceConfig,
  logger: Logger,
): Composer {
  const offline = createOfflineComposer();
  if (!drafting) {
    logger.info({ engine: offline.id }, 'suggestions are drafted offline (no model configured)');
    return offline;
  }
  const { id, models, prompts } = drafting;
  logger.info({ engine: id, promptId: prompts.reply.promptId }, 'suggestions are drafted with a model');
  return createModelComposer({
    id,
    models,
    prompt: prompts.reply,
    offline,
    ...(config.models.checkSuggestions ? { checkPrompt: prompts['check-draft'] } : {}),
    logger,
  });
}

/**
 * The summary and act stages the configuration asks for: the model writes the summary and the
 * next actions when one is configured (each can be turned off), the offline rules as the fallback.
 */
function stagesFor(
  drafting: ReturnType<typeof draftingFor>,
  config: ServiceConfig,
  logger: Logger,
): Pick<PipelineDependencies, 'summarizer' | 'actor'> {
  if (!drafting) return {};
  const { id, models, prompts } = drafting;
  return {
    ...(config.models.summary
      ? {
          summarizer: createModelSummarizer({
            id,
            models,
            prompt: prompts.summary,
            offline: OFFLINE_SUMMARIZER,
            logger,
          }),
        }
      : {}),
    ...(config.models.nextActions
      ? {
          actor: createModelActor({
            id,
            models,
            prompt: prompts['next-actions'],
            offline: OFFLINE_ACTOR,
            logger,
          }),
        }
      : {}),
  };
}

/** Starts listening at once and opens the knowledge base behind it. */
export async function startService(options: StartOptions): Promise<RunningService> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config);
  const clock = options.clock ?? systemClock;
  // SQLite files in the data folder, or PostgreSQL (DATABASE_URL) shared by every replica. An
  // unusable folder or database stops the start with the file or server and the cause.
  const stores = await openServiceStores(config);
  const events = stores.events(config.tenant);
  const recipes = stores.recipes(config.tenant);
  const privacyStore = stores.privacy(config.tenant);
  if (stores.backend === 'postgres' && config.privacy.hashKey === undefined) {
    // Each replica would hash customer identifiers under its own random key, and an erasure
    // served by one would miss the sets another stored (docs/deploy.md).
    logger.warn(
      "DATABASE_URL is set without NAPARNIK_PRIVACY_KEY: give every replica the same key, or erasure and export by customer will miss other replicas' rows",
    );
  }
  const privacy = {
    store: privacyStore,
    hashKey: openStorage(path.join(config.dataDir, PRIVACY_KEY_FILE), () =>
      loadPrivacyKey(config.dataDir, config.privacy.hashKey),
    ),
  };
  // The console's knowledge gaps read the event store's tables through their own small interface.
  const eventsFile = path.join(config.dataDir, 'events.sqlite');
  const gapSignals = stores.database
    ? openPostgresGapSignals({ database: stores.database })
    : openStorage(eventsFile, () => openSqliteGapSignals({ file: eventsFile }));
  const gapClusters = createGapClusterCache();
  const profiles = createScriptProfiles({ logger, linkDomains: config.knowledge.linkDomains ?? [] });
  // knowledge-versions.sqlite, or the shared tables with DATABASE_URL (closed with the other stores).
  const knowledgeVersions = stores.versions();
  const tokens = stores.tokens;
  const firstStartToken = await ensureFirstStartToken({
    tokens,
    dataDir: config.dataDir,
    tenant: config.tenant,
    adminTokenConfigured: config.adminToken !== undefined,
    now: clock.now().toISOString(),
  });

  let knowledge: KnowledgeBase | undefined;
  let opened: KnowledgeBase | undefined;
  let retention: ReturnType<typeof startRetentionJob> | undefined;
  const source = () => knowledge;
  const drafting = draftingFor(config, logger);
  const engine =
    options.engine?.({ knowledge: source }) ??
    createAssistPipeline({
      knowledge: source,
      profiles,
      clock,
      config,
      logger,
      calibration: createCalibrationSource({ dataDir: config.dataDir, tenant: config.tenant, logger }),
      composer: composerFor(drafting, config, logger),
      ...stagesFor(drafting, config, logger),
    });
  // Other tenants' stores and knowledge, opened at their first request and kept: the same files,
  // every row and collection keyed by tenant (issue 13).
  const scopes = new Map<string, ReturnType<TenantScopes>>();
  const tenantStores: Array<{ close(): Promise<void> | void }> = [];
  const tenantScopes: TenantScopes = (tenant) => {
    let scope = scopes.get(tenant);
    if (!scope) {
      scope = (async () => {
        const tenantEvents = stores.events(tenant);
        const tenantRecipes = stores.recipes(tenant);
        const tenantPrivacy = stores.privacy(tenant);
        const tenantKnowledge = await openKnowledgeBase({
          config: config.knowledge,
          dataDir: config.dataDir,
          tenant,
          clock: () => clock.now(),
        });
        tenantStores.push(tenantKnowledge);
        const tenantSource = () => tenantKnowledge;
        const tenantProfiles = createScriptProfiles({
          logger,
          linkDomains: config.knowledge.linkDomains ?? [],
        });
        const tenantEngine =
          options.engine?.({ knowledge: tenantSource }) ??
          createAssistPipeline({
            knowledge: tenantSource,
            profiles: tenantProfiles,
            clock,
            config,
            logger,
            calibration: createCalibrationSource({ dataDir: config.dataDir, tenant, logger }),
            composer: composerFor(drafting, config, logger),
            ...stagesFor(drafting, config, logger),
          });
        logger.info({ tenant }, 'tenant opened');
        return {
          tenant,
          knowledge: tenantSource,
          events: tenantEvents,
          recipes: tenantRecipes,
          engine: tenantEngine,
          profiles: tenantProfiles,
          privacy: tenantPrivacy,
        };
      })();
      // A failed open is not kept: the next request tries again.
      scope.catch(() => scopes.delete(tenant));
      scopes.set(tenant, scope);
    }
    return scope;
  };
  // Rewrite uses the configured model too, the offline rules as its fallback.
  const rewriter = drafting
    ? createModelRewriter({
        id: drafting.id,
        models: drafting.models,
        prompt: drafting.prompts.rewrite,
        offline: createOfflineRewriter({ knowledge: source, profiles }),
        knowledge: source,
        profiles,
        logger,
      })
    : undefined;
  // check-draft too: the rules always run, the model adds what they miss.
  const checker = drafting
    ? createModelChecker({
        id: drafting.id,
        models: drafting.models,
        prompt: drafting.prompts['check-draft'],
        logger,
      })
    : undefined;
  const app = createApp({
    kb: source,
    events,
    recipes,
    tokens,
    ...(stores.sessions ? { sessions: stores.sessions } : {}),
    ...(stores.limiters ? { limiters: stores.limiters } : {}),
    ...(stores.database ? { uploadedFiles: uploadedFilesOn(stores.database) } : {}),
    tenantScopes,
    logger,
    clock,
    config,
    engine,
    profiles,
    privacy,
    gapSignals,
    gapClusters,
    knowledgeVersions,
    ...(rewriter ? { rewriter } : {}),
    ...(drafting
      ? {
          faqModel: {
            id: drafting.id,
            task: {
              model: drafting.models.strong,
              prompt: drafting.prompts['faq-from-answers'],
              prices: drafting.models.prices,
              maxOutputTokens: drafting.models.maxOutputTokens,
            },
          },
        }
      : {}),
    ...(checker ? { checker } : {}),
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.port, config.host, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  // A slow body or slow headers are cut (slowloris); past maxConnections the server refuses.
  server.requestTimeout = config.trust.requestTimeoutMs;
  server.headersTimeout = Math.min(config.trust.headersTimeoutMs, config.trust.requestTimeoutMs);
  server.maxConnections = config.trust.maxConnections;
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  const ready = (async () => {
    opened = await openKnowledgeBase({
      config: config.knowledge,
      dataDir: config.dataDir,
      tenant: config.tenant,
      // The service's clock decides which entries are within their validity window.
      clock: () => clock.now(),
    }).catch((error: unknown) => {
      throw new StorageStartError(path.join(config.dataDir, 'knowledge.sqlite'), error);
    });
    if (config.demoAutoIngest && !(await opened.store.getCollection(config.demoCollection))) {
      const started = performance.now();
      try {
        const summary = await opened.ingest(options.demoPaths ?? DEMO_KB_PATHS, {
          collection: config.demoCollection,
        });
        logger.info(
          {
            collection: config.demoCollection,
            added: summary.added,
            chunks: summary.chunks,
            failed: summary.failed.length,
            ms: Math.round(performance.now() - started),
          },
          'demo knowledge base ingested',
        );
      } catch (error) {
        logger.error({ err: error }, 'could not ingest the demo knowledge base');
      }
    }
    knowledge = opened;
    const store = opened.store;
    retention = startRetentionJob({
      intervalMinutes: config.privacy.retentionIntervalMinutes,
      logger,
      run: () =>
        enforceRetention({
          privacy: privacyStore,
          knowledge: store,
          config: config.privacy,
          tenant: config.tenant,
          // Every tenant that holds a token has a knowledge base whose history ages out too.
          otherTenants: async () => {
            const tenants = new Set((await tokens.list()).map((token) => token.tenant));
            tenants.delete(config.tenant);
            return Promise.all(
              [...tenants].map(async (tenant) => ({
                tenant,
                knowledge: (await tenantScopes(tenant)).knowledge()?.store,
              })),
            );
          },
          historyRetentionDays: config.knowledge.historyRetentionDays,
          now: clock.now(),
        }),
    });
    await warmUp(engine, opened, logger);
    return opened;
  })();
  ready.catch((error: unknown) => logger.error({ err: error }, 'could not open the knowledge base'));

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      knowledge = undefined;
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      await ready.catch(() => undefined);
      retention?.stop();
      await retention?.running();
      gapSignals.close();
      await opened?.close();
      await Promise.allSettled([...scopes.values()]);
      for (const store of tenantStores) await store.close();
      await stores.close();
    })();
    return closing;
  };

  return { url, server, events, gapClusters, ready, close, ...(firstStartToken ? { firstStartToken } : {}) };
}

/**
 * One search per collection and one throwaway answer per language before the first operator
 * waits: the first request otherwise pays for loading the search indexes, compiling the text
 * functions and warming SQLite's caches.
 */
async function warmUp(engine: AssistEngine, knowledge: KnowledgeBase, logger: Logger): Promise<void> {
  const collections = await knowledge.store.listCollections();
  // Each collection's search indexes load on its first search (seconds at 100k chunks): pay that
  // at start, not in an operator's first request.
  for (const { name } of collections) {
    const started = performance.now();
    await knowledge
      .search(name, 'заказ доставка order', { topK: 1 })
      .then(() =>
        logger.info({ collection: name, ms: Math.round(performance.now() - started) }, 'indexes warmed'),
      )
      .catch((error: unknown) => logger.warn({ err: error, collection: name }, 'warm-up search failed'));
  }
  // One answer per collection (its topic classifier trains on the first), both languages on the first.
  const texts = ['Здравствуйте! Где мой заказ № 12345678? Анна', 'Hi, where is my order 12345678?'];
  const runs = collections.flatMap(({ name }, index) =>
    (index === 0 ? texts : texts.slice(0, 1)).map((text) => ({ name, text })),
  );
  for (const { name, text } of runs) {
    await engine
      .assist(
        {
          collection: name,
          conversation: { channel: 'chat', messages: [{ role: 'customer', text }] },
        },
        { signal: AbortSignal.timeout(10_000), emit: () => {}, suggestionSetId: 'warm-up' },
      )
      .catch((error: unknown) => logger.warn({ err: error }, 'warm-up failed'));
  }
}

/** Where the token goes, printed at start as notebook servers do: the quick start stays one step. */
function tokenBanner(first: FirstStartToken | undefined, url: string, fromEnvironment: boolean): string {
  if (first) {
    return (
      `Admin token${first.created ? ' (new)' : ''}: ${first.token}\n` +
      `  kept in ${first.file} (readable by you only).\n` +
      `  Paste it into the extension (options → Token) and sign in to the console at ${url}/console/ with it.\n` +
      '  Make tokens for operators: pnpm naparnik tokens create --role operator --tenant default --name <name>\n'
    );
  }
  return fromEnvironment
    ? 'Tokens: ASSIST_ADMIN_TOKEN is an admin token; make more with pnpm naparnik tokens create.\n'
    : 'Tokens: see pnpm naparnik tokens list; every /v1 route but health needs one.\n';
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const service = await startService({ config, logger });
  const shown =
    config.host === '0.0.0.0' || config.host === '::'
      ? service.url.replace(/\/\/[^:]+|\/\/\[.*\]/u, '//127.0.0.1')
      : service.url;
  process.stdout.write(
    `Naparnik assist service listening on ${shown}\n` +
      `Point the extension at ${shown} (extension options → Service URL).\n` +
      `Data: ${config.dataDir}\n` +
      tokenBanner(service.firstStartToken, shown, config.adminToken !== undefined),
  );
  process.stdout.write(extensionStartHint(config, shown));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const knowledge = await service.ready;
  const collections = await knowledge.store.listCollections();
  process.stdout.write(
    `Ready: ${collections.length} collection(s): ${collections.map((collection) => collection.name).join(', ') || 'none'}.\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

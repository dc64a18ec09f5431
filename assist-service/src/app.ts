import { randomUUID } from 'node:crypto';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import {
  type Authenticator,
  authenticate,
  createAuthenticator,
  requirePermission,
} from './auth/authenticate.ts';
import { rateLimits } from './auth/limits.ts';
import type { RateCounters } from './auth/rate-limit.ts';
import { corsPolicy, hostAllowList, isJsonContentType, jsonOnlyWrites } from './auth/request-guards.ts';
import { createSessionStore, type SessionStore } from './auth/sessions.ts';
import { openTokenStore, type TokenStore } from './auth/token-store.ts';
import type { Clock } from './clock.ts';
import type { ServiceConfig } from './config.ts';
import { createGapClusterCache, type GapClusterCache } from './console/gap-cluster-cache.ts';
import { createKnowledgeFiles, type KnowledgeFiles } from './console/knowledge-files.ts';
import type { UploadedFileStore } from './console/uploaded-files.ts';
import type { AssistEngine } from './engines/engine.ts';
import { createOfflineRewriter, type Rewriter } from './engines/offline/rewrite.ts';
import { createWorkQueue, type WorkQueue } from './engines/work-queue.ts';
import { errorBody, ServiceError, STATUS_BY_CODE, toServiceError } from './errors.ts';
import type { EventStore } from './feedback/event-store.ts';
import type { GapSignalStore } from './feedback/gap-signals.ts';
import { createKnowledgeEdits, type KnowledgeEdits } from './knowledge-edits/knowledge-edits.ts';
import { openSqliteVersionStore } from './knowledge-edits/sql-version-store.ts';
import type { KnowledgeVersionStore } from './knowledge-edits/version-store.ts';
import type { ModelTaskDependencies } from './models/model-task.ts';
import { createScriptChecker, type DraftChecker } from './pipeline/check.ts';
import type { PrivacyStore } from './privacy/sqlite-privacy-store.ts';
import type { RecipeStore } from './recipes/recipe-store.ts';
import type { KnowledgeBaseLike, KnowledgeSource } from './retrieval/knowledge-base.ts';
import type { ScriptProfiles } from './retrieval/script-profiles.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { analyticsDashboardRoutes } from './routes/analytics-dashboard.ts';
import { assistRoutes } from './routes/assist.ts';
import { calibrationRoutes } from './routes/calibration.ts';
import { checkDraftRoutes } from './routes/check-draft.ts';
import { consoleRoutes } from './routes/console.ts';
import { demoDeskRoutes } from './routes/demo-desk.ts';
import { extensionDownloadRoutes } from './routes/extension-download.ts';
import { feedbackRoutes } from './routes/feedback.ts';
import { requestLogger } from './routes/http.ts';
import { knowledgeRoutes } from './routes/knowledge.ts';
import { knowledgeEditRoutes } from './routes/knowledge-edits.ts';
import { knowledgeFileRoutes } from './routes/knowledge-files.ts';
import { knowledgeGapRoutes } from './routes/knowledge-gaps.ts';
import { loggedPath, privacyRoutes } from './routes/privacy.ts';
import { recipeRoutes } from './routes/recipes.ts';
import { rewriteRoutes } from './routes/rewrite.ts';
import { searchRoutes } from './routes/search.ts';
import { serviceRoutes } from './routes/service.ts';
import { sessionRoutes } from './routes/session.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { usageRoutes } from './routes/usage.ts';
import type { TenantScope, TenantScopes } from './tenancy.ts';

export type { Clock };

export interface AppDependencies {
  /** The knowledge base, or a getter that returns undefined until it is open (requests get 503). */
  kb: KnowledgeBaseLike | KnowledgeSource;
  events: EventStore;
  /** Published "Teach this page" recipes, opened once with the service. */
  recipes: RecipeStore;
  logger: Logger;
  clock: Clock;
  config: ServiceConfig;
  engine: AssistEngine;
  /** Rewrites suggestions and drafts (shorter, friendlier, formal); offline unless a model is configured. */
  rewriter?: Rewriter;
  /** Checks drafts against the team's script; the same rules the pipeline's check stage applies. */
  checker?: DraftChecker;
  /** Scripts and routing rules per collection, cached; shared with the engine. */
  profiles: ScriptProfiles;
  /** The hashed tokens (auth.sqlite); absent: an in-memory store, so only ASSIST_ADMIN_TOKEN works. */
  tokens?: TokenStore;
  /** Console sessions shared by replicas (PostgreSQL); absent: in this process's memory. */
  sessions?: SessionStore;
  /** Rate-limit counters shared by replicas (PostgreSQL); absent: in this process's memory. */
  limiters?: RateCounters;
  /**
   * The stores and knowledge of tenants other than `config.tenant` (whose are the ones above);
   * absent: tokens of other tenants are refused.
   */
  tenantScopes?: TenantScopes;
  version?: string;
  /**
   * Erasure, export and the key customer identifiers are hashed with (issue 13). Without it no
   * customer keys are stored and /v1/privacy is not served.
   */
  privacy?: { store: PrivacyStore; hashKey: string };
  /** Gap records and operators' outcomes for the console's Gaps page; absent: those routes answer 503. */
  gapSignals?: GapSignalStore;
  /** The Gaps page's clusters, reused while the signals' fingerprint holds; absent: a new cache. */
  gapClusters?: GapClusterCache;
  /** The configured model and pinned `faq-from-answers` prompt; absent: FAQ drafts are offline. */
  faqModel?: { id: string; task: ModelTaskDependencies };
  /** Versions, review flags and review settings of knowledge documents; absent: kept in memory. */
  knowledgeVersions?: KnowledgeVersionStore;
  /**
   * The console's uploaded files as every replica sees them (PostgreSQL), per tenant; absent: the
   * data folder's `uploads/` is the only copy (the embedded setup).
   */
  uploadedFiles?: (tenant: string) => UploadedFileStore;
}

/** What every route factory receives. */
export interface RouteContext
  extends Omit<
    AppDependencies,
    | 'kb'
    | 'rewriter'
    | 'checker'
    | 'tokens'
    | 'tenantScopes'
    | 'knowledgeVersions'
    | 'sessions'
    | 'limiters'
    | 'uploadedFiles'
    | 'gapClusters'
  > {
  gapClusters: GapClusterCache;
  knowledge: KnowledgeSource;
  rewriter: Rewriter;
  checker: DraftChecker;
  /** Admission for the CPU-heavy routes (assist, search): one start per event-loop turn, in order. */
  work: WorkQueue;
  /** Who a token or a console session is (auth/). */
  authenticator: Authenticator;
  version: string;
  startedAt: Date;
  /** The console's uploads of a tenant, one instance each so writes to one file never interleave. */
  knowledgeFiles(tenant: string): KnowledgeFiles;
  /** Edits in place, versions and review of knowledge documents (knowledge-edits/). */
  knowledgeEdits: KnowledgeEdits;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** The Express application with every /v1 route; nothing listens until the caller says so. */
export function createApp(dependencies: AppDependencies): Express {
  const {
    kb,
    rewriter,
    checker,
    tokens,
    tenantScopes,
    knowledgeVersions,
    sessions,
    limiters,
    uploadedFiles,
    gapClusters,
    ...rest
  } = dependencies;
  const knowledge: KnowledgeSource = typeof kb === 'function' ? kb : () => kb;
  const filesByTenant = new Map<string, KnowledgeFiles>();
  const context: RouteContext = {
    ...rest,
    knowledge,
    gapClusters: gapClusters ?? createGapClusterCache(),
    rewriter: rewriter ?? createOfflineRewriter({ knowledge, profiles: dependencies.profiles }),
    checker: checker ?? createScriptChecker(),
    work: createWorkQueue({ concurrency: dependencies.config.assistConcurrency }),
    authenticator: createAuthenticator({
      tokens: tokens ?? openTokenStore(':memory:'),
      sessions: sessions ?? createSessionStore({ ttlMs: dependencies.config.trust.sessionTtlMs }),
      config: dependencies.config,
    }),
    version: dependencies.version ?? '0.1.0',
    startedAt: dependencies.clock.now(),
    knowledgeFiles(tenant) {
      let files = filesByTenant.get(tenant);
      if (!files) {
        files = createKnowledgeFiles({
          uploadsDir: path.join(dependencies.config.dataDir, 'uploads', tenant),
          ...(uploadedFiles ? { shared: uploadedFiles(tenant) } : {}),
          now: () => dependencies.clock.now(),
        });
        filesByTenant.set(tenant, files);
      }
      return files;
    },
    knowledgeEdits: createKnowledgeEdits({
      versions: knowledgeVersions ?? openSqliteVersionStore({ file: ':memory:' }),
      editsDir: path.join(dependencies.config.dataDir, 'knowledge-edits'),
      now: () => dependencies.clock.now(),
    }),
  };
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  app.use((request: Request, response: Response, next: NextFunction) => {
    const incoming = request.get('x-request-id');
    const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const started = process.hrtime.bigint();
    response.locals.requestId = id;
    response.locals.logger = dependencies.logger.child({ requestId: id });
    response.setHeader('X-Request-Id', id);
    response.on('finish', () => {
      requestLogger(response).info(
        {
          method: request.method,
          path: loggedPath(request.path),
          status: response.statusCode,
          requestBytes: Number(request.get('content-length') ?? 0),
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      );
    });
    next();
  });

  // Issue 13, in this order: the Host allow-list (DNS rebinding), CORS for the configured
  // extension ids only, JSON only on writes, a token on every /v1 route but health, then limits.
  const trust = dependencies.config.trust;
  app.use(hostAllowList(trust));
  app.use(corsPolicy(trust));
  app.use(jsonOnlyWrites);
  app.use(authenticate(context.authenticator, dependencies.clock));
  app.use(rateLimits(trust, () => dependencies.clock.now().getTime(), limiters));
  // Each request reads and writes its caller's tenant only (issue 13): routes take the scope.
  const defaultScope: TenantScope = {
    tenant: dependencies.config.tenant,
    knowledge,
    events: dependencies.events,
    recipes: dependencies.recipes,
    engine: dependencies.engine,
    profiles: dependencies.profiles,
    rewriter: context.rewriter,
    privacy: dependencies.privacy?.store,
  };
  app.use(async (_request: Request, response: Response, next: NextFunction) => {
    const caller = response.locals.principal as { tenant: string } | undefined;
    if (!caller || caller.tenant === defaultScope.tenant) {
      response.locals.scope = defaultScope;
      next();
      return;
    }
    if (!tenantScopes) {
      next(new ServiceError('forbidden', `This service keeps no data for tenant "${caller.tenant}".`));
      return;
    }
    const scope = await tenantScopes(caller.tenant);
    response.locals.scope = {
      ...scope,
      rewriter:
        scope.rewriter ?? createOfflineRewriter({ knowledge: scope.knowledge, profiles: scope.profiles }),
    } satisfies TenantScope;
    next();
  });
  app.use(
    express.json({
      limit: dependencies.config.bodyLimitBytes,
      strict: false,
      type: (request) => isJsonContentType(request.headers['content-type']),
    }),
  );

  app.use('/v1', serviceRoutes(context));
  app.use('/v1', assistRoutes(context));
  app.use('/v1', searchRoutes(context));
  app.use('/v1', checkDraftRoutes(context));
  app.use('/v1', rewriteRoutes(context));
  app.use('/v1', feedbackRoutes(context));
  app.use('/v1', recipeRoutes(context));
  app.use('/v1', privacyRoutes(context));
  app.use('/v1', sessionRoutes(context));
  app.use('/v1', tokenRoutes(context));
  if (dependencies.config.demoDesk) app.use(demoDeskRoutes());
  app.use(extensionDownloadRoutes(dependencies.config));
  // The web console and the /v1 APIs only it reads (issue 12); roles decide who reads what.
  if (dependencies.config.console) {
    app.use('/v1', knowledgeRoutes(context));
    app.use('/v1', calibrationRoutes(context));
    app.use('/v1', knowledgeFileRoutes(context));
    app.use('/v1', knowledgeGapRoutes(context));
    app.use('/v1', knowledgeEditRoutes(context));
    app.use('/v1/analytics', requirePermission('analytics'));
    app.use('/v1', analyticsRoutes(context));
    app.use('/v1', usageRoutes(context));
    app.use('/v1', analyticsDashboardRoutes(context));
    app.use('/console', consoleRoutes({ directory: dependencies.config.consoleDir }));
  }

  app.use((request: Request, _response: Response, next: NextFunction) => {
    next(new ServiceError('not-found', `No route for ${request.method} ${request.path}.`));
  });
  app.use(errorMiddleware);
  return app;
}

function errorMiddleware(error: unknown, _request: Request, response: Response, _next: NextFunction): void {
  const serviceError = toServiceError(error);
  const logger = (response.locals.logger as Logger | undefined) ?? undefined;
  if (serviceError.code === 'internal') logger?.error({ err: error }, 'unexpected error');
  else if (serviceError.code === 'storage-full' || serviceError.code === 'storage-unavailable')
    logger?.error({ code: serviceError.code, err: error }, 'storage failed');
  else logger?.debug({ code: serviceError.code }, 'request failed');
  if (response.headersSent) {
    response.end();
    return;
  }
  if (serviceError.retryAfterSeconds !== undefined) {
    response.setHeader('Retry-After', String(serviceError.retryAfterSeconds));
  }
  const status = STATUS_BY_CODE[serviceError.code];
  response.status(status).json(errorBody(serviceError, response.locals.requestId as string | undefined));
}

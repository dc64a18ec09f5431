import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { ServiceConfig } from './config.ts';
import type { AssistEngine } from './engines/engine.ts';
import { createOfflineRewriter, type Rewriter } from './engines/offline/rewrite.ts';
import { createWorkQueue, type WorkQueue } from './engines/work-queue.ts';
import { errorBody, ServiceError, STATUS_BY_CODE, toServiceError } from './errors.ts';
import type { EventStore } from './feedback/event-store.ts';
import { createScriptChecker, type DraftChecker } from './pipeline/check.ts';
import type { RecipeStore } from './recipes/recipe-store.ts';
import type { KnowledgeBaseLike, KnowledgeSource } from './retrieval/knowledge-base.ts';
import type { ScriptProfiles } from './retrieval/script-profiles.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { assistRoutes } from './routes/assist.ts';
import { checkDraftRoutes } from './routes/check-draft.ts';
import { consoleRoutes } from './routes/console.ts';
import { demoDeskRoutes } from './routes/demo-desk.ts';
import { feedbackRoutes } from './routes/feedback.ts';
import { requestLogger } from './routes/http.ts';
import { knowledgeRoutes } from './routes/knowledge.ts';
import { recipeRoutes } from './routes/recipes.ts';
import { rewriteRoutes } from './routes/rewrite.ts';
import { searchRoutes } from './routes/search.ts';
import { serviceRoutes } from './routes/service.ts';
import { usageRoutes } from './routes/usage.ts';

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
  version?: string;
}

/** What every route factory receives. */
export interface RouteContext extends Omit<AppDependencies, 'kb' | 'rewriter' | 'checker'> {
  knowledge: KnowledgeSource;
  rewriter: Rewriter;
  checker: DraftChecker;
  /** Admission for the CPU-heavy routes (assist, search): one start per event-loop turn, in order. */
  work: WorkQueue;
  version: string;
  startedAt: Date;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const EXTENSION_ORIGIN = /^(chrome|moz|safari-web)-extension:\/\/[\w.-]+$/;

/** application/json, anything+json, and text/plain (what navigator.sendBeacon sends). */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return true;
  const type = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type === 'text/plain' || /^application\/[\w.+-]+\+json$/.test(type);
}

/** The Express application with every /v1 route; nothing listens until the caller says so. */
export function createApp(dependencies: AppDependencies): Express {
  const { kb, rewriter, checker, ...rest } = dependencies;
  const knowledge: KnowledgeSource = typeof kb === 'function' ? kb : () => kb;
  const context: RouteContext = {
    ...rest,
    knowledge,
    rewriter: rewriter ?? createOfflineRewriter({ knowledge, profiles: dependencies.profiles }),
    checker: checker ?? createScriptChecker(),
    work: createWorkQueue({ concurrency: dependencies.config.assistConcurrency }),
    version: dependencies.version ?? '0.1.0',
    startedAt: dependencies.clock.now(),
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
          path: request.path,
          status: response.statusCode,
          requestBytes: Number(request.get('content-length') ?? 0),
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      );
    });
    next();
  });

  // The extension calls from its background worker, which needs no CORS; an extension page
  // calling directly is allowed, any other origin is not.
  app.use((request: Request, response: Response, next: NextFunction) => {
    const origin = request.get('origin');
    if (origin && EXTENSION_ORIGIN.test(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
      response.setHeader('Access-Control-Allow-Headers', 'Content-Type, Accept, X-Request-Id');
      response.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      response.setHeader('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After');
      if (request.method === 'OPTIONS') {
        response.status(204).end();
        return;
      }
    }
    next();
  });

  app.use((request: Request, _response: Response, next: NextFunction) => {
    if (request.method === 'POST' && !isJsonContentType(request.get('content-type'))) {
      next(new ServiceError('unsupported-media-type', 'Send the body as application/json.'));
      return;
    }
    next();
  });
  // A missing Content-Type is read as JSON too (curl -d, navigator.sendBeacon send text/plain).
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
  if (dependencies.config.demoDesk) app.use(demoDeskRoutes());
  // The web console and the /v1 APIs only it reads (issue 12): loopback only until roles arrive.
  if (dependencies.config.console) {
    app.use('/v1', knowledgeRoutes(context));
    app.use('/v1', analyticsRoutes(context));
    app.use('/v1', usageRoutes(context));
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

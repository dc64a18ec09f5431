import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type IngestConfig, loadIngestConfig } from '@naparnik/ingest';
import { z } from 'zod';

/** The repository root, from this file's location (assist-service/src/config.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** '2mb', '512kb', '1048576' → bytes. */
export function parseByteSize(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
  if (!match) return undefined;
  const unit = UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1;
  return Math.floor(Number(match[1]) * unit);
}

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const byteSize = z.string().transform((value, context) => {
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes < 1024) {
    context.addIssue({ code: 'custom', message: 'a size such as 2mb, 512kb or a number of bytes ≥ 1024' });
    return z.NEVER;
  }
  return bytes;
});

/**
 * Every setting of the service, from the environment. The README's configuration table lists the
 * same names; keep the two together. The knowledge base's settings (NAPARNIK_DATA_DIR,
 * NAPARNIK_TENANT, the embedder, file limits) are parsed by @naparnik/ingest's loadIngestConfig,
 * the one place that knows their defaults and rules.
 */
const environmentSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_CUSTOMER_TEXT: booleanString.default(false),
  BODY_LIMIT: byteSize.default(2 * 1024 ** 2),
  DEMO_COLLECTION: z.string().min(1).max(64).default('demo'),
  DEMO_AUTO_INGEST: booleanString.default(true),
  DEMO_DESK: booleanString.default(true),
  CONVERSATION_BUDGET_CHARS: z.coerce.number().int().min(500).max(1_000_000).default(20_000),
  ASSIST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  ASSIST_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  ASSIST_ADMIN_TOKEN: z.string().min(16, 'at least 16 characters').max(512).optional(),
});

export interface ServiceConfig {
  host: string;
  port: number;
  /** Absolute; the knowledge base's data folder, also where events.sqlite lives. */
  dataDir: string;
  tenant: string;
  /** The knowledge base's settings as @naparnik/ingest parses them (embedder, file limits…). */
  knowledge: IngestConfig;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Debug aid: log conversation text at debug level. Never on in production. */
  logCustomerText: boolean;
  bodyLimitBytes: number;
  demoCollection: string;
  demoAutoIngest: boolean;
  /** Serve the demo helpdesk page (extension/demo-desk) at /demo-desk/ for trying the extension. */
  demoDesk: boolean;
  /** Characters of conversation the engine reads; older text is cut with a marker. */
  conversationBudgetChars: number;
  assistTimeoutMs: number;
  /** Assist and search requests running at once; the rest wait their turn in arrival order. */
  assistConcurrency: number;
  shutdownTimeoutMs: number;
  /** Needed to publish or withdraw page recipes; unset: anyone reaching the service may (local use). */
  adminToken?: string;
}

export class ConfigError extends Error {
  readonly code = 'invalid-config';
}

/**
 * Parses the environment once. A relative NAPARNIK_DATA_DIR is taken from where the command was
 * typed (pnpm's INIT_CWD), so `NAPARNIK_DATA_DIR=./data pnpm start` means ./data there.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const details = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new ConfigError(`Invalid configuration: ${details}`);
  }
  const values = parsed.data;
  let knowledge: IngestConfig;
  try {
    // The service's data lives in the repository unless told otherwise, wherever it was started.
    knowledge = loadIngestConfig(
      environment.NAPARNIK_DATA_DIR
        ? environment
        : { ...environment, NAPARNIK_DATA_DIR: path.join(REPO_ROOT, '.naparnik-data') },
    );
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration: ${(error as Error).message.replace(/^invalid environment: /u, '')}`,
    );
  }
  return {
    host: values.HOST,
    port: values.PORT,
    dataDir: knowledge.dataDir,
    tenant: knowledge.tenant,
    knowledge,
    logLevel: values.LOG_LEVEL,
    logCustomerText: values.LOG_CUSTOMER_TEXT,
    bodyLimitBytes: values.BODY_LIMIT,
    demoCollection: values.DEMO_COLLECTION,
    demoAutoIngest: values.DEMO_AUTO_INGEST,
    demoDesk: values.DEMO_DESK,
    conversationBudgetChars: values.CONVERSATION_BUDGET_CHARS,
    assistTimeoutMs: values.ASSIST_TIMEOUT_MS,
    assistConcurrency: values.ASSIST_CONCURRENCY,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    adminToken: values.ASSIST_ADMIN_TOKEN,
  };
}

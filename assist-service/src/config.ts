import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type IngestConfig, loadIngestConfig } from '@naparnik/ingest';
import { DEFAULT_PROMPT_PINS, type PromptTask, promptRefSchema } from '@naparnik/prompts';
import { z } from 'zod';
import { jsonSetting } from './json-setting.ts';
import { DEFAULT_MODEL_PRICES, type PriceTable, priceTableSchema } from './models/pricing.ts';
import { loadPrivacySection, type PrivacyConfig } from './privacy/privacy-config.ts';

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
  CONSOLE: booleanString.default(true),
  CONSOLE_DIR: z.string().min(1).optional(),
  EVENTS_MAX_SIZE: byteSize.optional(),
  EXTENSION_DIR: z.string().min(1).optional(),
  EXTENSION_SIGNING_KEY_FILE: z.string().min(1).optional(),
  EXTENSION_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL such as https://naparnik.example.ru' })
    .optional(),
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
  /** An admin token for the default tenant besides those in the token store (auth.sqlite). */
  adminToken?: string;
  /** Serve the web console at /console and the /v1 APIs only it reads. */
  console: boolean;
  /** Absolute; the console's built files (default assist-service/console/dist). */
  consoleDir: string;
  /** Absolute; the built extension served at /extension/ (default extension/.output/chrome-mv3). */
  extensionDir: string;
  /** Absolute; the CRX signing key (PEM). Unset: `<dataDir>/extension-signing-key.pem`, made once. */
  extensionKeyFile?: string;
  /** The service's address as browsers reach it, for update.xml; unset: taken from each request. */
  extensionPublicUrl?: string;
  /** Drafting with a language model (issue 10); `provider: 'offline'` when none is configured. */
  models: ModelConfig;
  /** The pinned version of every prompt (`reply@v1`…), recorded with each generated suggestion. */
  prompts: Record<PromptTask, string>;
  /** A cap on events.sqlite; past it writes fail as on a full disk (507). Unset: the disk's size. */
  eventsMaxSizeBytes?: number | undefined;
  /** Retention, erasure and the customer-identifier hashing key (issue 13; privacy/privacy-config.ts). */
  privacy: PrivacyConfig;
  /** Who may reach the service and how much (issue 13). */
  trust: TrustConfig;
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
    console: values.CONSOLE,
    consoleDir: path.resolve(
      environment.INIT_CWD ?? process.cwd(),
      values.CONSOLE_DIR ?? path.join(REPO_ROOT, 'assist-service', 'console', 'dist'),
    ),
    eventsMaxSizeBytes: values.EVENTS_MAX_SIZE,
    extensionDir: path.resolve(
      environment.INIT_CWD ?? process.cwd(),
      values.EXTENSION_DIR ?? path.join(REPO_ROOT, 'extension', '.output', 'chrome-mv3'),
    ),
    ...(values.EXTENSION_SIGNING_KEY_FILE
      ? {
          extensionKeyFile: path.resolve(
            environment.INIT_CWD ?? process.cwd(),
            values.EXTENSION_SIGNING_KEY_FILE,
          ),
        }
      : {}),
    ...(values.EXTENSION_PUBLIC_URL
      ? { extensionPublicUrl: values.EXTENSION_PUBLIC_URL.replace(/\/+$/, '') }
      : {}),
    ...loadModelSection(environment),
    ...privacySection(environment),
    trust: loadTrustSection(environment, values.HOST, values.ASSIST_TIMEOUT_MS),
  };
}

function privacySection(environment: NodeJS.ProcessEnv): { privacy: PrivacyConfig } {
  const section = loadPrivacySection(environment);
  if (Array.isArray(section)) throw configError(section);
  return section;
}

// ─── Models and prompts (issue 10) ──────────────────────────────────────────────────────────────
// A section of its own so that the settings above stay as they were. README: "Models".

/** Current ids from the installed SDK's `Model` type: a fast one for suggestions, a stronger one. */
export const DEFAULT_ANTHROPIC_FAST_MODEL = 'claude-haiku-5-5';
export const DEFAULT_ANTHROPIC_STRONG_MODEL = 'claude-sonnet-5-5';

const PROMPT_VARIABLES: Record<PromptTask, string> = {
  reply: 'NAPARNIK_PROMPT_REPLY',
  summary: 'NAPARNIK_PROMPT_SUMMARY',
  'next-actions': 'NAPARNIK_PROMPT_NEXT_ACTIONS',
  rewrite: 'NAPARNIK_PROMPT_REWRITE',
  translate: 'NAPARNIK_PROMPT_TRANSLATE',
  'check-draft': 'NAPARNIK_PROMPT_CHECK_DRAFT',
  'faq-from-answers': 'NAPARNIK_PROMPT_FAQ_FROM_ANSWERS',
  judge: 'NAPARNIK_PROMPT_JUDGE',
};

const milliseconds = (min: number, fallback: number) =>
  z.coerce.number().int().min(min).max(600_000).default(fallback);

/** `ANTHROPIC_API_KEY=` (an empty line in a .env file) means unset, not an invalid key. */
function unsetWhenEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional(),
  );
}

const priceTableString = jsonSetting(priceTableSchema, {
  expected: 'JSON like {"model": {"input": 1, "output": 5}} (USD per million tokens)',
  label: 'price table',
});

const modelEnvironmentSchema = z.object({
  NAPARNIK_MODEL_PROVIDER: z.enum(['auto', 'anthropic', 'openai-compatible', 'offline']).default('auto'),
  ANTHROPIC_API_KEY: unsetWhenEmpty(z.string().trim().min(1)),
  ANTHROPIC_BASE_URL: unsetWhenEmpty(z.url()),
  NAPARNIK_ANTHROPIC_MODEL: z.string().min(1).default(DEFAULT_ANTHROPIC_FAST_MODEL),
  NAPARNIK_ANTHROPIC_MODEL_STRONG: z.string().min(1).default(DEFAULT_ANTHROPIC_STRONG_MODEL),
  NAPARNIK_OPENAI_BASE_URL: unsetWhenEmpty(z.url()),
  NAPARNIK_OPENAI_API_KEY: unsetWhenEmpty(z.string().trim().min(1)),
  NAPARNIK_OPENAI_MODEL: unsetWhenEmpty(z.string().trim().min(1)),
  NAPARNIK_OPENAI_MODEL_STRONG: unsetWhenEmpty(z.string().trim().min(1)),
  NAPARNIK_MODEL_FIRST_TOKEN_TIMEOUT_MS: milliseconds(100, 4_000),
  NAPARNIK_MODEL_TOTAL_TIMEOUT_MS: milliseconds(100, 10_000),
  NAPARNIK_MODEL_LATENCY_BUDGET_MS: milliseconds(100, 12_000),
  NAPARNIK_MODEL_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  NAPARNIK_MODEL_RETRY_BASE_MS: milliseconds(1, 250),
  NAPARNIK_MODEL_RETRY_MAX_MS: milliseconds(1, 2_000),
  NAPARNIK_MODEL_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  NAPARNIK_MODEL_BREAKER_OPEN_MS: milliseconds(100, 30_000),
  NAPARNIK_MODEL_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(16).max(64_000).default(1_024),
  NAPARNIK_MODEL_PRICES: priceTableString.optional(),
  NAPARNIK_MODEL_CHECK_SUGGESTIONS: booleanString.default(true),
  NAPARNIK_MODEL_SUMMARY: booleanString.default(true),
  NAPARNIK_MODEL_NEXT_ACTIONS: booleanString.default(true),
  ...(Object.fromEntries(
    Object.entries(PROMPT_VARIABLES).map(([task, variable]) => [
      variable,
      promptRefSchema(task as PromptTask).default(DEFAULT_PROMPT_PINS[task as PromptTask]),
    ]),
  ) as Record<string, z.ZodDefault<ReturnType<typeof promptRefSchema>>>),
});

export type ModelProviderConfig =
  | { provider: 'offline' }
  | {
      provider: 'anthropic';
      apiKey: string;
      baseURL?: string | undefined;
      fastModel: string;
      strongModel: string;
    }
  | {
      provider: 'openai-compatible';
      baseURL: string;
      apiKey?: string | undefined;
      fastModel: string;
      strongModel: string;
    };

export type ModelConfig = ModelProviderConfig & {
  /** No text by then: the attempt fails (`timeout-first-token`). */
  firstTokenTimeoutMs: number;
  /** One attempt may take this long at most. */
  totalTimeoutMs: number;
  /** Every attempt and wait of one call together. */
  latencyBudgetMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  breakerFailures: number;
  breakerOpenMs: number;
  maxOutputTokens: number;
  /** USD per million tokens by model name (the default models' list prices, then the override). */
  prices: PriceTable;
  /** The model checks its own draft (check-draft prompt) before the draft is offered. */
  checkSuggestions: boolean;
  /** The model writes the conversation's summary (summary prompt); the offline one on any fault. */
  summary: boolean;
  /** The model suggests the next actions (next-actions prompt); the routing rules on any fault. */
  nextActions: boolean;
};

function configError(issues: string[]): ConfigError {
  return new ConfigError(`Invalid configuration: ${issues.join('; ')}`);
}

/** The models section: which provider drafts (none without a key) and how its faults degrade. */
function loadModelSection(environment: NodeJS.ProcessEnv): Pick<ServiceConfig, 'models' | 'prompts'> {
  const parsed = modelEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw configError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = parsed.data as z.infer<typeof modelEnvironmentSchema> & Record<string, string>;
  const anthropicReady = values.ANTHROPIC_API_KEY !== undefined;
  const openaiReady = values.NAPARNIK_OPENAI_BASE_URL !== undefined;
  let provider = values.NAPARNIK_MODEL_PROVIDER;
  if (provider === 'auto') {
    // Both configured is ambiguous, and guessing could send customer text abroad: ask.
    if (anthropicReady && openaiReady) {
      throw configError([
        'NAPARNIK_MODEL_PROVIDER: both ANTHROPIC_API_KEY and NAPARNIK_OPENAI_BASE_URL are set; choose anthropic or openai-compatible',
      ]);
    }
    provider = anthropicReady ? 'anthropic' : openaiReady ? 'openai-compatible' : 'offline';
  }
  let selected: ModelProviderConfig;
  if (provider === 'anthropic') {
    if (!values.ANTHROPIC_API_KEY)
      throw configError(['ANTHROPIC_API_KEY: required for NAPARNIK_MODEL_PROVIDER=anthropic']);
    selected = {
      provider,
      apiKey: values.ANTHROPIC_API_KEY,
      baseURL: values.ANTHROPIC_BASE_URL,
      fastModel: values.NAPARNIK_ANTHROPIC_MODEL,
      strongModel: values.NAPARNIK_ANTHROPIC_MODEL_STRONG,
    };
  } else if (provider === 'openai-compatible') {
    if (!values.NAPARNIK_OPENAI_BASE_URL || !values.NAPARNIK_OPENAI_MODEL) {
      throw configError([
        'NAPARNIK_OPENAI_BASE_URL, NAPARNIK_OPENAI_MODEL: both required for an OpenAI-compatible provider',
      ]);
    }
    selected = {
      provider,
      baseURL: values.NAPARNIK_OPENAI_BASE_URL,
      apiKey: values.NAPARNIK_OPENAI_API_KEY,
      fastModel: values.NAPARNIK_OPENAI_MODEL,
      strongModel: values.NAPARNIK_OPENAI_MODEL_STRONG ?? values.NAPARNIK_OPENAI_MODEL,
    };
  } else {
    selected = { provider: 'offline' };
  }
  if (values.NAPARNIK_MODEL_FIRST_TOKEN_TIMEOUT_MS > values.NAPARNIK_MODEL_TOTAL_TIMEOUT_MS) {
    throw configError(['NAPARNIK_MODEL_FIRST_TOKEN_TIMEOUT_MS: longer than NAPARNIK_MODEL_TOTAL_TIMEOUT_MS']);
  }
  const prompts = Object.fromEntries(
    Object.entries(PROMPT_VARIABLES).map(([task, variable]) => [task, values[variable]]),
  ) as Record<PromptTask, string>;
  return {
    models: {
      ...selected,
      firstTokenTimeoutMs: values.NAPARNIK_MODEL_FIRST_TOKEN_TIMEOUT_MS,
      totalTimeoutMs: values.NAPARNIK_MODEL_TOTAL_TIMEOUT_MS,
      latencyBudgetMs: values.NAPARNIK_MODEL_LATENCY_BUDGET_MS,
      maxRetries: values.NAPARNIK_MODEL_MAX_RETRIES,
      retryBaseMs: values.NAPARNIK_MODEL_RETRY_BASE_MS,
      retryMaxMs: values.NAPARNIK_MODEL_RETRY_MAX_MS,
      breakerFailures: values.NAPARNIK_MODEL_BREAKER_FAILURES,
      breakerOpenMs: values.NAPARNIK_MODEL_BREAKER_OPEN_MS,
      maxOutputTokens: values.NAPARNIK_MODEL_MAX_OUTPUT_TOKENS,
      prices: { ...DEFAULT_MODEL_PRICES, ...values.NAPARNIK_MODEL_PRICES },
      checkSuggestions: values.NAPARNIK_MODEL_CHECK_SUGGESTIONS,
      summary: values.NAPARNIK_MODEL_SUMMARY,
      nextActions: values.NAPARNIK_MODEL_NEXT_ACTIONS,
    },
    prompts,
  };
}

// ─── Trust (issue 13) ───────────────────────────────────────────────────────────────────────────
// README: "Security". docs/security.md explains each setting's threat.

export interface TrustConfig {
  /** Host names the service answers to (DNS rebinding): loopback names, HOST and NAPARNIK_ALLOWED_HOSTS. */
  allowedHosts: string[];
  /** Extension ids whose pages may call the service from a browser (CORS, Private Network Access). */
  extensionIds: string[];
  /** Requests per minute per token and per tenant; 0: no limit. */
  rateLimitPerToken: number;
  rateLimitPerTenant: number;
  /** Assist requests per UTC day per token and per tenant; 0: no quota. */
  assistQuotaPerTokenDay: number;
  assistQuotaPerTenantDay: number;
  /** Open connections at once; more are refused by the server. */
  maxConnections: number;
  /** Time for a client to send its headers, and its whole request (a slow body is cut). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** How long a console session lasts. */
  sessionTtlMs: number;
  /** `auto`: the session cookie is Secure when the request came over TLS. */
  cookieSecure: 'auto' | 'always';
}

const commaList = (item: z.ZodString) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const trustEnvironmentSchema = z.object({
  NAPARNIK_ALLOWED_HOSTS: commaList(
    z.string().regex(/^(\[[\da-f:.]+\]|[a-z0-9.-]+)$/iu, 'host names without port, e.g. naparnik.example.ru'),
  ).default([]),
  NAPARNIK_EXTENSION_IDS: commaList(
    z.string().regex(/^[\w.@{}-]{1,128}$/u, 'extension ids, e.g. abcdefghijklmnopabcdefghijklmnop'),
  ).default([]),
  NAPARNIK_RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(0).max(1_000_000).default(600),
  NAPARNIK_RATE_LIMIT_PER_TENANT: z.coerce.number().int().min(0).max(10_000_000).default(6_000),
  NAPARNIK_ASSIST_QUOTA_PER_TOKEN_DAY: z.coerce.number().int().min(0).max(100_000_000).default(0),
  NAPARNIK_ASSIST_QUOTA_PER_TENANT_DAY: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  NAPARNIK_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(1_024),
  NAPARNIK_HEADERS_TIMEOUT_MS: milliseconds(100, 10_000),
  NAPARNIK_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).optional(),
  NAPARNIK_SESSION_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(12),
  NAPARNIK_COOKIE_SECURE: z.enum(['auto', 'always']).default('auto'),
});

/** Loopback names always; the configured HOST too unless it is a wildcard address. */
function defaultHosts(host: string): string[] {
  const hosts = ['localhost', '127.0.0.1', '[::1]'];
  if (host !== '0.0.0.0' && host !== '::')
    hosts.push(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  return hosts;
}

function loadTrustSection(
  environment: NodeJS.ProcessEnv,
  host: string,
  assistTimeoutMs: number,
): TrustConfig {
  const parsed = trustEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw configError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = parsed.data;
  return {
    allowedHosts: [
      ...new Set([...defaultHosts(host), ...values.NAPARNIK_ALLOWED_HOSTS].map((name) => name.toLowerCase())),
    ],
    extensionIds: values.NAPARNIK_EXTENSION_IDS,
    rateLimitPerToken: values.NAPARNIK_RATE_LIMIT_PER_TOKEN,
    rateLimitPerTenant: values.NAPARNIK_RATE_LIMIT_PER_TENANT,
    assistQuotaPerTokenDay: values.NAPARNIK_ASSIST_QUOTA_PER_TOKEN_DAY,
    assistQuotaPerTenantDay: values.NAPARNIK_ASSIST_QUOTA_PER_TENANT_DAY,
    maxConnections: values.NAPARNIK_MAX_CONNECTIONS,
    headersTimeoutMs: values.NAPARNIK_HEADERS_TIMEOUT_MS,
    // A whole request, body included, must arrive within this: a slow body is cut with 408.
    requestTimeoutMs: values.NAPARNIK_REQUEST_TIMEOUT_MS ?? assistTimeoutMs + 5000,
    sessionTtlMs: Math.round(values.NAPARNIK_SESSION_HOURS * 3_600_000),
    cookieSecure: values.NAPARNIK_COOKIE_SECURE,
  };
}

import path from 'node:path';
import { z } from 'zod';
import { type LocalOnnxOptions, ONNX_DTYPES, type OnnxDtype } from './embeddings/local-onnx.ts';

/**
 * The ingest package's configuration, read from the environment once. Every entry is in the
 * table in ingest/README.md.
 */
const environmentSchema = z.object({
  NAPARNIK_DATA_DIR: z.string().min(1).optional(),
  NAPARNIK_TENANT: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/u, 'lower-case letters, digits, "_" or "-"')
    .default('default'),
  NAPARNIK_EMBEDDER: z.enum(['hashed', 'openai', 'onnx']).default('hashed'),
  NAPARNIK_EMBEDDING_DIMENSIONS: z.coerce.number().int().min(16).max(4096).optional(),
  NAPARNIK_EMBEDDINGS_URL: z.url().optional(),
  NAPARNIK_EMBEDDINGS_MODEL: z.string().min(1).optional(),
  NAPARNIK_EMBEDDINGS_API_KEY: z.string().min(1).optional(),
  NAPARNIK_ONNX_MODEL_DIR: z.string().min(1).optional(),
  NAPARNIK_ONNX_DTYPE: z.enum(Object.keys(ONNX_DTYPES) as [OnnxDtype, ...OnnxDtype[]]).default('fp32'),
  NAPARNIK_ONNX_POOLING: z.enum(['mean', 'cls']).default('mean'),
  NAPARNIK_ONNX_QUERY_PREFIX: z.string().max(100).default(''),
  NAPARNIK_ONNX_PASSAGE_PREFIX: z.string().max(100).default(''),
  NAPARNIK_ONNX_BATCH_SIZE: z.coerce.number().int().min(1).max(1024).default(16),
  NAPARNIK_ONNX_MAX_TOKENS: z.coerce.number().int().min(8).max(8192).default(512),
  NAPARNIK_MAX_FILE_MB: z.coerce.number().positive().max(2048).default(50),
  NAPARNIK_HISTORY_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/u, 'a PostgreSQL URL: postgres://user:password@host:5432/database')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Qdrant's REST endpoint: with it, vectors live in Qdrant (docs/decisions/0026-qdrant-vectors.md). */
  QDRANT_URL: z
    .url({ protocol: /^https?$/u, error: 'an http(s) URL such as http://localhost:6333' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  QDRANT_API_KEY: z
    .string()
    .optional()
    .transform((value) => value || undefined),
  NAPARNIK_QDRANT_FUSION: z.enum(['service', 'qdrant']).default('service'),
  NAPARNIK_QDRANT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Comma-separated domains replies may link to, besides those the knowledge base links to itself. */
  NAPARNIK_LINK_DOMAINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((domain) => domain.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^(?:https?:\/\/)?(?:[\p{L}\p{N}-]+\.)+[\p{L}\p{N}-]{2,}\/?$/u,
            'a domain such as aurelia.ru (comma-separated)',
          ),
      ),
    )
    .optional(),
});

export type EmbedderConfig =
  | { kind: 'hashed'; dimensions: number }
  | { kind: 'openai'; baseUrl: string; model: string; apiKey?: string; dimensions: number }
  | ({ kind: 'onnx' } & LocalOnnxOptions);

export interface IngestConfig {
  /** Absolute. */
  dataDir: string;
  /**
   * `DATABASE_URL`: the knowledge base lives in this PostgreSQL database instead of the embedded
   * store in `dataDir` (docs/decisions/0017-postgresql-knowledge-store.md).
   */
  databaseUrl?: string;
  /**
   * `QDRANT_URL` (+ `QDRANT_API_KEY`): vectors live in Qdrant, everything else in the relational
   * store; `fusion` says where lexical and dense results are fused (NAPARNIK_QDRANT_FUSION).
   */
  qdrant?: { url: string; apiKey?: string; fusion: 'service' | 'qdrant'; timeoutMs: number };
  tenant: string;
  embedder: EmbedderConfig;
  maxFileBytes: number;
  /**
   * Past questions older than this many days are deleted on ingest and when a knowledge base is
   * opened; 0 keeps them forever.
   */
  historyRetentionDays: number;
  /**
   * Domains replies may link to (NAPARNIK_LINK_DOMAINS), besides the ones the knowledge base's own
   * unflagged documents link to; a link elsewhere is flagged in drafts, suggestions and at ingest.
   */
  linkDomains?: string[];
  /** Where relative paths given by the user are resolved: the directory pnpm was run from. */
  workingDirectory: string;
}

export function loadIngestConfig(environment: NodeJS.ProcessEnv = process.env): IngestConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`invalid environment: ${problems}`);
  }
  const env = parsed.data;
  const workingDirectory = environment.INIT_CWD || process.cwd();
  let embedder: EmbedderConfig;
  if (env.NAPARNIK_EMBEDDER === 'openai') {
    if (
      !env.NAPARNIK_EMBEDDINGS_URL ||
      !env.NAPARNIK_EMBEDDINGS_MODEL ||
      !env.NAPARNIK_EMBEDDING_DIMENSIONS
    ) {
      throw new Error(
        'invalid environment: NAPARNIK_EMBEDDER=openai needs NAPARNIK_EMBEDDINGS_URL, NAPARNIK_EMBEDDINGS_MODEL and NAPARNIK_EMBEDDING_DIMENSIONS',
      );
    }
    embedder = {
      kind: 'openai',
      baseUrl: env.NAPARNIK_EMBEDDINGS_URL,
      model: env.NAPARNIK_EMBEDDINGS_MODEL,
      dimensions: env.NAPARNIK_EMBEDDING_DIMENSIONS,
      ...(env.NAPARNIK_EMBEDDINGS_API_KEY ? { apiKey: env.NAPARNIK_EMBEDDINGS_API_KEY } : {}),
    };
  } else if (env.NAPARNIK_EMBEDDER === 'onnx') {
    if (!env.NAPARNIK_ONNX_MODEL_DIR) {
      throw new Error(
        'invalid environment: NAPARNIK_EMBEDDER=onnx needs NAPARNIK_ONNX_MODEL_DIR (a model folder in the Hugging Face layout)',
      );
    }
    embedder = {
      kind: 'onnx',
      modelDir: path.resolve(workingDirectory, env.NAPARNIK_ONNX_MODEL_DIR),
      dtype: env.NAPARNIK_ONNX_DTYPE,
      pooling: env.NAPARNIK_ONNX_POOLING,
      queryPrefix: env.NAPARNIK_ONNX_QUERY_PREFIX,
      passagePrefix: env.NAPARNIK_ONNX_PASSAGE_PREFIX,
      batchSize: env.NAPARNIK_ONNX_BATCH_SIZE,
      maxTokens: env.NAPARNIK_ONNX_MAX_TOKENS,
    };
  } else {
    embedder = { kind: 'hashed', dimensions: env.NAPARNIK_EMBEDDING_DIMENSIONS ?? 256 };
  }
  return {
    dataDir: path.resolve(workingDirectory, env.NAPARNIK_DATA_DIR ?? '.naparnik-data'),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.QDRANT_URL
      ? {
          qdrant: {
            url: env.QDRANT_URL,
            ...(env.QDRANT_API_KEY ? { apiKey: env.QDRANT_API_KEY } : {}),
            fusion: env.NAPARNIK_QDRANT_FUSION,
            timeoutMs: env.NAPARNIK_QDRANT_TIMEOUT_MS,
          },
        }
      : {}),
    tenant: env.NAPARNIK_TENANT,
    embedder,
    maxFileBytes: Math.round(env.NAPARNIK_MAX_FILE_MB * 1024 * 1024),
    historyRetentionDays: env.NAPARNIK_HISTORY_RETENTION_DAYS,
    linkDomains: env.NAPARNIK_LINK_DOMAINS ?? [],
    workingDirectory,
  };
}

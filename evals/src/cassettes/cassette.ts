/**
 * A cassette: the model API's answers to every request one suite run sent, so CI can replay the
 * run with no key and no network. Format (`evals/cassettes/README.md` documents it for readers):
 *
 * ```json
 * { "format": "naparnik-model-cassette/v1", "suite": "demo-redteam", "engine": "claude",
 *   "provider": "anthropic", "model": "claude-haiku-5-5",
 *   "source": "live" | "synthetic", "note": "…", "recordedAt": "2026-12-06T12:00:00.000Z",
 *   "texts": { "<sha256>": "…a long text several requests share (the system prompt)…" },
 *   "interactions": [ { "key": "<sha256>", "endpoint": "anthropic-messages",
 *       "request": { …the JSON body sent, each shared text as {"$text": "<sha256>"}… },
 *       "response": { "status": 200, "contentType": "text/event-stream", "body": "event: …" } } ] }
 * ```
 *
 * The key hashes the endpoint and the request body with its keys sorted: the same prompt finds
 * the same answer whatever order the providers wrote the fields in. Headers are never stored
 * (they carry the API key). `source: synthetic` marks a cassette written by the deterministic
 * simulator (`@naparnik/assist-service`'s `createModelSimulator`), not by a model.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { EvalRunError } from '../errors.ts';
import { fromRepoRoot } from '../paths.ts';

export const CASSETTE_FORMAT = 'naparnik-model-cassette/v1';
export const MODEL_ENGINES = ['claude', 'openai-compatible'] as const;
export type ModelEngine = (typeof MODEL_ENGINES)[number];
export const ENDPOINTS = ['anthropic-messages', 'openai-chat-completions'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

const interactionSchema = z.strictObject({
  key: z.string().regex(/^[0-9a-f]{64}$/u, 'a sha256 in hex'),
  endpoint: z.enum(ENDPOINTS),
  request: z.unknown(),
  response: z.strictObject({
    status: z.number().int().min(100).max(599),
    contentType: z.string(),
    body: z.string(),
  }),
});
export type Interaction = z.infer<typeof interactionSchema>;

export const cassetteSchema = z.strictObject({
  format: z.literal(CASSETTE_FORMAT),
  suite: z.string().min(1),
  engine: z.enum(MODEL_ENGINES),
  provider: z.enum(['anthropic', 'openai-compatible']),
  model: z.string().min(1),
  source: z.enum(['live', 'synthetic']),
  note: z.string(),
  recordedAt: z.iso.datetime(),
  /** Long strings the requests share (the system prompt), stored once. */
  texts: z.record(z.string(), z.string()).default({}),
  interactions: z.array(interactionSchema),
});
export type Cassette = z.infer<typeof cassetteSchema>;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function interactionKey(endpoint: Endpoint, body: unknown): string {
  return createHash('sha256')
    .update(`${endpoint}\n${JSON.stringify(canonical(body))}`)
    .digest('hex');
}

/** Strings at least this long are stored once in `texts` and referenced from the requests. */
const SHARED_TEXT_LENGTH = 1000;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The request with every long string moved to `texts` (what is written). */
export function shareTexts(value: unknown, texts: Record<string, string>): unknown {
  if (typeof value === 'string' && value.length >= SHARED_TEXT_LENGTH) {
    const key = sha256(value);
    texts[key] = value;
    return { $text: key };
  }
  if (Array.isArray(value)) return value.map((item) => shareTexts(item, texts));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shareTexts(item, texts)]));
  }
  return value;
}

/** The request as it was sent, from what is written. */
export function restoreTexts(value: unknown, texts: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(value)) return value.map((item) => restoreTexts(item, texts));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === '$text' && typeof entries[0]![1] === 'string') {
      const text = texts[entries[0]![1]];
      if (text === undefined) throw new Error(`no shared text ${entries[0]![1]}`);
      return text;
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, restoreTexts(item, texts)]));
  }
  return value;
}

/**
 * Checked-in cassettes are gzipped JSON (`.json.gz`): a red-team suite's runs repeat the same
 * envelopes and sources in every answer, 2 MB of JSON that gzip keeps in about a tenth. A cassette
 * named `.json` (`--cassette`) is read and written as plain JSON.
 */
export function cassettePath(suite: string, engine: ModelEngine): string {
  return fromRepoRoot(`evals/cassettes/${suite}.${engine}.json.gz`);
}

const gzipped = (file: string) => file.endsWith('.gz');

export function readCassette(file: string): Cassette {
  if (!existsSync(file)) {
    throw new EvalRunError(
      'data-missing',
      `no cassette at ${file}: record one with --record (needs the provider's key), or run live`,
    );
  }
  let json: unknown;
  try {
    const bytes = readFileSync(file);
    json = JSON.parse((gzipped(file) ? gunzipSync(bytes) : bytes).toString('utf8'));
  } catch (error) {
    throw new EvalRunError(
      'data-invalid',
      `${file}: not ${gzipped(file) ? 'gzipped ' : ''}JSON (${(error as Error).message})`,
    );
  }
  const parsed = cassetteSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvalRunError(
      'data-invalid',
      `${file}: ${issue ? `${issue.path.join('.') || '(cassette)'}: ${issue.message}` : 'invalid'}`,
    );
  }
  try {
    return {
      ...parsed.data,
      interactions: parsed.data.interactions.map((interaction) => ({
        ...interaction,
        request: restoreTexts(interaction.request, parsed.data.texts),
      })),
    };
  } catch (error) {
    throw new EvalRunError('data-invalid', `${file}: ${(error as Error).message}`);
  }
}

/** Written whole to a temporary file and renamed: a failed run never leaves half a cassette. */
export function writeCassette(file: string, cassette: Cassette): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const texts: Record<string, string> = { ...cassette.texts };
  const written = cassetteSchema.parse({
    ...cassette,
    interactions: cassette.interactions.map((interaction) => ({
      ...interaction,
      request: shareTexts(interaction.request, texts),
    })),
  });
  written.texts = texts;
  const temporary = `${file}.${process.pid}.tmp`;
  const json = `${JSON.stringify(written, null, 1)}\n`;
  writeFileSync(temporary, gzipped(file) ? gzipSync(json, { level: 9 }) : json);
  renameSync(temporary, file);
}

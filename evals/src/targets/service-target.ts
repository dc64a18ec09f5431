import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { assistResponseSchema, checkDraftResponseSchema } from '@naparnik/assist-service/contract';
import { type SpawnedService, spawnAssistService } from '@naparnik/assist-service/testing';
import { loadIngestConfig, openKnowledgeBase } from '@naparnik/ingest';
import { EvalRunError } from '../errors.ts';
import { REPO_ROOT } from '../paths.ts';
import type { KnowledgeSpec } from '../suite/schema.ts';
import type { EvalConversation, EvalHistoryEntry, EvalTarget } from './eval-target.ts';

const run = promisify(execFile);
const INGEST_CLI = path.join(REPO_ROOT, 'ingest', 'src', 'cli.ts');
const NAPARNIK_CLI = path.join(REPO_ROOT, 'assist-service', 'src', 'cli.ts');
/** `pnpm naparnik calibrate`'s exit code when it refused a fit (the shipped model stays). */
const FIT_REFUSED = 3;
const REQUEST_TIMEOUT_MS = 60_000;

interface RunningService {
  service: SpawnedService;
  dataDir: string;
}

/**
 * The service as a team runs it, for `pnpm evals run … --service`: the suite's knowledge ingested
 * by `pnpm ingest`, each fold's history imported by `pnpm ingest --history`, and every question sent to a listening `assist-service`
 * process over HTTP. Nothing of the service is called in-process, so a figure measured here is
 * the figure of what users run; the in-process target (`pipeline-target.ts`) must agree with it.
 * The service runs as the browser tests run it (`spawnAssistService`), with the default tenant's
 * admin token the extension is configured with.
 *
 * A fold's history replaces the last one by starting the service again on a fresh copy of the
 * ingested knowledge (the history import adds and updates, it never removes). `calibrate` runs
 * `pnpm naparnik calibrate` on the running service's data directory, as a team would after an
 * import: the service scores with the fitted model from its next request.
 */
export async function createServiceTarget(options: {
  knowledge: KnowledgeSpec;
  resolve: (relative: string) => string;
  log?: (message: string) => void;
}): Promise<EvalTarget> {
  const base = mkdtempSync(path.join(tmpdir(), 'naparnik-evals-service-'));
  const template = path.join(base, 'knowledge');
  mkdirSync(template);
  const paths = options.knowledge.paths.map(options.resolve);
  await command(INGEST_CLI, ['ingest', ...paths, '--collection', options.knowledge.collection], template);
  let service: RunningService | undefined;
  let runs = 0;

  async function start(collection: string, history: readonly EvalHistoryEntry[]): Promise<RunningService> {
    await stop();
    runs++;
    const dataDir = path.join(base, `run-${runs}`);
    cpSync(template, dataDir, { recursive: true });
    if (history.length > 0) {
      const file = path.join(base, `history-${runs}.jsonl`);
      writeFileSync(
        file,
        `${history
          .map((entry) =>
            JSON.stringify({
              id: entry.id,
              question: entry.question,
              answer: entry.answer ?? '',
              topic: entry.topic ?? '',
              documents: entry.documentIds,
            }),
          )
          .join('\n')}\n`,
      );
      await command(INGEST_CLI, ['ingest', file, '--collection', collection, '--history'], dataDir);
    }
    const running = { service: await spawnAssistService(serviceEnvironment(dataDir)), dataDir };
    service = running;
    options.log?.(`service: listening on ${running.service.url} (history ${history.length})`);
    return running;
  }

  async function stop(): Promise<void> {
    const running = service;
    service = undefined;
    if (!running) return;
    await running.service.stop();
    rmSync(running.dataDir, { recursive: true, force: true });
  }

  async function post(pathname: string, body: unknown, collection: string): Promise<unknown> {
    const running = service ?? (await start(collection, []));
    const response = await running.service.request(pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new EvalRunError(
        'target-unavailable',
        `the service answered ${pathname} with ${response.status}: ${text.slice(0, 300)}`,
      );
    }
    return JSON.parse(text) as unknown;
  }

  async function assist(conversation: EvalConversation, collection: string) {
    const body = await post(
      '/v1/assist',
      {
        collection,
        conversation: {
          id: conversation.id,
          channel: conversation.channel ?? 'chat',
          ...(conversation.language ? { language: conversation.language } : {}),
          messages: conversation.messages.map((message) => ({ role: message.role, text: message.text })),
          ...(conversation.customer ? { customer: conversation.customer } : {}),
        },
        operator: { id: 'evals' },
      },
      collection,
    );
    const parsed = assistResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new EvalRunError(
        'target-unavailable',
        `the service's /v1/assist response does not match its contract`,
      );
    }
    return parsed.data;
  }

  async function readKnowledge<T>(read: (kb: Awaited<ReturnType<typeof openKnowledgeBase>>) => Promise<T>) {
    const kb = await openKnowledgeBase({
      dataDir: template,
      config: { ...loadIngestConfig(), dataDir: template },
    });
    try {
      return await read(kb);
    } finally {
      await kb.close();
    }
  }

  return {
    engine: 'offline (service over HTTP)',
    assist: (conversation, { collection }) => assist(conversation, collection),
    async replaceHistory(collection, entries) {
      // No history: the next question starts the service on the knowledge alone.
      if (entries.length === 0) await stop();
      else await start(collection, entries);
    },
    async calibrate(collection) {
      if (!service) return 'no history';
      try {
        await run(process.execPath, [NAPARNIK_CLI, 'calibrate', '--collection', collection, '--json'], {
          cwd: REPO_ROOT,
          env: { ...process.env, ...serviceEnvironment(service.dataDir) },
          maxBuffer: 16 * 1024 * 1024,
        });
        return 'fitted';
      } catch (error) {
        const failed = error as { code?: number; stderr?: string; message: string };
        if (failed.code === FIT_REFUSED && failed.stderr) return failed.stderr.trim();
        throw new EvalRunError(
          'target-unavailable',
          `naparnik calibrate failed: ${(failed.stderr || failed.message).trim().slice(0, 500)}`,
        );
      }
    },
    documentIds: (collection) =>
      readKnowledge(async (kb) =>
        (await kb.store.listDocuments(collection)).map((document) => document.documentId),
      ),
    chunkTexts: (collection) =>
      readKnowledge(
        async (kb) =>
          new Map((await kb.store.listChunks(collection)).map((chunk) => [chunk.chunkId, chunk.text])),
      ),
    async checkDraft(text, { collection, channel, language }) {
      const body = checkDraftResponseSchema.parse(
        await post('/v1/check-draft', { collection, draft: text, channel, language }, collection),
      );
      return body.findings.map((finding) => ({ type: finding.type, message: finding.message }));
    },
    async suggest(conversation, { collection }) {
      return (await assist(conversation, collection)).suggestions.map((suggestion) => suggestion.text);
    },
    async summarize(conversation, { collection }) {
      const { issue, tried, promised, openQuestions } = (
        await assist(conversation, collection ?? options.knowledge.collection)
      ).summary;
      return [issue, ...tried, ...promised, ...openQuestions].filter(Boolean).join(' ');
    },
    async close() {
      await stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** The service's and the CLIs' environment: this data directory, no demo, no request limits. */
function serviceEnvironment(dataDir: string): Record<string, string> {
  return {
    NAPARNIK_DATA_DIR: dataDir,
    DEMO_AUTO_INGEST: 'false',
    NAPARNIK_RATE_LIMIT_PER_TOKEN: '0',
    NAPARNIK_RATE_LIMIT_PER_TENANT: '0',
  };
}

async function command(script: string, args: readonly string[], dataDir: string): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [script, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...serviceEnvironment(dataDir) },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failed = error as { stderr?: string; message: string };
    throw new EvalRunError(
      'target-unavailable',
      `${path.relative(REPO_ROOT, script)} ${args.slice(0, 2).join(' ')} failed: ${(failed.stderr || failed.message).trim().slice(0, 500)}`,
    );
  }
}

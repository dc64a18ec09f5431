#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadIngestConfig } from './config.ts';
import { IngestError, StoreError } from './errors.ts';
import { parseColumnMap } from './history/history-columns.ts';
import { type HistoryImportSummary, importHistory } from './history/import-history.ts';
import type { IngestProgress, IngestSummary } from './ingest-pipeline.ts';
import { openKnowledgeBase } from './knowledge-base.ts';
import { KNOWLEDGE_KINDS, knowledgeKindSchema, type SearchHit } from './model.ts';
import { maskForStorage } from './privacy/index.ts';

const USAGE = `Usage:
  pnpm ingest <path…> --collection <name> [--data-dir <dir>] [--prune] [--rebuild] [--json]
  pnpm ingest <export…> --collection <name> --history [--map question=Вопрос,answer=Ответ,…] [--json]
  pnpm search "<query>" --collection <name> [--data-dir <dir>] [--top N] [--kind ${KNOWLEDGE_KINDS.join('|')}] [--tag T] [--lang ru|en] [--json]
  naparnik-ingest collections [--data-dir <dir>] [--json]
Every command also takes --embedder hashed|openai|onnx and --onnx-model <dir> (a local model folder),
which override NAPARNIK_EMBEDDER and NAPARNIK_ONNX_MODEL_DIR; see ingest/README.md.`;

/** Exit codes: 0 all fine, 1 some files failed, 2 bad usage or configuration. */
class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'ingest':
      return runIngest(rest);
    case 'search':
      return runSearch(rest);
    case 'collections':
      return runCollections(rest);
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

function parse(args: string[], options: OptionSpec) {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: {
        ...options,
        'data-dir': { type: 'string' },
        embedder: { type: 'string' },
        'onnx-model': { type: 'string' },
      },
      allowPositionals: true,
    });
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Flags override the environment, then everything goes through the one config parser. */
function configOf(values: Record<string, string | boolean | string[] | undefined>) {
  const flag = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const overrides = {
    NAPARNIK_DATA_DIR: flag('data-dir'),
    NAPARNIK_EMBEDDER: flag('embedder'),
    NAPARNIK_ONNX_MODEL_DIR: flag('onnx-model'),
  };
  const environment = { ...process.env };
  for (const [name, value] of Object.entries(overrides)) if (value !== undefined) environment[name] = value;
  if (overrides.NAPARNIK_ONNX_MODEL_DIR !== undefined && overrides.NAPARNIK_EMBEDDER === undefined) {
    environment.NAPARNIK_EMBEDDER = 'onnx';
  }
  return loadIngestConfig(environment);
}

async function open(values: Record<string, string | boolean | string[] | undefined>) {
  return openKnowledgeBase({ config: configOf(values) });
}

async function runIngest(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    collection: { type: 'string' },
    prune: { type: 'boolean' },
    rebuild: { type: 'boolean' },
    history: { type: 'boolean' },
    map: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError('give at least one file or folder to ingest');
  const collection = requireCollection(values.collection);
  const json = values.json === true;
  if (values.history === true) return runHistoryImport(positionals, collection, values);
  if (values.map !== undefined)
    throw new UsageError('--map names the columns of a history export: use it with --history');
  const kb = await open(values);
  try {
    const progress = json ? undefined : createProgressPrinter();
    const summary = await kb.ingest(positionals, {
      collection,
      prune: values.prune === true,
      rebuild: values.rebuild === true,
      ...(progress ? { onProgress: progress } : {}),
    });
    if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else printSummary(summary, collection);
    return summary.failed.length > 0 ? 1 : 0;
  } finally {
    await kb.close();
  }
}

async function runHistoryImport(
  paths: string[],
  collection: string,
  values: Record<string, string | boolean | string[] | undefined>,
): Promise<number> {
  if (values.prune || values.rebuild)
    throw new UsageError('--prune and --rebuild are for knowledge, not --history');
  const columns = typeof values.map === 'string' ? parseColumnMap(values.map) : {};
  const config = configOf(values);
  const kb = await openKnowledgeBase({ config });
  try {
    await kb.store.ensureCollection(collection, kb.embedder);
    const summary = await importHistory({
      store: kb.store,
      collection,
      paths,
      workingDirectory: config.workingDirectory,
      columns,
      // The service's masking, card rule included: the history is stored text like any other.
      mask: maskForStorage,
      retentionDays: config.historyRetentionDays,
      maxFileBytes: config.maxFileBytes,
    });
    if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else printHistorySummary(summary);
    return 0;
  } finally {
    await kb.close();
  }
}

async function runSearch(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    collection: { type: 'string' },
    top: { type: 'string' },
    kind: { type: 'string', multiple: true },
    tag: { type: 'string', multiple: true },
    lang: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  const query = positionals.join(' ').trim();
  if (!query) throw new UsageError('give a query to search for');
  const collection = requireCollection(values.collection);
  const top = z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .safeParse(values.top ?? 5);
  if (!top.success) throw new UsageError(`--top must be a whole number from 1 to 200, got "${values.top}"`);
  const kinds = ((values.kind as string[] | undefined) ?? []).map((kind) => {
    const parsed = knowledgeKindSchema.safeParse(kind);
    if (!parsed.success)
      throw new UsageError(`--kind must be one of ${KNOWLEDGE_KINDS.join(', ')}, got "${kind}"`);
    return parsed.data;
  });
  const kb = await open(values);
  try {
    const hits = await kb.search(collection, query, {
      topK: top.data,
      filter: {
        ...(kinds.length ? { kinds } : {}),
        ...(values.tag ? { tags: values.tag as string[] } : {}),
        ...(values.lang ? { languages: values.lang as string[] } : {}),
      },
    });
    if (values.json) {
      const output = hits.map(({ documentId, chunkId, score, kind, title, text, source }) => ({
        documentId,
        chunkId,
        score,
        kind,
        title,
        text,
        source,
      }));
      process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    } else {
      printHits(hits);
    }
    return 0;
  } finally {
    await kb.close();
  }
}

async function runCollections(args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const kb = await open(values);
  try {
    const stats = await Promise.all(
      (await kb.store.listCollections()).map((collection) => kb.store.stats(collection.name)),
    );
    if (values.json) process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
    else if (stats.length === 0)
      process.stdout.write('No collections yet. Ingest something with `pnpm ingest`.\n');
    else
      for (const entry of stats) {
        const kinds = Object.entries(entry.byKind)
          .map(([kind, count]) => `${kind} ${count}`)
          .join(', ');
        process.stdout.write(
          `${entry.collection}: ${entry.documents} documents, ${entry.chunks} chunks (${kinds}); ${entry.embedderId}; updated ${entry.updatedAt}\n`,
        );
      }
    return 0;
  } finally {
    await kb.close();
  }
}

function requireCollection(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError('--collection <name> is required');
  return value.trim();
}

/** A progress bar on a terminal; plain lines otherwise (CI logs, pipes). */
function createProgressPrinter(): (event: IngestProgress) => void {
  const tty = process.stderr.isTTY === true;
  let total = 0;
  const bar = (done: number) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
  };
  return (event) => {
    switch (event.type) {
      case 'start':
        total = event.files;
        if (!tty) process.stderr.write(`ingesting ${event.files} file(s)\n`);
        break;
      case 'file': {
        const counts = `${event.documents} documents (${event.added} added, ${event.updated} updated, ${event.unchanged} unchanged${event.removed ? `, ${event.removed} removed` : ''})`;
        if (tty) process.stderr.write(`\r\x1b[K${bar(event.index + 1)} ${event.file}`);
        else process.stderr.write(`[${event.index + 1}/${event.total}] ${event.file}: ${counts}\n`);
        break;
      }
      case 'failed':
        if (tty) process.stderr.write('\r\x1b[K');
        process.stderr.write(`error: ${event.file}: ${event.reason}\n`);
        if (tty) process.stderr.write(bar(event.index + 1));
        break;
      case 'pruned':
        if (tty) process.stderr.write('\r\x1b[K');
        process.stderr.write(`pruned ${event.removed} document(s) whose source file is gone\n`);
        break;
    }
  };
}

function printSummary(summary: IngestSummary, collection: string) {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  process.stdout.write(
    `${collection}: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
      `${summary.removed} removed, ${summary.failed.length} failed; ${summary.chunks} chunks written in ${summary.seconds} s\n`,
  );
  for (const failure of summary.failed)
    process.stdout.write(`  failed: ${failure.file}: ${failure.reason}\n`);
  // Things worth a look that did not stop the ingest: repeated FAQ questions, a row in another
  // language than its sheet, a template stating an action as done.
  for (const warning of summary.warnings.slice(0, WARNINGS_SHOWN))
    process.stdout.write(`  warning: ${warning.file}: ${warning.message}\n`);
  if (summary.warnings.length > WARNINGS_SHOWN)
    process.stdout.write(
      `  … and ${summary.warnings.length - WARNINGS_SHOWN} more warnings (--json lists every one)\n`,
    );
  // Injection or poisoning (ingest/src/safety): never offered as a plain suggestion; a person
  // should read each one and remove or fix it.
  for (const flagged of summary.flagged)
    process.stdout.write(
      `  flagged: ${flagged.file}: ${flagged.documentId}: ${flagged.flags.join(', ')} (${flagged.rules.join(', ')}): «${flagged.excerpt}»\n`,
    );
}

const WARNINGS_SHOWN = 20;

function printHistorySummary(summary: HistoryImportSummary) {
  const lines = [
    `${summary.collection} history: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged`,
  ];
  for (const file of summary.files) {
    const columns = Object.entries(file.columns)
      .map(([field, column]) => `${field}=${column}`)
      .join(', ');
    lines.push(`  ${file.file}: ${file.records} rows; columns ${columns}`);
  }
  const notes: Array<[number, string]> = [
    [summary.masked, 'had personal data masked'],
    [summary.skippedEmpty, 'skipped: no question'],
    [summary.skippedExpired, 'skipped: older than NAPARNIK_HISTORY_RETENTION_DAYS'],
    [summary.repeated, 'repeated an earlier row’s id (the later row was kept)'],
    [summary.withoutDocuments, 'name no knowledge document: kept, but they cannot lift search results'],
    [summary.expiredRemoved, 'stored earlier and now past the retention: removed'],
  ];
  for (const [count, note] of notes) if (count > 0) lines.push(`  ${count} ${note}`);
  if (summary.unknownDocuments.entries > 0) {
    lines.push(
      `  warning: ${summary.unknownDocuments.entries} name documents the collection does not hold (e.g. ${summary.unknownDocuments.examples.join(', ')}); ingest the knowledge base into "${summary.collection}" first`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function printHits(hits: SearchHit[]) {
  if (hits.length === 0) {
    process.stdout.write('No matches.\n');
    return;
  }
  hits.forEach((hit, index) => {
    const text = hit.text.replace(/\s+/gu, ' ');
    process.stdout.write(
      `${index + 1}. [${hit.kind}] ${hit.title}  (${hit.documentId}, score ${hit.score.toFixed(4)})\n` +
        `   ${text.length > 220 ? `${text.slice(0, 220)}…` : text}\n   ${hit.source}\n` +
        (hit.history
          ? `   asked before like this: «${hit.history.question.replace(/\s+/gu, ' ').slice(0, 160)}»\n`
          : '') +
        (hit.twins
          ? `   the same answer in: ${hit.twins.map((twin) => `${twin.title} (${twin.documentId})`).join('; ')}\n`
          : ''),
    );
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (error instanceof StoreError || error instanceof IngestError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`error: ${(error as Error).message ?? String(error)}\n`);
      process.exitCode = 2;
    }
  },
);

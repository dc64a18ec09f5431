#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openPostgresStore, openSqliteStore } from '@naparnik/ingest';
import { loadConfig, type ServiceConfig } from '../config.ts';
import { openServiceStores } from '../storage/service-stores.ts';
import { eraseSubject, exportSubject } from './data-subject-requests.ts';
import { enforceRetention, retentionCounts } from './retention.ts';
import type { DataSubject } from './sqlite-privacy-store.ts';
import { loadPrivacyKey, subjectKey } from './subject-keys.ts';

const USAGE = `Usage:
  pnpm privacy erase  --conversation <id> | --customer <identifier> [--tenant <tenant>] [--json]
  pnpm privacy export --conversation <id> | --customer <identifier> [--tenant <tenant>]
  pnpm privacy retention [--json]
  pnpm privacy redact-stored [--json]
A customer is found by any identifier the helpdesk card gave (customer id, phone, e-mail…).
--tenant: whose rows (default: the service's own tenant, NAPARNIK_TENANT). The data folder and
retention come from the service's environment (assist-service/README.md).`;

/** Exit codes: 0 done, 1 the stores failed, 2 bad usage or configuration. */
class UsageError extends Error {}

interface Output {
  write(text: string): void;
}

function subjectFrom(values: { conversation?: string; customer?: string }, hashKey: string): DataSubject {
  const conversation = values.conversation?.trim();
  const customer = values.customer?.trim();
  if (Boolean(conversation) === Boolean(customer)) {
    throw new UsageError('name exactly one of --conversation <id> or --customer <identifier>');
  }
  return conversation ? { conversationId: conversation } : { customerKey: subjectKey(hashKey, customer!) };
}

/**
 * The privacy commands on the service's own stores, usable while the service runs (WAL): erasure
 * and export on a data subject's request, a retention run, and masking rows stored before masking.
 */
export async function runPrivacyCli(
  argv: string[],
  options: { config?: ServiceConfig; stdout?: Output; now?: () => Date } = {},
): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (!['erase', 'export', 'retention', 'redact-stored'].includes(command)) {
    throw new UsageError(`unknown command "${command}"`);
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      conversation: { type: 'string' },
      customer: { type: 'string' },
      tenant: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const config = options.config ?? loadConfig();
  const now = options.now ?? (() => new Date());
  const hashKey = loadPrivacyKey(config.dataDir, config.privacy.hashKey);
  const tenant = values.tenant?.trim() || config.tenant;
  if (values.tenant !== undefined && command !== 'erase' && command !== 'export')
    throw new UsageError('--tenant is for erase and export; retention covers every tenant');
  // Where the service keeps them: the data folder's files, or PostgreSQL when DATABASE_URL is set.
  const stores = await openServiceStores(config, { eager: false });
  const privacy = stores.privacy(tenant);
  const databaseUrl = config.knowledge.databaseUrl;
  const knowledge = databaseUrl
    ? await openPostgresStore({ connectionString: databaseUrl, tenant })
    : await openSqliteStore({ dataDir: config.dataDir, tenant });
  const print = (human: string, json: unknown) =>
    stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);
  try {
    if (command === 'erase') {
      const erased = await eraseSubject(privacy, knowledge, subjectFrom(values, hashKey));
      print(
        `Удалено: наборов подсказок ${erased.suggestionSets}, событий обратной связи ${erased.feedbackEvents}, ` +
          `пробелов базы знаний ${erased.knowledgeGaps}, записей истории ${erased.historyEntries}.`,
        { erased },
      );
    } else if (command === 'export') {
      const held = await exportSubject(privacy, knowledge, subjectFrom(values, hashKey));
      stdout.write(`${JSON.stringify({ exportedAt: now().toISOString(), ...held }, null, 2)}\n`);
    } else if (command === 'retention') {
      const run = await enforceRetention({
        privacy,
        knowledge,
        config: config.privacy,
        tenant: config.tenant,
        historyRetentionDays: config.knowledge.historyRetentionDays,
        now: now(),
      });
      const counts = retentionCounts(run);
      print(
        `Удалено по сроку хранения: ${Object.entries(counts)
          .map(([table, count]) => `${table} ${count}`)
          .join(', ')}.`,
        run,
      );
    } else {
      const masked = await privacy.redactStored();
      print(
        `Замаскировано ранее сохранённых строк: ${Object.entries(masked)
          .map(([table, count]) => `${table} ${count}`)
          .join(', ')}.`,
        { masked },
      );
    }
    return 0;
  } finally {
    await stores.close();
    await knowledge.close();
  }
}

/** Runs the privacy commands as a process does: exit code, and the error on stderr. */
export function mainPrivacy(argv: string[]): void {
  runPrivacyCli(argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const usage =
        error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      const config = (error as { code?: string }).code === 'invalid-config';
      process.stderr.write(`privacy: ${error instanceof Error ? error.message : String(error)}\n`);
      if (usage) process.stderr.write(`${USAGE}\n`);
      process.exit(usage || config ? 2 : 1);
    },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  mainPrivacy(process.argv.slice(2));

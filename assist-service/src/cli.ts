import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { TokenStoreError } from './auth/token-store.ts';
import { loadConfig } from './config.ts';
import { roleSchema, tenantSchema, tokenNameSchema } from './contract/index.ts';
import { CALIBRATE_USAGE, CalibrateUsageError, runCalibrateCommand } from './pipeline/calibrate-command.ts';
import { CalibrationFitError } from './pipeline/fit-calibration.ts';
import { openServiceStores } from './storage/service-stores.ts';

const USAGE = `Usage:
  pnpm naparnik tokens create --role <operator|knowledge_manager|team_lead|admin> --tenant <tenant> --name <name> [--json]
  pnpm naparnik tokens list [--json]
  pnpm naparnik tokens revoke <id or name>
  pnpm naparnik privacy erase|export --conversation <id> | --customer <identifier>
  pnpm naparnik privacy retention | redact-stored
${CALIBRATE_USAGE}
The tokens live (hashed) in auth.sqlite in NAPARNIK_DATA_DIR, or in PostgreSQL when DATABASE_URL is set;
the running service sees changes at once.
Privacy commands: docs/personal-data.md.`;

export class UsageError extends Error {}

const createOptionsSchema = z.object({
  role: roleSchema,
  tenant: tenantSchema,
  name: tokenNameSchema,
});

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; ');
}

/** Runs one command; what it prints goes through `write`. Returns the exit code. */
export async function runCli(
  argv: string[],
  options: { environment?: NodeJS.ProcessEnv; write?: (text: string) => void; now?: () => Date } = {},
): Promise<number> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const now = (options.now ?? (() => new Date()))().toISOString();
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      tenant: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      collection: { type: 'string' },
      reset: { type: 'boolean', default: false },
    },
  });
  const [group, command, target] = positionals;
  if (group === 'calibrate' && !values.help) {
    if (command) throw new UsageError(`Unknown command "${positionals.join(' ')}".\n${USAGE}`);
    const config = loadConfig(options.environment ?? process.env);
    return runCalibrateCommand(
      { collection: values.collection, tenant: values.tenant, json: values.json, reset: values.reset },
      { config, write, now: options.now ?? (() => new Date()) },
    );
  }
  if (values.help || group !== 'tokens' || !command) {
    if (values.help) {
      write(`${USAGE}\n`);
      return 0;
    }
    throw new UsageError(`Unknown command "${positionals.join(' ')}".\n${USAGE}`);
  }
  const config = loadConfig(options.environment ?? process.env);
  // auth.sqlite in the data folder, or PostgreSQL when DATABASE_URL is set: where the service looks.
  const stores = await openServiceStores(config, { eager: false });
  const tokens = stores.tokens;
  try {
    if (command === 'create') {
      const parsed = createOptionsSchema.safeParse(values);
      if (!parsed.success) throw new UsageError(`${describeIssues(parsed.error)}\n${USAGE}`);
      const { token, record } = await tokens.create({ ...parsed.data, now });
      write(
        values.json
          ? `${JSON.stringify({ token })}\n`
          : `${token}\n` +
              `  ${record.role} of tenant ${record.tenant}, named ${record.name} (id ${record.id}).\n` +
              '  Shown once: only its SHA-256 is kept. Paste it into the extension (options → Token).\n',
      );
      return 0;
    }
    if (command === 'list') {
      const records = await tokens.list();
      if (values.json) {
        write(`${JSON.stringify({ tokens: records })}\n`);
        return 0;
      }
      if (records.length === 0) write('No tokens.\n');
      for (const record of records) {
        write(
          `${record.id}  ${record.tenant}  ${record.role}  ${record.name}  created ${record.createdAt}` +
            `${record.revokedAt ? `  revoked ${record.revokedAt}` : ''}\n`,
        );
      }
      return 0;
    }
    if (command === 'revoke') {
      if (!target) throw new UsageError(`Name the token to revoke by id or name.\n${USAGE}`);
      const revoked = await tokens.revoke(target, { now });
      write(`Revoked ${revoked.name} (${revoked.role} of tenant ${revoked.tenant}, id ${revoked.id}).\n`);
      return 0;
    }
    throw new UsageError(`Unknown command "tokens ${command}".\n${USAGE}`);
  } finally {
    await stores.close();
  }
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  process.argv[2] === 'privacy'
) {
  const { mainPrivacy } = await import('./privacy/cli.ts');
  mainPrivacy(process.argv.slice(3));
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = await runCli(process.argv.slice(2));
  } catch (error) {
    const usage =
      error instanceof UsageError || error instanceof CalibrateUsageError || error instanceof TypeError;
    const known = usage || error instanceof TokenStoreError || error instanceof CalibrationFitError;
    process.stderr.write(`${known ? (error as Error).message : String(error)}\n`);
    // 3: the fit was refused (too little history, a degenerate model) and the shipped model stays.
    const refused = error instanceof CalibrationFitError && error.code !== 'collection-not-found';
    process.exitCode = usage ? 2 : refused ? 3 : 1;
  }
}

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type TokenStore, TokenStoreError } from './token-store.ts';

/** Where the first-start admin token is kept in the data directory, readable by its owner only. */
export const ADMIN_TOKEN_FILE = 'admin-token';

export interface FirstStartToken {
  token: string;
  file: string;
  /** True when made by this start; false when read back from the file of an earlier one. */
  created: boolean;
}

/**
 * As notebook servers do: with no token anywhere (none stored, ASSIST_ADMIN_TOKEN unset) the first
 * start makes an admin token for the default tenant, stores its hash and keeps the token itself in
 * a 0600 file, so that a restart prints the same token and a configured extension keeps working.
 * Once it is revoked and other tokens exist, nothing is made or printed.
 */
export async function ensureFirstStartToken(options: {
  tokens: TokenStore;
  dataDir: string;
  tenant: string;
  adminTokenConfigured: boolean;
  now: string;
}): Promise<FirstStartToken | undefined> {
  if (options.adminTokenConfigured) return undefined;
  const file = path.join(options.dataDir, ADMIN_TOKEN_FILE);
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (await options.tokens.verify(kept)) return { token: kept, file, created: false };
  }
  if ((await options.tokens.countLive()) > 0) return undefined;
  let token: string;
  try {
    ({ token } = await options.tokens.create({
      tenant: options.tenant,
      name: 'admin',
      role: 'admin',
      now: options.now,
    }));
  } catch (error) {
    // Another replica on the same database made it first: its start prints it, this one does not.
    if (error instanceof TokenStoreError && error.code === 'name-taken') return undefined;
    throw error;
  }
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file, created: true };
}

import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { Migration } from '../feedback/migrations.ts';
import { migrate } from '../feedback/sqlite-event-store.ts';
import type { Role } from './roles.ts';

/** The prefix makes a leaked token recognisable to secret scanners and in a support ticket. */
const TOKEN_PREFIX = 'npk_';

/** 32 random bytes: far beyond guessing, so one SHA-256 (no slow hash) is enough to store it. */
export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Equal-length digests compared in constant time, whatever the lengths of the tokens. */
export function sameToken(token: string, expectedHash: string): boolean {
  return timingSafeEqual(Buffer.from(hashToken(token), 'hex'), Buffer.from(expectedHash, 'hex'));
}

export interface TokenRecord {
  id: string;
  tenant: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt?: string;
}

export class TokenStoreError extends Error {
  readonly code: 'name-taken' | 'not-found' | 'ambiguous';
  constructor(code: TokenStoreError['code'], message: string) {
    super(message);
    this.name = 'TokenStoreError';
    this.code = code;
  }
}

export interface TokenStore {
  /** Stores the hash of a new token and returns the token itself: the only time it is seen. */
  create(input: { tenant: string; name: string; role: Role; now: string }): {
    token: string;
    record: TokenRecord;
  };
  /** The live token this value is, if any. */
  verify(token: string): TokenRecord | undefined;
  /** The live token with this id. */
  get(id: string): TokenRecord | undefined;
  /** Every token (revoked ones too), of one tenant when given, oldest first. */
  list(filter?: { tenant?: string }): TokenRecord[];
  /** Revokes by id or by name (within the tenant when given); returns the revoked record. */
  revoke(idOrName: string, options: { tenant?: string; now: string }): TokenRecord;
  /** Live tokens in the store, all tenants. */
  countLive(): number;
  close(): void;
}

const TOKEN_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'API tokens, hashed, with a role and a tenant',
    statements: [
      `CREATE TABLE api_tokens (
        id TEXT NOT NULL PRIMARY KEY,
        tenant TEXT NOT NULL,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      )`,
      'CREATE INDEX api_tokens_tenant ON api_tokens (tenant, name)',
    ],
  },
];

type Row = Record<string, SQLInputValue>;

function toRecord(row: Row): TokenRecord {
  return {
    id: String(row.id),
    tenant: String(row.tenant),
    name: String(row.name),
    role: String(row.role) as Role,
    createdAt: String(row.created_at),
    ...(row.revoked_at ? { revokedAt: String(row.revoked_at) } : {}),
  };
}

/** `auth.sqlite` in the data directory: the tokens' hashes, never the tokens. */
export function openTokenStore(file: string): TokenStore {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const database = new DatabaseSync(file);
  database.exec('PRAGMA journal_mode = WAL');
  database.exec('PRAGMA busy_timeout = 5000');
  migrate(database, TOKEN_MIGRATIONS);
  const statements = {
    insert: database.prepare(
      'INSERT INTO api_tokens (id, tenant, name, role, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    liveByName: database.prepare(
      'SELECT * FROM api_tokens WHERE tenant = ? AND name = ? AND revoked_at IS NULL',
    ),
    byId: database.prepare('SELECT * FROM api_tokens WHERE id = ? AND revoked_at IS NULL'),
    byHash: database.prepare('SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL'),
    all: database.prepare('SELECT * FROM api_tokens ORDER BY created_at, id'),
    byTenant: database.prepare('SELECT * FROM api_tokens WHERE tenant = ? ORDER BY created_at, id'),
    live: database.prepare('SELECT COUNT(*) AS count FROM api_tokens WHERE revoked_at IS NULL'),
    revoke: database.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
  };

  return {
    create({ tenant, name, role, now }) {
      if (statements.liveByName.get(tenant, name)) {
        throw new TokenStoreError(
          'name-taken',
          `Tenant "${tenant}" already has a live token named "${name}".`,
        );
      }
      const token = generateToken();
      const record: TokenRecord = { id: randomUUID(), tenant, name, role, createdAt: now };
      statements.insert.run(record.id, tenant, name, role, hashToken(token), now);
      return { token, record };
    },
    verify(token) {
      const digest = hashToken(token);
      const row = statements.byHash.get(digest) as Row | undefined;
      // The lookup is by digest; the comparison again in constant time keeps the check honest
      // should the lookup ever change to a prefix or a scan.
      if (!row || !sameToken(token, String(row.token_hash))) return undefined;
      return toRecord(row);
    },
    get(id) {
      const row = statements.byId.get(id) as Row | undefined;
      return row ? toRecord(row) : undefined;
    },
    list(filter = {}) {
      const rows = (filter.tenant ? statements.byTenant.all(filter.tenant) : statements.all.all()) as Row[];
      return rows.map(toRecord);
    },
    revoke(idOrName, { tenant, now }) {
      const rows = (tenant ? statements.byTenant.all(tenant) : statements.all.all()) as Row[];
      const live = rows.map(toRecord).filter((record) => !record.revokedAt);
      const byId = live.find((record) => record.id === idOrName);
      const byName = live.filter((record) => record.name === idOrName);
      const found = byId ? [byId] : byName;
      if (found.length === 0) {
        throw new TokenStoreError('not-found', `No live token has the id or name "${idOrName}".`);
      }
      if (found.length > 1) {
        throw new TokenStoreError(
          'ambiguous',
          `Several tenants have a token named "${idOrName}": revoke it by id (${found.map((record) => record.id).join(', ')}).`,
        );
      }
      const record = found[0] as TokenRecord;
      statements.revoke.run(now, record.id);
      return { ...record, revokedAt: now };
    },
    countLive() {
      return Number((statements.live.get() as Row).count);
    },
    close() {
      if (database.isOpen) database.close();
    },
  };
}

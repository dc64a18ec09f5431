import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
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

/**
 * The hashed tokens: auth.sqlite in the data directory (`openTokenStore`), or PostgreSQL when
 * DATABASE_URL is set (postgres-token-store.ts). Conformance: token-store.conformance.ts.
 */
export interface TokenStore {
  /** Stores the hash of a new token and returns the token itself: the only time it is seen. */
  create(input: { tenant: string; name: string; role: Role; now: string }): Promise<{
    token: string;
    record: TokenRecord;
  }>;
  /** The live token this value is, if any. */
  verify(token: string): Promise<TokenRecord | undefined>;
  /** The live token with this id. */
  get(id: string): Promise<TokenRecord | undefined>;
  /** Every token (revoked ones too), of one tenant when given, oldest first. */
  list(filter?: { tenant?: string }): Promise<TokenRecord[]>;
  /** Revokes by id or by name (within the tenant when given); returns the revoked record. */
  revoke(idOrName: string, options: { tenant?: string; now: string }): Promise<TokenRecord>;
  /** Live tokens in the store, all tenants. */
  countLive(): Promise<number>;
  close(): Promise<void>;
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

/** The token stores' SQL, the same for SQLite and PostgreSQL ($n in order, bound as `?` by SQLite). */
export const TOKEN_QUERIES = {
  insert:
    'INSERT INTO api_tokens (id, tenant, name, role, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
  liveByName: 'SELECT * FROM api_tokens WHERE tenant = $1 AND name = $2 AND revoked_at IS NULL',
  byId: 'SELECT * FROM api_tokens WHERE id = $1 AND revoked_at IS NULL',
  byHash: 'SELECT * FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
  all: 'SELECT * FROM api_tokens ORDER BY created_at, id',
  byTenant: 'SELECT * FROM api_tokens WHERE tenant = $1 ORDER BY created_at, id',
  live: 'SELECT COUNT(*) AS count FROM api_tokens WHERE revoked_at IS NULL',
  revoke: 'UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL',
} as const;

type Row = Record<string, unknown>;

/** The one live token `idOrName` names among `records` (by id first, else by name). */
export function revocable(records: TokenRecord[], idOrName: string): TokenRecord {
  const live = records.filter((record) => !record.revokedAt);
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
  return found[0] as TokenRecord;
}

export function toTokenRecord(row: Row): TokenRecord {
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
  const prepare = (sql: string) => database.prepare(sql.replace(/\$\d+/gu, '?'));
  const statements = {
    insert: prepare(TOKEN_QUERIES.insert),
    liveByName: prepare(TOKEN_QUERIES.liveByName),
    byId: prepare(TOKEN_QUERIES.byId),
    byHash: prepare(TOKEN_QUERIES.byHash),
    all: prepare(TOKEN_QUERIES.all),
    byTenant: prepare(TOKEN_QUERIES.byTenant),
    live: prepare(TOKEN_QUERIES.live),
    revoke: prepare(TOKEN_QUERIES.revoke),
  };

  return {
    async create({ tenant, name, role, now }) {
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
    async verify(token) {
      const digest = hashToken(token);
      const row = statements.byHash.get(digest) as Row | undefined;
      // The lookup is by digest; the comparison again in constant time keeps the check honest
      // should the lookup ever change to a prefix or a scan.
      if (!row || !sameToken(token, String(row.token_hash))) return undefined;
      return toTokenRecord(row);
    },
    async get(id) {
      const row = statements.byId.get(id) as Row | undefined;
      return row ? toTokenRecord(row) : undefined;
    },
    async list(filter = {}) {
      const rows = (filter.tenant ? statements.byTenant.all(filter.tenant) : statements.all.all()) as Row[];
      return rows.map(toTokenRecord);
    },
    async revoke(idOrName, { tenant, now }) {
      const rows = (tenant ? statements.byTenant.all(tenant) : statements.all.all()) as Row[];
      const record = revocable(rows.map(toTokenRecord), idOrName);
      statements.revoke.run(now, record.id);
      return { ...record, revokedAt: now };
    },
    async countLive() {
      return Number((statements.live.get() as Row).count);
    },
    async close() {
      if (database.isOpen) database.close();
    },
  };
}

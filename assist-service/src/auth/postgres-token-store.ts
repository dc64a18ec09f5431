import { randomUUID } from 'node:crypto';
import type { ServiceDatabase } from '../storage/postgres-database.ts';
import {
  generateToken,
  hashToken,
  revocable,
  sameToken,
  TOKEN_QUERIES,
  type TokenRecord,
  type TokenStore,
  TokenStoreError,
  toTokenRecord,
} from './token-store.ts';

/**
 * Tokens in PostgreSQL (`DATABASE_URL`), shared by every replica. Nothing is cached: every request
 * verifies its token against the table, so a token revoked through one replica is refused by every
 * other from its next request on (one indexed lookup, well under a millisecond on a local server).
 */
export function openPostgresTokenStore(options: { database: ServiceDatabase }): TokenStore {
  const { database } = options;
  const rows = (sql: string, parameters: readonly unknown[] = []) =>
    database.rows<Record<string, unknown>>(sql, parameters);
  return {
    async create({ tenant, name, role, now }) {
      const token = generateToken();
      const record: TokenRecord = { id: randomUUID(), tenant, name, role, createdAt: now };
      await database.transaction(async (client) => {
        // Two replicas making the same name at once (two first starts) take turns: one is refused.
        await client.run('SELECT pg_advisory_xact_lock(hashtext($1))', [`tokens:${tenant}:${name}`]);
        if ((await client.rows(TOKEN_QUERIES.liveByName, [tenant, name])).length > 0) {
          throw new TokenStoreError(
            'name-taken',
            `Tenant "${tenant}" already has a live token named "${name}".`,
          );
        }
        await client.run(TOKEN_QUERIES.insert, [record.id, tenant, name, role, hashToken(token), now]);
      });
      return { token, record };
    },
    async verify(token) {
      const [row] = await rows(TOKEN_QUERIES.byHash, [hashToken(token)]);
      if (!row || !sameToken(token, String(row.token_hash))) return undefined;
      return toTokenRecord(row);
    },
    async get(id) {
      const [row] = await rows(TOKEN_QUERIES.byId, [id]);
      return row ? toTokenRecord(row) : undefined;
    },
    async list(filter = {}) {
      const found = filter.tenant
        ? await rows(TOKEN_QUERIES.byTenant, [filter.tenant])
        : await rows(TOKEN_QUERIES.all);
      return found.map(toTokenRecord);
    },
    async revoke(idOrName, { tenant, now }) {
      const record = revocable(await this.list(tenant ? { tenant } : {}), idOrName);
      await database.run(TOKEN_QUERIES.revoke, [now, record.id]);
      return { ...record, revokedAt: now };
    },
    async countLive() {
      const [row] = await rows(TOKEN_QUERIES.live);
      return Number(row?.count ?? 0);
    },
    async close() {},
  };
}

import { describe, expect, it } from 'vitest';
import { type StoreBackend, storeOpener } from '../storage/conformance-backends.ts';
import type { SessionStore } from './sessions.ts';
import { type TokenStore, TokenStoreError } from './token-store.ts';

const now = '2026-12-06T10:00:00.000Z';

/** What every TokenStore does: run by src/storage/stores.test.ts against SQLite and PostgreSQL. */
export function describeTokenStoreConformance(backend: StoreBackend<TokenStore>): void {
  describe.skipIf(!backend.available)(`token store on ${backend.name}`, () => {
    const open = storeOpener(backend);

    it('verifies a token it made, by its value only, and keeps its hash, not the token', async () => {
      const tokens = await open('');
      const { token, record } = await tokens.create({ tenant: 'acme', name: 'anna', role: 'operator', now });
      expect(token).toMatch(/^npk_/u);
      expect(await tokens.verify(token)).toEqual(record);
      expect(await tokens.verify(`${token}x`)).toBeUndefined();
      expect(await tokens.get(record.id)).toEqual(record);
      expect(JSON.stringify(await tokens.list())).not.toContain(token);
    });

    it('refuses a second live token of one name in a tenant, also from two stores at once', async () => {
      const [one, two] = [await open(''), await open('')];
      const results = await Promise.allSettled([
        one.create({ tenant: 'acme', name: 'admin', role: 'admin', now }),
        two.create({ tenant: 'acme', name: 'admin', role: 'admin', now }),
      ]);
      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(TokenStoreError);
      expect(refused.reason).toMatchObject({ code: 'name-taken' });
      // Another tenant may use the name.
      await expect(one.create({ tenant: 'other', name: 'admin', role: 'admin', now })).resolves.toBeDefined();
      expect(await two.countLive()).toBe(2);
    });

    it('revokes by id or name for every store on the same data, and asks for the id when a name is ambiguous', async () => {
      const [writer, reader] = [await open(''), await open('')];
      const anna = await writer.create({ tenant: 'acme', name: 'anna', role: 'operator', now });
      // Listed oldest first: boris comes a minute later.
      const later = '2026-12-06T10:01:00.000Z';
      await writer.create({ tenant: 'acme', name: 'boris', role: 'team_lead', now: later });
      await writer.create({ tenant: 'other', name: 'boris', role: 'team_lead', now });
      expect(await reader.verify(anna.token)).toBeDefined();
      expect(await writer.revoke('anna', { now })).toMatchObject({ id: anna.record.id, revokedAt: now });
      expect(await reader.verify(anna.token)).toBeUndefined();
      expect(await reader.get(anna.record.id)).toBeUndefined();
      await expect(reader.revoke('boris', { now })).rejects.toMatchObject({ code: 'ambiguous' });
      await expect(reader.revoke('boris', { tenant: 'other', now })).resolves.toMatchObject({
        tenant: 'other',
      });
      await expect(reader.revoke('nobody', { now })).rejects.toMatchObject({ code: 'not-found' });
      expect(
        (await reader.list({ tenant: 'acme' })).map((record) => [record.name, Boolean(record.revokedAt)]),
      ).toEqual([
        ['anna', true],
        ['boris', false],
      ]);
      expect(await reader.countLive()).toBe(1);
    });
  });
}

/** What every SessionStore does: in memory, and shared in PostgreSQL. */
export function describeSessionStoreConformance(backend: StoreBackend<SessionStore>): void {
  describe.skipIf(!backend.available)(`console sessions on ${backend.name}`, () => {
    const open = storeOpener(backend);
    const start = Date.parse(now);

    it('finds a session until it expires or is closed', async () => {
      const sessions = await open('');
      const session = await sessions.open('token-1', start);
      expect(session.id).not.toBe(session.csrfToken);
      expect(await sessions.get(session.id, start + 1000)).toMatchObject({
        tokenId: 'token-1',
        csrfToken: session.csrfToken,
      });
      expect(await sessions.get(session.id, session.expiresAt)).toBeUndefined();
      const second = await sessions.open('token-1', start);
      await sessions.close(second.id);
      expect(await sessions.get(second.id, start)).toBeUndefined();
      expect(await sessions.get('made-up', start)).toBeUndefined();
    });
  });
}

import { describe, expect, it } from 'vitest';
import { type StoreBackend, storeOpener } from '../storage/conformance-backends.ts';
import type { KnowledgeVersionStore, NewVersion } from './version-store.ts';

const key = { tenant: 'shop', collection: 'demo', documentId: 'tpl-order-status' };
const version = (content: string, extra: Partial<NewVersion> = {}): NewVersion => ({
  collection: key.collection,
  documentId: key.documentId,
  kind: 'template',
  format: 'yaml',
  content,
  editable: true,
  author: { name: 'marina', role: 'knowledge_manager' },
  createdAt: '2026-12-06T10:00:00.000Z',
  source: 'console-edit',
  sourceFile: 'console-edits/tpl-order-status.yaml',
  status: 'pending',
  ...extra,
});

/** What every KnowledgeVersionStore does: run by storage/stores.test.ts against SQLite and PostgreSQL. */
export function describeVersionStoreConformance(backend: StoreBackend<KnowledgeVersionStore>): void {
  describe.skipIf(!backend.available)(`knowledge version store on ${backend.name}`, () => {
    // The store is not per tenant: every row carries its tenant.
    const open = storeOpener(backend);

    it('numbers versions per document and keeps one served, the earlier ones superseded', async () => {
      const store = await open('shop');
      const first = await store.add(
        key,
        version('a', { author: null, source: 'file', sourceFile: 'templates.yaml' }),
      );
      await store.markServed(key, first.version, 'hash-a');
      const second = await store.add(key, version('b', { note: 'цена' }));
      await store.markServed(key, second.version, 'hash-b', {
        by: { name: 'boris', role: 'admin' },
        at: '2026-12-06T11:00:00.000Z',
      });
      const listed = await store.list(key);
      expect(listed.map((entry) => [entry.version, entry.status, entry.contentHash])).toEqual([
        [2, 'served', 'hash-b'],
        [1, 'superseded', 'hash-a'],
      ]);
      expect(listed[0]).toMatchObject({ note: 'цена', reviewedBy: { name: 'boris', role: 'admin' } });
      expect(listed[1]?.author).toBeNull();
      expect(listed[1]?.editable).toBe(true);
      expect(await store.get(key, 3)).toBeUndefined();
    });

    it('keeps tenants apart, and another process sees every change', async () => {
      const store = await open('shop');
      await store.add(key, version('a'));
      await store.flag(key, {
        note: 'проверить',
        by: { name: 'marina', role: 'knowledge_manager' },
        at: '2026-12-06T10:00:00.000Z',
      });
      await store.setRequireReview('shop', 'demo', true, '2026-12-06T10:00:00.000Z');

      const other = await open('shop');
      expect((await other.pending('shop')).map((entry) => entry.content)).toEqual(['a']);
      expect(await other.pending('other')).toEqual([]);
      expect(await other.list({ ...key, tenant: 'other' })).toEqual([]);
      expect((await other.flagOf(key))?.note).toBe('проверить');
      expect(await other.flags('other')).toEqual([]);
      expect(await other.requireReview('shop', 'demo')).toBe(true);
      expect(await other.requireReview('other', 'demo')).toBe(false);
      await other.reject(key, 1, {
        by: { name: 'boris', role: 'admin' },
        at: '2026-12-06T12:00:00.000Z',
        note: 'нет',
      });
      expect(await store.get(key, 1)).toMatchObject({ status: 'rejected', reviewNote: 'нет' });
      await other.flag(key, null);
      expect(await store.flagOf(key)).toBeUndefined();
      await other.setRequireReview('shop', 'demo', false, '2026-12-06T13:00:00.000Z');
      expect(await store.requireReview('shop', 'demo')).toBe(false);
    });

    it('rolls back as a new version, and a failed apply leaves no trace', async () => {
      const store = await open('shop');
      const first = await store.add(key, version('a', { status: 'served' }));
      await store.markServed(key, first.version, 'hash-a');
      const second = await store.add(key, version('b'));
      await store.markServed(key, second.version, 'hash-b');
      const rollback = await store.add(key, version('a', { rollbackOf: 1, note: 'назад' }));
      expect(rollback).toMatchObject({ version: 3, rollbackOf: 1 });
      await store.markServed(key, rollback.version, 'hash-a');
      const failed = await store.add(key, version('c'));
      await store.discard(key, failed.version);
      const listed = await (await open('shop')).list(key);
      expect(listed.map((entry) => [entry.version, entry.status])).toEqual([
        [3, 'served'],
        [2, 'superseded'],
        [1, 'superseded'],
      ]);
    });

    it('numbers versions two processes add at once one after the other, and serves one of two at once', async () => {
      const [one, two] = [await open('shop'), await open('shop')];
      const added = await Promise.all(
        Array.from({ length: 6 }, (_, index) => (index % 2 ? one : two).add(key, version(`v${index}`))),
      );
      expect(added.map((entry) => entry.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      await Promise.all(
        added.map((entry, index) => (index % 2 ? one : two).markServed(key, entry.version, `h${index}`)),
      );
      const statuses = (await one.list(key)).map((entry) => entry.status);
      expect(statuses.filter((status) => status === 'served')).toHaveLength(1);
      expect(statuses.filter((status) => status === 'superseded')).toHaveLength(5);
    });

    it('lists pending versions of a tenant oldest first, across collections', async () => {
      const store = await open('shop');
      const faq = { ...key, collection: 'faq', documentId: 'faq-1' };
      await store.add(key, version('late', { createdAt: '2026-12-06T12:00:00.000Z' }));
      await store.add(faq, {
        ...version('early', { createdAt: '2026-12-06T09:00:00.000Z' }),
        collection: 'faq',
        documentId: 'faq-1',
      });
      await store.add(key, version('served', { status: 'served' }));
      expect((await store.pending('shop')).map((entry) => entry.content)).toEqual(['early', 'late']);
    });
  });
}

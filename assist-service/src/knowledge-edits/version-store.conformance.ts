import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteVersionStore } from './sqlite-version-store.ts';
import type { NewVersion } from './version-store.ts';

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

describe('SQLite knowledge version store', () => {
  const folders: string[] = [];
  const fileIn = () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'naparnik-versions-'));
    folders.push(folder);
    return path.join(folder, 'knowledge-versions.sqlite');
  };
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('numbers versions per document and keeps one served, the earlier ones superseded', async () => {
    const store = openSqliteVersionStore({ file: fileIn() });
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
    await store.close();
  });

  it('keeps tenants apart and everything across a reopen', async () => {
    const file = fileIn();
    const store = openSqliteVersionStore({ file });
    await store.add(key, version('a'));
    await store.flag(key, {
      note: 'проверить',
      by: { name: 'marina', role: 'knowledge_manager' },
      at: '2026-12-06T10:00:00.000Z',
    });
    await store.setRequireReview('shop', 'demo', true, '2026-12-06T10:00:00.000Z');
    await store.close();

    const reopened = openSqliteVersionStore({ file });
    expect((await reopened.pending('shop')).map((entry) => entry.content)).toEqual(['a']);
    expect(await reopened.pending('other')).toEqual([]);
    expect(await reopened.list({ ...key, tenant: 'other' })).toEqual([]);
    expect((await reopened.flagOf(key))?.note).toBe('проверить');
    expect(await reopened.flags('other')).toEqual([]);
    expect(await reopened.requireReview('shop', 'demo')).toBe(true);
    expect(await reopened.requireReview('other', 'demo')).toBe(false);
    await reopened.reject(key, 1, {
      by: { name: 'boris', role: 'admin' },
      at: '2026-12-06T12:00:00.000Z',
      note: 'нет',
    });
    expect((await reopened.get(key, 1))?.status).toBe('rejected');
    await reopened.close();
  });
});

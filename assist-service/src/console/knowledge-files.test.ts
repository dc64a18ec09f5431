import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type KnowledgeBase, loadIngestConfig, openKnowledgeBase } from '@naparnik/ingest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  postgresBackend,
  reportSkippedPostgres,
  type StoreBackend,
  storeOpener,
} from '../storage/conformance-backends.ts';
import { saveFaqEntry } from './faq-entries.ts';
import { createKnowledgeFiles, type KnowledgeFiles } from './knowledge-files.ts';
import { openPostgresUploadedFiles, type UploadedFileStore } from './uploaded-files.ts';

/**
 * Two replicas, each with its own data folder, one shared knowledge store and one PostgreSQL (the
 * throwaway cluster of scripts/postgres.ts): what one took as an upload, the other re-ingests,
 * appends to and removes. The knowledge store is one embedded store both open, standing in for the
 * shared PostgreSQL knowledge store, which its own conformance suite covers.
 */
const backend: StoreBackend<UploadedFileStore> = postgresBackend((database, tenant) =>
  openPostgresUploadedFiles({ database, tenant }),
);
reportSkippedPostgres('knowledge-files.test.ts (uploaded files shared by replicas)');

const FAQ = (id: string, question: string) =>
  `${JSON.stringify({ id, kind: 'faq', question, answer: `Ответ: ${question}`, language: 'ru' })}\n`;

describe.skipIf(!backend.available)('uploaded files shared by replicas (postgres)', () => {
  const openShared = storeOpener(backend);
  let folders: string[] = [];
  let kb: KnowledgeBase;
  let replicaA: KnowledgeFiles;
  let replicaB: KnowledgeFiles;
  let uploadsA: string;
  let uploadsB: string;

  beforeEach(async () => {
    folders = [0, 1, 2].map(() => mkdtempSync(path.join(os.tmpdir(), 'naparnik-replica-')));
    const [knowledgeDir, dataA, dataB] = folders as [string, string, string];
    kb = await openKnowledgeBase({
      dataDir: knowledgeDir,
      config: { ...loadIngestConfig(), dataDir: knowledgeDir },
    });
    uploadsA = path.join(dataA, 'uploads', 'default');
    uploadsB = path.join(dataB, 'uploads', 'default');
    replicaA = createKnowledgeFiles({ uploadsDir: uploadsA, shared: await openShared('default') });
    replicaB = createKnowledgeFiles({ uploadsDir: uploadsB, shared: await openShared('default') });
  });
  afterEach(async () => {
    await kb.close();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('re-ingests on one replica a file another replica took', async () => {
    await replicaA.upload(
      kb,
      'shop',
      'faq/delivery.jsonl',
      Buffer.from(FAQ('faq-1', 'Сколько идёт доставка?')),
    );
    const result = await replicaB.reingest(kb, 'shop', 'faq-1');
    expect(result.documents.map((document) => document.documentId)).toEqual(['faq-1']);
    expect(await readFile(path.join(uploadsB, 'shop', 'faq', 'delivery.jsonl'), 'utf8')).toBe(
      FAQ('faq-1', 'Сколько идёт доставка?'),
    );
  });

  it('appends an FAQ entry on one replica to a file another replica took, keeping what it held', async () => {
    await replicaA.upload(
      kb,
      'shop',
      'faq/delivery.jsonl',
      Buffer.from(FAQ('faq-1', 'Сколько идёт доставка?')),
    );
    const saved = await saveFaqEntry(replicaB, kb, {
      collection: 'shop',
      question: 'Можно ли выбрать время доставки?',
      answer: 'Да, интервал выбирается при оформлении.',
      variants: [],
      language: 'ru',
      target: { kind: 'append', documentId: 'faq-1' },
    });
    expect(saved.appended).toBe(true);
    const ids = (await kb.store.listDocuments('shop')).map((document) => document.documentId).sort();
    expect(ids).toEqual(['faq-1', saved.documentId].sort());
    // The next change on the first replica starts from the appended file, not its own stale copy.
    const onA = await replicaA.read('shop', 'faq/delivery.jsonl');
    expect(onA?.toString('utf8')).toContain('Можно ли выбрать время доставки?');
    expect(onA?.toString('utf8')).toContain('Сколько идёт доставка?');
  });

  it('removes on one replica the file another replica took, for every replica', async () => {
    await replicaA.upload(
      kb,
      'shop',
      'faq/delivery.jsonl',
      Buffer.from(FAQ('faq-1', 'Сколько идёт доставка?')),
    );
    const removed = await replicaB.remove(kb, 'shop', 'faq-1');
    expect(removed.fileRemoved).toBe(true);
    expect(await kb.store.listDocuments('shop')).toEqual([]);
    const third = createKnowledgeFiles({
      uploadsDir: path.join(folders[0]!, 'third', 'default'),
      shared: await openShared('default'),
    });
    expect(await third.read('shop', 'faq/delivery.jsonl')).toBeUndefined();
  });

  it('shares a file uploaded before the shared copy existed once its replica reads it', async () => {
    // Uploaded by the service before migration 5: only replica A's folder has the file.
    const before = createKnowledgeFiles({ uploadsDir: uploadsA });
    await before.upload(
      kb,
      'shop',
      'faq/delivery.jsonl',
      Buffer.from(FAQ('faq-1', 'Сколько идёт доставка?')),
    );
    await replicaA.reingest(kb, 'shop', 'faq-1');
    expect((await replicaB.read('shop', 'faq/delivery.jsonl'))?.toString('utf8')).toBe(
      FAQ('faq-1', 'Сколько идёт доставка?'),
    );
  });

  it('puts the shared copy back when the ingest refuses an upload', async () => {
    await replicaA.upload(
      kb,
      'shop',
      'faq/delivery.jsonl',
      Buffer.from(FAQ('faq-1', 'Сколько идёт доставка?')),
    );
    await expect(
      replicaB.upload(kb, 'shop', 'faq/delivery.jsonl', Buffer.from('{"id": broken')),
    ).rejects.toThrow(/Nothing was changed/);
    expect((await replicaA.read('shop', 'faq/delivery.jsonl'))?.toString('utf8')).toBe(
      FAQ('faq-1', 'Сколько идёт доставка?'),
    );
  });
});

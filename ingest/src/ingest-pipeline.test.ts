import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHashedNgramEmbedder } from './embeddings/hashed-ngrams.ts';
import { ingestPaths } from './ingest-pipeline.ts';
import type { KnowledgeStore } from './store/knowledge-store.ts';
import { openSqliteStore } from './store/sqlite-store.ts';

const FIXTURE_KB = fileURLToPath(new URL('./fixtures/pipeline/kb', import.meta.url));

describe('ingest pipeline', () => {
  let workDirectory: string;
  let kbDirectory: string;
  let store: KnowledgeStore;
  const embedder = createHashedNgramEmbedder({ dimensions: 64 });
  const ingest = (extra: { prune?: boolean; paths?: string[] } = {}) =>
    ingestPaths({
      store,
      embedder,
      collection: 'shop',
      paths: extra.paths ?? [kbDirectory],
      ...(extra.prune ? { prune: true } : {}),
    });

  beforeEach(async () => {
    workDirectory = mkdtempSync(path.join(tmpdir(), 'naparnik-pipeline-'));
    kbDirectory = path.join(workDirectory, 'kb');
    cpSync(FIXTURE_KB, kbDirectory, { recursive: true });
    store = await openSqliteStore({ dataDir: path.join(workDirectory, 'data') });
  });

  afterEach(async () => {
    await store.close();
    rmSync(workDirectory, { recursive: true, force: true });
  });

  it('ingests a folder, names every file it could not read, and makes the rest searchable', async () => {
    const summary = await ingest();
    expect(summary).toMatchObject({ added: 4, updated: 0, unchanged: 0, removed: 0 });
    expect(summary.chunks).toBeGreaterThanOrEqual(5);
    expect(summary.failed.map((failure) => failure.file).sort()).toEqual([
      'articles/broken.pdf',
      'articles/empty.md',
      'articles/legacy.doc',
    ]);
    expect(summary.failed.find((failure) => failure.file === 'articles/legacy.doc')?.reason).toMatch(
      /unsupported file type "\.doc"/,
    );
    expect(summary.failed.find((failure) => failure.file === 'articles/empty.md')?.reason).toMatch(/empty/);

    const documents = await store.listDocuments('shop');
    expect(documents.map((record) => record.documentId)).toEqual([
      'articles/care.md',
      'faq-delivery-cost',
      'faq-gift-card',
      'faq-return-bijou',
    ]);
    const hits = await store.search('shop', {
      text: 'чем чистить серебряные украшения',
      vector: await embedder.embedQuery('чем чистить серебряные украшения'),
      topK: 3,
    });
    expect(hits[0]?.documentId).toBe('articles/care.md');
    expect(hits.some((hit) => hit.titlePath.includes('Как чистить'))).toBe(true);
  });

  it('ingests only the named files of a folder, with the ids and sources a walk would give them', async () => {
    const summary = await ingestPaths({
      store,
      embedder,
      collection: 'shop',
      paths: [kbDirectory],
      only: ['articles/care.md', 'articles/missing.md', '../outside.md'],
    });
    expect(summary).toMatchObject({ added: 1, updated: 0, unchanged: 0 });
    expect(summary.failed).toEqual([
      { file: 'articles/missing.md', reason: 'no such file' },
      { file: '../outside.md', reason: 'the path leaves the folder it is relative to' },
    ]);
    const documents = await store.listDocuments('shop');
    expect(documents.map((record) => [record.documentId, record.source])).toEqual([
      ['articles/care.md', 'articles/care.md'],
    ]);
    // The whole folder later: the named file's document is unchanged, as if it had been walked.
    expect(await ingest()).toMatchObject({ added: 3, unchanged: 1 });
  });

  it('writes only the named documents of a file and leaves its other documents where they were', async () => {
    await ingest();
    const edits = path.join(workDirectory, 'edits');
    mkdirSync(edits);
    writeFileSync(
      path.join(edits, 'edit.csv'),
      'id;Вопрос;Ответ\nfaq-delivery-cost;Сколько стоит доставка?;Доставка стоит 390 ₽.\nfaq-gift-card;Подарочная карта?;Другой ответ.\n',
    );
    const summary = await ingestPaths({
      store,
      embedder,
      collection: 'shop',
      paths: [edits],
      only: ['edit.csv'],
      documents: ['faq-delivery-cost'],
    });
    expect(summary).toMatchObject({ added: 0, updated: 1, removed: 0, failed: [] });
    const records = await store.listDocuments('shop');
    expect(records.find((record) => record.documentId === 'faq-delivery-cost')?.source).toBe('edit.csv');
    expect(records.find((record) => record.documentId === 'faq-gift-card')?.source).toBe('faq.csv');
    const chunks = await store.listChunks('shop', { documentIds: ['faq-delivery-cost', 'faq-gift-card'] });
    expect(chunks.map((chunk) => chunk.text).join(' ')).toContain('390 ₽');
    expect(chunks.map((chunk) => chunk.text).join(' ')).not.toContain('Другой ответ');

    const missing = await ingestPaths({
      store,
      embedder,
      collection: 'shop',
      paths: [edits],
      only: ['edit.csv'],
      documents: ['faq-nowhere'],
    });
    expect(missing.failed).toEqual([
      { file: 'edit.csv', reason: 'the file holds no document "faq-nowhere"' },
    ]);
  });

  it('does nothing on a re-ingest of unchanged content', async () => {
    await ingest();
    const before = await store.listDocuments('shop');
    const summary = await ingest();
    expect(summary).toMatchObject({ added: 0, updated: 0, unchanged: 4, removed: 0, chunks: 0 });
    expect(await store.listDocuments('shop')).toEqual(before);
  });

  it('replaces a changed row and removes a row deleted from its file', async () => {
    await ingest();
    const csvPath = path.join(kbDirectory, 'faq.csv');
    const lines = readFileSync(csvPath, 'utf8').trimEnd().split('\n');
    const changed = lines
      .filter((line) => !line.startsWith('faq-gift-card'))
      .map((line) => (line.startsWith('faq-delivery-cost') ? line.replace('350 ₽', '390 ₽') : line));
    writeFileSync(csvPath, `${changed.join('\n')}\n`);

    const summary = await ingest();
    expect(summary).toMatchObject({ added: 0, updated: 1, unchanged: 2, removed: 1 });
    const chunks = await store.listChunks('shop', { documentIds: ['faq-delivery-cost'] });
    expect(chunks[0]?.text).toContain('390 ₽');
    expect((await store.listDocuments('shop')).map((record) => record.documentId)).not.toContain(
      'faq-gift-card',
    );
  });

  it('prunes documents whose file is gone only when asked to', async () => {
    await ingest();
    rmSync(path.join(kbDirectory, 'articles', 'care.md'));
    expect((await ingest()).removed).toBe(0);
    expect((await store.listDocuments('shop')).map((record) => record.documentId)).toContain(
      'articles/care.md',
    );
    expect((await ingest({ prune: true })).removed).toBe(1);
    expect((await store.listDocuments('shop')).map((record) => record.documentId)).not.toContain(
      'articles/care.md',
    );
  });

  it('keeps what a file had stored when the file turns corrupt', async () => {
    await ingest();
    writeFileSync(path.join(kbDirectory, 'faq.csv'), 'это; не; таблица FAQ\n1;2;3\n');
    const summary = await ingest({ prune: true });
    expect(summary.failed.map((failure) => failure.file)).toContain('faq.csv');
    expect((await store.listDocuments('shop')).map((record) => record.documentId)).toContain('faq-gift-card');
  });

  it('refuses a second file that claims a documentId another file already produced', async () => {
    const copy = path.join(kbDirectory, 'zz-copy.csv');
    cpSync(path.join(kbDirectory, 'faq.csv'), copy);
    const summary = await ingest();
    const failure = summary.failed.find((entry) => entry.file === 'zz-copy.csv');
    expect(failure?.reason).toMatch(/documentId "faq-delivery-cost" is also produced by faq\.csv/);
  });

  it('reports a path that does not exist without stopping the others', async () => {
    const summary = await ingest({
      paths: [path.join(workDirectory, 'missing'), path.join(kbDirectory, 'faq.csv')],
    });
    expect(summary.added).toBe(3);
    expect(summary.failed[0]?.reason).toBe('no such file or folder');
  });

  it('refuses to mix embedders in one collection', async () => {
    await ingest();
    await expect(
      ingestPaths({
        store,
        embedder: createHashedNgramEmbedder({ dimensions: 128 }),
        collection: 'shop',
        paths: [kbDirectory],
      }),
    ).rejects.toMatchObject({ code: 'embedder-mismatch' });
  });
});

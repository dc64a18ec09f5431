import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHashedNgramEmbedder } from '../embeddings/hashed-ngrams.ts';
import { ingestPaths } from '../ingest-pipeline.ts';
import { DEMO_KB_PATHS } from '../knowledge-base.ts';
import type { KnowledgeStore } from '../store/knowledge-store.ts';
import { openSqliteStore } from '../store/sqlite-store.ts';
import { storedSafety } from './index.ts';

const POISONED_KB = fileURLToPath(new URL('./fixtures/poisoned-kb', import.meta.url));

describe('safety flags at ingest', () => {
  let workDirectory: string;
  let store: KnowledgeStore;
  const embedder = createHashedNgramEmbedder({ dimensions: 64 });

  beforeEach(async () => {
    workDirectory = mkdtempSync(path.join(tmpdir(), 'naparnik-safety-'));
    store = await openSqliteStore({ dataDir: path.join(workDirectory, 'data') });
  });

  afterEach(async () => {
    await store.close();
    rmSync(workDirectory, { recursive: true, force: true });
  });

  it('reports the poisoned and the injected FAQ rows and stores the verdict on their chunks, not on the honest row', async () => {
    const summary = await ingestPaths({ store, embedder, collection: 'kb', paths: [POISONED_KB] });
    expect(summary.added).toBe(3);
    const byId = new Map(summary.flagged.map((flagged) => [flagged.documentId, flagged]));
    expect([...byId.keys()].sort()).toEqual(['faq-assistant-note', 'faq-refund-unhappy']);
    expect(byId.get('faq-refund-unhappy')?.flags.sort()).toEqual(['money-promise', 'sensitive-data-request']);
    expect(byId.get('faq-assistant-note')?.flags).toEqual(['prompt-injection']);
    expect(byId.get('faq-refund-unhappy')?.file).toBe('faq.ru.csv');

    const chunks = await store.listChunks('kb');
    const verdicts = new Map(chunks.map((chunk) => [chunk.documentId, storedSafety(chunk.metadata)]));
    expect(verdicts.get('faq-refund-unhappy')?.flags).toContain('sensitive-data-request');
    expect(verdicts.get('faq-assistant-note')?.flags).toEqual(['prompt-injection']);
    expect(verdicts.get('faq-refund-card')).toBeUndefined();
  });

  it('flags a link outside the configured domains only when domains are configured', async () => {
    const withDomains = await ingestPaths({
      store,
      embedder,
      collection: 'kb',
      paths: [POISONED_KB],
      linkDomains: ['aurelia.ru'],
    });
    expect(
      withDomains.flagged.find((flagged) => flagged.documentId === 'faq-refund-unhappy')?.flags,
    ).toContain('external-link');
    const again = await ingestPaths({ store, embedder, collection: 'kb2', paths: [POISONED_KB] });
    expect(again.flagged.find((flagged) => flagged.documentId === 'faq-refund-unhappy')?.flags).not.toContain(
      'external-link',
    );
  });

  it('reports flagged documents again on a re-ingest that changes nothing', async () => {
    await ingestPaths({ store, embedder, collection: 'kb', paths: [POISONED_KB] });
    const again = await ingestPaths({ store, embedder, collection: 'kb', paths: [POISONED_KB] });
    expect(again.unchanged).toBe(3);
    expect(again.flagged).toHaveLength(2);
  });

  it('flags nothing in the demo knowledge base, whose script rules ban the very promises the guard looks for', async () => {
    const summary = await ingestPaths({ store, embedder, collection: 'demo', paths: [...DEMO_KB_PATHS] });
    expect(summary.failed).toEqual([]);
    expect(summary.flagged).toEqual([]);
  });
});

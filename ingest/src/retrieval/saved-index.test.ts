import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIngestConfig } from '../config.ts';
import { type KnowledgeBase, openKnowledgeBase } from '../knowledge-base.ts';
import type { KnowledgeStore } from '../store/knowledge-store.ts';
import type { CollectionIndexSettings } from './collection-index.ts';
import { createRetriever, DEFAULT_RETRIEVER_SETTINGS, readCollectionIndex } from './retriever.ts';
import { decodeCollectionIndex, readSavedIndex, SavedIndexError, saveIndex } from './saved-index.ts';
import { everything, recordingReads } from './test-collection.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE_KB = path.resolve(HERE, '../fixtures/pipeline/kb');
/** Four FAQ entries and a glossary group, on top of the pipeline's knowledge base. */
const FIXTURE_FAQ = path.join(HERE, 'fixtures', 'saved-index');
const COLLECTION = 'shop';
const QUERIES = [
  'сертификат подарочный срок',
  'размер кольца',
  'серебро потемнело',
  'пункт выдачи рядом',
  'сколко ждёт заказ в пвз',
  'возврат денег курьер',
];
/** With the body n-grams, so that every part of the index goes through the file. */
const SETTINGS: CollectionIndexSettings = {
  bm25: DEFAULT_RETRIEVER_SETTINGS.bm25,
  prefixLength: DEFAULT_RETRIEVER_SETTINGS.prefixLength,
  bodyNgrams: true,
};

const retrieverOn = (kb: KnowledgeBase, store = kb.store) =>
  createRetriever({ store, embedder: kb.embedder, collection: COLLECTION });

/** The store as it is, but with nowhere to save indexes: every index it gives is a full build. */
function withoutSavedIndexes(store: KnowledgeStore): KnowledgeStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'savedIndexes') return undefined;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The saved file's bytes with its metadata changed, and a checksum that matches them again. */
function rewrittenMetadata(bytes: Buffer, change: (metadata: Record<string, unknown>) => void): Buffer {
  const length = bytes.readUInt32LE(16);
  const metadata = JSON.parse(bytes.toString('utf8', 24, 24 + length)) as Record<string, unknown>;
  change(metadata);
  const json = Buffer.from(JSON.stringify(metadata));
  const padded = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8)]);
  const rest = bytes.subarray(24 + length + ((8 - (length % 8)) % 8));
  const header = Buffer.from(bytes.subarray(0, 24));
  header.writeUInt32LE(json.length, 16);
  header.writeUInt32LE(crc32(rest, crc32(padded)), 12);
  return Buffer.concat([header, padded, rest]);
}

describe('collection index saved with the embedded store', () => {
  let directory: string;
  let sources: string;
  let dataDir: string;
  const open = () => openKnowledgeBase({ dataDir, config: { ...loadIngestConfig({}), dataDir } });
  const savedFile = () => {
    const names = readdirSync(path.join(dataDir, 'indexes')).filter((name) =>
      name.endsWith('.collection-index'),
    );
    expect(names).toHaveLength(1);
    return path.join(dataDir, 'indexes', names[0]!);
  };
  /** Saves the index built with SETTINGS (waiting for the write), as a search through a retriever would. */
  const saveWithSettings = async () => {
    const kb = await open();
    saveIndex(kb.store, COLLECTION, await readCollectionIndex(kb.store, COLLECTION, SETTINGS));
    await kb.close();
  };
  /** The saved index, checked and brought up to date, against a full build of the store as it is now. */
  const restartedAndRebuilt = async (kb: KnowledgeBase) => {
    const reads: string[][] = [];
    const saved = readSavedIndex(kb.store, COLLECTION, SETTINGS);
    const restarted = await readCollectionIndex(recordingReads(kb.store, reads), COLLECTION, SETTINGS, saved);
    const rebuilt = await readCollectionIndex(kb.store, COLLECTION, SETTINGS);
    return { saved: await saved, restarted, rebuilt, reads: reads.flat().sort() };
  };

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'saved-index-'));
    sources = path.join(directory, 'kb');
    dataDir = path.join(directory, 'data');
    cpSync(FIXTURE_KB, sources, { recursive: true });
    cpSync(FIXTURE_FAQ, sources, { recursive: true });
    const kb = await open();
    await kb.ingest([sources], { collection: COLLECTION });
    await kb.close();
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('is used as it is by a restarted process, which reads no chunk and scores every one as a full build does', async () => {
    await saveWithSettings();
    const kb = await open();
    try {
      const { saved, restarted, rebuilt, reads } = await restartedAndRebuilt(kb);
      expect(saved).toBeDefined();
      expect(restarted).toBe(saved);
      expect(reads).toEqual([]);
      expect(everything(restarted, QUERIES)).toEqual(everything(rebuilt, QUERIES));
    } finally {
      await kb.close();
    }
  });

  it('gives a restarted retriever the hits and scores of one that builds its index afresh, and is saved by the first search', async () => {
    rmSync(path.join(dataDir, 'indexes'), { recursive: true, force: true });
    const first = await open();
    const firstHits = [];
    for (const query of QUERIES) firstHits.push(await retrieverOn(first).search(query, { topK: 10 }));
    await first.close();
    const saved = savedFile();
    const restarted = await open();
    try {
      const fromSaved = retrieverOn(restarted);
      const rebuilt = retrieverOn(restarted, withoutSavedIndexes(restarted.store));
      for (const [at, query] of QUERIES.entries()) {
        const hits = await fromSaved.search(query, { topK: 10 });
        expect(hits).toEqual(await rebuilt.search(query, { topK: 10 }));
        expect(hits).toEqual(firstHits[at]);
      }
      // Used as it was: nothing changed, so nothing is saved again.
      const modified = statSync(saved).mtimeMs;
      await restarted.store.close();
      expect(statSync(saved).mtimeMs).toBe(modified);
    } finally {
      await restarted.close();
    }
  });

  it('after another process writes, reads only the documents written since and equals a full build', async () => {
    await saveWithSettings();
    // Another process rewrites one document, adds one and deletes one.
    const writer = await open();
    const faq = path.join(sources, 'faq.jsonl');
    const [gift, size, silver] = readFileSync(faq, 'utf8').split('\n');
    const rewritten = {
      ...JSON.parse(silver!),
      answer: 'Серебро чистят мягкой тканью; потемневшее — салфеткой.',
    };
    const added = {
      id: 'faq-late',
      question: 'Курьер опаздывает, что делать?',
      answer: 'Напишите нам.',
      kind: 'faq',
    };
    writeFileSync(
      faq,
      [gift, size, JSON.stringify(rewritten), JSON.stringify({ ...added, language: 'ru' })].join('\n'),
    );
    await writer.ingest([faq], { collection: COLLECTION });
    await writer.store.deleteDocuments(COLLECTION, ['faq-pvz']);
    await writer.close();

    const kb = await open();
    try {
      const { saved, restarted, rebuilt, reads } = await restartedAndRebuilt(kb);
      expect(saved).toBeDefined();
      expect(reads).toEqual(['faq-late', 'faq-silver']);
      expect(restarted.positionByChunkId.has('faq-pvz#0')).toBe(false);
      expect(everything(restarted, QUERIES)).toEqual(everything(rebuilt, QUERIES));
      expect(everything(restarted, QUERIES)).not.toEqual(everything(saved!, QUERIES));
    } finally {
      await kb.close();
    }
  });

  it('refuses a damaged file, and a restarted retriever then builds afresh, answers as a full build and saves a good file', async () => {
    await saveWithSettings();
    const file = savedFile();
    const good = readFileSync(file);
    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x10;
    const problem = (bytes: Buffer, settings = SETTINGS) => {
      try {
        decodeCollectionIndex(bytes, settings);
        return 'accepted';
      } catch (error) {
        return error instanceof SavedIndexError ? error.code : 'other error';
      }
    };
    expect(problem(good)).toBe('accepted');
    expect(problem(flipped)).toBe('checksum');
    expect(problem(good.subarray(0, good.length - 8))).toBe('checksum');
    expect(problem(Buffer.from('not an index at all, just text'))).toBe('not-an-index');
    expect(problem(good, { ...SETTINGS, prefixLength: SETTINGS.prefixLength + 1 })).toBe('other-settings');
    // Whole and checksummed, but written by code that analyses text otherwise, or inconsistent.
    expect(problem(rewrittenMetadata(good, (metadata) => (metadata.fingerprint = 'other')))).toBe(
      'other-analysis',
    );
    expect(problem(rewrittenMetadata(good, (metadata) => (metadata.termsById = ['один'])))).toBe(
      'inconsistent',
    );
    expect(problem(rewrittenMetadata(good, (metadata) => (metadata.chunkIds = [])))).toBe('inconsistent');
    expect(problem(rewrittenMetadata(good, (metadata) => (metadata.chunkIds = [1, 2])))).toBe('inconsistent');
    expect(
      problem(rewrittenMetadata(good, (metadata) => (metadata.documents = [['faq-gift', 'stamp', 0]]))),
    ).toBe('inconsistent');

    writeFileSync(file, flipped);
    const kb = await open();
    try {
      expect(await readSavedIndex(kb.store, COLLECTION, SETTINGS)).toBeUndefined();
      const defaults = retrieverOn(kb);
      const rebuilt = retrieverOn(kb, withoutSavedIndexes(kb.store));
      for (const query of QUERIES)
        expect(await defaults.search(query, { topK: 10 })).toEqual(await rebuilt.search(query, { topK: 10 }));
    } finally {
      await kb.close();
    }
    // The retriever's own index (default settings) was saved over the damaged file.
    const replaced = readFileSync(file);
    expect(problem(replaced)).toBe('other-settings');
    expect(
      problem(replaced, {
        bm25: DEFAULT_RETRIEVER_SETTINGS.bm25,
        prefixLength: DEFAULT_RETRIEVER_SETTINGS.prefixLength,
        bodyNgrams: false,
      }),
    ).toBe('accepted');
  });

  it('goes with its collection when the collection is dropped', async () => {
    await saveWithSettings();
    savedFile();
    const kb = await open();
    await kb.store.dropCollection(COLLECTION);
    await kb.close();
    expect(readdirSync(path.join(dataDir, 'indexes'))).toEqual([]);
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createHashedNgramEmbedder } from '../embeddings/hashed-ngrams.ts';
import { oneChunkFaq } from '../test-support/documents.ts';
import { describeKnowledgeStoreConformance } from './knowledge-store.conformance.ts';
import type { KnowledgeStore } from './knowledge-store.ts';
import { createLexicalIndex } from './lexical-index.ts';
import { openSqliteStore } from './sqlite-store.ts';

const directories: string[] = [];
function freshDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-store-'));
  directories.push(directory);
  return directory;
}
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describeKnowledgeStoreConformance('sqlite', () => openSqliteStore({ dataDir: freshDirectory() }));

describe('sqlite knowledge store', () => {
  const embedder = createHashedNgramEmbedder({ dimensions: 32 });

  /** One-chunk FAQ documents whose vectors are all alike: only the words tell them apart. */
  const faq = (documentId: string, text: string) =>
    oneChunkFaq(documentId, text, new Float32Array(32).fill(1 / Math.sqrt(32)));
  const lexicalSearch = async (store: KnowledgeStore, text: string) =>
    (await store.search('kb', { text, topK: 3 })).map((hit) => hit.documentId);

  it('saves the lexical index once it is large, and a reopened store catches up from it', async () => {
    const dataDir = freshDirectory();
    const writer = await openSqliteStore({ dataDir });
    await writer.ensureCollection('kb', embedder);
    const filler = Array.from({ length: 6_000 }, (_, index) =>
      faq(`filler-${index}`, `заполнитель номер ${index}`),
    );
    await writer.upsertDocuments('kb', [
      ...filler,
      faq('watch', 'Гарантия на часы'),
      faq('ring', 'Размер кольца'),
    ]);
    const reader = await openSqliteStore({ dataDir });
    expect(await lexicalSearch(reader, 'гарантия часов')).toEqual(['watch']);
    await reader.close();
    const database = new DatabaseSync(path.join(dataDir, 'knowledge.sqlite'));
    const saved = database.prepare('SELECT generation, last_rowid FROM lexical_snapshots').all();
    database.close();
    expect(saved).toHaveLength(1);

    // Another process changes the collection after the snapshot was taken.
    await writer.deleteDocuments('kb', ['watch']);
    await writer.upsertDocuments('kb', [faq('strap', 'Ремешок для часов')]);
    // Without the stems the snapshot covers, only a restored snapshot can still find «ring».
    const stems = new DatabaseSync(path.join(dataDir, 'knowledge.sqlite'));
    const removed = stems
      .prepare('DELETE FROM chunk_stems WHERE chunk_rowid <= ?')
      .run(saved[0]!.last_rowid as number);
    stems.close();
    expect(Number(removed.changes)).toBeGreaterThan(6_000);
    const reopened = await openSqliteStore({ dataDir });
    expect(await lexicalSearch(reopened, 'гарантия часов')).toEqual(['strap']);
    expect(await lexicalSearch(reopened, 'размер кольца')).toEqual(['ring']);
    await reopened.close();
    await writer.close();
  });

  it('ignores a lexical snapshot cut one byte short and loads the stems instead', async () => {
    const dataDir = freshDirectory();
    const writer = await openSqliteStore({ dataDir });
    await writer.ensureCollection('kb', embedder);
    await writer.upsertDocuments('kb', [faq('watch', 'Гарантия на часы'), faq('ring', 'Размер кольца')]);
    await writer.close();
    // A snapshot of exactly these stems, saved truncated: its last meta text loses a letter.
    const database = new DatabaseSync(path.join(dataDir, 'knowledge.sqlite'));
    const index = createLexicalIndex();
    let lastRowId = 0;
    for (const row of database
      .prepare('SELECT chunk_rowid, title, body, meta FROM chunk_stems ORDER BY chunk_rowid')
      .all()) {
      index.add(row.chunk_rowid as number, {
        title: row.title as string,
        body: row.body as string,
        meta: row.meta as string,
      });
      lastRowId = row.chunk_rowid as number;
    }
    const collection = database.prepare('SELECT id, generation FROM collections').get()!;
    const bytes = index.snapshot();
    database
      .prepare(
        'INSERT INTO lexical_snapshots (collection_id, generation, last_rowid, data) VALUES (?, ?, ?, ?)',
      )
      .run(
        collection.id as number,
        collection.generation as number,
        lastRowId,
        bytes.subarray(0, bytes.length - 1),
      );
    database.close();

    const reopened = await openSqliteStore({ dataDir });
    const hits = await reopened.search('kb', {
      text: 'размер кольца',
      topK: 3,
      filter: { languages: ['ru'] },
    });
    expect(hits.map((hit) => hit.documentId)).toEqual(['ring']);
    await reopened.close();
  });

  /** The tables of a store file whose names start with `prefix`. */
  const tablesNamed = (dataDir: string, prefix: string): string[] => {
    const database = new DatabaseSync(path.join(dataDir, 'knowledge.sqlite'));
    const names = database
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, length(?)) = ?")
      .all(prefix, prefix)
      .map((row) => row.name as string);
    database.close();
    return names;
  };

  it.each([
    { version: 3, was: 'without chunk stems, with FTS5 tables' },
    { version: 4, was: 'with chunk stems and FTS5 tables' },
  ])(
    'migrates a schema $version store ($was): drops its FTS5 tables once, and searches it',
    async ({ version }) => {
      const dataDir = freshDirectory();
      const store = await openSqliteStore({ dataDir });
      await store.ensureCollection('kb', embedder);
      await store.ensureCollection('other', embedder);
      await store.upsertDocuments('kb', [faq('watch', 'Гарантия на часы'), faq('ring', 'Размер кольца')]);
      await store.close();
      // Rebuild what that schema had on disk: a full-text table (and its vocabulary) per collection.
      const database = new DatabaseSync(path.join(dataDir, 'knowledge.sqlite'));
      for (const row of database.prepare('SELECT id FROM collections').all()) {
        const table = `chunks_fts_${row.id as number}`;
        database.exec(
          `CREATE VIRTUAL TABLE ${table} USING fts5(title, body, meta, content='', contentless_delete=1, ` +
            `tokenize="unicode61 remove_diacritics 0 tokenchars '_'")`,
        );
        database.exec(`INSERT INTO ${table} (rowid, title, body, meta) SELECT chunk_rowid, title, body, meta
        FROM chunk_stems WHERE collection_id = ${row.id as number}`);
        database.exec(`CREATE VIRTUAL TABLE ${table}_vocabulary USING fts5vocab(${table}, 'row')`);
      }
      if (version === 3) database.exec('DROP TABLE chunk_stems; DROP TABLE lexical_snapshots');
      database.exec(`PRAGMA user_version = ${version}`);
      database.close();
      expect(tablesNamed(dataDir, 'chunks_fts_').length).toBeGreaterThanOrEqual(4);

      const migrated = await openSqliteStore({ dataDir });
      expect(tablesNamed(dataDir, 'chunks_fts_')).toEqual([]);
      expect(await lexicalSearch(migrated, 'размеры колец')).toEqual(['ring']);
      await migrated.upsertDocuments('kb', [faq('strap', 'Ремешок для часов')]);
      expect(await lexicalSearch(migrated, 'ремешок')).toEqual(['strap']);
      await migrated.close();
      const reopened = await openSqliteStore({ dataDir });
      expect(await lexicalSearch(reopened, 'гарантия часов')).toEqual(['watch', 'strap']);
      expect(await reopened.dropCollection('other')).toBe(true);
      await reopened.close();
    },
  );

  it('migrates a schema 5 store: adds the history table and keeps every document', async () => {
    const dataDir = freshDirectory();
    const store = await openSqliteStore({ dataDir });
    await store.ensureCollection('kb', embedder);
    await store.upsertDocuments('kb', [faq('ring', 'Размер кольца')]);
    await store.close();
    const database = new DatabaseSync(path.join(dataDir, 'knowledge.sqlite'));
    database.exec('DROP TABLE history; ALTER TABLE collections DROP COLUMN history_generation');
    database.exec('PRAGMA user_version = 5');
    database.close();

    const migrated = await openSqliteStore({ dataDir });
    expect(await lexicalSearch(migrated, 'размер кольца')).toEqual(['ring']);
    expect((await migrated.getCollection('kb'))?.historyGeneration).toBe(0);
    await migrated.addHistory('kb', [
      {
        id: 'h1',
        question: 'Какой размер у кольца?',
        documentIds: ['ring'],
        source: 'import',
        createdAt: '2026-11-01T00:00:00.000Z',
      },
    ]);
    expect((await migrated.stats('kb')).history).toBe(1);
    await migrated.close();
  });

  it('lets another open store see a history change through historyGeneration', async () => {
    const dataDir = freshDirectory();
    const writer = await openSqliteStore({ dataDir });
    const reader = await openSqliteStore({ dataDir });
    await writer.ensureCollection('kb', embedder);
    const before = (await reader.getCollection('kb'))?.historyGeneration;
    await writer.addHistory('kb', [
      {
        id: 'h1',
        question: 'Вопрос',
        documentIds: [],
        source: 'feedback',
        createdAt: '2026-11-01T00:00:00Z',
      },
    ]);
    expect((await reader.getCollection('kb'))?.historyGeneration).toBeGreaterThan(before ?? 0);
    expect((await reader.listHistory('kb')).map((entry) => entry.id)).toEqual(['h1']);
    await writer.close();
    await reader.close();
  });

  it('opens and searches a current store while another process holds the write lock', async () => {
    const dataDir = freshDirectory();
    const writer = await openSqliteStore({ dataDir });
    await writer.ensureCollection('kb', embedder);
    await writer.upsertDocuments('kb', [faq('watch', 'Гарантия на часы')]);
    await writer.close();
    // Stands in for an ingest in another process, mid-transaction.
    const ingest = new DatabaseSync(path.join(dataDir, 'knowledge.sqlite'));
    ingest.exec('BEGIN IMMEDIATE');
    try {
      const reader = await openSqliteStore({ dataDir });
      expect(await lexicalSearch(reader, 'гарантия часов')).toEqual(['watch']);
      await reader.close();
    } finally {
      ingest.exec('ROLLBACK');
      ingest.close();
    }
  });

  it('forgets the indexes of a collection another process dropped and created again', async () => {
    const dataDir = freshDirectory();
    const writer = await openSqliteStore({ dataDir });
    const reader = await openSqliteStore({ dataDir });
    const searchBoth = async (text: string) => {
      const [vector] = await embedder.embedDocuments([text]);
      return (await reader.search('kb', { text, vector: vector!, topK: 3 })).map((hit) => hit.documentId);
    };
    await writer.ensureCollection('kb', embedder);
    await writer.upsertDocuments('kb', [faq('watch', 'Гарантия на часы')]);
    expect(await searchBoth('гарантия часов')).toEqual(['watch']);
    const [first] = reader.indexedCollectionIds();

    // `--rebuild` in another process: the same name, a new collection id.
    await writer.dropCollection('kb');
    await writer.ensureCollection('kb', embedder);
    await writer.upsertDocuments('kb', [faq('ring', 'Размер кольца')]);
    expect(await searchBoth('размер кольца')).toEqual(['ring']);
    const held = reader.indexedCollectionIds();
    expect(held).toHaveLength(1);
    expect(held[0]).not.toBe(first);
    await reader.close();
    await writer.close();
  });

  it('gives no candidate for a chunk another process deleted or replaced after it was a candidate', async () => {
    const dataDir = freshDirectory();
    const writer = await openSqliteStore({ dataDir });
    const reader = await openSqliteStore({ dataDir });
    const candidates = async (text: string) => {
      const [vector] = await embedder.embedDocuments([text]);
      const found = await reader.searchCandidates('kb', {
        text,
        vector: vector!,
        lexicalTopK: 5,
        vectorTopK: 5,
      });
      return [...found.lexical, ...found.vector].map((candidate) => candidate.chunkId).sort();
    };
    await writer.ensureCollection('kb', embedder);
    await writer.upsertDocuments('kb', [faq('watch', 'Гарантия на часы'), faq('strap', 'Ремешок для часов')]);
    expect(await candidates('часы')).toEqual(['strap#0', 'strap#0', 'watch#0', 'watch#0']);

    // The keys the reader remembered for these rows must not outlive them.
    await writer.deleteDocuments('kb', ['watch']);
    await writer.upsertDocuments('kb', [{ ...faq('strap', 'Ремешок для часов'), contentHash: 'changed' }]);
    expect(await candidates('часы')).toEqual(['strap#0', 'strap#0']);
    await reader.close();
    await writer.close();
  });

  it('writes no FTS5 tables for new collections', async () => {
    const dataDir = freshDirectory();
    const store = await openSqliteStore({ dataDir });
    await store.ensureCollection('kb', embedder);
    await store.upsertDocuments('kb', [faq('watch', 'Гарантия на часы')]);
    await store.close();
    expect(tablesNamed(dataDir, 'chunks_fts')).toEqual([]);
    expect(tablesNamed(dataDir, 'chunk_stems')).toEqual(['chunk_stems']);
  });

  it('keeps collections and chunks across a close and reopen', async () => {
    const dataDir = freshDirectory();
    const store = await openSqliteStore({ dataDir });
    await store.ensureCollection('kb', embedder);
    const [vector] = await embedder.embedDocuments(['Гарантия на часы']);
    await store.upsertDocuments('kb', [
      {
        documentId: 'faq-watch',
        kind: 'faq',
        title: 'Гарантия на часы',
        contentHash: 'h1',
        source: 'faq.csv',
        sourcePath: '/kb/faq.csv',
        chunks: [
          {
            chunkId: 'faq-watch#0',
            documentId: 'faq-watch',
            ordinal: 0,
            kind: 'faq',
            title: 'Гарантия на часы',
            titlePath: ['Гарантия на часы'],
            text: 'Гарантия на часы — по гарантийному талону производителя.',
            language: 'ru',
            tags: ['гарантия'],
            source: 'faq.csv',
            vector: vector!,
          },
        ],
      },
    ]);
    await store.close();
    const reopened = await openSqliteStore({ dataDir });
    const hits = await reopened.search('kb', { text: 'гарантией часов', topK: 3 });
    expect(hits.map((hit) => hit.documentId)).toEqual(['faq-watch']);
    await reopened.close();
  });

  it('keeps tenants apart in one data directory', async () => {
    const dataDir = freshDirectory();
    const first = await openSqliteStore({ dataDir, tenant: 'first' });
    const second = await openSqliteStore({ dataDir, tenant: 'second' });
    await first.ensureCollection('kb', embedder);
    expect(await second.getCollection('kb')).toBeUndefined();
    expect((await first.listCollections()).map((collection) => collection.name)).toEqual(['kb']);
    await second.ensureCollection('kb', embedder);
    await first.addHistory('kb', [
      {
        id: 'h1',
        question: 'Вопрос первого',
        documentIds: [],
        source: 'import',
        createdAt: '2026-11-01T00:00:00Z',
      },
    ]);
    expect(await second.listHistory('kb')).toEqual([]);
    expect(await second.deleteHistory('kb', { ids: ['h1'] })).toBe(0);
    expect((await first.listHistory('kb')).map((entry) => entry.id)).toEqual(['h1']);
    await first.close();
    await second.close();
  });

  it('leaves every document whole when the writing process is killed mid-ingest', async () => {
    const dataDir = freshDirectory();
    const writer = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
    const child = spawn(process.execPath, [writer, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    // Wait until the writer has committed some batches and is inside later ones, then kill it.
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => {
        if (data.toString().includes('batch 3')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('error', reject);
      child.on('exit', () => resolve());
    });
    await new Promise((resolve) => child.on('close', resolve));

    const store = await openSqliteStore({ dataDir });
    const documents = await store.listDocuments('crash');
    expect(documents.length).toBeGreaterThan(0);
    // Each document was written with exactly 3 chunks: a torn write would leave fewer.
    const chunks = await store.listChunks('crash');
    const perDocument = new Map<string, number>();
    for (const chunk of chunks)
      perDocument.set(chunk.documentId, (perDocument.get(chunk.documentId) ?? 0) + 1);
    expect([...perDocument.values()].every((count) => count === 3)).toBe(true);
    expect(perDocument.size).toBe(documents.length);
    const hits = await store.search('crash', { text: 'документ', topK: 5 });
    expect(hits.length).toBeGreaterThan(0);
    await store.close();
  });
});

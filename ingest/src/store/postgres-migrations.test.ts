import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createHashedNgramEmbedder } from '../embeddings/hashed-ngrams.ts';
import { oneChunkFaq } from '../test-support/documents.ts';
import {
  dropTestSchemas,
  freshSchemaUrl,
  reportSkippedPostgres,
  testDatabaseUrl,
} from '../test-support/postgres.ts';
import {
  KNOWLEDGE_COMPONENT,
  KNOWLEDGE_MIGRATIONS,
  type Migration,
  migrate,
  migrationProblems,
} from './postgres-migrations.ts';
import { openPostgresStore } from './postgres-store.ts';

reportSkippedPostgres('postgres-migrations.test.ts');
afterAll(dropTestSchemas);

describe('knowledge store migrations', () => {
  it('are numbered 1, 2, 3… and each one after the first only expands the schema', () => {
    expect(KNOWLEDGE_MIGRATIONS.map((migration) => migration.version)).toEqual(
      KNOWLEDGE_MIGRATIONS.map((_, index) => index + 1),
    );
    expect(KNOWLEDGE_MIGRATIONS.flatMap(migrationProblems)).toEqual([]);
  });

  it('flags statements that would rewrite or lock a live table', () => {
    const next = (statements: string[], transaction?: false): Migration => ({
      version: 2,
      name: 'next',
      statements,
      ...(transaction === false ? { transaction } : {}),
    });
    expect(migrationProblems(next(['ALTER TABLE kb_chunks ADD COLUMN valid_until text']))).toEqual([]);
    expect(
      migrationProblems(next(["ALTER TABLE kb_chunks ADD COLUMN lang2 text NOT NULL DEFAULT 'ru'"])),
    ).toEqual([]);
    expect(
      migrationProblems(next(['CREATE INDEX CONCURRENTLY kb_chunks_by_kind ON kb_chunks (kind)'], false)),
    ).toEqual([]);
    // A new table's index is built with it: nothing reads the table yet, so nothing waits.
    expect(
      migrationProblems(
        next(['CREATE TABLE kb_marks (id text NOT NULL)', 'CREATE INDEX kb_marks_by_id ON kb_marks (id)']),
      ),
    ).toEqual([]);
    expect(
      migrationProblems(
        next(['CREATE INDEX kb_marks_by_id ON kb_marks (id)', 'CREATE TABLE kb_marks (id text NOT NULL)']),
      ),
    ).not.toEqual([]);
    for (const statement of [
      'ALTER TABLE kb_chunks ALTER COLUMN ordinal TYPE bigint',
      'ALTER TABLE kb_chunks ADD COLUMN seen timestamptz DEFAULT now()',
      'ALTER TABLE kb_chunks ADD COLUMN required text NOT NULL',
      'CREATE INDEX kb_chunks_by_kind ON kb_chunks (kind)',
      'DROP TABLE kb_history',
    ]) {
      expect(migrationProblems(next([statement])), statement).not.toEqual([]);
    }
    expect(
      migrationProblems(
        next(['ALTER TABLE kb_chunks ADD COLUMN a text', 'ALTER TABLE kb_documents ADD COLUMN b text']),
      ),
    ).toEqual(['version 2: alters kb_chunks, kb_documents in one transaction: one live table per migration']);
    expect(migrationProblems(next(['CREATE INDEX CONCURRENTLY i ON kb_chunks (kind)']))).toEqual([
      'version 2: CONCURRENTLY needs transaction: false',
    ]);
  });
});

describe.skipIf(!testDatabaseUrl)('knowledge store migrations on PostgreSQL', () => {
  it('applies the next migration while another process searches and writes, without failing either', async () => {
    const connectionString = await freshSchemaUrl();
    const embedder = createHashedNgramEmbedder({ dimensions: 32 });
    const live = await openPostgresStore({ connectionString });
    await live.ensureCollection('kb', embedder);
    const document = async (index: number) => {
      const text = `Вопрос номер ${index} про доставку`;
      return oneChunkFaq(`doc-${index}`, text, (await embedder.embedDocuments([text]))[0]!);
    };
    let stop = false;
    let operations = 0;
    const load = (async () => {
      for (let index = 0; !stop; index++) {
        await live.upsertDocuments('kb', [await document(index)]);
        const query = `доставка ${index}`;
        await live.search('kb', { text: query, vector: await embedder.embedQuery(query), topK: 3 });
        operations++;
      }
    })();

    const next: Migration[] = [
      ...KNOWLEDGE_MIGRATIONS,
      {
        version: KNOWLEDGE_MIGRATIONS.length + 1,
        name: 'test: validity of chunks',
        statements: ['ALTER TABLE kb_chunks ADD COLUMN valid_until text'],
      },
      {
        version: KNOWLEDGE_MIGRATIONS.length + 2,
        name: 'test: chunks by kind',
        statements: ['CREATE INDEX CONCURRENTLY kb_chunks_by_kind_test ON kb_chunks (collection_id, kind)'],
        transaction: false,
      },
    ];
    expect(next.flatMap(migrationProblems)).toEqual([]);
    while (operations < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    const pool = new pg.Pool({ connectionString });
    try {
      expect(await migrate(pool, KNOWLEDGE_COMPONENT, next)).toEqual([next.length - 1, next.length]);
      expect(await migrate(pool, KNOWLEDGE_COMPONENT, next)).toEqual([]);
      const done = operations;
      while (operations < done + 3) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      stop = true;
      await load;
      await pool.end();
    }
    // A process of the older version still opens the migrated database and reads it.
    const older = await openPostgresStore({ connectionString });
    expect((await older.stats('kb')).documents).toBe(operations);
    await Promise.all([older.close(), live.close()]);
  }, 60_000);
});

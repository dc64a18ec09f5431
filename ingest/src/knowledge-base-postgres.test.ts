import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIngestConfig } from './config.ts';
import { DEMO_KB_PATHS, openKnowledgeBase } from './knowledge-base.ts';
import {
  dropTestSchemas,
  freshSchemaUrl,
  reportSkippedPostgres,
  testDatabaseUrl,
} from './test-support/postgres.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const directories: string[] = [];
const emptyDirectory = () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-kb-pg-'));
  directories.push(directory);
  return directory;
};

reportSkippedPostgres('knowledge-base-postgres.test.ts');
afterAll(async () => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  await dropTestSchemas();
});

describe.skipIf(!testDatabaseUrl)('knowledge base on PostgreSQL (DATABASE_URL)', () => {
  it('serves the whole knowledge base to another process started with only DATABASE_URL and an empty data dir', async () => {
    const databaseUrl = await freshSchemaUrl();
    const run = (dataDir: string, ...args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args, '--data-dir', dataDir], {
        encoding: 'utf8',
        env: { ...process.env, INIT_CWD: '', DATABASE_URL: databaseUrl },
      });

    const ingested = run(emptyDirectory(), 'ingest', ...DEMO_KB_PATHS, '--collection', 'demo', '--json');
    expect(ingested.stderr).toBe('');
    expect(JSON.parse(ingested.stdout).chunks).toBeGreaterThan(20);

    const readerDirectory = emptyDirectory();
    const searched = run(
      readerDirectory,
      'search',
      'сколько стоит доставка',
      '--collection',
      'demo',
      '--json',
    );
    expect(searched.status).toBe(0);
    const hits = JSON.parse(searched.stdout) as Array<{ documentId: string; text: string }>;
    expect(hits[0]?.text).toMatch(/доставк/iu);
    // Nothing of the knowledge base was written to the data dir.
    expect(readdirSync(readerDirectory)).toEqual([]);

    // The same search in this process, through the config module, finds the same first hit.
    const kb = await openKnowledgeBase({
      config: loadIngestConfig({ DATABASE_URL: databaseUrl, NAPARNIK_DATA_DIR: emptyDirectory() }),
    });
    expect(kb.store.backend).toBe('postgres');
    expect((await kb.search('demo', 'сколько стоит доставка'))[0]?.documentId).toBe(hits[0]?.documentId);
    await kb.close();
  }, 120_000);
});

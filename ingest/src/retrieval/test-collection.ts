import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadIngestConfig } from '../config.ts';
import { type KnowledgeBase, openKnowledgeBase } from '../knowledge-base.ts';

/** Tests only: a real knowledge base on disk holding these FAQ records in one collection. */
export async function openTestCollection(
  records: ReadonlyArray<{ id: string; question: string; answer: string; tags?: string[] }>,
  collection: string,
): Promise<{ kb: KnowledgeBase; close(): Promise<void> }> {
  const directory = mkdtempSync(path.join(tmpdir(), 'retrieval-test-'));
  const file = path.join(directory, 'kb.jsonl');
  writeFileSync(
    file,
    records.map((record) => JSON.stringify({ ...record, kind: 'faq', language: 'ru' })).join('\n'),
  );
  const dataDir = path.join(directory, 'data');
  const kb = await openKnowledgeBase({ dataDir, config: { ...loadIngestConfig({}), dataDir } });
  await kb.ingest([file], { collection });
  return {
    kb,
    async close() {
      await kb.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

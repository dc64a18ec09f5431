import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadIngestConfig } from '../config.ts';
import { type KnowledgeBase, openKnowledgeBase } from '../knowledge-base.ts';
import type { SearchFilter } from '../model.ts';
import type { KnowledgeStore } from '../store/knowledge-store.ts';
import { analyze } from '../text/analyze.ts';
import type { CollectionIndex } from './collection-index.ts';

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

/** The store as it is, recording which documents the index builder reads chunks of. */
export function recordingReads(store: KnowledgeStore, reads: string[][]): KnowledgeStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'listChunks') {
        return (collection: string, filter?: SearchFilter) => {
          reads.push([...(filter?.documentIds ?? ['*'])]);
          return target.listChunks(collection, filter);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Every figure a search takes from the index, over every position, for these queries. */
export function everything(index: CollectionIndex, queries: readonly string[]) {
  const positions = Array.from({ length: index.size }, (_, position) => position);
  const sorted = (scores: Map<number, number>) => [...scores].sort(([a], [b]) => a - b);
  return {
    size: index.size,
    positions: [...index.positionByChunkId].sort(([a], [b]) => a.localeCompare(b)),
    queries: queries.map((query) => {
      const stems = analyze(query);
      const terms = stems.map((term) => ({ term, weight: 1 }));
      return {
        frequencies: stems.map((stem) => index.documentFrequency(stem)),
        lexical: sorted(index.lexicalScores(terms, positions)),
        titles: sorted(index.titleSimilarities(query, positions)),
        bodies: sorted(index.bodySimilarities(query, positions)),
        typos: stems.map((stem) => index.typos().corrections(stem)),
        glossary: index.glossary.expansions(stems),
      };
    }),
  };
}

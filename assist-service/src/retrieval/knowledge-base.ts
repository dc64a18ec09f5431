import type { IngestSummary } from '@naparnik/ingest';
import type { CollectionInfo, KnowledgeStore, SearchQuery } from '@naparnik/ingest/store';
import { collectionNotFound, notReady } from '../errors.ts';

export type SearchHit = Awaited<ReturnType<KnowledgeStore['search']>>[number];
export type SearchFilter = NonNullable<SearchQuery['filter']>;
export type Chunk = Awaited<ReturnType<KnowledgeStore['listChunks']>>[number];

/**
 * The part of `@naparnik/ingest`'s KnowledgeBase the service uses: its store for bookkeeping and
 * its hybrid search, the one search the CLI, the evals and the service share.
 */
export interface KnowledgeBaseLike {
  readonly store: KnowledgeStore;
  search(
    collection: string,
    text: string,
    options: { topK: number; filter?: SearchFilter },
  ): Promise<SearchHit[]>;
  /**
   * The CLI's ingest (`@naparnik/ingest`'s `KnowledgeBase.ingest`): the console's uploads and
   * re-ingests name one file under one folder (`only`). Absent where a test hands in a bare store.
   */
  ingest?(
    paths: string[],
    options: { collection: string; only?: string[]; documents?: string[] },
  ): Promise<IngestSummary>;
}

/** Undefined until the knowledge base is open (and the demo ingested): requests then get 503. */
export type KnowledgeSource = () => KnowledgeBaseLike | undefined;

export function requireKnowledge(source: KnowledgeSource): KnowledgeBaseLike {
  const knowledge = source();
  if (!knowledge) throw notReady();
  return knowledge;
}

export async function requireCollection(knowledge: KnowledgeBaseLike, name: string): Promise<CollectionInfo> {
  const collection = await knowledge.store.getCollection(name);
  if (!collection) throw collectionNotFound(name);
  return collection;
}

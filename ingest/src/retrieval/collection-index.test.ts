import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIngestConfig } from '../config.ts';
import { type KnowledgeBase, openKnowledgeBase } from '../knowledge-base.ts';
import type { CollectionIndex, CollectionIndexSettings } from './collection-index.ts';
import { createRetriever, DEFAULT_RETRIEVER_SETTINGS, readCollectionIndex } from './retriever.ts';
import { everything, recordingReads } from './test-collection.ts';

const FIXTURE_KB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/pipeline/kb');
const COLLECTION = 'shop';

const RECORDS = [
  {
    id: 'faq-pickup',
    question: 'Сколько заказ хранится в пункте выдачи?',
    answer: 'Заказ ждёт в пункте выдачи 7 дней.',
  },
  {
    id: 'faq-club',
    question: 'Как вступить в Клуб Друзей?',
    answer: 'Зарегистрируйтесь в личном кабинете и отметьте «Клуб Друзей».',
  },
  {
    id: 'faq-password',
    question: 'Как поменять пароль?',
    answer: 'Откройте настройки профиля и смените пароль.',
  },
  {
    id: 'faq-courier',
    question: 'Когда приедет курьер?',
    answer: 'Курьер звонит за час до приезда; интервал выбирается при оформлении.',
  },
];
const QUERIES = [
  'сколько стоит доставка курьером',
  'вернуть бижутерию',
  'как ухаживать за серебром',
  'сертификат подарочный срок',
  'пароль от личного кабинета',
  'программа лояльности',
  'сколко ждёт заказ в пвз',
  'курьер опаздывает',
];
const SETTINGS: CollectionIndexSettings = {
  bm25: DEFAULT_RETRIEVER_SETTINGS.bm25,
  prefixLength: DEFAULT_RETRIEVER_SETTINGS.prefixLength,
  bodyNgrams: true,
};

function writeRecords(directory: string, records: ReadonlyArray<(typeof RECORDS)[number]>) {
  writeFileSync(
    path.join(directory, 'faq.jsonl'),
    records.map((record) => JSON.stringify({ ...record, kind: 'faq', language: 'ru' })).join('\n'),
  );
}

describe('collection index after a write', () => {
  let directory: string;
  let kb: KnowledgeBase;
  let before: CollectionIndex;
  const reads: string[][] = [];

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'collection-index-'));
    const sources = path.join(directory, 'kb');
    cpSync(FIXTURE_KB, sources, { recursive: true });
    writeRecords(sources, RECORDS);
    writeFileSync(
      path.join(sources, 'glossary.yaml'),
      'naparnik: glossary\nid: shop-glossary\ngroups:\n  - terms: [Клуб Друзей, программа лояльности]\n',
    );
    const dataDir = path.join(directory, 'data');
    kb = await openKnowledgeBase({ dataDir, config: { ...loadIngestConfig({}), dataDir } });
    await kb.ingest([sources], { collection: COLLECTION });
    before = await readCollectionIndex(kb.store, COLLECTION, SETTINGS);
    // The knowledge base's own index (through its cache) is built before the write too.
    await createRetriever({ store: kb.store, embedder: kb.embedder, collection: COLLECTION }).search(
      QUERIES[0]!,
    );
    // One document rewritten, one added, one deleted.
    writeRecords(sources, [
      ...RECORDS.slice(0, 2),
      { ...RECORDS[2]!, answer: 'Пароль меняется в настройках профиля, раздел «Безопасность».' },
      {
        id: 'faq-lost',
        question: 'Курьер потерял заказ, что делать?',
        answer: 'Напишите нам, мы вернём деньги.',
      },
    ]);
    await kb.ingest([path.join(sources, 'faq.jsonl')], { collection: COLLECTION });
    await kb.store.deleteDocuments(COLLECTION, ['faq-courier']);
  });
  afterAll(async () => {
    await kb.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('reads only the documents that changed and scores every chunk as a full rebuild does', async () => {
    const store = recordingReads(kb.store, reads);
    const updated = await readCollectionIndex(store, COLLECTION, SETTINGS, Promise.resolve(before));
    expect(reads.flat().sort()).toEqual(['faq-lost', 'faq-password']);
    const rebuilt = await readCollectionIndex(kb.store, COLLECTION, SETTINGS);
    expect(updated.size).toBe(before.size);
    expect(updated.positionByChunkId.has('faq-courier#0')).toBe(false);
    expect(everything(updated, QUERIES)).toEqual(everything(rebuilt, QUERIES));
    expect(everything(updated, QUERIES)).not.toEqual(everything(before, QUERIES));
  });

  it('gives the same hits and scores through a retriever as a process that builds it afresh', async () => {
    const dataDir = path.join(directory, 'data');
    const fresh = await openKnowledgeBase({ dataDir, config: { ...loadIngestConfig({}), dataDir } });
    try {
      // `kb` searched before the write, so its index is brought up to date; `fresh` builds its own.
      const updatedRetriever = createRetriever({
        store: kb.store,
        embedder: kb.embedder,
        collection: COLLECTION,
      });
      const freshRetriever = createRetriever({
        store: fresh.store,
        embedder: fresh.embedder,
        collection: COLLECTION,
      });
      for (const query of QUERIES) {
        expect(await updatedRetriever.search(query, { topK: 10 })).toEqual(
          await freshRetriever.search(query, { topK: 10 }),
        );
      }
    } finally {
      await fresh.close();
    }
  });
});

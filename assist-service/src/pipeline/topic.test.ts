import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type KnowledgeBase, loadIngestConfig, openKnowledgeBase } from '@naparnik/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopicModel, DEFAULT_TOPIC_SETTINGS, routingTopicLabels, topicOf } from './topic.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'topics.jsonl');

describe('topic model', () => {
  let dataDir: string;
  let kb: KnowledgeBase;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'naparnik-topic-'));
    kb = await openKnowledgeBase({ dataDir, config: { ...loadIngestConfig({}), dataDir } });
    await kb.ingest([FIXTURE], { collection: 'shop' });
  });
  afterAll(async () => {
    await kb.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the routing rules a topic only when it is more likely than not', () => {
    const labels = ['Маркетплейсы', 'отзыв'];
    expect(routingTopicLabels({ label: 'Маркетплейсы', score: 0.72, labels }, 0.6)).toEqual(labels);
    expect(routingTopicLabels({ label: 'Маркетплейсы', score: 0.37, labels }, 0.6)).toEqual([]);
    expect(routingTopicLabels(null, 0.6)).toEqual([]);
  });

  it('gives the routing rules no topic when nothing the search found is about the question', () => {
    const labels = ['Возврат и обмен'];
    expect(routingTopicLabels({ label: 'Возврат и обмен', score: 0.7, labels }, 0.02)).toEqual([]);
  });

  it('takes an entry’s category as its topic, else its first tag', () => {
    expect(topicOf({ category: 'Оплата', tags: ['Способы'] })).toBe('Оплата');
    expect(topicOf({ tags: ['Доставка', 'Сроки'] })).toBe('Доставка');
    expect(topicOf({ tags: [] })).toBeUndefined();
  });

  it('names the top-level topic of what the search found, with the winner’s refinements', async () => {
    const model = createTopicModel();
    const collection = (await kb.store.getCollection('shop'))!;
    const text = 'подскажите, когда курьер привезёт заказ';
    const hits = await kb.search('shop', text, { topK: 5 });
    const topic = await model.detect(kb, collection, text, hits);
    // Ingest keeps tags lower-cased: labels are compared without case everywhere.
    expect(topic?.label.toLowerCase()).toBe('доставка');
    expect(topic?.labels.map((label) => label.toLowerCase())).toEqual(
      expect.arrayContaining(['доставка', 'сроки']),
    );
    expect(topic!.score).toBeGreaterThan(0.5);
  });

  it('learns the team’s wording from labelled history when the search finds nothing', async () => {
    const model = createTopicModel({ ...DEFAULT_TOPIC_SETTINGS, historyRefreshMs: 0 });
    const text = 'верните бабки за брак';
    const before = await model.detect(kb, (await kb.store.getCollection('shop'))!, text, []);
    await kb.store.addHistory('shop', [
      {
        id: 'h-1',
        question: 'верните бабки, вещь бракованная',
        topic: 'Возврат',
        documentIds: [],
        source: 'import',
        createdAt: new Date().toISOString(),
      },
      {
        id: 'h-2',
        question: 'бабки когда вернёте за брак?',
        topic: 'Возврат',
        documentIds: [],
        source: 'import',
        createdAt: new Date().toISOString(),
      },
    ]);
    const after = await model.detect(kb, (await kb.store.getCollection('shop'))!, text, []);
    expect(after?.label.toLowerCase()).toBe('возврат');
    expect(after!.score).toBeGreaterThan(before?.label === 'Возврат' ? before.score : 0);
  });

  it('keeps serving the classifier in hand after a history change until the refresh interval', async () => {
    const model = createTopicModel();
    const text = 'хочу узнать про брелоки для ключей';
    const first = await model.detect(kb, (await kb.store.getCollection('shop'))!, text, []);
    await kb.store.addHistory('shop', [
      {
        id: 'h-3',
        question: 'брелоки для ключей есть?',
        topic: 'Оплата',
        documentIds: [],
        source: 'import',
        createdAt: new Date().toISOString(),
      },
    ]);
    const second = await model.detect(kb, (await kb.store.getCollection('shop'))!, text, []);
    expect(second).toEqual(first);
  });

  it('retrains at once when an import changes the history by many entries, without waiting for the refresh', async () => {
    const model = createTopicModel();
    const text = 'нужна гравировка инициалов на кулоне';
    const first = await model.detect(kb, (await kb.store.getCollection('shop'))!, text, []);
    expect(first?.label.toLowerCase()).not.toBe('гравировка');
    const wordings = [
      'гравировка на кулоне',
      'сделаете гравировку инициалов?',
      'гравировка имени на браслете',
    ];
    await kb.store.addHistory(
      'shop',
      Array.from({ length: 30 }, (_, index) => ({
        id: `engraving-${index}`,
        question: `${wordings[index % wordings.length]} (${index})`,
        topic: 'Гравировка',
        documentIds: [],
        source: 'import' as const,
        createdAt: new Date().toISOString(),
      })),
    );
    const after = await model.detect(kb, (await kb.store.getCollection('shop'))!, text, []);
    expect(after?.label.toLowerCase()).toBe('гравировка');
  });

  it('names a topic as the team wrote it, not as ingest keeps tags (lower-cased)', async () => {
    const text = 'подскажите, когда курьер привезёт заказ';
    const hits = await kb.search('shop', text, { topK: 5 });
    const before = await createTopicModel().detect(kb, (await kb.store.getCollection('shop'))!, text, hits);
    expect(before?.label).toBe('доставка');
    await kb.store.addHistory('shop', [
      {
        id: 'written-1',
        question: 'где мой заказ, курьер не приехал',
        topic: 'Доставка',
        documentIds: [],
        source: 'import',
        createdAt: new Date().toISOString(),
      },
    ]);
    const after = await createTopicModel().detect(kb, (await kb.store.getCollection('shop'))!, text, hits);
    expect(after?.label).toBe('Доставка');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../knowledge-base.ts';
import { analyze } from '../text/analyze.ts';
import {
  DEFAULT_VOCABULARY_SETTINGS,
  learnVocabularyBridge,
  type VocabularyPair,
} from './history-vocabulary.ts';
import { createRetriever } from './retriever.ts';
import { openTestCollection } from './test-collection.ts';

function pair(documentId: string, question: string, answer: string): VocabularyPair {
  return { documentId, question: analyze(question), answer: analyze(answer) };
}

describe('vocabulary bridge', () => {
  const pairs = [
    pair('stream-start', 'как начать стрим', 'Как запустить трансляцию?'),
    pair('stream-private', 'можно стрим только для друзей', 'Как сделать трансляцию приватной?'),
    pair('stream-fps', 'стрим в 60 кадров пойдёт', 'Можно ли вести трансляцию в 60 FPS?'),
    pair('password', 'забыл пароль что делать', 'Как восстановить пароль?'),
    pair('channel-name', 'как переименовать канал', 'Как изменить название канала?'),
    pair('channel-cover', 'поменять шапку канала', 'Как изменить обложку канала?'),
    pair('comments', 'как закрыть комменты', 'Как отключить комментарии?'),
    pair('playlist', 'как собрать видосы в подборку', 'Как создать плейлист?'),
    pair('delete', 'хочу снести ролик', 'Как удалить видео?'),
    pair('verification', 'как получить галочку', 'Как пройти верификацию?'),
  ];

  it('links a customer word to the word the knowledge uses when several answers show it', () => {
    const bridge = learnVocabularyBridge(pairs);
    expect(bridge.linksOf(analyze('стрим')[0]!).map((link) => link.term)).toContain(analyze('трансляцию')[0]);
    const terms = bridge.terms(analyze('хочу провести стрим'));
    expect(terms).toContainEqual({
      term: analyze('трансляцию')[0],
      weight: DEFAULT_VOCABULARY_SETTINGS.weight,
    });
  });

  it('learns nothing from a link only one document shows: that is what the history votes are for', () => {
    const bridge = learnVocabularyBridge(pairs);
    expect(bridge.linksOf(analyze('забыл')[0]!)).toEqual([]);
    expect(bridge.linksOf(analyze('шапку')[0]!)).toEqual([]);
  });

  it('never links to a word every answer says, and never adds a word the query already has', () => {
    const everywhere = [
      pair('a', 'стрим не идёт', 'Почему трансляция на RUTUBE не идёт?'),
      pair('b', 'стрим тормозит', 'Почему трансляция на RUTUBE тормозит?'),
      pair('c', 'видео не грузится', 'Почему видео на RUTUBE не загружается?'),
      pair('d', 'коммент удалили', 'Почему комментарий на RUTUBE удалён?'),
    ];
    const bridge = learnVocabularyBridge(everywhere, { ...DEFAULT_VOCABULARY_SETTINGS, minimumLift: 1.5 });
    const linked = bridge.linksOf(analyze('стрим')[0]!).map((link) => link.term);
    expect(linked).toContain(analyze('трансляция')[0]);
    expect(linked).not.toContain(analyze('RUTUBE')[0]);
    expect(bridge.terms(analyze('стрим и трансляция')).map((term) => term.term)).not.toContain(
      analyze('трансляция')[0],
    );
  });

  it('is off at weight 0', () => {
    expect(
      learnVocabularyBridge(pairs, { ...DEFAULT_VOCABULARY_SETTINGS, weight: 0 }).terms(analyze('стрим')),
    ).toEqual([]);
  });
});

describe('retriever with a vocabulary learned from history', () => {
  let kb: KnowledgeBase;
  let close: () => Promise<void>;
  const records = [
    { id: 'stream-start', question: 'Как запустить трансляцию?', answer: 'В Студии нажмите «Создать».' },
    {
      id: 'stream-private',
      question: 'Как сделать трансляцию приватной?',
      answer: 'Выберите доступ по ссылке.',
    },
    {
      id: 'stream-record',
      question: 'Сохраняется ли запись трансляции?',
      answer: 'Да, она появится в Студии.',
    },
    { id: 'video-delete', question: 'Как удалить видео?', answer: 'Откройте видео в Студии и удалите его.' },
    {
      id: 'video-record',
      question: 'Где найти запись видео?',
      answer: 'Записи видео лежат в разделе «Видео».',
    },
  ];
  beforeAll(async () => {
    ({ kb, close } = await openTestCollection(records, 'test'));
  });
  afterAll(() => close());

  it('finds knowledge no past question was answered with, through words past questions taught', async () => {
    const history = [
      { text: 'как начать стрим?', documentIds: ['stream-start'] },
      { text: 'стрим можно закрыть от всех?', documentIds: ['stream-private'] },
      ...[
        'как снести ролик',
        'ролик убрать насовсем',
        'стереть свой ролик',
        'снести клип',
        'убрать клип с канала',
      ].map((text) => ({ text, documentIds: ['video-delete'] })),
    ];
    const question = 'запись стрима';
    const without = await createRetriever({ store: kb.store, collection: 'test' }).search(question, {
      topK: 2,
    });
    // Without the bridge only «запись» matches, and the video entry says it more.
    expect(without[0]?.documentId).toBe('video-record');
    const retriever = createRetriever({ store: kb.store, collection: 'test', history });
    const hits = await retriever.search(question, { topK: 2 });
    expect(hits[0]?.documentId).toBe('stream-record');
    // The hit says which customer word it answers in the knowledge's words, as a glossary match does.
    expect(hits[0]?.glossaryMatches).toContainEqual({
      said: analyze('стрима'),
      meant: analyze('трансляции'),
    });
    const off = createRetriever({
      store: kb.store,
      collection: 'test',
      history,
      settings: { vocabulary: { weight: 0 } },
    });
    expect((await off.search(question, { topK: 2 }))[0]?.documentId).toBe('video-record');
  });
});

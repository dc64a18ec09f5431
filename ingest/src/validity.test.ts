import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadIngestConfig } from './config.ts';
import { createHashedNgramEmbedder } from './embeddings/hashed-ngrams.ts';
import { openKnowledgeBase } from './knowledge-base.ts';
import { isValidAt, validityWindow } from './store/search-filter.ts';

/**
 * Validity windows end to end: templates written with `validFrom`/`validUntil`, ingested into a
 * real on-disk store, searched at instants before, inside and after their windows.
 */

const TEMPLATES = `naparnik: templates
version: 1
language: ru
items:
  - id: promo-black-friday
    title: Скидка «Чёрная пятница»
    text: В «Чёрную пятницу» на все серьги скидка 30 % по промокоду BLACK30.
    questions: [Какая скидка на серьги в чёрную пятницу?]
    validFrom: 2026-11-27
    validUntil: 2026-11-30
  - id: promo-new-year
    title: Новогодняя скидка на серьги
    text: До Нового года скидка на серьги 15 % по промокоду NY15.
    questions: [Какая скидка на серьги к Новому году?]
    validFrom: 2026-12-01T00:00:00+03:00
  - id: earrings-care
    title: Уход за серьгами
    text: Серьги храните в отдельном мешочке и протирайте мягкой тканью.
`;

describe('validity windows', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  async function knowledgeBaseAt(instant: string, templates = TEMPLATES, file = 'templates.yaml') {
    const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-validity-'));
    directories.push(directory);
    writeFileSync(path.join(directory, file), templates);
    const kb = await openKnowledgeBase({
      config: loadIngestConfig({ NAPARNIK_DATA_DIR: path.join(directory, 'data') }),
      embedder: createHashedNgramEmbedder({ dimensions: 64 }),
      clock: () => new Date(instant),
    });
    const summary = await kb.ingest([path.join(directory, file)], { collection: 'shop' });
    return { kb, summary };
  }

  /** The documents a search finds at `instant` in a knowledge base of one file, which must ingest. */
  const idsFound = async (instant: string, content: string, file: string, query: string) => {
    const { kb, summary } = await knowledgeBaseAt(instant, content, file);
    expect(summary.failed).toEqual([]);
    try {
      return (await kb.search('shop', query, { topK: 10 })).map((hit) => hit.documentId).sort();
    } finally {
      await kb.close();
    }
  };

  const idsFor = async (instant: string) => {
    const { kb } = await knowledgeBaseAt(instant);
    try {
      const hits = await kb.search('shop', 'скидка на серьги промокод', { topK: 10 });
      return hits.map((hit) => hit.documentId).sort();
    } finally {
      await kb.close();
    }
  };

  it('never retrieves an entry before its validFrom or after its validUntil day', async () => {
    expect(await idsFor('2026-11-26T23:59:59Z')).toEqual(['earrings-care']);
    expect(await idsFor('2026-11-27T00:00:00Z')).toEqual(['earrings-care', 'promo-black-friday']);
    // A validUntil date is the whole of that day (UTC).
    expect(await idsFor('2026-11-30T23:59:59Z')).toEqual([
      'earrings-care',
      'promo-black-friday',
      'promo-new-year',
    ]);
    expect(await idsFor('2026-12-01T00:00:00Z')).toEqual(['earrings-care', 'promo-new-year']);
  });

  it('reads a date as a whole UTC day and a date-time at its offset', () => {
    expect(validityWindow({ validFrom: '2026-11-27', validUntil: '2026-11-30' })).toEqual({
      from: Date.parse('2026-11-27T00:00:00Z'),
      until: Date.parse('2026-12-01T00:00:00Z'),
    });
    expect(validityWindow({ validFrom: '2026-12-01T00:00:00+03:00' })).toEqual({
      from: Date.parse('2026-11-30T21:00:00Z'),
    });
    expect(isValidAt(undefined, '2030-01-01T00:00:00Z')).toBe(true);
    expect(isValidAt({ validUntil: '2026-11-30' }, Date.parse('2026-12-01T00:00:00Z'))).toBe(false);
  });

  it('fails a template file whose window ends before it begins, or whose bound is not a date', async () => {
    const backwards = TEMPLATES.replace('validUntil: 2026-11-30', 'validUntil: 2026-11-20');
    const { kb, summary } = await knowledgeBaseAt('2026-11-28T00:00:00Z', backwards);
    expect(summary.failed[0]?.reason).toMatch(/validUntil: ends before "validFrom" begins/u);
    await kb.close();

    const notADate = TEMPLATES.replace('validUntil: 2026-11-30', 'validUntil: 30.11.2026');
    const second = await knowledgeBaseAt('2026-11-28T00:00:00Z', notADate);
    expect(second.summary.failed[0]?.reason).toMatch(/validUntil: a date \(2026-12-31\)/u);
    await second.kb.close();
  });

  it('reads validFrom/validUntil of JSON records, FAQ and article alike, and fails a bad bound', async () => {
    const records = [
      {
        id: 'faq-sale',
        question: 'Какая скидка на кольца?',
        answer: 'Скидка на кольца 20 % до конца ноября.',
        validUntil: '2026-11-30',
      },
      {
        id: 'art-sale',
        kind: 'article',
        title: 'Распродажа колец',
        text: 'Распродажа колец: скидка 20 %.',
        validUntil: '2026-11-30',
      },
      {
        id: 'faq-rings',
        question: 'Как узнать размер кольца?',
        answer: 'Размер кольца подскажет таблица размеров.',
      },
    ]
      .map((record) => JSON.stringify(record))
      .join('\n');
    const ids = (instant: string) => idsFound(instant, records, 'faq.jsonl', 'скидка на кольца размер');
    expect(await ids('2026-11-30T12:00:00Z')).toEqual(['art-sale', 'faq-rings', 'faq-sale']);
    expect(await ids('2026-12-01T00:00:00Z')).toEqual(['faq-rings']);

    const bad = await knowledgeBaseAt(
      '2026-11-30T12:00:00Z',
      records.replace('"2026-11-30"', '"30 ноября"'),
      'faq.jsonl',
    );
    expect(bad.summary.failed[0]?.reason).toMatch(/validUntil.*a date \(2026-12-31\)/u);
    await bad.kb.close();
  });

  it('never retrieves an FAQ table row whose window has ended, and retrieves a future one from its first day', async () => {
    const sheet = [
      'id;Вопрос;Ответ;Действует с;Действует до',
      'bf;Какая скидка на браслеты в чёрную пятницу?;Скидка на браслеты 30 % по промокоду BLACK30.;27.11.2026;30.11.2026',
      'ny;Какая скидка на браслеты к Новому году?;Скидка на браслеты 15 % по промокоду NY15.;15.12.2026;',
      'size;Как подобрать размер браслета?;Размер браслета подскажет таблица размеров.;;',
    ].join('\n');
    const ids = (instant: string) =>
      idsFound(instant, sheet, 'promo.csv', 'скидка на браслеты промокод размер');
    expect(await ids('2026-11-30T23:59:59Z')).toEqual(['bf', 'size']);
    expect(await ids('2026-12-01T00:00:00Z')).toEqual(['size']);
    expect(await ids('2026-12-14T23:59:59Z')).toEqual(['size']);
    expect(await ids('2026-12-15T00:00:00Z')).toEqual(['ny', 'size']);
  });

  it('keeps what a table stored when its next version has a bad date', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-validity-'));
    directories.push(directory);
    const file = path.join(directory, 'prices.csv');
    writeFileSync(
      file,
      'id;Вопрос;Ответ;Действует до\nship;Сколько стоит доставка браслета?;Доставка браслета 300 ₽.;31.12.2026\n',
    );
    const kb = await openKnowledgeBase({
      config: loadIngestConfig({ NAPARNIK_DATA_DIR: path.join(directory, 'data') }),
      embedder: createHashedNgramEmbedder({ dimensions: 64 }),
      clock: () => new Date('2026-12-01T00:00:00Z'),
    });
    try {
      expect((await kb.ingest([file], { collection: 'shop' })).failed).toEqual([]);
      writeFileSync(
        file,
        'id;Вопрос;Ответ;Действует до\nship;Сколько стоит доставка браслета?;Доставка браслета 500 ₽.;завтра\n',
      );
      const summary = await kb.ingest([file], { collection: 'shop' });
      expect(summary.failed[0]?.reason).toMatch(/row 2, column "Действует до": "завтра" is not a date/u);
      const hits = await kb.search('shop', 'доставка браслета', { topK: 5 });
      expect(hits.map((hit) => [hit.documentId, hit.text])).toEqual([['ship', 'Доставка браслета 300 ₽.']]);
    } finally {
      await kb.close();
    }
  });
});

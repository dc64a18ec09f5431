import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { stem } from '../text/analyze.ts';
import { createLexicalIndex, type LexicalDocument, restoreLexicalIndex } from './lexical-index.ts';
import { BM25_WEIGHTS } from './stems.ts';

/** Stemmed FAQ-like documents: title stems, body stems, filter tokens. */
const DOCUMENTS: Array<[number, LexicalDocument]> = [
  [
    1,
    { title: 'сколько стоит доставк', body: 'доставк курьер москв стоит 300 рубл', meta: 'k_faq l_ru t_a' },
  ],
  [2, { title: 'как верн бижутер', body: 'бижутер надлежа качеств можн верн 14 дне', meta: 'k_faq l_ru' }],
  [3, { title: 'статус заказ', body: 'ваш заказ передан доставк', meta: 'k_template l_ru t_b' }],
  [4, { title: 'delivery cost', body: 'courier delivery cost 300 rubl', meta: 'k_faq l_en t_a' }],
  [5, { title: '', body: 'доставк доставк доставк заказ курьер', meta: 'k_article l_ru' }],
  [6, { title: 'гарант час', body: 'гарант час производител талон', meta: 'k_faq l_ru' }],
];

function filled() {
  const index = createLexicalIndex();
  for (const [id, document] of DOCUMENTS) index.add(id, document);
  return index;
}

/** FTS5's own ranking of the same stems: what the in-memory index must reproduce. */
function fts5Ranking(documents: Array<[number, LexicalDocument]>, stems: string[]) {
  const db = new DatabaseSync(':memory:');
  db.exec(
    `CREATE VIRTUAL TABLE t USING fts5(title, body, meta, tokenize="unicode61 remove_diacritics 0 tokenchars '_'")`,
  );
  const insert = db.prepare('INSERT INTO t (rowid, title, body, meta) VALUES (?, ?, ?, ?)');
  for (const [id, document] of documents) insert.run(id, document.title, document.body, document.meta);
  const rows = db
    .prepare(
      `SELECT rowid AS id, bm25(t, ${BM25_WEIGHTS.join(', ')}) AS rank FROM t WHERE t MATCH ? ORDER BY rank`,
    )
    .all(`{title body}:(${stems.map((stem) => `"${stem}"`).join(' OR ')})`);
  db.close();
  return rows.map((row) => ({ id: row.id as number, score: -(row.rank as number) }));
}

describe('lexical index', () => {
  it("ranks and scores an OR query exactly as FTS5's bm25 with the title weighted 2.5×", () => {
    const index = filled();
    for (const stems of [
      ['доставк'],
      ['доставк', 'курьер', 'стоит'],
      ['заказ', 'статус', 'гарант'],
      ['300'],
    ]) {
      const expected = fts5Ranking(DOCUMENTS, stems);
      const actual = index.search(stems, 10);
      expect(actual.map((match) => match.id)).toEqual(expected.map((match) => match.id));
      for (const [position, match] of actual.entries()) {
        expect(match.score).toBeCloseTo(expected[position]!.score, 5);
      }
    }
  });

  it('finds a document stored with Snowball stems by a query in another member of its word family', () => {
    // A store written before word families holds «возврат»; a query «когда вернут деньги» asks «вернут».
    const index = createLexicalIndex();
    index.add(1, { title: 'срок возврат', body: 'деньг возвраща 10 дне', meta: 'k_faq l_ru' });
    index.add(2, { title: 'срок доставк', body: 'доставк 2 дня', meta: 'k_faq l_ru' });
    expect(index.search([stem('вернут'), stem('деньги')], 10).map((match) => match.id)).toEqual([1]);
    expect(index.documentFrequency(stem('вернуть'))).toBe(1);
  });

  it('keeps only the documents the kind, language and tag filter admits', () => {
    const index = filled();
    expect(index.search(['доставк'], 10, { kinds: ['template'] }).map((match) => match.id)).toEqual([3]);
    expect(index.search(['300'], 10, { languages: ['en'] }).map((match) => match.id)).toEqual([4]);
    expect(
      index
        .search(['доставк', 'delivery'], 10, { tagTokens: ['t_a'] })
        .map((match) => match.id)
        .sort(),
    ).toEqual([1, 4]);
    expect(index.search(['доставк'], 10, { tagTokens: ['t_none'] })).toEqual([]);
  });

  it('forgets removed documents, in results and in document frequencies', () => {
    const index = filled();
    expect(index.documentFrequency('доставк')).toBe(3);
    index.remove(5);
    expect(index.documentFrequency('доставк')).toBe(2);
    expect(index.size()).toBe(5);
    const remaining = DOCUMENTS.filter(([id]) => id !== 5);
    expect(index.search(['доставк', 'курьер'], 10)).toEqual(
      fts5Ranking(remaining, ['доставк', 'курьер']).map((match) => ({
        id: match.id,
        score: expect.closeTo(match.score, 5),
      })),
    );
  });

  it('replaces a document added again under the same id', () => {
    const index = filled();
    index.add(6, { title: 'ремонт', body: 'ремонт час', meta: 'k_faq l_ru' });
    expect(index.search(['гарант'], 10)).toEqual([]);
    expect(index.search(['ремонт'], 10).map((match) => match.id)).toEqual([6]);
    expect(index.size()).toBe(DOCUMENTS.length);
  });

  it('restores from a snapshot to the same results, filters and frequencies', () => {
    const index = filled();
    index.remove(2);
    const restored = restoreLexicalIndex(index.snapshot())!;
    expect(restored.size()).toBe(index.size());
    for (const stems of [['доставк', 'курьер'], ['бижутер'], ['300', 'заказ']]) {
      expect(restored.search(stems, 10)).toEqual(index.search(stems, 10));
      expect(restored.search(stems, 10, { tagTokens: ['t_a'], languages: ['ru'] })).toEqual(
        index.search(stems, 10, { tagTokens: ['t_a'], languages: ['ru'] }),
      );
    }
    expect(restored.documentFrequency('доставк')).toBe(index.documentFrequency('доставк'));
    // A restored index keeps taking changes.
    restored.add(7, { title: 'бижутер', body: 'бижутер', meta: 'k_faq l_ru' });
    expect(restored.search(['бижутер'], 10).map((match) => match.id)).toEqual([7]);
  });

  it('leaves no trace of an add refused for one language too many, and keeps the document it would replace', () => {
    const index = createLexicalIndex();
    for (let language = 0; language < 255; language++) {
      index.add(language + 1, { title: 'доставк', body: '', meta: `k_faq l_x${language}` });
    }
    expect(() => index.add(1, { title: 'призрак', body: '', meta: 'k_faq l_one_too_many' })).toThrow();
    expect(() => index.add(1_000, { title: 'призрак', body: '', meta: 'k_faq l_one_too_many' })).toThrow();
    expect(index.size()).toBe(255);
    expect(index.search(['призрак'], 10)).toEqual([]);
    expect(index.documentFrequency('призрак')).toBe(0);
    expect(index.search(['доставк'], 300).map((match) => match.id)).toContain(1);
    // The next add takes the slot the refused one would have had, with its own attributes.
    index.add(256, { title: 'ремонт', body: '', meta: 'k_template l_x0' });
    expect(index.search(['ремонт'], 10, { kinds: ['template'], languages: ['x0'] })).toEqual([
      { id: 256, score: expect.any(Number) },
    ]);
  });

  it('refuses a snapshot cut short, padded, or naming terms and metas it does not hold', () => {
    const bytes = filled().snapshot();
    expect(restoreLexicalIndex(bytes)).toBeDefined();
    expect(restoreLexicalIndex(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    expect(restoreLexicalIndex(bytes.subarray(0, 12))).toBeUndefined();
    const padded = new Uint8Array(bytes.length + 4);
    padded.set(bytes);
    expect(restoreLexicalIndex(padded)).toBeUndefined();
    // Header: format, documents, term refs, …; then ids, stem counts, meta ids, term counts, term ids.
    const header = new Int32Array(bytes.buffer, bytes.byteOffset, 5);
    const documents = header[1]!;
    const badTerm = bytes.slice();
    new Int32Array(badTerm.buffer, (5 + documents * 4) * 4, 1)[0] = 1_000_000;
    expect(restoreLexicalIndex(badTerm)).toBeUndefined();
    const badMeta = bytes.slice();
    new Int32Array(badMeta.buffer, (5 + documents * 2) * 4, 1)[0] = 1_000;
    expect(restoreLexicalIndex(badMeta)).toBeUndefined();
  });

  it('refuses bytes that are not a snapshot', () => {
    expect(restoreLexicalIndex(new Uint8Array([9, 9, 9, 9, 0, 0]))).toBeUndefined();
  });
});
